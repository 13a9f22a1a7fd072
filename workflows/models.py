"""Tables owned by the engine layer.

The engine layer keeps one row per deployed process version (its files, stored once, keyed by
content hash), one row per running workflow instance (only the instance's own serialized state),
and the indexes the application queries instead of scanning engine states: ready human tasks,
waiting timers, the outbox of side effects and the append-only audit log.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.schema import BaseDDLElement, SchemaItem, Table
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Clock(Base):
    """The one source of "now" for a call: real time, or a rehearsal time moved by hand.

    A rehearsal clock runs from ``anchor`` at wall speed: now = anchor + (wall now - set_at).
    """

    __tablename__ = "clocks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    rehearsal: Mapped[bool] = mapped_column(default=False)
    anchor: Mapped[datetime | None]
    set_at: Mapped[datetime | None]


# A BPMN process id as long as SpiffArena's models write them (some run past 100 characters).
PROCESS_ID_LENGTH = 255


class ProcessModel(Base):
    """A process model: its names, and its contract with the application.

    The contract says which process of the model's files runs once per case and which (if any)
    once per call, the names each receives in its start data, and the messages the call process
    sends to the cases. Every version deployed under the model must keep it
    (workflows.contract checks that), so that no deploy breaks a call bound to the model.
    """

    __tablename__ = "process_models"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    names: Mapped[dict[str, Any]]  # language -> name
    descriptions: Mapped[dict[str, Any]]  # language -> description
    case_process: Mapped[str] = mapped_column(String(PROCESS_ID_LENGTH))
    call_process: Mapped[str | None] = mapped_column(String(PROCESS_ID_LENGTH))
    case_start_data: Mapped[list[Any]]
    call_start_data: Mapped[list[Any]]
    messages: Mapped[list[Any]]  # names of the messages the call process sends to the cases
    # Where the model sits among the models ("finance/invoices"), as SpiffArena groups them.
    group_path: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Lane name -> role, chosen by a process owner for lanes that are not grantflow roles.
    # Tasks outside any lane and in the "Process Initiator" lane go to the case's starter.
    lane_roles: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # The SpiffArena process_model.json an import came from (keys grantflow does not use
    # included), so that an export gives it back.
    spiffarena_metadata: Mapped[dict[str, Any] | None]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]

    def name_in(self, language: str) -> str:
        """The name in ``language``, else in English, Finnish or Swedish, else the id."""
        for code in (language, "en", "fi", "sv"):
            if self.names.get(code):
                return str(self.names[code])
        return self.id

    def description_in(self, language: str) -> str:
        for code in (language, "en", "fi", "sv"):
            if self.descriptions.get(code):
                return str(self.descriptions[code])
        return ""


class ProcessVersion(Base):
    """A deployed bundle of process files (BPMN, DMN, forms), stored once by content hash."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint(
            "model_id", "content_hash", name="uq_process_versions_model_id_content_hash"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("process_models.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The files (often 100+ KB) are read only where they are shown or compared; running cases
    # find their parsed version by id (bundles.parsed_version).
    files: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    process_ids: Mapped[list[Any]]
    deployed_by: Mapped[str] = mapped_column(String(100))
    deployed_at: Mapped[datetime]
    is_current: Mapped[bool] = mapped_column(default=False)

    model: Mapped[ProcessModel] = relationship()


class WorkflowInstance(Base):
    """One running process: a case's application process or a call's call process."""

    __tablename__ = "workflow_instances"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"))
    process_id: Mapped[str] = mapped_column(String(PROCESS_ID_LENGTH))
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id"))
    group_key: Mapped[str] = mapped_column(String(100), index=True)
    correlation_key: Mapped[str] = mapped_column(String(100), unique=True)
    state: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(30))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    version: Mapped[ProcessVersion] = relationship()
    clock: Mapped[Clock] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


# An instance's state is its whole workflow, 15 KB and more of JSON, which PostgreSQL compresses
# as it stores the row on every save: with lz4 instead of its default pglz, in a fraction of the
# CPU (PostgreSQL's CPU for an idea proposal's send: 3.0-3.3 ms -> 2.2-2.8 ms). PostgreSQL 14
# and later, when built with lz4 (Debian's is); anywhere else the default stays. Migration
# c9d0e1f2a3b4 does the same.
STATE_COMPRESSION_LZ4 = "ALTER TABLE workflow_instances ALTER COLUMN state SET COMPRESSION lz4"


def lz4_compression_available(connection: Connection | None) -> bool:
    if connection is None or connection.dialect.name != "postgresql":
        return False
    if (connection.dialect.server_version_info or (0,)) < (14,):
        return False
    return bool(
        connection.scalar(
            text(
                "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                "WHERE name = 'default_toast_compression'"
            )
        )
    )


def _when_lz4_available(
    ddl: BaseDDLElement,
    target: SchemaItem | str,
    bind: Connection | None,
    tables: list[Table] | None = None,
    state: Any = None,
    **kw: Any,
) -> bool:
    return lz4_compression_available(bind)


event.listen(
    WorkflowInstance.__table__,
    "after_create",
    DDL(STATE_COMPRESSION_LZ4).execute_if(callable_=_when_lz4_available),
)


class HumanTask(Base):
    """A READY user task, indexed after every engine step: the inbox queries this table."""

    __tablename__ = "human_tasks"
    __table_args__ = (UniqueConstraint("instance_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    spec_name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    lane: Mapped[str | None] = mapped_column(String(100))
    candidate_group: Mapped[str | None] = mapped_column(String(50), index=True)
    assignee: Mapped[str | None] = mapped_column(String(100))
    # True when a person claimed the task; False when the process assigned it (multi-instance).
    claimed: Mapped[bool] = mapped_column(default=False)
    form: Mapped[str | None] = mapped_column(String(200))
    ui_form: Mapped[str | None] = mapped_column(String(200))
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    instance: Mapped[WorkflowInstance] = relationship()


# My tasks reads its two lists in their default order (due date, empty last; then creation)
# straight from these: the user's assigned tasks, and the unassigned tasks of a group. A page
# then costs the same with 200 tasks or 100,000. The group's task names are read by probes of
# the last one (app/keyset.distinct_values).
_DUE_ORDER = (HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at, HumanTask.id)
_UNASSIGNED = HumanTask.assignee.is_(None)
Index("ix_human_tasks_mine", HumanTask.assignee, *_DUE_ORDER)
Index(
    "ix_human_tasks_queue",
    HumanTask.candidate_group,
    *_DUE_ORDER,
    postgresql_where=_UNASSIGNED,
    sqlite_where=_UNASSIGNED,
)
Index(
    "ix_human_tasks_queue_titles",
    HumanTask.candidate_group,
    HumanTask.title,
    postgresql_where=_UNASSIGNED,
    sqlite_where=_UNASSIGNED,
)


class Timer(Base):
    """A waiting timer event with its due time in UTC; the worker fires it once."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_clock_due", "clock_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id"))
    name: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime]


class OutboxMessage(Base):
    """A side effect (an email) written in the same transaction, sent by the worker after commit.

    Delivery is at most once: ``sending_since`` is committed before the message goes out and
    ``sent_at`` after. A message left sending (the worker died between the two) is put in
    doubt, never sent again by itself: a person looks and resends it or marks it sent. Every
    attempt carries the same ``message_id`` (the Message-ID header)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]]
    message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    sending_since: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    in_doubt_since: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Append-only: who did what, when (UTC), on which instance and task, with the data."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    clock_at: Mapped[datetime | None]
    actor: Mapped[str] = mapped_column(String(100))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(String(300))
    data: Mapped[dict[str, Any]]


# The database itself refuses to change or delete audit events (the migrations add the same).
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        event.listen(
            AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
        )


class Incident(Base):
    """An automatic step that failed (a script, a service, a timer's or a message's step): the
    instance keeps what was done before it and waits here until someone retries or resolves it."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    element: Mapped[str | None] = mapped_column(String(200))
    element_name: Mapped[str | None] = mapped_column(String(300))
    error: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime]
    clock_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(100))

    instance: Mapped[WorkflowInstance] = relationship()


class ThrownMessage(Base):
    """A message an instance threw, kept for the instances of its group that wait for it now or
    start waiting later (each gets it once: see MessageDelivery)."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_group_name", "group_key", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    # The one receiver's correlation key (a case key), or None: every waiting instance.
    correlation_key: Mapped[str | None] = mapped_column(String(100))
    payload: Mapped[Any] = mapped_column(JSON, nullable=True)
    correlations: Mapped[dict[str, Any]]
    thrown_by: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    thrown_at: Mapped[datetime]


class MessageDelivery(Base):
    """One message for one receiving instance: pending until a job delivers it (or finds the
    instance no longer waits for it)."""

    __tablename__ = "message_deliveries"
    __table_args__ = (
        UniqueConstraint(
            "message_id", "instance_id", name="uq_message_deliveries_message_instance"
        ),
        Index("ix_message_deliveries_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]

    message: Mapped[ThrownMessage] = relationship()


class MessageStart(Base):
    """A thrown message that starts a case of another model (its case process begins with a
    message start event for it, as SpiffArena's receivers do): pending until a job starts the
    case with the message (workflows.engine.start_by_message)."""

    __tablename__ = "message_starts"
    __table_args__ = (
        UniqueConstraint("message_id", "model_id", name="uq_message_starts_message_model"),
        Index("ix_message_starts_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    model_id: Mapped[str] = mapped_column(ForeignKey("process_models.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]

    message: Mapped[ThrownMessage] = relationship()


class MessageWait(Base):
    """A message an instance is waiting for: the router's index."""

    __tablename__ = "message_waits"
    __table_args__ = (UniqueConstraint("instance_id", "message"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    message: Mapped[str] = mapped_column(String(200), index=True)
