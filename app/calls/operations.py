"""Writes on calls: set one up from its configuration, move its rehearsal clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.calls.models import BUNDLE, Call
from app.calls.schemas import load_call_config
from app.cases.operations import sync_changed_cases
from workflows import (
    Actor,
    current_version,
    fire_due_timers,
    set_rehearsal_time,
    start_instance,
    wall_now,
)
from workflows.models import Clock, ProcessVersion, Timer

CALL_PROCESS = "funding_call"
# The data the call process starts with (setup_call): the names its timers and scripts may read.
CALL_START_DATA = (
    "call_key",
    "idea_deadline",
    "application_deadline",
    "budget_total",
    "regional_city_reserve",
    "webinar",
)


def setup_call(
    session: Session,
    config: dict[str, Any],
    *,
    actor: Actor,
    version: ProcessVersion | None = None,
) -> tuple[Call, bool]:
    """Create the call and start its call process; (call, created). Same key twice: unchanged.

    The configuration is checked first (marshmallow's ValidationError names each bad field).
    A `version` pins the call (a rehearsal of a draft); otherwise it runs the current version.
    """
    config = load_call_config(config)
    existing = session.scalar(select(Call).where(Call.key == config["key"]))
    if existing is not None:
        return existing, False
    pinned = version
    version = version or current_version(session, BUNDLE)
    if version is None:
        raise ValueError("No process version is deployed.")
    clock = Clock(name=f"call:{config['key']}", rehearsal=bool(config.get("rehearsal_clock_start")))
    if clock.rehearsal:
        set_rehearsal_time(clock, datetime.fromisoformat(config["rehearsal_clock_start"]))
    title = config["title"]["en"] if isinstance(config["title"], dict) else config["title"]
    call = Call(
        key=config["key"],
        title=title,
        config=config,
        clock=clock,
        version=pinned,
        created_at=wall_now(),
    )
    session.add(call)
    session.flush()
    call.instance = start_instance(
        session,
        version,
        CALL_PROCESS,
        data={
            "call_key": call.key,
            "idea_deadline": config["idea_deadline"],
            "application_deadline": config["application_deadline"],
            "budget_total": config["budget_total"],
            "regional_city_reserve": config.get("regional_city_reserve", 0),
            "webinar": config["webinar"],
        },
        clock=clock,
        group_key=call.key,
        correlation_key=f"call:{call.key}",
        actor=actor,
    )
    return call, True


def next_timer_at(session: Session, call: Call) -> datetime | None:
    return session.scalar(select(func.min(Timer.due_at)).where(Timer.clock_id == call.clock_id))


def move_rehearsal_clock(session: Session, call: Call, moment: datetime) -> int:
    """Set the call's rehearsal time, fire what became due and sync the cases; returns the
    number of instances advanced."""
    set_rehearsal_time(call.clock, moment)
    session.flush()
    fired = 0
    while count := fire_due_timers(session, call.clock):
        fired += count
    sync_changed_cases(session, call)
    return fired
