"""Incidents (automatic steps that failed) and emails in doubt, for the people who can fix
them: process owners and admins retry or resolve, resend or mark sent."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.extensions import current_session
from app.incidents import operations
from app.incidents.queries import emails_in_doubt, open_incident_rows
from app.refusals import refused
from app.timefmt import format_helsinki
from app.worker import deliver_after_commit
from workflows import WorkflowError

bp = Blueprint("incidents", __name__)
FIXERS = ("process_owner", "admin")


@bp.get("/incidents", endpoint="index")
@role_required(*FIXERS)
def index() -> str:
    session = current_session()
    return render_template(
        "incidents/index.html",
        rows=open_incident_rows(session),
        emails=emails_in_doubt(session),
        format_helsinki=format_helsinki,
    )


def _act(action: Callable[[], object], done: str) -> Response:
    back = url_for("incidents.index")
    try:
        result = action()
    except WorkflowError as refusal:
        return refused(back, refusal)
    deliver_after_commit(current_app._get_current_object(), current_session())  # type: ignore[attr-defined]
    if result is not None:
        flash(_("The step failed again: a new incident is open."), "warning")
    else:
        flash(done, "success")
    return redirect(back)


@bp.post("/incidents/<int:incident_id>/retry", endpoint="retry")
@role_required(*FIXERS)
def retry(incident_id: int) -> Response:
    return _act(
        lambda: operations.retry(current_session(), incident_id, current_user),
        _("The step ran again and the case went on."),
    )


@bp.post("/incidents/<int:incident_id>/resolve", endpoint="resolve")
@role_required(*FIXERS)
def resolve(incident_id: int) -> Response:
    return _act(
        lambda: operations.resolve(current_session(), incident_id, current_user),
        _("The incident is resolved."),
    )


@bp.post("/outbox/<int:message_id>/resend", endpoint="resend")
@role_required(*FIXERS)
def resend(message_id: int) -> Response:
    return _act(
        lambda: operations.resend_email(current_session(), message_id, current_user),
        _("The email goes out again with the worker's next pass."),
    )


@bp.post("/outbox/<int:message_id>/sent", endpoint="mark_sent")
@role_required(*FIXERS)
def mark_sent(message_id: int) -> Response:
    return _act(
        lambda: operations.mark_email_sent(current_session(), message_id, current_user),
        _("The email is marked as sent."),
    )
