"""Read-only views of instances for the application: no SpiffWorkflow object leaves this layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.mixins.events.end_event import EndEvent
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows import bundles
from workflows.engine import load_workflow
from workflows.errors import TaskAlreadyCompleted, TaskNotFound
from workflows.models import AuditEvent, HumanTask, Timer, WorkflowInstance


@dataclass(frozen=True)
class InstanceSummary:
    status: str
    end_event: str | None
    waiting_for: list[str]
    ready_tasks: list[str]
    data: dict[str, Any]
    next_timer: datetime | None = None
    completed_elements: list[str] = field(default_factory=list)


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
    )


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
