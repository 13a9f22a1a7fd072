"""Notices: the list of a person's notices, marking them read, and the count in the nav."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.extensions import current_session, db
from app.i18n.process_texts import prefetch_instances
from app.notifications.display import notice_text
from app.notifications.models import Notice
from app.notifications.operations import mark_all_notices_read, mark_notice_read
from app.notifications.queries import notices_of, unread_count
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

    return {"unread_notices": unread_notices, "notice_text": notice_text}


@bp.get("/notices", endpoint="index")
@login_required
def index() -> str:
    notices = notices_of(current_session(), current_user)
    prefetch_instances(notice.instance_id for notice in notices)
    return render_template(
        "notifications/index.html",
        notices=notices,
        format_helsinki=format_helsinki,
    )


@bp.post("/notices/<int:notice_id>/read", endpoint="read")
@login_required
def read(notice_id: int) -> Response:
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.user_id != current_user.id:
        abort(404)
    mark_notice_read(notice)
    db.session.commit()
    return redirect(url_for("notifications.index"))


@bp.post("/notices/read", endpoint="read_all")
@login_required
def read_all() -> Response:
    mark_all_notices_read(current_session(), current_user)
    db.session.commit()
    return redirect(url_for("notifications.index"))
