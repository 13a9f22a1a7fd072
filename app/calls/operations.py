"""Writes on calls: create one (from scratch, a copy or a JSON file), change it, publish it,
follow its life (draft -> published -> closed -> decided -> archived), move its rehearsal clock.

Every change is checked here, whoever asks (the editor, the JSON import, the demo): the settings
against their schema and app/calls/checks, the model version against the model's contract.
Operations flush; the view or job that called them commits once.
"""

from __future__ import annotations

import copy
import re
from datetime import date, datetime, timezone
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.checks import Context, check_settings
from app.calls.models import Call
from app.calls.queries import editor_choices, version_of_choice
from app.calls.settings import call_schema, locked_for
from app.calls.start_data import CASE_DATA, call_values, pick
from app.forms.validate import validate_form
from app.timefmt import HELSINKI
from workflows import (
    SYSTEM,
    Actor,
    Contract,
    clock_now,
    contract_problems,
    current_version,
    fire_due_timers,
    next_timer_due,
    set_rehearsal_time,
    start_instance,
    wall_now,
)
from workflows.audit import record_event
from workflows.engine import deliver_pending
from workflows.models import Clock, ProcessModel, ProcessVersion, WorkflowInstance

BINDING = ("process_model", "process_version", "rehearsal_clock_start")
MOMENTS = ("rehearsal_clock_start", "phases.deadline", "webinar.starts_at", "webinar.ends_at")
DATES = ("funding_period.start", "funding_period.end", "decision_target", "reporting_deadline")


class CallRefused(Exception):
    """A change of a call that cannot be made; the message says why, in the page language."""


class SettingsRefused(CallRefused):
    """Settings with errors: {field path: message}, as the editor shows them."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("\n".join(f"{path or '-'}: {message}" for path, message in errors.items()))
        self.errors = errors


# Reading and checking settings


def editor_data(call: Call) -> dict[str, Any]:
    """The call as the editor (and the JSON export) holds it: settings and binding."""
    data = copy.deepcopy(call.config)
    webinar = data.get("webinar")
    if isinstance(webinar, dict) and isinstance(webinar.get("location"), str):
        # A place written once, before places had a text per language.
        webinar["location"] = dict.fromkeys(("fi", "sv", "en"), webinar["location"])
    data["key"] = call.key
    data["process_model"] = call.model_id
    data["process_version"] = call.version.content_hash[:12] if call.version else "current"
    if call.clock.rehearsal and call.clock.anchor is not None:
        # A draft's rehearsal clock starts when the call is published; a running one is where
        # it is now (what a copy or an export starts from).
        start = call.clock.anchor if call.status == "draft" else clock_now(call.clock)
        data["rehearsal_clock_start"] = start.replace(microsecond=0).isoformat()
    return data


def normalise_times(data: dict[str, Any]) -> dict[str, Any]:
    """Moments with any UTC offset (a JSON file) as UTC, as the editor stores them."""
    data = copy.deepcopy(data)
    for path in MOMENTS:
        for holder, key in _places(data, path):
            try:
                moment = datetime.fromisoformat(holder[key])
            except (TypeError, ValueError):
                continue  # the schema check says what is wrong
            if moment.tzinfo is not None:
                holder[key] = moment.astimezone(timezone.utc).isoformat()
    return data


def _places(data: Any, path: str) -> list[tuple[dict[str, Any], str]]:
    """(holder, key) of every value at a path like "phases.deadline" (each phase's)."""
    *parents, last = path.split(".")
    holders = [data]
    for part in parents:
        found: list[Any] = []
        for holder in holders:
            value = holder.get(part) if isinstance(holder, dict) else None
            if isinstance(value, list):
                found.extend(item for item in value if isinstance(item, dict))
            elif isinstance(value, dict):
                found.append(value)
        holders = found
    return [(holder, last) for holder in holders if isinstance(holder, dict) and last in holder]


def check_call(session: Session, data: dict[str, Any], call: Call | None = None) -> dict[str, str]:
    """Every error of the settings, by field; {} when they can be saved."""
    choices = editor_choices(session, data, call)
    errors = validate_form(call_schema(choices), data)
    model = session.get(ProcessModel, data.get("process_model") or "")
    version = version_of_choice(session, model, data.get("process_version"))
    draft = call is None or call.status == "draft"
    if draft and data.get("rehearsal_clock_start") and "rehearsal_clock_start" not in errors:
        now = datetime.fromisoformat(data["rehearsal_clock_start"])
    elif call is not None:
        now = clock_now(call.clock)
    else:
        now = wall_now()
    taken = session.scalars(select(Call.key).where(Call.id != (call.id if call else -1)))
    needs = set()
    if model is not None:
        needs = (set(model.case_start_data) - set(CASE_DATA)) | set(model.call_start_data)
        if version is not None:
            problems = contract_problems(version.files, Contract.of(model))
            if problems:
                errors.setdefault(
                    "process_version",
                    _("This version breaks the model's contract: %(problem)s", problem=problems[0]),
                )
    context = Context(
        now=now,
        taken_keys=set(taken),
        needs=needs,
        passed_locked=call is not None and call.status != "draft",
    )
    for path, message in check_settings(data, context).items():
        errors.setdefault(path, message)
    return errors


def _settings_of(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in (*BINDING, "key")}


# Creating and changing


def create_call(
    session: Session,
    data: dict[str, Any],
    actor: Actor,
    *,
    kind: str = "call",
    pin: ProcessVersion | None = None,
) -> Call:
    """A draft call from checked settings. ``pin``: the version a rehearsal runs (a draft's)."""
    data = normalise_times(data)
    if pin is None:
        errors = check_call(session, data)
        if errors:
            raise SettingsRefused(errors)
    model = session.get_one(ProcessModel, data["process_model"])
    start = data.get("rehearsal_clock_start")
    clock = Clock(name=f"call:{data['key']}", rehearsal=bool(start))
    if start:
        set_rehearsal_time(clock, datetime.fromisoformat(start))
    settings = _settings_of(data)
    now = wall_now()
    call = Call(
        key=data["key"],
        title=_english_title(settings),
        config=settings,
        kind=kind,
        status="draft",
        model=model,
        version=pin or version_of_choice(session, model, data.get("process_version")),
        clock=clock,
        created_by=actor.username,
        created_at=now,
        updated_at=now,
    )
    session.add(call)
    session.flush()
    record_event(
        session,
        actor=actor.username,
        kind="call_created",
        summary=f"Created the call {call.key}",
        data={"call": call.key, "model": model.id},
    )
    return call


def _english_title(settings: dict[str, Any]) -> str:
    titles = settings.get("title") or {}
    return str(titles.get("en") or titles.get("fi") or titles.get("sv") or "")[:300]


def locked_settings(call: Call) -> frozenset[str]:
    return locked_for(call.status)


def with_locked(call: Call, data: dict[str, Any]) -> dict[str, Any]:
    """Posted settings with the locked ones as they are: a read-only field is not posted."""
    merged = copy.deepcopy(data)
    current = editor_data(call)
    for name in locked_settings(call):
        top, _dot, rest = name.partition(".")
        if not rest:
            if top in current:
                merged[top] = current[top]
            else:
                merged.pop(top, None)
        elif isinstance(current.get(top), dict) and rest in current[top]:
            merged.setdefault(top, {})[rest] = current[top][rest]
    return merged


def update_call(session: Session, call: Call, data: dict[str, Any], actor: Actor) -> list[str]:
    """Change a call's settings; returns the names of the settings that changed. A published
    call changes only where that is safe; every change is in the audit log."""
    if call.status == "archived" or call.kind == "standing":
        raise CallRefused(_("An archived call cannot change."))
    data = normalise_times(with_locked(call, data))
    errors = check_call(session, data, call)
    if errors:
        raise SettingsRefused(errors)
    before = editor_data(call)
    compared = set(before) | set(data)
    if call.status != "draft":
        compared -= set(BINDING)  # locked: a running rehearsal clock's time moves on
    changed = sorted(k for k in compared if before.get(k) != data.get(k))
    if not changed:
        return []
    if call.status == "draft":
        call.model = session.get_one(ProcessModel, data["process_model"])
        call.version = version_of_choice(session, call.model, data.get("process_version"))
        _move_draft_clock(call, data.get("rehearsal_clock_start"))
    call.config = _settings_of(data)
    call.title = _english_title(call.config)
    call.updated_at = wall_now()
    record_event(
        session,
        actor=actor.username,
        kind="call_changed",
        summary=f"Changed the call {call.key}: {', '.join(changed)}"[:300],
        instance=call.instance,
        data={
            "call": call.key,
            "changes": {name: {"from": before.get(name), "to": data.get(name)} for name in changed},
        },
        clock_at=clock_now(call.clock),
    )
    session.flush()
    return changed


def _move_draft_clock(call: Call, start: str | None) -> None:
    call.clock.rehearsal = bool(start)
    if start:
        set_rehearsal_time(call.clock, datetime.fromisoformat(start))
    else:
        call.clock.anchor = call.clock.set_at = None


def delete_draft_call(session: Session, call: Call, actor: Actor) -> None:
    if call.status != "draft":
        raise CallRefused(_("Only a draft call can be deleted; archive a published one."))
    record_event(
        session,
        actor=actor.username,
        kind="call_deleted",
        summary=f"Deleted the draft call {call.key}",
        data={"call": call.key},
    )
    clock = call.clock
    session.delete(call)
    session.flush()
    session.delete(clock)
    session.flush()


# Copying


def copied_data(call: Call, years: int = 1) -> dict[str, Any]:
    """The settings of ``call`` for a new one: every date and time ``years`` years later (in
    Helsinki time, so 16:15 stays 16:15), years in the key and titles moved alike."""
    data = editor_data(call)
    for path in MOMENTS:
        for holder, key in _places(data, path):
            holder[key] = _shift_moment(holder[key], years)
    for path in DATES:
        for holder, key in _places(data, path):
            holder[key] = _shift_date(holder[key], years)
    data["key"] = _shift_years(data["key"], years)
    for name in ("title", "summary"):
        texts = data.get(name) or {}
        data[name] = {lang: _shift_years(text, years) for lang, text in texts.items()}
    if isinstance(data.get("webinar"), dict) and data["webinar"].get("title"):
        titles = data["webinar"]["title"]
        data["webinar"]["title"] = {lang: _shift_years(t, years) for lang, t in titles.items()}
    return data


_YEAR = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")


def _shift_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)


def _shift_moment(value: Any, years: int) -> Any:
    try:
        local = datetime.fromisoformat(value).astimezone(HELSINKI)
    except (TypeError, ValueError):
        return value
    local = _replace_year(local, local.year + years)
    return local.replace(tzinfo=None).replace(tzinfo=HELSINKI).astimezone(timezone.utc).isoformat()


def _shift_date(value: Any, years: int) -> Any:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    return _replace_year(day, day.year + years).isoformat()


def _replace_year(value: Any, year: int) -> Any:
    try:
        return value.replace(year=year)
    except ValueError:  # 29 February
        return value.replace(year=year, day=28)


# The life of a call


def publish_call(session: Session, call: Call, actor: Actor) -> None:
    """Open the call to applicants: its settings checked again, its call process started."""
    if call.status != "draft":
        raise CallRefused(_("Only a draft call can be published."))
    if call.kind != "rehearsal":
        errors = check_call(session, editor_data(call), call)
        if errors:
            raise SettingsRefused(errors)
    model = call.model
    version = call.version or current_version(session, model.id)
    if version is None:
        raise CallRefused(
            _("The process model “%(model)s” has no deployed version yet.", model=model.id)
        )
    if model.call_process:
        values = call_values(call.key, call.config)

        def link(instance: WorkflowInstance) -> None:
            call.instance = instance
            session.flush()

        start_instance(
            session,
            version,
            model.call_process,
            data=pick(model.call_start_data, values),
            clock=call.clock,
            group_key=call.key,
            correlation_key=f"call:{call.key}",
            actor=actor,
            on_created=link,
        )
    if call.clock.rehearsal and call.clock.anchor is not None:
        set_rehearsal_time(call.clock, call.clock.anchor)  # it starts now, where it was set
    call.status = "published"
    call.published_at = call.updated_at = wall_now()
    _record_status(session, call, actor, "call_published", f"Published the call {call.key}")


def _record_status(session: Session, call: Call, actor: Actor, kind: str, summary: str) -> None:
    record_event(
        session,
        actor=actor.username,
        kind=kind,
        summary=summary,
        instance=call.instance,
        data={"call": call.key, "status": call.status},
        clock_at=clock_now(call.clock),
    )
    session.flush()


STEPS = {
    "close": ("published", "closed", "call_closed", "Closed the call {key}"),
    "decide": ("closed", "decided", "call_decided", "Marked the call {key} decided"),
    "archive": ("decided", "archived", "call_archived", "Archived the call {key}"),
}


def change_status(session: Session, call: Call, step: str, actor: Actor) -> None:
    """Close a published call (no new cases), mark a closed one decided, archive a decided one."""
    before, after, kind, summary = STEPS[step]
    allowed = (before, "closed") if step == "archive" else (before,)
    if call.status not in allowed:
        raise CallRefused(_("The call is not in a state where this can be done."))
    call.status = after
    call.updated_at = wall_now()
    _record_status(session, call, actor, kind, summary.format(key=call.key))


def sync_call_status(session: Session, call: Call, actor: Actor) -> None:
    """What the clock and the call process say: a published call closes at its last deadline;
    a closed one is decided when its call process has ended."""
    if call.kind == "standing":
        return
    now = clock_now(call.clock)
    if call.status == "published" and call.last_deadline and now >= call.last_deadline:
        call.status = "closed"
        _record_status(session, call, actor, "call_closed", f"The call {call.key} closed")
    if call.status == "closed" and call.instance and call.instance.status == "completed":
        call.status = "decided"
        _record_status(session, call, actor, "call_decided", f"The call {call.key} is decided")


def setup_call(
    session: Session, data: dict[str, Any], *, actor: Actor, publish: bool = True
) -> tuple[Call, bool]:
    """Create (and publish) a call from a JSON file's settings; (call, created). A key already
    there is left as it is. Raises SettingsRefused naming every wrong field."""
    existing = session.scalar(select(Call).where(Call.key == data.get("key")))
    if existing is not None:
        return existing, False
    call = create_call(session, data, actor)
    if publish:
        publish_call(session, call, actor)
    return call, True


# The clock


def next_timer_at(session: Session, call: Call) -> datetime | None:
    return next_timer_due(session, call.clock_id)


def move_rehearsal_clock(session: Session, call: Call, moment: datetime) -> int:
    """Set the call's rehearsal time and run, in this transaction, what became due: timers and
    the messages they send; returns the number of steps. (The clock page commits the move
    first and runs the due work as the worker does: app.worker.run_due_work.)"""
    set_rehearsal_time(call.clock, moment)
    session.flush()
    advanced = 0
    while True:
        step = fire_due_timers(session, call.clock) + deliver_pending(session)
        advanced += step
        if step == 0:
            break
    sync_call_status(session, call, SYSTEM)
    return advanced
