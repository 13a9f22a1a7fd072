"""Start instances, complete human tasks, fire timers and deliver messages, with persistence.

Every public function works inside the caller's transaction: it locks the instance, runs the
engine on the instance's clock, and writes the new state, the human-task index, the timers,
the message waits, the audit events and the outbox. It flushes and never commits.

Lock order, everywhere: an instance's row first (``lock_instance``), then its own rows (tasks,
timers, waits, drafts). Timer and message jobs take an instance with SKIP LOCKED, so a job
never waits behind a request and a request never waits behind a job's other instances.

When an automatic step fails (a script, a service operator, a DMN table), nothing the person
did is lost: the steps before it stay done, the failing task stays in error and an incident
opens (workflows/incidents.py), to be retried after a fix or resolved. Only an error of the
person's own task (its form data or its scripts) refuses the action (``EngineStepFailed``).

A thrown message is kept (``messages``) and delivered to every instance of its group that
waits for it, now or later (``message_deliveries``; the worker delivers a batch of them to a
transaction, workflows/delivery_batches.py): an instance that starts waiting after the message
was sent still gets it, once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException, WorkflowException
from SpiffWorkflow.spiff.specs.event_definitions import (
    MessageEventDefinition as SpiffMessageEventDefinition,
)
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from workflows import bundles
from workflows.audit import record_event
from workflows.clock import clock_at, clock_now, running_on, wall_now
from workflows.element_names import label_of
from workflows.errors import (
    DeadlinePassed,
    EngineStepFailed,
    InstanceChanged,
    NotAllowed,
    TaskAlreadyCompleted,
    TaskNotFound,
)
from workflows.indexes import deadline_of, forget, fresh, next_deadline, remember, save_indexes
from workflows.messages import claim_kept_messages, keep_thrown, pending_deliveries
from workflows.models import (
    AuditEvent,
    Clock,
    HumanTask,
    MessageDelivery,
    MessageStart,
    MessageWait,
    ProcessVersion,
    ThrownMessage,
    Timer,
    WorkflowInstance,
)
from workflows.rows import update_now
from workflows.serializer import dump_state, load_state
from workflows.services import SCRIPT_ENGINE, SYSTEM, Actor, serving
from workflows.summary import Change, summary_of
from workflows.task_data import fail_if_oversized, oversize_message
from workflows.task_view import TaskView, view_of
from workflows.task_walk import run_automatic_steps

# Called with every workflow saved; the test suite uses it to measure flow coverage.
observers: list[Callable[[str, BpmnWorkflow], None]] = []
# Called in the same transaction with every instance saved and what it now says: the
# application keeps what it derives from engine state (a case's status, notices) up to date
# for exactly the instances a step changed.
after_save: list[Callable[[Session, WorkflowInstance, Change], None]] = []


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
    on_created: Callable[[WorkflowInstance], None] | None = None,
    message: ThrownMessage | None = None,
) -> WorkflowInstance:
    """Start ``process_id`` of ``version``. ``on_created`` is called with the new instance
    (stored, not yet run), so that what owns it can link itself before the first save.
    ``message``: the kept message its message start event catches (start_by_message)."""
    spec, subprocess_specs = bundles.parsed(version).specs[process_id]
    workflow = fresh(BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE))
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
    if on_created is not None:
        on_created(instance)
    record_event(
        session,
        actor=actor.username,
        kind="started",
        instance=instance,
        summary=f"Started {spec.description or process_id}",
        clock_at=clock_now(clock),
    )
    if message is not None:  # its start event catches it before the first save
        event = BpmnEvent(
            SpiffMessageEventDefinition(message.name), message.payload, message.correlations
        )
        with running_on(clock), serving(session, instance, actor, lambda: clock_now(clock)):
            run_automatic_steps(workflow)
            workflow.send_event(event)
    _advance(session, instance, workflow, actor)
    return instance


@dataclass(frozen=True)
class Opening:
    """Where a new case's instance runs, as the application that owns the case says: what
    start_instance needs. ``on_created`` links the instance to the case before its first save."""

    version: ProcessVersion
    process_id: str
    data: dict[str, Any]
    clock: Clock
    group_key: str
    correlation_key: str
    on_created: Callable[[WorkflowInstance], None]


def open_case(
    session: Session, opening: Opening, actor: Actor, message: ThrownMessage | None = None
) -> WorkflowInstance:
    return start_instance(
        session,
        opening.version,
        opening.process_id,
        data=opening.data,
        clock=opening.clock,
        group_key=opening.group_key,
        correlation_key=opening.correlation_key,
        actor=actor,
        on_created=opening.on_created,
        message=message,
    )


# The application's way to open a case of a model for a message its case process starts on:
# given the model's id, the case opened (its Opening), or None when the model takes no new cases.
message_case_opener: list[Callable[[Session, str], Opening | None]] = []


def start_by_message(session: Session, start_id: int) -> bool:
    """Start the case a thrown message starts (MessageStart), once; True when it is done with
    (started, or the model takes no new cases)."""
    if not message_case_opener:
        return False
    # Claimed by one conditional UPDATE: of two jobs on the same start (two workers, or the
    # request's inline pass and the worker), one opens the case and the other finds it taken.
    claimed = session.execute(
        update(MessageStart)
        .where(MessageStart.id == start_id, MessageStart.status == "pending")
        .values(status="starting")
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return False
    start = session.get_one(MessageStart, start_id, populate_existing=True)
    opening = message_case_opener[0](session, start.model_id)
    instance = open_case(session, opening, SYSTEM, start.message) if opening else None
    start.status = "started" if instance is not None else "skipped"
    start.instance_id = instance.id if instance is not None else None
    start.done_at = wall_now()
    session.flush()
    return True


def load_workflow(instance: WorkflowInstance) -> BpmnWorkflow:
    spec, subprocess_specs = bundles.parsed_of(instance).specs[instance.process_id]
    workflow = load_state(instance.state, spec, subprocess_specs)
    workflow.script_engine = SCRIPT_ENGINE
    return workflow


# Built once (a statement costs more to build than to run again): a request's claim of an
# instance, and the index row of the task it completes.
_CLAIM = (
    update(WorkflowInstance)
    .where(WorkflowInstance.id == bindparam("instance_id"))
    .values(lock_version=WorkflowInstance.lock_version + 1, updated_at=bindparam("now"))
    .returning(WorkflowInstance)
    .execution_options(populate_existing=True, synchronize_session=False)
)
_INDEXED = select(HumanTask).where(
    HumanTask.instance_id == bindparam("instance_id"), HumanTask.task_id == bindparam("task_id")
)


def lock_instance(
    session: Session, instance_id: int, *, skip_locked: bool = False, claim: bool = True
) -> WorkflowInstance:
    """Load an instance for change: lock its row where the database can, and (``claim``) bump
    its version at once, so that a change prepared on an older read stops at its save. A
    request's claim is one statement (UPDATE … RETURNING: the row lock, the bump and the load).
    With ``skip_locked`` an instance someone else holds raises InstanceChanged without waiting."""
    if claim and not skip_locked:
        claimed = session.scalar(_CLAIM, {"instance_id": instance_id, "now": wall_now()})
        if claimed is None:
            raise TaskNotFound("There is no such case.")
        return claimed
    instance = session.scalar(
        select(WorkflowInstance)
        .where(WorkflowInstance.id == instance_id)
        .with_for_update(skip_locked=skip_locked)
        .execution_options(populate_existing=True)
    )
    if instance is None:
        if skip_locked and session.get(WorkflowInstance, instance_id) is not None:
            raise InstanceChanged()
        raise TaskNotFound("There is no such case.")
    if claim:
        instance.updated_at = wall_now()
        try:
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
    session: Session,
    instance_id: int,
    task_id: str,
    data: dict[str, Any] | None = None,
    *,
    actor: Actor,
    arrived_at: datetime | None = None,
    prepare: Callable[[TaskView], dict[str, Any]] | None = None,
) -> WorkflowInstance:
    """Complete a READY human task with sanitized form data, if ``actor`` may act on it.

    ``arrived_at`` (wall clock) is when the person's request arrived: the deadline is judged
    at that moment on the instance's clock, however long the request waited to get here, and
    the steps it sets off (a registry's receipt) see that moment as now.

    ``prepare``, when given, turns what the task shows (its TaskView, from the workflow loaded
    for the completion) into the data to complete it with, or raises: the caller's own checks
    of the form run on the locked instance, and the workflow is deserialized once.
    """
    instance = lock_instance(session, instance_id)
    indexed = session.scalar(_INDEXED, {"instance_id": instance.id, "task_id": task_id})
    workflow = remember(load_workflow(instance))
    task = _find_task(workflow, task_id)
    if indexed is None or task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskAlreadyCompleted()
    if not may_act(actor, indexed):
        raise NotAllowed("You may not act on this task.")
    now = clock_at(instance.clock, arrived_at) if arrived_at else clock_now(instance.clock)
    deadline = deadline_of(task)
    if deadline is not None and now >= deadline:
        raise DeadlinePassed(deadline)
    if prepare is not None:
        data = prepare(view_of(instance, indexed, task))
    # A manual or plain task takes no data: it is done with a button (see bundles.needs_form).
    with_form = bundles.needs_form(task.task_spec)
    data = (data or {}) if with_form else {}
    with running_on(instance.clock), serving(session, instance, actor, lambda: now):
        try:
            if with_form:
                task.task_spec.add_data_from_form(task, data)
            task.run()
        except SpiffWorkflowException as err:
            raise EngineStepFailed(str(err)) from err
    oversized = oversize_message(task)
    if oversized is not None:
        raise EngineStepFailed(f"Nothing was saved: {oversized}.")
    record_event(
        session,
        actor=actor.username,
        kind="task_completed",
        instance=instance,
        task_id=task_id,
        summary=f"Completed “{label_of(task.task_spec)}”",
        data=data,
        clock_at=now,
    )
    _advance(session, instance, workflow, actor, now=lambda: now, sent=data)
    return instance


def due_instances(session: Session, clock: Clock, *, limit: int, grace: timedelta) -> list[int]:
    """Instances on ``clock`` with a timer due more than ``grace`` ago, most overdue first.

    Read without locks: each is locked (instance first) when it is fired."""
    cutoff = clock_now(clock) - grace
    return list(
        session.scalars(
            select(Timer.instance_id)
            .where(Timer.clock_id == clock.id, Timer.due_at < cutoff)
            .group_by(Timer.instance_id)
            .order_by(func.min(Timer.due_at), Timer.instance_id)
            .limit(limit)
        )
    )


def fire_timers_of(session: Session, instance_id: int, *, grace: timedelta = timedelta(0)) -> bool:
    """Fire the timers of one instance due more than ``grace`` ago on its clock; False when
    another transaction holds the instance (a request sending a form: it goes first)."""
    try:
        instance = lock_instance(session, instance_id, skip_locked=True)
    except (InstanceChanged, TaskNotFound):
        return False
    timers = session.execute(
        select(Timer.name, Timer.due_at).where(Timer.instance_id == instance.id).order_by(Timer.id)
    )
    return fire_locked(session, instance, [(name, due) for name, due in timers], grace=grace)


def fire_locked(
    session: Session,
    instance: WorkflowInstance,
    timers: Sequence[tuple[str, datetime]],
    *,
    grace: timedelta,
) -> bool:
    """Fire those of ``timers`` (the instance's waiting timers as indexed: name, due time) due
    more than ``grace`` ago on its clock, on an instance this transaction has locked; False
    when none is due (workflows/timer_batches.py fires many instances in one transaction)."""
    cutoff = clock_now(instance.clock) - grace
    due = [(name, due_at) for name, due_at in timers if due_at < cutoff]
    if not due or instance.status != "running":
        return False
    workflow = remember(load_workflow(instance))
    with running_on(instance.clock, lag=grace), serving(session, instance, SYSTEM, lambda: cutoff):
        workflow.refresh_timers()
    for name, due_at in due:
        record_event(
            session,
            actor=SYSTEM.username,
            kind="timer_fired",
            instance=instance,
            summary=f"Timer “{name}” fired",
            data={"timer": name, "due_at": due_at.isoformat()},
            clock_at=cutoff,
            later=True,
        )
    _advance(session, instance, workflow, SYSTEM)
    return True


def fire_due_timers(
    session: Session, clock: Clock, *, limit: int = 100, grace: timedelta = timedelta(0)
) -> int:
    """Fire the due timers of up to ``limit`` instances on ``clock``, in this transaction;
    returns how many instances advanced. Jobs that commit per instance use fire_timers_of."""
    fired = 0
    for instance_id in due_instances(session, clock, limit=limit, grace=grace):
        fired += fire_timers_of(session, instance_id, grace=grace)
    return fired


def _find_task(workflow: BpmnWorkflow, task_id: str) -> Task:
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except (ValueError, SpiffWorkflowException):
        task = None
    if task is None:
        raise TaskNotFound("There is no such task.")
    return task


def _is_service(task: Task) -> bool:
    return getattr(task.task_spec, "operation_name", None) is not None


class StepFailed(Exception):
    """An automatic step failed under ``steps_in_one_savepoint``: the caller rolls its
    savepoint back and runs the instance again without it, when the failure opens its incident."""


_one_savepoint: ContextVar[bool] = ContextVar("steps_in_one_savepoint", default=False)


@contextmanager
def steps_in_one_savepoint() -> Iterator[None]:
    """For a caller that holds one savepoint around all the block does (a batch of timers or
    deliveries, workflows/batches.py): service tasks run without a savepoint each, and a step that
    fails raises StepFailed instead of opening an incident."""
    token = _one_savepoint.set(True)
    try:
        yield
    finally:
        _one_savepoint.reset(token)


def _run_engine_steps(session: Session, workflow: BpmnWorkflow) -> Exception | None:
    """Run the automatic steps. A service task's writes are in a savepoint of their own: when
    it fails, they are undone, and the steps before it stay. A step that leaves more task data
    than the limit fails too (workflows/task_data.py). Returns the failure, if any."""
    savepoints: list[Any] = []
    own_savepoints = not _one_savepoint.get()
    fitted: set[Any] = set()

    def will_run(task: Task) -> None:
        if own_savepoints and _is_service(task):
            savepoints.append(session.begin_nested())

    def did_run(task: Task) -> None:
        fail_if_oversized(task, fitted)
        if _is_service(task) and savepoints:
            savepoints.pop().commit()

    try:
        run_automatic_steps(workflow, will_run, did_run)
    except SpiffWorkflowException as err:
        if not own_savepoints:
            raise StepFailed(str(err)) from err
        while savepoints:
            savepoints.pop().rollback()
        return err
    return None


def _advance(
    session: Session,
    instance: WorkflowInstance,
    workflow: BpmnWorkflow,
    actor: Actor,
    *,
    now: Callable[[], datetime] | None = None,
    received: Sequence[AuditEvent] = (),
    sent: dict[str, Any] | None = None,
) -> None:
    """Run automatic steps, save, open an incident if a step failed, and keep the messages
    the instance threw for their receivers. ``sent``: the form a person just sent."""
    with (
        running_on(instance.clock),
        serving(session, instance, actor, now or (lambda: clock_now(instance.clock)), sent),
    ):
        failure = _run_engine_steps(session, workflow)
    events = workflow.get_events()
    _save(session, instance, workflow, received)
    if failure is not None:
        from workflows.incidents import open_incident

        open_incident(session, instance, workflow, failure)
    for event in events:
        keep_thrown(session, instance, event)


def advance_instance(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow, actor: Actor
) -> None:
    """Settle a workflow changed outside this module (a migration, a retry): run, save, index,
    keep its messages."""
    forget(workflow)
    _advance(session, instance, workflow, actor)


def _save(
    session: Session,
    instance: WorkflowInstance,
    workflow: BpmnWorkflow,
    received: Sequence[AuditEvent] = (),
) -> None:
    was = instance.status
    written = update_now(
        session,
        instance,
        {
            "state": dump_state(workflow),
            "status": "completed" if workflow.is_completed() else "running",
            "updated_at": wall_now(),
        },
    )
    if not written:
        raise InstanceChanged()
    saved = save_indexes(session, instance, workflow)
    try:
        session.flush()  # what else the step added (timers, waits, incidents, messages)
    except StaleDataError:
        raise InstanceChanged() from None
    if saved.new_waits:
        claim_kept_messages(session, instance)
    if instance.status == "completed" and was != "completed":
        record_event(
            session,
            actor=SYSTEM.username,
            kind="instance_completed",
            instance=instance,
            summary="The process ended",
            clock_at=clock_now(instance.clock),
            later=True,
        )
    for observe in observers:
        observe(instance.process_id, workflow)
    if after_save:
        change = Change(
            summary=summary_of(workflow, instance.status, next_deadline(workflow)),
            new_tasks=saved.new_tasks,
            received=list(received),
        )
        for hook in after_save:
            hook(session, instance, change)


def deliver(session: Session, delivery_id: int) -> bool:
    """Deliver one planned message to its instance (locked first, skipped when busy); True
    when it is done with (delivered, or the instance no longer waits for it)."""
    planned = session.get(MessageDelivery, delivery_id)
    if planned is None or planned.status != "pending":
        return False
    try:
        instance = lock_instance(session, planned.instance_id, skip_locked=True)
    except (InstanceChanged, TaskNotFound):
        return False
    delivery = session.scalar(
        select(MessageDelivery)
        .where(MessageDelivery.id == delivery_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if delivery is None or delivery.status != "pending":
        return False
    return deliver_locked(session, instance, delivery)


def deliver_locked(
    session: Session,
    instance: WorkflowInstance,
    delivery: MessageDelivery,
    *,
    waiting: bool | None = None,
) -> bool:
    """Deliver a pending delivery, its row locked, to its instance, which this transaction has
    locked (workflows/delivery_batches.py delivers many in one transaction); True: it is done
    with (delivered, or the instance no longer waits for it). ``waiting``: whether the instance
    waits for the message, when the caller has read it (else it is read here)."""
    message = delivery.message
    if waiting is None:
        waiting = waits_for(session, instance.id, message.name)
    delivery.done_at = wall_now()
    if not waiting or instance.status != "running":
        delivery.status = "skipped"
        session.flush()
        return True
    event = BpmnEvent(
        SpiffMessageEventDefinition(message.name), message.payload, message.correlations
    )
    workflow = remember(load_workflow(instance))
    with (
        running_on(instance.clock),
        serving(session, instance, SYSTEM, lambda: clock_now(instance.clock)),
    ):
        try:
            workflow.send_event(event)
        except WorkflowException:
            # Waiting for the message, but correlated with other values (an instance of
            # another model, or another case's): not this instance's message.
            delivery.status = "skipped"
            session.flush()
            return True
    delivery.status = "delivered"
    received = record_event(
        session,
        actor=SYSTEM.username,
        kind="message_received",
        instance=instance,
        summary=f"Received the {message.name.replace('_', ' ')}",
        data={"message": message.name},
        clock_at=clock_now(instance.clock),
    )
    _advance(session, instance, workflow, SYSTEM, received=[received])
    return True


def waits_for(session: Session, instance_id: int, message_name: str) -> bool:
    """Whether the instance waits for the message now (as indexed by its last save)."""
    found = session.scalar(
        select(MessageWait.id).where(
            MessageWait.instance_id == instance_id, MessageWait.message == message_name
        )
    )
    return found is not None


def deliver_pending(session: Session, *, limit: int = 1000) -> int:
    """Deliver what is planned, in this transaction (a rehearsal clock move, the tests): the
    worker delivers a batch per transaction instead (workflows/delivery_batches.py)."""
    done = 0
    for delivery_id in pending_deliveries(session, limit):
        done += deliver(session, delivery_id)
    return done
