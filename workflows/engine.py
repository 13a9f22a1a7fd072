"""Start instances, complete human tasks, fire timers and route messages, with persistence.

Every public function works inside the caller's transaction: it loads the instance, runs the
engine on the instance's clock, and writes the new state, the human-task index, the timers,
the message waits, the audit events and the outbox. It flushes and never commits. If an
automatic step fails, ``EngineStepFailed`` is raised and the caller rolls back: nothing of the
user's action is kept, and the case stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workflows import bundles
from workflows.audit import record_event
from workflows.clock import clock_now, running_on, wall_now
from workflows.errors import (
    DeadlinePassed,
    EngineStepFailed,
    InstanceChanged,
    NotAllowed,
    TaskAlreadyCompleted,
    TaskNotFound,
)
from workflows.models import Clock, HumanTask, MessageWait, ProcessVersion, Timer, WorkflowInstance
from workflows.serializer import dump_state, load_state
from workflows.services import SCRIPT_ENGINE, SYSTEM, Actor, serving

# Called with every workflow saved; the test suite uses it to measure flow coverage.
observers: list[Callable[[str, BpmnWorkflow], None]] = []


def start_instance(
    session: Session,
    version: ProcessVersion,
    process_id: str,
    *,
    data: dict[str, Any],
    clock: Clock,
    group_key: str,
    correlation_key: str,
    actor: Actor,
) -> WorkflowInstance:
    spec, subprocess_specs = bundles.parsed(version).specs[process_id]
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)
    workflow.task_tree.data.update(data)
    now = wall_now()
    instance = WorkflowInstance(
        version=version,
        process_id=process_id,
        clock=clock,
        group_key=group_key,
        correlation_key=correlation_key,
        state={},
        status="running",
        created_at=now,
        updated_at=now,
    )
    session.add(instance)
    session.flush()
    record_event(
        session,
        actor=actor.username,
        kind="started",
        instance=instance,
        summary=f"Started {spec.description or process_id}",
        clock_at=clock_now(clock),
    )
    _advance(session, instance, workflow, actor)
    return instance


def load_workflow(instance: WorkflowInstance) -> BpmnWorkflow:
    spec, subprocess_specs = bundles.parsed(instance.version).specs[instance.process_id]
    workflow = load_state(instance.state, spec, subprocess_specs)
    workflow.script_engine = SCRIPT_ENGINE
    return workflow


def lock_instance(session: Session, instance_id: int) -> WorkflowInstance:
    """Load an instance for change: lock its row where the database can, and claim it."""
    instance = session.scalar(
        select(WorkflowInstance)
        .where(WorkflowInstance.id == instance_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if instance is None:
        raise TaskNotFound("There is no such case.")
    instance.updated_at = wall_now()
    try:  # bump the version counter now: of two racing changes, the later one stops here
        session.flush()
    except StaleDataError:
        raise InstanceChanged() from None
    return instance


def may_act(actor: Actor, task: HumanTask) -> bool:
    """The assignee alone may act on an assigned task; otherwise anyone in its group."""
    if task.assignee:
        return task.assignee == actor.username
    return task.candidate_group is not None and task.candidate_group in actor.roles


def complete_task(
    session: Session, instance_id: int, task_id: str, data: dict[str, Any], *, actor: Actor
) -> WorkflowInstance:
    """Complete a READY human task with sanitized form data, if ``actor`` may act on it."""
    try:
        instance = lock_instance(session, instance_id)
    except InstanceChanged:
        raise TaskAlreadyCompleted() from None
    indexed = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    workflow = load_workflow(instance)
    task = _find_task(workflow, task_id)
    if indexed is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskAlreadyCompleted()
    if not may_act(actor, indexed):
        raise NotAllowed("You may not act on this task.")
    now = clock_now(instance.clock)
    deadline = deadline_of(task)
    if deadline is not None and now >= deadline:
        raise DeadlinePassed(deadline)
    with running_on(instance.clock), serving(session, instance, actor, lambda: now):
        try:
            task.task_spec.add_data_from_form(task, data)
            task.run()
        except SpiffWorkflowException as err:
            raise EngineStepFailed(str(err)) from err
    record_event(
        session,
        actor=actor.username,
        kind="task_completed",
        instance=instance,
        task_id=task_id,
        summary=f"Completed “{task.task_spec.bpmn_name}”",
        data=data,
        clock_at=now,
    )
    _advance(session, instance, workflow, actor)
    return instance


def fire_due_timers(session: Session, clock: Clock, *, limit: int = 100) -> int:
    """Advance every instance on ``clock`` with a timer now due; returns how many instances."""
    now = clock_now(clock)
    due = session.scalars(
        select(Timer.instance_id)
        .where(Timer.clock_id == clock.id, Timer.due_at < now)
        .order_by(Timer.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    fired = 0
    for instance_id in dict.fromkeys(due):
        instance = lock_instance(session, instance_id)
        workflow = load_workflow(instance)
        with running_on(instance.clock), serving(session, instance, SYSTEM, lambda: now):
            workflow.refresh_timers()
        _advance(session, instance, workflow, SYSTEM)
        fired += 1
    return fired


def _find_task(workflow: BpmnWorkflow, task_id: str) -> Task:
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except (ValueError, SpiffWorkflowException):
        task = None
    if task is None:
        raise TaskNotFound("There is no such task.")
    return task


def _timer_due(task: Task) -> datetime | None:
    value = task.task_spec.event_definition.details(task).value
    if not isinstance(value, str):
        return None
    return TimerEventDefinition.get_datetime(value)


def deadline_of(task: Task) -> datetime | None:
    """The due time of an interrupting timer on the boundary of ``task``, if any."""
    parent = task.parent
    if parent is None or not isinstance(parent.task_spec, BoundaryEventSplit):
        return None
    dues = [
        _timer_due(sibling)
        for sibling in parent.children
        if isinstance(sibling.task_spec, BoundaryEvent)
        and sibling.task_spec.cancel_activity
        and isinstance(sibling.task_spec.event_definition, TimerEventDefinition)
        and sibling.state == TaskState.WAITING
    ]
    return min((due for due in dues if due is not None), default=None)


def _advance(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow, actor: Actor
) -> None:
    """Run automatic steps, save, then deliver the messages the instance threw."""
    with (
        running_on(instance.clock),
        serving(session, instance, actor, lambda: clock_now(instance.clock)),
    ):
        try:
            workflow.do_engine_steps()
        except SpiffWorkflowException as err:
            raise EngineStepFailed(str(err)) from err
    events = workflow.get_events()
    _save(session, instance, workflow)
    for event in events:
        _route(session, instance, event)


def advance_instance(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow, actor: Actor
) -> None:
    """Settle a workflow changed outside this module (a migration): run, save, index, route."""
    _advance(session, instance, workflow, actor)


def _save(session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow) -> None:
    instance.state = dump_state(workflow)
    instance.status = "completed" if workflow.is_completed() else "running"
    instance.updated_at = wall_now()
    _index_human_tasks(session, instance, workflow)
    _index_waiting_events(session, instance, workflow)
    try:
        session.flush()
    except StaleDataError:
        raise InstanceChanged() from None
    for observe in observers:
        observe(instance.process_id, workflow)


def _assignee(task: Task) -> str | None:
    """A multi-instance child belongs to the user named by its input item (e.g. an evaluator)."""
    parent_spec = task.parent.task_spec if task.parent else None
    item = getattr(parent_spec, "input_item", None)
    value = task.data.get(item.bpmn_id) if item is not None else None
    return value if isinstance(value, str) else None


def _index_human_tasks(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow
) -> None:
    existing = {
        row.task_id: row
        for row in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    }
    ready = workflow.get_tasks(state=TaskState.READY, manual=True)
    for task in ready:
        task_id = str(task.id)
        if task_id in existing:
            existing.pop(task_id)
            continue
        spec = task.task_spec
        properties = (spec.extensions or {}).get("properties", {})
        session.add(
            HumanTask(
                instance_id=instance.id,
                task_id=task_id,
                spec_name=spec.bpmn_id or spec.name,
                title=spec.bpmn_name or spec.name,
                lane=spec.lane,
                candidate_group=bundles.lane_role(spec.lane),
                assignee=_assignee(task),
                form=properties.get("formJsonSchemaFilename"),
                ui_form=properties.get("formUiSchemaFilename"),
                due_at=deadline_of(task),
                created_at=wall_now(),
            )
        )
    for row in existing.values():
        session.delete(row)


def _index_waiting_events(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow
) -> None:
    session.execute(delete(Timer).where(Timer.instance_id == instance.id))
    session.execute(delete(MessageWait).where(MessageWait.instance_id == instance.id))
    messages = set()
    for task in workflow.event_manager.tasks.values():
        definition = task.task_spec.event_definition
        if isinstance(definition, TimerEventDefinition):
            due = _timer_due(task)
            if due is not None:
                session.add(
                    Timer(
                        instance_id=instance.id,
                        clock_id=instance.clock_id,
                        name=definition.name or "",
                        due_at=due,
                    )
                )
        elif isinstance(definition, MessageEventDefinition):
            messages.add(definition.name)
    session.add_all(MessageWait(instance_id=instance.id, message=name) for name in sorted(messages))


def _correlated_key(correlations: dict[str, Any]) -> str | None:
    """The value of a ``case_key`` correlation property, wherever the event carries it."""
    for key, value in correlations.items():
        if isinstance(value, dict):
            found = _correlated_key(value)
            if found is not None:
                return found
        elif key == "case_key":
            return str(value)
    return None


def _route(session: Session, source: WorkflowInstance, event: BpmnEvent) -> None:
    """Deliver a thrown message to the instances of the same group that wait for it."""
    name = event.event_definition.name
    query = (
        select(WorkflowInstance)
        .join(MessageWait, MessageWait.instance_id == WorkflowInstance.id)
        .where(
            WorkflowInstance.group_key == source.group_key,
            WorkflowInstance.id != source.id,
            MessageWait.message == name,
        )
        .order_by(WorkflowInstance.id)
    )
    target_key = _correlated_key(event.correlations)
    if target_key is not None:
        query = query.where(WorkflowInstance.correlation_key == target_key)
    targets = session.scalars(query).all()
    record_event(
        session,
        actor=SYSTEM.username,
        kind="message_sent",
        instance=source,
        summary=f"Sent the {name.replace('_', ' ')} to {len(targets)} instance(s)",
        data={"message": name, "to": [t.correlation_key for t in targets]},
        clock_at=clock_now(source.clock),
    )
    for target in targets:
        deliver_message(session, target, event)


def deliver_message(session: Session, target: WorkflowInstance, event: BpmnEvent) -> None:
    workflow = load_workflow(target)
    with (
        running_on(target.clock),
        serving(session, target, SYSTEM, lambda: clock_now(target.clock)),
    ):
        try:
            workflow.send_event(event)
        except SpiffWorkflowException as err:
            raise EngineStepFailed(str(err)) from err
    record_event(
        session,
        actor=SYSTEM.username,
        kind="message_received",
        instance=target,
        summary=f"Received the {event.event_definition.name.replace('_', ' ')}",
        data={"message": event.event_definition.name},
        clock_at=clock_now(target.clock),
    )
    _advance(session, target, workflow, SYSTEM)
