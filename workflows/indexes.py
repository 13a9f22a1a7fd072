"""The tables that shadow a workflow's state, so that nothing has to load workflows to find
work: ready human tasks (`human_tasks`), waiting timers (`timers`) and awaited messages
(`message_waits`).

A workflow loaded for a change remembers what the indexes said of it (``remember``); its save
then writes only what changed: the tasks that appeared or went, the timers and waits only when
they differ. A workflow changed outside the engine's own steps (a migration, a retry) is
indexed from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, delete, inspect, select
from sqlalchemy.orm import Session, object_session

from workflows import task_walk
from workflows.clock import wall_now
from workflows.element_names import label_of
from workflows.lanes import is_initiators, lane_role, needs_mapping
from workflows.models import AuditEvent, HumanTask, MessageWait, Timer, WorkflowInstance
from workflows.rows import insert_now, table_of
from workflows.services import SYSTEM

_REMEMBERED = "_grantflow_indexed"


@dataclass(frozen=True)
class Indexed:
    """What the index tables hold of one workflow."""

    ready: frozenset[str]  # ids of the ready human tasks
    timers: frozenset[tuple[str, datetime]]  # (timer name, due time)
    waits: frozenset[str]  # message names


@dataclass
class Saved:
    """What a save changed in the indexes."""

    new_tasks: list[HumanTask] = field(default_factory=list)
    new_waits: bool = False


def timer_due(task: Task) -> datetime | None:
    value = task.task_spec.event_definition.details(task).value
    if not isinstance(value, str):
        return None
    return TimerEventDefinition.get_datetime(value)


def next_deadline(workflow: BpmnWorkflow) -> datetime | None:
    """The earliest waiting timer that moves the instance on (a deadline, a wait): not a
    reminder, a non-interrupting boundary timer that leaves its task as it is."""
    dues = [
        timer_due(task)
        for task in workflow.event_manager.tasks.values()
        if isinstance(task.task_spec.event_definition, TimerEventDefinition)
        and not (isinstance(task.task_spec, BoundaryEvent) and not task.task_spec.cancel_activity)
    ]
    return min((due for due in dues if due is not None), default=None)


def _deadline_timers(task: Task, state: int) -> datetime | None:
    """The earliest due time of the interrupting timers on the boundary of ``task`` in
    ``state``, if any."""
    parent = task.parent
    if parent is None or not isinstance(parent.task_spec, BoundaryEventSplit):
        return None
    dues = [
        timer_due(sibling)
        for sibling in parent.children
        if isinstance(sibling.task_spec, BoundaryEvent)
        and sibling.task_spec.cancel_activity
        and isinstance(sibling.task_spec.event_definition, TimerEventDefinition)
        and sibling.state == state
    ]
    return min((due for due in dues if due is not None), default=None)


def deadline_of(task: Task) -> datetime | None:
    """The due time of an interrupting timer on the boundary of ``task``, if any."""
    return _deadline_timers(task, TaskState.WAITING)


def deadline_that_closed(task: Task) -> datetime | None:
    """The due time of the interrupting boundary timer that fired and cancelled ``task``; None
    when the task was not cancelled by a timer of its own (it is ready, was completed, or was
    cancelled some other way)."""
    if task.state != TaskState.CANCELLED:
        return None
    return _deadline_timers(task, TaskState.COMPLETED)


def ready_human_tasks(workflow: BpmnWorkflow) -> dict[str, Task]:
    ready = task_walk.tasks_in(workflow, TaskState.READY)
    return {str(task.id): task for task in ready if task.task_spec.manual}


def indexed_of(workflow: BpmnWorkflow, ready: dict[str, Task] | None = None) -> Indexed:
    """What the indexes should hold of ``workflow`` as it is now (``ready``: its ready human
    tasks, when the caller has them)."""
    if ready is None:
        ready = ready_human_tasks(workflow)
    timers, waits = set(), set()
    for task in workflow.event_manager.tasks.values():
        definition = task.task_spec.event_definition
        if isinstance(definition, TimerEventDefinition):
            due = timer_due(task)
            if due is not None:
                timers.add((definition.name or "", due))
        elif isinstance(definition, MessageEventDefinition):
            waits.add(definition.name)
    return Indexed(frozenset(ready), frozenset(timers), frozenset(waits))


def remember(workflow: BpmnWorkflow) -> BpmnWorkflow:
    """Note what the indexes hold of a workflow just loaded from its saved state."""
    setattr(workflow, _REMEMBERED, indexed_of(workflow))
    return workflow


def fresh(workflow: BpmnWorkflow) -> BpmnWorkflow:
    """A workflow just created: the indexes hold nothing of it yet."""
    setattr(workflow, _REMEMBERED, Indexed(frozenset(), frozenset(), frozenset()))
    return workflow


def forget(workflow: BpmnWorkflow) -> None:
    """The workflow was changed outside the engine's steps: index it from scratch."""
    if hasattr(workflow, _REMEMBERED):
        delattr(workflow, _REMEMBERED)


def save_indexes(session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow) -> Saved:
    before: Indexed | None = getattr(workflow, _REMEMBERED, None)
    ready = ready_human_tasks(workflow)
    after = indexed_of(workflow, ready)
    saved = Saved(new_tasks=_save_human_tasks(session, instance, ready, before, after))
    if before is None or (before.timers, before.waits) != (after.timers, after.waits):
        _save_waiting_events(session, instance, before, after)
        saved.new_waits = bool(after.waits - (before.waits if before else frozenset()))
    setattr(workflow, _REMEMBERED, after)
    return saved


def _save_human_tasks(
    session: Session,
    instance: WorkflowInstance,
    ready: dict[str, Task],
    before: Indexed | None,
    after: Indexed,
) -> list[HumanTask]:
    if before is None:
        existing = set(
            session.scalars(select(HumanTask.task_id).where(HumanTask.instance_id == instance.id))
        )
    else:
        existing = set(before.ready)
    gone = existing - after.ready
    if gone:
        _delete_human_tasks(session, instance.id, gone)
    rows = [index_row(instance, ready[task_id]) for task_id in sorted(after.ready - existing)]
    return list(insert_now(session, rows))


_TASKS = table_of(HumanTask)
_DELETE_TASKS = delete(_TASKS).where(
    _TASKS.c.instance_id == bindparam("instance_id"),
    _TASKS.c.task_id.in_(bindparam("gone", expanding=True)),
)


def _delete_human_tasks(session: Session, instance_id: int, gone: set[str]) -> None:
    """Delete the rows of the tasks that went (on the session's connection: no flush first),
    and drop the ones the session holds, as a synchronized ORM delete would."""
    session.connection().execute(_DELETE_TASKS, {"instance_id": instance_id, "gone": list(gone)})
    # By the identity keys, which name their class: a batch of the worker holds thousands of
    # objects, and taking each of them out of the identity map to ask its class cost more.
    identities = session.identity_map
    held = [identities.get(key) for key in list(identities.keys()) if key[0] is HumanTask]
    for row in held:
        if row is None:  # let go of since the keys were read
            continue
        values = inspect(row).dict
        if values.get("instance_id") == instance_id and values.get("task_id") in gone:
            session.expunge(row)


def index_row(instance: WorkflowInstance, task: Task) -> HumanTask:
    """The human-task row of ``task`` as the index stores it (not added to any session)."""
    spec = task.task_spec
    properties = (spec.extensions or {}).get("properties", {})
    # Only a lane that is no role reads the model's mapping (a send stays a few statements).
    lane_roles = instance.version.model.lane_roles if needs_mapping(spec.lane) else None
    group, assignee = lane_role(spec.lane, lane_roles), _assignee(task)
    if is_initiators(spec.lane) and assignee is None:
        group, assignee = _initiators_task(instance)
    return HumanTask(
        instance_id=instance.id,
        task_id=str(task.id),
        spec_name=spec.bpmn_id or spec.name,
        title=label_of(spec),
        lane=spec.lane,
        candidate_group=group,
        assignee=assignee,
        form=properties.get("formJsonSchemaFilename"),
        ui_form=properties.get("formUiSchemaFilename"),
        claimed=False,
        due_at=deadline_of(task),
        created_at=wall_now(),
    )


# Who acts in the initiator's lane when no person started the instance (a call process, an
# instance a message started): the process owners, who can see the case and hand it on.
NO_INITIATOR_GROUP = "process_owner"


def _initiators_task(instance: WorkflowInstance) -> tuple[str | None, str | None]:
    """(candidate group, assignee) of a task outside any lane or in 'Process Initiator': the
    person who started the instance (the actor of its 'started' event), as in SpiffArena."""
    session = object_session(instance)
    starter = (
        session.scalar(
            select(AuditEvent.actor)
            .where(AuditEvent.instance_id == instance.id, AuditEvent.kind == "started")
            .limit(1)
        )
        if session is not None
        else None
    )
    if starter is None or starter == SYSTEM.username:
        return NO_INITIATOR_GROUP, None
    return None, starter


def _assignee(task: Task) -> str | None:
    """A multi-instance child belongs to the user named by its input item (e.g. an evaluator)."""
    parent_spec = task.parent.task_spec if task.parent else None
    item = getattr(parent_spec, "input_item", None)
    value = task.data.get(item.bpmn_id) if item is not None else None
    return value if isinstance(value, str) else None


# The instance's timer and wait rows, deleted on the session's connection (no flush first; no
# one holds them as objects) before the save writes the ones it has now.
_DELETE_TIMERS = delete(table_of(Timer)).where(
    table_of(Timer).c.instance_id == bindparam("instance_id")
)
_DELETE_WAITS = delete(table_of(MessageWait)).where(
    table_of(MessageWait).c.instance_id == bindparam("instance_id")
)


def _save_waiting_events(
    session: Session, instance: WorkflowInstance, before: Indexed | None, after: Indexed
) -> None:
    if before is None or before.timers:
        session.connection().execute(_DELETE_TIMERS, {"instance_id": instance.id})
    if before is None or before.waits:
        session.connection().execute(_DELETE_WAITS, {"instance_id": instance.id})
    session.add_all(
        Timer(instance_id=instance.id, clock_id=instance.clock_id, name=name, due_at=due)
        for name, due in sorted(after.timers)
    )
    session.add_all(
        MessageWait(instance_id=instance.id, message=name) for name in sorted(after.waits)
    )
