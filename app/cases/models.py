"""A case is one application to a call, filed under one case number; its documents are
numbered inside it (app/cases/registry.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation
from app.calls.models import Call
from workflows.models import Base, WorkflowInstance


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("case_number", name="uq_cases_case_number"),
        # The phases of the open cases, for My tasks' filter (app/keyset.distinct_values).
        Index("ix_cases_open_phase", "closed", "phase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    # The applicant organisation; None for a case a member of staff started (e.g. a request
    # for information of a model without a call).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("workflow_instances.id"), unique=True
    )
    language: Mapped[str] = mapped_column(String(2), default="fi")
    # The registry's number of the case (VN/12/2021), given when its first document arrives.
    case_number: Mapped[str | None] = mapped_column(String(80))
    # The number of the case's last numbered document (VN/12/2021-3: 3).
    last_document_number: Mapped[int] = mapped_column(default=0)
    project_name: Mapped[str | None] = mapped_column(String(300))
    application_object: Mapped[str | None] = mapped_column(String(40))
    regional_city_network: Mapped[bool] = mapped_column(default=False)
    phase: Mapped[str] = mapped_column(String(200), default="Draft idea proposal")
    closed: Mapped[bool] = mapped_column(default=False)
    requested_amount: Mapped[int | None]
    granted_amount: Mapped[int | None]
    score: Mapped[float | None]
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    call: Mapped[Call] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    instance: Mapped[WorkflowInstance | None] = relationship()
    documents: Mapped[list[Document]] = relationship(
        back_populates="case", order_by="Document.received_at"
    )

    @property
    def key(self) -> str:
        return f"case-{self.id}"

    @property
    def applicant_name(self) -> str:
        """The applicant organisation, or the person who started a case without one."""
        return self.organisation.name if self.organisation is not None else self.created_by

    @property
    def received(self) -> list[Document]:
        """The documents the applicant sent, without the letters the registry sent them."""
        return [document for document in self.documents if not document.outgoing]

    @property
    def letters(self) -> list[Document]:
        return [document for document in self.documents if document.outgoing]


class Document(Base):
    """A document of the registry: received from the applicant (the data as sent, its number
    and arrival time) or, `outgoing`, a letter sent to them (subject, body, language)."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    outgoing: Mapped[bool] = mapped_column(default=False)
    registry_number: Mapped[str] = mapped_column(String(100), unique=True)  # VN/12/2021-3
    received_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]
    sent_by: Mapped[str] = mapped_column(String(100))
    # A letter's PDF as filed and sent (the decision); loaded only when asked for.
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    case: Mapped[Case] = relationship(back_populates="documents")


class RegistrySequence(Base):
    """The running number of the registry's cases, per prefix (a call's, see
    Call.registry_prefix) and year of the case's first document."""

    __tablename__ = "registry_sequences"

    prefix: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)


class TaskDraft(Base):
    """Form data saved but not sent. A draft is never an application. It belongs to its ready
    task's index row: when the task is sent (or cancelled, or moved), the database drops it."""

    __tablename__ = "task_drafts"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_id"),
        ForeignKeyConstraint(
            ["instance_id", "task_id"],
            ["human_tasks.instance_id", "human_tasks.task_id"],
            name="fk_task_drafts_human_task",
            ondelete="CASCADE",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("workflow_instances.id"), index=True)
    task_id: Mapped[str] = mapped_column(String(36))
    data: Mapped[dict[str, Any]]
    saved_by: Mapped[str] = mapped_column(String(100))
    saved_at: Mapped[datetime]
