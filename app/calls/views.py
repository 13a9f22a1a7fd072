"""A call's clock: process owners rehearse a call by moving its rehearsal clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock, next_timer_at
from app.extensions import current_session, db
from app.loaders import get_call
from app.timefmt import format_helsinki
from workflows import clock_now
from workflows.queries import upcoming_timers

bp = Blueprint("calls", __name__)
HELSINKI = ZoneInfo("Europe/Helsinki")
REAL_TIME = _l("This call runs on real time: its clock cannot be moved.")
REHEARSERS = ("process_owner", "admin")


def _page(call: Call, error: object = "", status: int = 200) -> tuple[str, int]:
    session = current_session()
    page = render_template(
        "calls/clock.html",
        call=call,
        now=clock_now(call.clock),
        timers=upcoming_timers(session, call.clock),
        next_timer=next_timer_at(session, call),
        error=error,
        real_time=REAL_TIME,
        format_helsinki=format_helsinki,
    )
    return page, status


def target_of(call: Call, form: dict[str, str]) -> datetime:
    """The moment the form asks for: just past the next timer, or a Helsinki local time."""
    if form.get("action") == "next":
        upcoming = next_timer_at(current_session(), call)
        if upcoming is None:
            raise ValueError(_("The call has no waiting deadline or timer."))
        past = upcoming.replace(microsecond=0) + timedelta(seconds=1)
        return max(past, clock_now(call.clock))  # overdue timers: fire them now
    text = form.get("moment", "").strip()
    try:
        local = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(_("Give the date and time, e.g. 15.4.2021 16:16.")) from None
    if local.tzinfo is not None:
        raise ValueError(_("Give the time in Helsinki time, without an offset."))
    moment = local.replace(tzinfo=HELSINKI)
    if moment <= clock_now(call.clock):
        raise ValueError(_("The rehearsal clock only moves forward: choose a later moment."))
    return moment


@bp.get("/calls/<key>/clock", endpoint="clock")
@role_required(*REHEARSERS)
def clock(key: str) -> tuple[str, int]:
    return _page(get_call(key))


@bp.post("/calls/<key>/clock", endpoint="move_clock")
@role_required(*REHEARSERS)
def move_clock(key: str) -> Response | tuple[str, int]:
    call = get_call(key)
    if not call.clock.rehearsal:
        return _page(call, REAL_TIME, 409)
    try:
        target = target_of(call, request.form.to_dict())
    except ValueError as err:
        return _page(call, str(err), 422)
    session = current_session()
    fired = move_rehearsal_clock(session, call, target)
    db.session.commit()
    moved = ngettext(
        "The rehearsal clock is now %(time)s; %(num)d instance advanced.",
        "The rehearsal clock is now %(time)s; %(num)d instances advanced.",
        fired,
        time=format_helsinki(target, seconds=True),
    )
    flash(moved, "success")
    return redirect(url_for("calls.clock", key=call.key))
