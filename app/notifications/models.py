"""In-app notices: a new task for someone, or a message a case received."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cases.models import Case
from workflows.models import Base

NOTICE_KINDS = ("task_assigned", "message_received")


class Notice(Base):
    """One notice for one person. Task notices name the engine task (instance and task UUID),
    message notices the audit event of the delivery: both are how `create_notices` knows
    what it has already noticed (human-task row ids are not used: SQLite may reuse them)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(
            f"kind IN ({', '.join(repr(kind) for kind in NOTICE_KINDS)})", name="ck_notice_kind"
        ),
        UniqueConstraint("user_id", "instance_id", "task_id", name="uq_notices_user_task"),
        UniqueConstraint("user_id", "audit_event_id", name="uq_notices_user_event"),
        Index("ix_notices_user_read", "user_id", "read_at"),
        Index("ix_notices_instance_task", "instance_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(300))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    audit_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"), index=True)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
    case: Mapped[Case | None] = relationship()
