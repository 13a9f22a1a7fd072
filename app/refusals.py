"""The engine's refusals answered in one place.

A refusal (``workflows.errors.WorkflowError``) that a view does not handle itself becomes a page
in the person's language with a status that says what happened: 409 when someone else was
first, 403 when the person may not, 404 when there is no such thing, 422 otherwise. A view that
goes back to a page instead (a claim from the task list) uses ``refused``: the boundary then
rolls the request back (app/requests.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.auth.views import safe_next_url
from app.i18n.refusals import translate_refusal
from app.requests import refuse
from app.timefmt import format_helsinki
from workflows import (
    DeadlinePassed,
    InstanceChanged,
    NotAllowed,
    TaskAlreadyCompleted,
    TaskNotFound,
    WorkflowError,
)

ALREADY_DONE = _l(
    "This task was already completed, possibly by someone else. Nothing you sent was saved."
)
_STATUS: list[tuple[type[WorkflowError], int]] = [
    (TaskAlreadyCompleted, 409),
    (InstanceChanged, 409),
    (NotAllowed, 403),
    (TaskNotFound, 404),
    (WorkflowError, 422),
]


def message_for(error: WorkflowError) -> str:
    """What the refusal says to the person, in the page language."""
    if isinstance(error, TaskAlreadyCompleted):
        return str(ALREADY_DONE)
    if isinstance(error, DeadlinePassed):
        return _(
            "The deadline passed at %(time)s: the form can no longer be sent.",
            time=format_helsinki(error.deadline, seconds=True),
        )
    return translate_refusal(str(error))


def refused(back: str, error: WorkflowError) -> Response:
    """Roll the request back, say why, and go back to ``back``."""
    category = "warning" if isinstance(error, TaskAlreadyCompleted) else "error"
    return refuse(back, message_for(error), category=category)


def _page_before() -> str | None:
    """The page of this site the request came from, if any (its path)."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host or parts.path == request.path:
        return None
    return safe_next_url(parts.path + (f"?{parts.query}" if parts.query else ""))


def register_refusal_pages(app: Flask) -> None:
    def page(error: WorkflowError) -> tuple[str, int]:
        status = next(code for kind, code in _STATUS if isinstance(error, kind))
        page = render_template(
            "errors/refused.html", message=message_for(error), back=_page_before()
        )
        return page, status

    app.register_error_handler(WorkflowError, page)
