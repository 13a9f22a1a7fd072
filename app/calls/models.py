"""A funding call: its configuration, its clock and its call-process instance."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.models import Base, Clock, ProcessVersion, WorkflowInstance

BUNDLE = "grantflow"  # the name the shipped process files are deployed under


class Call(Base):
    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    config: Mapped[dict[str, Any]]
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    # A rehearsal of a process draft pins its version; other calls start new cases on the
    # bundle's current version.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id"))
    created_at: Mapped[datetime]
    discarded_at: Mapped[datetime | None]

    clock: Mapped[Clock] = relationship()
    instance: Mapped[WorkflowInstance | None] = relationship()
    version: Mapped[ProcessVersion | None] = relationship()

    def title_in(self, language: str) -> str:
        """The title in `language` when the configuration gives one (fi, sv, en), else `title`."""
        titles = self.config.get("title")
        if isinstance(titles, dict) and titles.get(language):
            return str(titles[language])
        return self.title

    @property
    def idea_deadline(self) -> datetime:
        return datetime.fromisoformat(self.config["idea_deadline"])

    @property
    def application_deadline(self) -> datetime:
        return datetime.fromisoformat(self.config["application_deadline"])

    @property
    def budget_total(self) -> int:
        return int(self.config["budget_total"])

    @property
    def regional_city_reserve(self) -> int:
        return int(self.config.get("regional_city_reserve", 0))
