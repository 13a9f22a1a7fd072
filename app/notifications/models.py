"""In-app notices: a new task for someone, a message a case received, or a reminder that a
draft is not sent before its deadline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cases.models import Case
from workflows.models import Base

NOTICE_KINDS = ("task_assigned", "message_received", "deadline_reminder")


class Notice(Base):
    """One notice for its audience: one person (``user_id``), or everyone active who has
    ``role`` (of ``organisation_id``, when set), or everyone of ``organisation_id``. A new task
    of a group is one row, however many people the group has. Task notices name the engine
    task (instance and task UUID), message notices the audit event of the delivery. Every
    notice is stamped on its call's clock (a rehearsal's notices carry the rehearsal's time)."""

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint(
            f"kind IN ({', '.join(repr(kind) for kind in NOTICE_KINDS)})", name="ck_notice_kind"
        ),
        CheckConstraint(
            "user_id IS NOT NULL OR role IS NOT NULL OR organisation_id IS NOT NULL",
            name="ck_notice_audience",
        ),
        UniqueConstraint("user_id", "instance_id", "task_id", name="uq_notices_user_task"),
        UniqueConstraint("user_id", "audit_event_id", name="uq_notices_user_event"),
        Index("ix_notices_instance_task", "instance_id", "task_id"),
        Index("ix_notices_role", "role", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(50))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(300))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    audit_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"), index=True)
    created_at: Mapped[datetime]

    user: Mapped[User | None] = relationship()
    case: Mapped[Case | None] = relationship()


class NoticeRead(Base):
    """A person read a notice. Everything up to ``User.notices_read_through`` counts as read
    too ("Mark all as read" is one update, however many notices a group has)."""

    __tablename__ = "notice_reads"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("notices.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    read_at: Mapped[datetime]
