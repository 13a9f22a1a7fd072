"""Managing calls (process owners and admins): the list, the editor (new, copy, change), the
life of a call (publish, close, decided, archive), JSON import and export, the rehearsal clock."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.auth.decorators import role_required
from app.calls import operations
from app.calls.models import CASE_NUMBER_FORMAT, DOCUMENT_NUMBER_FORMAT, Call
from app.calls.operations import CallRefused, SettingsRefused
from app.calls.queries import editor_choices, managed_calls
from app.calls.settings import CallChoices, call_schema, call_ui_schema
from app.cases.operations import actor_of
from app.extensions import current_session
from app.forms.interface import adds_a_row, render_interface_form
from app.forms.parse import parse_form
from app.loaders import get_call
from app.requests import after_commit, refuse
from app.timefmt import format_helsinki
from app.worker import run_due_work
from workflows import clock_now, set_rehearsal_time
from workflows.json_limits import load_json
from workflows.models import AuditEvent, ProcessModel
from workflows.queries import upcoming_timers

bp = Blueprint("calls", __name__)
HELSINKI = ZoneInfo("Europe/Helsinki")
REAL_TIME = _l("This call runs on real time: its clock cannot be moved.")
REHEARSERS = ("process_owner", "admin")
MANAGERS = ("process_owner", "admin")
MAX_IMPORT_BYTES = 1_000_000
_OBJECT_KEY = re.compile(r"^application_objects\.\d{1,3}\.key$")


# The list and the page of one call


@bp.get("/calls/manage", endpoint="manage")
@role_required(*MANAGERS)
def manage() -> str:
    return render_template(
        "calls/manage.html", calls=managed_calls(current_session()), format_helsinki=format_helsinki
    )


def _history(call: Call) -> list[AuditEvent]:
    events = current_session().scalars(
        select(AuditEvent).where(AuditEvent.kind.like("call%")).order_by(AuditEvent.id)
    )
    return [event for event in events if event.data.get("call") == call.key]


@bp.get("/calls/<key>/manage", endpoint="manage_call")
@role_required(*MANAGERS)
def manage_call(key: str) -> str:
    call = get_call(key)
    return render_template(
        "calls/manage_call.html",
        call=call,
        now=clock_now(call.clock),
        history=_history(call),
        format_helsinki=format_helsinki,
    )


# The editor


def _posted_choices(call: Call | None) -> CallChoices:
    """The choices a posted form was drawn with (the model it names, the objects it has)."""
    form = request.form
    pseudo: dict[str, Any] = {
        "process_model": form.get("process_model"),
        "application_objects": [
            {"key": value, "title": {}} for name, value in form.items() if _OBJECT_KEY.match(name)
        ],
    }
    return editor_choices(current_session(), pseudo, call)


def _editor(
    data: dict[str, Any],
    errors: dict[str, str],
    *,
    call: Call | None = None,
    heading: str,
    action: str,
) -> tuple[str, int]:
    choices = editor_choices(current_session(), data, call)
    form = render_interface_form(call_schema(choices), call_ui_schema(choices.locked), data, errors)
    page = render_template("calls/edit.html", form=form, call=call, heading=heading, action=action)
    return page, 422 if errors else 200


def _parse(call: Call | None) -> dict[str, Any]:
    choices = _posted_choices(call)
    return parse_form(call_schema(choices), request.form, call_ui_schema(choices.locked))


def _create(data: dict[str, Any], heading: str) -> BaseResponse | tuple[str, int]:
    if adds_a_row(request.form.get("action")):
        return _editor(data, {}, heading=heading, action=request.path)
    try:
        call = operations.create_call(current_session(), data, actor_of(current_user))
    except SettingsRefused as refused:
        return _editor(data, refused.errors, heading=heading, action=request.path)
    flash(_("The call was saved as a draft: applicants see it once you publish it."), "success")
    return redirect(url_for("calls.manage_call", key=call.key))


@bp.route("/calls/new", methods=["GET", "POST"], endpoint="new")
@role_required(*MANAGERS)
def new() -> BaseResponse | tuple[str, int]:
    heading = _("New call")
    if request.method == "POST":
        return _create(_parse(None), heading)
    model = request.args.get("model") or ""
    data: dict[str, Any] = {
        "process_model": model if current_session().get(ProcessModel, model) else "",
        "process_version": "current",
        "registry_prefix": "VN",
        "registry_format": {"case": CASE_NUMBER_FORMAT, "document": DOCUMENT_NUMBER_FORMAT},
        "evaluation_scale": {"minimum": 1, "maximum": 5},
    }
    return _editor(data, {}, heading=heading, action=request.path)


@bp.route("/calls/<key>/copy", methods=["GET", "POST"], endpoint="copy")
@role_required(*MANAGERS)
def copy(key: str) -> BaseResponse | tuple[str, int]:
    source = get_call(key)
    heading = _("Copy of %(title)s", title=source.title_in(_language()))
    if request.method == "POST":
        return _create(_parse(None), heading)
    years = request.args.get("years", default=1, type=int) or 0
    data = operations.copied_data(source, max(-5, min(5, years)))
    flash(
        ngettext(
            "Every date and time was moved %(num)d year later: check them before saving.",
            "Every date and time was moved %(num)d years later: check them before saving.",
            years,
        ),
        "info",
    )
    return _editor(data, {}, heading=heading, action=request.path)


def _language() -> str:
    from app.i18n import current_language

    return current_language()


@bp.route("/calls/<key>/edit", methods=["GET", "POST"], endpoint="edit")
@role_required(*MANAGERS)
def edit(key: str) -> BaseResponse | tuple[str, int]:
    call = get_call(key)
    if call.kind == "standing" or call.status == "archived":
        abort(404)
    heading = _("Change %(title)s", title=call.title_in(_language()))
    if request.method == "GET":
        return _editor(
            operations.editor_data(call), {}, call=call, heading=heading, action=request.path
        )
    data = _parse(call)
    if adds_a_row(request.form.get("action")):
        return _editor(data, {}, call=call, heading=heading, action=request.path)
    try:
        changed = operations.update_call(current_session(), call, data, actor_of(current_user))
    except SettingsRefused as refused:
        merged = operations.with_locked(call, data)
        return _editor(merged, refused.errors, call=call, heading=heading, action=request.path)
    except CallRefused as refused:
        return refuse(url_for("calls.manage_call", key=call.key), str(refused))
    if changed:
        flash(_("The call was saved. The change is in its history."), "success")
    else:
        flash(_("Nothing changed."), "info")
    return redirect(url_for("calls.manage_call", key=call.key))


# The life of a call


def _act(call: Call, action: Callable[[], object], done: str, after: str = "") -> BaseResponse:
    """Run one operation on the call and say ``done``, or say why not (rolled back)."""
    back = url_for("calls.manage_call", key=call.key)
    try:
        action()
    except SettingsRefused as refused:
        return refuse(
            back,
            _("The call cannot be published yet: correct its settings."),
            *(
                f"{path}: {message}" if path else message
                for path, message in refused.errors.items()
            ),
        )
    except CallRefused as refused:
        return refuse(back, str(refused))
    flash(done, "success")
    return redirect(after or back)


@bp.post("/calls/<key>/publish", endpoint="publish")
@role_required(*MANAGERS)
def publish(key: str) -> BaseResponse:
    call = get_call(key)
    return _act(
        call,
        lambda: operations.publish_call(current_session(), call, actor_of(current_user)),
        _("The call is published: applicants see it on the calls page."),
    )


STEP_DONE = {
    "close": _l("The call is closed: no new applications can be started."),
    "decide": _l("The call is marked decided."),
    "archive": _l("The call is archived."),
}


@bp.post("/calls/<key>/status", endpoint="change_status")
@role_required(*MANAGERS)
def change_status(key: str) -> BaseResponse:
    call = get_call(key)
    step = request.form.get("step", "")
    if step not in operations.STEPS:
        abort(400, description=_("Choose close, decide or archive."))
    return _act(
        call,
        lambda: operations.change_status(current_session(), call, step, actor_of(current_user)),
        str(STEP_DONE[step]),
    )


@bp.post("/calls/<key>/delete", endpoint="delete")
@role_required(*MANAGERS)
def delete(key: str) -> BaseResponse:
    call = get_call(key)
    return _act(
        call,
        lambda: operations.delete_draft_call(current_session(), call, actor_of(current_user)),
        _("The draft call was deleted."),
        after=url_for("calls.manage"),
    )


# JSON import and export


@bp.get("/calls/<key>/export.json", endpoint="export")
@role_required(*MANAGERS)
def export(key: str) -> Response:
    data = operations.editor_data(get_call(key))
    body = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{key}.json"'
    return response


@bp.route("/calls/import", methods=["GET", "POST"], endpoint="import_call")
@role_required(*MANAGERS)
def import_call() -> BaseResponse | tuple[str, int]:
    if request.method == "GET":
        return render_template("calls/import.html", errors={}), 200
    sent = request.files.get("file")
    raw = sent.read(MAX_IMPORT_BYTES + 1) if sent is not None else b""
    errors: dict[str, str] = {}
    data: Any = None
    if not raw:
        errors[""] = _("Choose a JSON file of a call.")
    elif len(raw) > MAX_IMPORT_BYTES:
        errors[""] = _("The file is larger than %(limit)d bytes.", limit=MAX_IMPORT_BYTES)
    else:
        try:
            data = load_json(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            errors[""] = _("The file is not JSON: %(reason)s", reason=str(err))
        else:
            if not isinstance(data, dict):
                errors[""] = _("The file must hold one JSON object, the call's settings.")
    if not errors:
        try:
            call = operations.create_call(current_session(), data, actor_of(current_user))
        except SettingsRefused as refused:
            errors = refused.errors
        else:
            flash(_("The call was imported as a draft."), "success")
            return redirect(url_for("calls.manage_call", key=call.key))
    return render_template("calls/import.html", errors=errors), 422


# The rehearsal clock


def _clock_page(call: Call, error: object = "", status: int = 200) -> tuple[str, int]:
    session = current_session()
    page = render_template(
        "calls/clock.html",
        call=call,
        now=clock_now(call.clock),
        timers=upcoming_timers(session, call.clock),
        next_timer=operations.next_timer_at(session, call),
        error=error,
        real_time=REAL_TIME,
        format_helsinki=format_helsinki,
    )
    return page, status


def target_of(call: Call, form: dict[str, str]) -> datetime:
    """The moment the form asks for: just past the next timer, or a Helsinki local time."""
    if form.get("action") == "next":
        upcoming = operations.next_timer_at(current_session(), call)
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
    return _clock_page(get_call(key))


@bp.post("/calls/<key>/clock", endpoint="move_clock")
@role_required(*REHEARSERS)
def move_clock(key: str) -> BaseResponse | tuple[str, int]:
    call = get_call(key)
    if not call.clock.rehearsal:
        return _clock_page(call, REAL_TIME, 409)
    try:
        target = target_of(call, request.form.to_dict())
    except ValueError as err:
        return _clock_page(call, str(err), 422)
    set_rehearsal_time(call.clock, target)
    after_commit(partial(_fire_due, current_app._get_current_object(), target))  # type: ignore[attr-defined]
    return redirect(url_for("calls.clock", key=call.key))


def _fire_due(app: Flask, target: datetime) -> None:
    """Once the clock's move is committed: what it made due, each instance on its own."""
    fired = run_due_work(app)
    moved = ngettext(
        "The rehearsal clock is now %(time)s; %(num)d instance advanced.",
        "The rehearsal clock is now %(time)s; %(num)d instances advanced.",
        fired,
        time=format_helsinki(target, seconds=True),
    )
    flash(moved, "success")
