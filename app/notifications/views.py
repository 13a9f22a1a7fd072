"""Notices: the list of a person's notices, marking them read, and the count in the nav."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import current_session
from app.i18n.process_texts import prefetch_instances
from app.notifications.display import notice_text
from app.notifications.operations import mark_all_notices_read, mark_notice_read
from app.notifications.queries import UNREAD_CAP, notices_of, unread_count, visible_notice
from app.timefmt import format_helsinki

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def notice_helpers() -> dict[str, Any]:
    """`unread_notices()` for the nav (it queries only when a template calls it), and
    `notice_text` to show a notice in the page language."""

    def unread_notices() -> int:
        if not current_user.is_authenticated:
            return 0
        return unread_count(current_session(), current_user)

    return {"unread_notices": unread_notices, "unread_cap": UNREAD_CAP, "notice_text": notice_text}


@bp.get("/notices", endpoint="index")
@login_required
def index() -> str:
    before = request.args.get("before", type=int)
    page = notices_of(current_session(), current_user, before=before)
    prefetch_instances(notice.instance_id for notice in page.notices)
    return render_template(
        "notifications/index.html",
        page=page,
        first_page=before is None,
        format_helsinki=format_helsinki,
    )


@bp.post("/notices/<int:notice_id>/read", endpoint="read")
@login_required
def read(notice_id: int) -> Response:
    notice = visible_notice(current_session(), current_user, notice_id)
    if notice is None:
        abort(404)
    mark_notice_read(current_session(), notice, current_user)
    return redirect(url_for("notifications.index"))


@bp.post("/notices/read", endpoint="read_all")
@login_required
def read_all() -> Response:
    mark_all_notices_read(current_session(), current_user)
    return redirect(url_for("notifications.index"))
