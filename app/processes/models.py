"""A draft of process files, kept apart from the deployed versions until it is deployed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.models import Base, ProcessModel, ProcessVersion


class ProcessDraft(Base):
    __tablename__ = "process_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[str] = mapped_column(ForeignKey("process_models.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    files: Mapped[dict[str, Any]]
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id"))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]

    base_version: Mapped[ProcessVersion | None] = relationship()
    model: Mapped[ProcessModel] = relationship()
