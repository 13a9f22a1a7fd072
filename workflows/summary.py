"""What an instance's workflow says about it, for the pages and the case's status columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState

from workflows import task_walk
from workflows.element_names import label_of
from workflows.models import AuditEvent, HumanTask


@dataclass(frozen=True)
class WaitingEvent:
    """A catch event the instance waits at: a message, a timer, or a task's boundary deadline."""

    element_id: str
    name: str
    kind: str  # "message", "timer" or "other"
    boundary: bool


@dataclass(frozen=True)
class InstanceSummary:
    status: str
    end_event: str | None
    waiting_for: list[str]
    ready_tasks: list[str]
    data: dict[str, Any]
    next_timer: datetime | None = None  # the next deadline or wait; reminders not counted
    completed_elements: list[str] = field(default_factory=list)
    ready_elements: list[str] = field(default_factory=list)
    waiting_elements: list[str] = field(default_factory=list)
    waiting_events: list[WaitingEvent] = field(default_factory=list)
    failed_elements: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """What one save of an instance changed, for those who keep things derived from it (a
    case's status, notices): its summary now, the human tasks that appeared, and the message
    events it received in this step."""

    summary: InstanceSummary
    new_tasks: list[HumanTask] = field(default_factory=list)
    received: list[AuditEvent] = field(default_factory=list)


def _side_paths(tasks: list[Any]) -> set[Any]:
    """The ids of the tasks on the path of a non-interrupting boundary event that fired (a
    reminder): its end event ends that path only, not the instance. ``tasks`` in tree order,
    each parent before its children."""
    side: set[Any] = set()
    for task in tasks:
        spec = task.task_spec
        fired_aside = (
            isinstance(spec, BoundaryEvent)
            and not spec.cancel_activity
            and task.state == TaskState.COMPLETED
        )
        if fired_aside or (task.parent is not None and task.parent.id in side):
            side.add(task.id)
    return side


def summary_of(workflow: BpmnWorkflow, status: str, next_timer: datetime | None) -> InstanceSummary:
    tasks = task_walk.tasks_in(workflow)
    side = _side_paths(tasks)
    end = [
        t
        for t in tasks
        if t.state == TaskState.COMPLETED and isinstance(t.task_spec, EndEvent) and t.id not in side
    ]
    waiting = [
        label_of(t.task_spec)
        for t in tasks
        if t.state == TaskState.WAITING
        and isinstance(t.task_spec, CatchingEvent)
        and t.task_spec.bpmn_id
    ]
    ready = [label_of(t.task_spec) for t in tasks if t.state == TaskState.READY]
    active = [t for t in tasks if t.state in (TaskState.READY, TaskState.STARTED)]
    events = [_waiting_event(t) for t in tasks if t.state == TaskState.WAITING]
    finished = [t for t in tasks if t.state == TaskState.COMPLETED]
    failed = [t for t in tasks if t.state == TaskState.ERROR and t.task_spec.bpmn_id]
    main = [t for t in finished if t.id not in side]
    latest = max(main or finished, key=lambda t: t.last_state_change, default=None)
    data = dict(latest.data) if latest is not None else dict(workflow.task_tree.data)
    return InstanceSummary(
        status=status,
        end_event=label_of(end[-1].task_spec) if end else None,
        waiting_for=waiting,
        ready_tasks=ready,
        data=data,
        next_timer=next_timer,
        completed_elements=sorted({t.task_spec.bpmn_id for t in finished if t.task_spec.bpmn_id}),
        ready_elements=sorted({t.task_spec.bpmn_id for t in active if t.task_spec.bpmn_id}),
        waiting_elements=sorted({e.element_id for e in events if e is not None}),
        waiting_events=[e for e in events if e is not None],
        failed_elements=sorted({t.task_spec.bpmn_id for t in failed}),
    )


def _waiting_event(task: Any) -> WaitingEvent | None:
    spec = task.task_spec
    if not isinstance(spec, CatchingEvent) or not spec.bpmn_id:
        return None
    definition = spec.event_definition
    kind = (
        "message"
        if isinstance(definition, MessageEventDefinition)
        else "timer"
        if isinstance(definition, TimerEventDefinition)
        else "other"
    )
    return WaitingEvent(
        element_id=spec.bpmn_id,
        name=label_of(spec),
        kind=kind,
        boundary=isinstance(spec, BoundaryEvent),
    )
