"""Which boundary timer set a step off, as a service task on the timer's path asks.

A reminder's path knows the task it reminds of (the task the timer is attached to) and whether
a later timer of that task is due at the same moment: a clock moved past two reminders at once
(a rehearsal's jump, a worker stopped for days) fires both in one step, and only the latest
of them needs to speak. The timers stay the process file's: which ones a task has, and when
they fall, is the process owner's choice.
"""

from __future__ import annotations

from datetime import datetime

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.task import Task


def boundary_timer_of(task: Task) -> Task | None:
    """The boundary timer event that set ``task`` off: back over the automatic steps before
    it (gateways, scripts, services). None when a person's task or another event (a message)
    comes first."""
    ancestor = task.parent
    while ancestor is not None:
        spec = ancestor.task_spec
        if isinstance(spec, BoundaryEvent):
            if not isinstance(spec.event_definition, TimerEventDefinition) or not ancestor.parent:
                return None
            return ancestor
        if spec.manual or isinstance(spec, CatchingEvent):
            return None
        ancestor = ancestor.parent
    return None


def timer_attached_to(task: Task) -> str | None:
    """The id of the task whose boundary timer set ``task`` off (see boundary_timer_of)."""
    timer = boundary_timer_of(task)
    if timer is None or timer.parent is None:
        return None
    attached = [
        sibling
        for sibling in timer.parent.children
        if not isinstance(sibling.task_spec, BoundaryEvent)
    ]
    return str(attached[0].id) if attached else None


def later_timer_due(task: Task, now: datetime) -> bool:
    """Whether the task that set ``task`` off's timer is attached to has another boundary timer
    that falls later than that one and is due at ``now`` as well (fired in the same step)."""
    timer = boundary_timer_of(task)
    if timer is None or timer.parent is None:
        return False
    own = due_at(timer)
    if own is None:
        return False
    for sibling in timer.parent.children:
        if sibling is timer or not isinstance(sibling.task_spec, BoundaryEvent):
            continue
        other = due_at(sibling)
        if other is not None and own < other < now:
            return True
    return False


def due_at(timer: Task) -> datetime | None:
    """When a boundary timer (a date or a duration) falls, once the engine has armed it."""
    definition = getattr(timer.task_spec, "event_definition", None)
    value = timer._get_internal_data("event_value")
    if not isinstance(value, str):
        return None
    if isinstance(definition, TimeDateEventDefinition):
        moment = TimerEventDefinition.parse_time_or_duration(value)
        return moment if isinstance(moment, datetime) else None
    if isinstance(definition, DurationTimerEventDefinition):
        return TimerEventDefinition.get_datetime(value)
    return None
