"""Do an instance's indexes and audit log agree with its engine state? For tests after a storm
of concurrent requests, and for an operator who suspects they do not."""

from __future__ import annotations

from collections import Counter

from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.engine import load_workflow
from workflows.indexes import timer_due
from workflows.models import AuditEvent, HumanTask, MessageWait, Timer, WorkflowInstance


def disagreements(session: Session, instance: WorkflowInstance) -> list[str]:
    """Every way the instance's rows disagree with its workflow; [] when they agree."""
    workflow = load_workflow(instance)
    found = []
    ready = {str(t.id) for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    indexed = set(
        session.scalars(select(HumanTask.task_id).where(HumanTask.instance_id == instance.id))
    )
    if ready != indexed:
        found.append(f"ready tasks {sorted(ready)} but indexed {sorted(indexed)}")
    timers, waits = set(), set()
    for task in workflow.event_manager.tasks.values():
        definition = task.task_spec.event_definition
        if isinstance(definition, TimerEventDefinition) and timer_due(task) is not None:
            timers.add((definition.name or "", timer_due(task)))
        elif isinstance(definition, MessageEventDefinition):
            waits.add(definition.name)
    stored_timers = {
        tuple(row)
        for row in session.execute(
            select(Timer.name, Timer.due_at).where(Timer.instance_id == instance.id)
        )
    }
    if timers != stored_timers:
        found.append(f"timers {sorted(timers)} but stored {sorted(stored_timers)}")
    stored_waits = set(
        session.scalars(select(MessageWait.message).where(MessageWait.instance_id == instance.id))
    )
    if waits != stored_waits:
        found.append(f"waits for {sorted(waits)} but stored {sorted(stored_waits)}")
    status = "completed" if workflow.is_completed() else "running"
    if instance.status not in (status, "discarded"):
        found.append(f"the workflow is {status} but the instance says {instance.status}")
    completed = Counter(
        str(t.id) for t in workflow.get_tasks(state=TaskState.COMPLETED) if t.task_spec.manual
    )
    audited = Counter(
        session.scalars(
            select(AuditEvent.task_id).where(
                AuditEvent.instance_id == instance.id, AuditEvent.kind == "task_completed"
            )
        )
    )
    if completed != audited:
        found.append(f"completed tasks {dict(completed)} but audited {dict(audited)}")
    return found
