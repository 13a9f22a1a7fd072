"""The public pages of the calls: the open calls and each call's page. No sign-in needed; this is
what an applicant reaches first."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.calls.models import Call
from app.calls.queries import accepts_new_cases, public_calls
from app.cases.queries import countdown, countdown_texts, may_start_in
from app.extensions import current_session
from app.loaders import get_call
from app.timefmt import format_helsinki
from workflows import clock_now

bp = Blueprint("public", __name__)


def _visible(call: Call) -> bool:
    """Published (or closed, decided) calls; a rehearsal only to the signed-in walking it."""
    if call.kind == "standing" or call.status == "draft" or call.discarded_at is not None:
        return False
    return call.kind == "call" or current_user.is_authenticated


@bp.get("/calls", endpoint="calls")
def calls() -> str:
    found = public_calls(current_session())
    return render_template(
        "calls/public_index.html",
        calls=found,
        nows={call.id: clock_now(call.clock) for call in found},
        accepts={call.id: accepts_new_cases(call) for call in found},
        countdown=countdown,
        countdown_texts=countdown_texts(),
        format_helsinki=format_helsinki,
    )


@bp.get("/calls/<key>", endpoint="call")
def call_page(key: str) -> str:
    call = get_call(key)
    if not _visible(call):
        abort(404)
    may_start = (
        current_user.is_authenticated
        and accepts_new_cases(call)
        and may_start_in(current_session(), call, current_user)
    )
    return render_template(
        "calls/public_show.html",
        call=call,
        now=clock_now(call.clock),
        accepts=accepts_new_cases(call),
        may_start=may_start,
        countdown=countdown,
        countdown_texts=countdown_texts(),
        format_helsinki=format_helsinki,
    )
