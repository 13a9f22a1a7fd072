"""One clock for every "now": real time, or a call's rehearsal time.

SpiffWorkflow reads ``datetime.now(timezone.utc)`` inside its timer module and offers no clock
hook. At import of the engine layer we rebind that module's ``datetime`` name, once, to a
subclass whose ``now()`` asks the clock of the instance being run. The clock is held in a
ContextVar, so threads and requests never see each other's clock. Outside ``running_on`` the
subclass behaves exactly like ``datetime``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.specs.event_definitions import timer as spiff_timer

from workflows.models import Clock

_current_now: ContextVar[Callable[[], datetime] | None] = ContextVar("current_now", default=None)


class _ClockedDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        provider = _current_now.get()
        if provider is None:
            return datetime.now(tz)
        return provider().astimezone(tz or timezone.utc)


spiff_timer.datetime = _ClockedDatetime


def wall_now() -> datetime:
    return datetime.now(timezone.utc)


def clock_now(clock: Clock) -> datetime:
    """The current time on ``clock``, in UTC."""
    return clock_at(clock, wall_now())


def clock_at(clock: Clock, wall: datetime) -> datetime:
    """The time ``clock`` showed at the wall-clock moment ``wall`` (a request's arrival)."""
    if not clock.rehearsal:
        return wall
    assert clock.anchor is not None and clock.set_at is not None
    return clock.anchor + (wall - clock.set_at)


def set_rehearsal_time(clock: Clock, moment: datetime) -> None:
    """Move a rehearsal clock to ``moment``; it runs on at wall speed from there."""
    if not clock.rehearsal:
        raise ValueError(f"clock {clock.name!r} runs on real time and cannot be moved")
    if moment.tzinfo is None:
        raise ValueError("the moment needs a time zone")
    clock.anchor = moment.astimezone(timezone.utc)
    clock.set_at = wall_now()


@contextmanager
def running_on(clock: Clock, lag: timedelta = timedelta(0)) -> Iterator[None]:
    """Make the engine's timers read ``clock`` (``lag`` behind it) while the block runs."""
    token = _current_now.set(lambda: clock_now(clock) - lag)
    try:
        yield
    finally:
        _current_now.reset(token)
