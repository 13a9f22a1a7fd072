"""Messages between instances are kept, and delivered one receiving instance at a time.

A thrown message is stored (`messages`) with a planned delivery (`message_deliveries`) to every
instance that waits for it (the one of its ``case_key``, when it carries one) in its own group
(the call). A message the thrower's own model catches nowhere also goes to the instances of
other deployed models that wait for it, in any group, as SpiffArena routes messages across all
its process models; a model's own talk (a call's decisions to its cases) stays in its call,
even beside a copy of the model. Whether a
message with correlation properties reaches an instance is then the engine's correlation check,
at delivery (a message the instance does not correlate with is skipped there). An instance that
starts waiting later claims the kept messages it missed, and the worker plans what no
transaction saw (a receiver that committed its wait while the message was being sent). The
delivery itself (an engine step on the receiver) is ``engine.deliver``. Such a message also
starts a case of each deployed model whose case process begins with a message start event for
it (`message_starts`, opened once by ``engine.start_by_message``), as SpiffArena's receivers.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, or_, select
from sqlalchemy.orm import Session, aliased

from workflows import bundles
from workflows.audit import record_event
from workflows.clock import clock_now, wall_now
from workflows.models import (
    MessageDelivery,
    MessageStart,
    MessageWait,
    ProcessModel,
    ProcessVersion,
    ThrownMessage,
    WorkflowInstance,
)
from workflows.services import SYSTEM
from workflows.transaction import notes


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


def keep_thrown(session: Session, source: WorkflowInstance, event: BpmnEvent) -> None:
    """Keep a thrown message and plan its delivery to the instances of the same group that
    wait for it (the one of its ``case_key``, when it carries one)."""
    name = event.event_definition.name
    message = ThrownMessage(
        group_key=source.group_key,
        name=name,
        correlation_key=_correlated_key(event.correlations),
        payload=event.payload,
        correlations=event.correlations or {},
        thrown_by=source.id,
        thrown_at=wall_now(),
    )
    session.add(message)
    session.flush()
    thrower_model = select(ProcessVersion.model_id).where(ProcessVersion.id == source.version_id)
    in_reach = WorkflowInstance.group_key == source.group_key
    if leaves_its_model(session, source.version_id, name):
        in_reach = or_(in_reach, ProcessVersion.model_id != thrower_model.scalar_subquery())
    targets = session.execute(
        select(WorkflowInstance.id, WorkflowInstance.correlation_key)
        .join(MessageWait, MessageWait.instance_id == WorkflowInstance.id)
        .join(ProcessVersion, ProcessVersion.id == WorkflowInstance.version_id)
        .where(
            in_reach,
            WorkflowInstance.id != source.id,
            MessageWait.message == name,
            *_receiver_filter(message),
        )
        .order_by(WorkflowInstance.id)
    ).all()
    now = wall_now()
    planned = [
        MessageDelivery(message_id=message.id, instance_id=target_id, created_at=now)
        for target_id, _key in targets
    ]
    session.add_all(planned)
    notes(session).setdefault("deliveries", []).extend(planned)
    if leaves_its_model(session, source.version_id, name):
        starts = [
            MessageStart(message_id=message.id, model_id=model_id, created_at=now)
            for model_id in models_started_by(session, name)
        ]
        session.add_all(starts)
        notes(session).setdefault("starts", []).extend(starts)
    record_event(
        session,
        actor=SYSTEM.username,
        kind="message_sent",
        instance=source,
        summary=f"Sent the {name.replace('_', ' ')} to {len(targets)} instance(s)",
        data={"message": name, "to": [key for _id, key in targets]},
        clock_at=clock_now(source.clock),
    )


def models_started_by(session: Session, name: str) -> list[str]:
    """The process models whose current version's case process begins with a message start
    event for ``name``: a message that leaves its model starts a case of each (SpiffArena's
    message receivers)."""
    current = session.execute(
        select(ProcessVersion.id, ProcessVersion.model_id, ProcessModel.case_process)
        .join(ProcessModel, ProcessModel.id == ProcessVersion.model_id)
        .where(ProcessVersion.is_current)
        .order_by(ProcessVersion.model_id)
    ).all()
    found = []
    for version_id, model_id, case_process in current:
        specs = bundles.parsed_version(session, version_id).specs
        if case_process in specs and message_start(specs[case_process][0], name) is not None:
            found.append(model_id)
    return found


def message_start(process: Any, name: str) -> Any | None:
    """The start event of ``process`` that waits for the message ``name``, if it has one."""
    return next(_message_events(process, name, StartEvent), None)


def _message_events(process: Any, name: str, kind: type) -> Iterator[Any]:
    """The task specs of ``process`` of ``kind`` (a start event, a catching event) whose event
    is the message ``name``."""
    for task_spec in process.task_specs.values():
        definition = getattr(task_spec, "event_definition", None)
        if (
            isinstance(task_spec, kind)
            and isinstance(definition, MessageEventDefinition)
            and definition.name == name
        ):
            yield task_spec


def planned_starts(session: Session) -> list[int]:
    """The message starts this transaction planned, to make right after its commit."""
    starts = notes(session).get("starts", [])
    if starts:
        session.flush()
    return [start.id for start in starts]


def pending_starts(session: Session, limit: int) -> list[int]:
    return list(
        session.scalars(
            select(MessageStart.id)
            .where(MessageStart.status == "pending")
            .order_by(MessageStart.id)
            .limit(limit)
        )
    )


def leaves_its_model(session: Session, version_id: int | None, name: str) -> bool:
    """Whether a message thrown by an instance of ``version_id`` goes to other models too:
    when no process of that version catches it (see the module's docstring)."""
    if version_id is None:
        return False
    bundle = bundles.parsed_version(session, version_id)
    return not any(
        next(_message_events(process, name, CatchingEvent), None) is not None
        for spec, subprocesses in bundle.specs.values()
        for process in (spec, *subprocesses.values())
    )


def _reaches(receiver: Any, receiver_model: Any) -> ColumnElement[bool]:
    """A kept message may reach ``receiver`` (a WorkflowInstance entity, its model id column)
    when it was thrown in the receiver's group, or by an instance of another model (which
    ``_in_reach`` then narrows to the messages that leave their model). To be used in a query
    that joins ``_THROWER`` and ``_THROWER_VERSION`` (outer: kept messages thrown by no
    instance stay in their group)."""
    return or_(
        ThrownMessage.group_key == receiver.group_key,
        and_(
            _THROWER_VERSION.model_id.is_not(None),
            _THROWER_VERSION.model_id != receiver_model,
        ),
    )


def _in_reach(session: Session, same_group: bool, version_id: int | None, name: str) -> bool:
    return same_group or leaves_its_model(session, version_id, name)


_THROWER = aliased(WorkflowInstance, name="thrower")
_THROWER_VERSION = aliased(ProcessVersion, name="thrower_version")


def _with_thrower(query: Any) -> Any:
    return query.outerjoin(_THROWER, _THROWER.id == ThrownMessage.thrown_by).outerjoin(
        _THROWER_VERSION, _THROWER_VERSION.id == _THROWER.version_id
    )


def _receiver_filter(message: ThrownMessage) -> list[Any]:
    if message.correlation_key is None:
        return []
    return [WorkflowInstance.correlation_key == message.correlation_key]


def planned_now(session: Session) -> list[int]:
    """The deliveries this transaction planned, to make right after its commit."""
    planned = notes(session).get("deliveries", [])
    if planned:  # their ids; a send that planned none leaves the flush to the commit
        session.flush()
    return [delivery.id for delivery in planned]


def claim_kept_messages(session: Session, instance: WorkflowInstance) -> None:
    """An instance that starts waiting after a message of its group was sent gets it too."""
    now = wall_now()
    kept = session.execute(
        _KEPT_FOR,
        {
            "instance_id": instance.id,
            "group_key": instance.group_key,
            "version_id": instance.version_id,
            "correlation_key": instance.correlation_key,
        },
    )
    claimed = [
        MessageDelivery(message_id=message_id, instance_id=instance.id, created_at=now)
        for message_id, same_group, version_id, name in kept
        if _in_reach(session, bool(same_group), version_id, name)
    ]
    session.add_all(claimed)
    notes(session).setdefault("deliveries", []).extend(claimed)


def _kept_for() -> Select[Any]:
    """The kept messages an instance (its id, group, version and correlation key, bound) now
    waits for and has not been given: built once, run on every save that starts a wait."""
    receiver = SimpleNamespace(group_key=bindparam("group_key"))
    own_model = select(ProcessVersion.model_id).where(ProcessVersion.id == bindparam("version_id"))
    return _with_thrower(
        select(
            ThrownMessage.id,
            ThrownMessage.group_key == receiver.group_key,
            _THROWER.version_id,
            ThrownMessage.name,
        )
    ).where(
        _reaches(receiver, own_model.scalar_subquery()),
        ThrownMessage.thrown_by != bindparam("instance_id"),
        ThrownMessage.name.in_(
            select(MessageWait.message).where(MessageWait.instance_id == bindparam("instance_id"))
        ),
        or_(
            ThrownMessage.correlation_key.is_(None),
            ThrownMessage.correlation_key == bindparam("correlation_key"),
        ),
        ~exists().where(
            MessageDelivery.message_id == ThrownMessage.id,
            MessageDelivery.instance_id == bindparam("instance_id"),
        ),
    )


_KEPT_FOR = _kept_for()


def plan_missed_deliveries(session: Session, limit: int = 1000) -> int:
    """Deliveries no transaction planned: a message sent while its receiver's transaction,
    which made it wait, had not yet committed (each saw nothing of the other). The worker runs
    this on every pass; it finds and plans them."""
    receiver_version = aliased(ProcessVersion, name="receiver_version")
    missed = session.execute(
        _with_thrower(
            select(
                ThrownMessage.id,
                MessageWait.instance_id,
                ThrownMessage.group_key == WorkflowInstance.group_key,
                _THROWER.version_id,
                ThrownMessage.name,
            )
            .select_from(MessageWait)
            .join(WorkflowInstance, WorkflowInstance.id == MessageWait.instance_id)
            .join(receiver_version, receiver_version.id == WorkflowInstance.version_id)
            .join(ThrownMessage, ThrownMessage.name == MessageWait.message)
        )
        .where(
            _reaches(WorkflowInstance, receiver_version.model_id),
            and_(
                ThrownMessage.thrown_by != WorkflowInstance.id,
                or_(
                    ThrownMessage.correlation_key.is_(None),
                    ThrownMessage.correlation_key == WorkflowInstance.correlation_key,
                ),
            ),
        )
        .where(
            ~exists().where(
                MessageDelivery.message_id == ThrownMessage.id,
                MessageDelivery.instance_id == MessageWait.instance_id,
            )
        )
    ).all()
    now = wall_now()
    planned: list[MessageDelivery] = []
    # Not limited in SQL: a message of another model that stays in its model (see
    # leaves_its_model) matches the query for ever, and must not crowd out the missed ones.
    for message_id, instance_id, same_group, version_id, name in missed:
        if len(planned) >= limit:
            break
        if _in_reach(session, bool(same_group), version_id, name):
            planned.append(
                MessageDelivery(message_id=message_id, instance_id=instance_id, created_at=now)
            )
    session.add_all(planned)
    session.flush()
    return len(planned)


def pending_deliveries(session: Session, limit: int) -> list[int]:
    """Pending deliveries, oldest first, read without locks (each is locked when delivered)."""
    return list(
        session.scalars(
            select(MessageDelivery.id)
            .where(MessageDelivery.status == "pending")
            .order_by(MessageDelivery.id)
            .limit(limit)
        )
    )
