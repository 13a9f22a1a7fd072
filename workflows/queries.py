"""Read-only views of instances for the application: no SpiffWorkflow object leaves this layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflows import bundles
from workflows.engine import load_workflow
from workflows.errors import TaskAlreadyCompleted, TaskNotFound
from workflows.models import AuditEvent, Clock, HumanTask, Timer, WorkflowInstance

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


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
    next_timer: datetime | None = None
    completed_elements: list[str] = field(default_factory=list)
    ready_elements: list[str] = field(default_factory=list)
    waiting_elements: list[str] = field(default_factory=list)
    waiting_events: list[WaitingEvent] = field(default_factory=list)


def summarize(session: Session, instance: WorkflowInstance) -> InstanceSummary:
    workflow = load_workflow(instance)
    tasks = workflow.get_tasks()
    end = [t for t in tasks if t.state == TaskState.COMPLETED and isinstance(t.task_spec, EndEvent)]
    waiting = [
        t.task_spec.bpmn_name or t.task_spec.name
        for t in tasks
        if t.state == TaskState.WAITING
        and isinstance(t.task_spec, CatchingEvent)
        and t.task_spec.bpmn_name
    ]
    ready = [t.task_spec.bpmn_name or t.task_spec.name for t in tasks if t.state == TaskState.READY]
    active = [t for t in tasks if t.state in (TaskState.READY, TaskState.STARTED)]
    events = [_waiting_event(t) for t in tasks if t.state == TaskState.WAITING]
    finished = [t for t in tasks if t.state == TaskState.COMPLETED]
    latest = max(finished, key=lambda t: t.last_state_change, default=None)
    data = dict(latest.data) if latest is not None else dict(workflow.task_tree.data)
    next_timer = session.scalar(
        select(Timer.due_at).where(Timer.instance_id == instance.id).order_by(Timer.due_at)
    )
    return InstanceSummary(
        status=instance.status,
        end_event=end[-1].task_spec.bpmn_name if end else None,
        waiting_for=waiting,
        ready_tasks=ready,
        data=data,
        next_timer=next_timer,
        completed_elements=sorted({t.task_spec.bpmn_id for t in finished if t.task_spec.bpmn_id}),
        ready_elements=sorted({t.task_spec.bpmn_id for t in active if t.task_spec.bpmn_id}),
        waiting_elements=sorted({e.element_id for e in events if e is not None}),
        waiting_events=[e for e in events if e is not None],
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
        name=spec.bpmn_name or spec.bpmn_id,
        kind=kind,
        boundary=isinstance(spec, BoundaryEvent),
    )


@dataclass(frozen=True)
class DiagramMarks:
    """Element ids to colour on the diagram; an element is in one list only (active wins)."""

    completed: list[str]
    active: list[str]
    waiting: list[str]


def diagram_marks(summary: InstanceSummary) -> DiagramMarks:
    active = set(summary.ready_elements)
    waiting = set(summary.waiting_elements) - active
    completed = set(summary.completed_elements) - active - waiting
    return DiagramMarks(sorted(completed), sorted(active), sorted(waiting))


def diagram_xml(instance: WorkflowInstance) -> str:
    """The BPMN file of the instance's process version that defines the instance's process."""
    files = instance.version.files
    for name in sorted(files):
        if not name.endswith(".bpmn"):
            continue
        root = bundles.parse_xml(name, files[name])
        if root.find(f".//{{{BPMN_NS}}}process[@id='{instance.process_id}']") is not None:
            return str(files[name])
    raise LookupError(
        f"no BPMN file of version {instance.version_id} defines {instance.process_id}"
    )


def upcoming_timers(
    session: Session, clock: Clock, limit: int = 10
) -> list[tuple[str, datetime, int]]:
    """The next waiting timers on a clock: (name, due time, how many instances wait for it)."""
    rows = session.execute(
        select(Timer.name, Timer.due_at, func.count())
        .where(Timer.clock_id == clock.id)
        .group_by(Timer.name, Timer.due_at)
        .order_by(Timer.due_at, Timer.name)
        .limit(limit)
    ).all()
    return [(name, due_at, count) for name, due_at, count in rows]


@dataclass(frozen=True)
class TaskView:
    row: HumanTask
    data: dict[str, Any]
    instructions: str
    schema: dict[str, Any] | None
    ui_schema: dict[str, Any] | None


def task_view(session: Session, instance: WorkflowInstance, task_id: str) -> TaskView:
    """What the task page shows: the indexed row, the task data, the form and instructions."""
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    workflow = load_workflow(instance)
    task = next(
        (t for t in workflow.get_tasks(state=TaskState.READY) if str(t.id) == task_id), None
    )
    if task is None:
        raise TaskNotFound("There is no such task.")
    parsed = bundles.parsed(instance.version)
    spec = task.task_spec
    instructions = (spec.extensions or {}).get("instructionsForEndUser") or spec.documentation or ""
    return TaskView(
        row=row,
        data=dict(task.data),
        instructions=instructions,
        schema=parsed.form(row.form),
        ui_schema=parsed.form(row.ui_form),
    )


def timeline(session: Session, instance_ids: list[int]) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.instance_id.in_(instance_ids))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def form_schema(instance: WorkflowInstance, filename: str) -> dict[str, Any] | None:
    """A form file of the instance's process version (None when the version has no such form)."""
    return bundles.parsed(instance.version).form(filename)
