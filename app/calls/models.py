"""A funding call: its settings, its life, its clock, its process model and call-process instance.

The settings (``config``) are what a process owner fills in: titles and texts in fi/sv/en,
money, phases and deadlines (stored in UTC), the webinar, applicant types, application objects
and their rules, evaluation criteria, evaluators, contacts, the deciding body. app/calls/schemas
checks them; app/calls/start_data turns them into the start data of the model's processes.

A call runs a process model: the version new cases get is the model's current one, unless the
call pins a version (a rehearsal pins its draft's). A "standing" call is the context of a model
whose cases are started without any call (a request for information): it has no settings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflows.models import Base, Clock, ProcessModel, ProcessVersion, WorkflowInstance

STATUSES = ("draft", "published", "closed", "decided", "archived")
KINDS = ("call", "rehearsal", "standing")
LANGUAGES = ("fi", "sv", "en")
# The registry's numbers by default: a case VN/12/2021, its documents VN/12/2021-1, -2, ...
CASE_NUMBER_FORMAT = "{prefix}/{number}/{year}"
DOCUMENT_NUMBER_FORMAT = "{case}-{document}"


def in_language(texts: Any, language: str, default: str = "") -> str:
    """A text of a {language: text} mapping in ``language``, else in another one it has."""
    if isinstance(texts, str):
        return texts
    if not isinstance(texts, dict):
        return default
    for code in (language, "en", "fi", "sv"):
        if texts.get(code):
            return str(texts[code])
    return default


class Call(Base):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="ck_call_status"),
        CheckConstraint(f"kind IN {KINDS}", name="ck_call_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))  # in English (or the first title given)
    config: Mapped[dict[str, Any]]
    kind: Mapped[str] = mapped_column(String(20), default="call")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    model_id: Mapped[str] = mapped_column(ForeignKey("process_models.id"), index=True)
    # A pinned version (a rehearsal's draft, or one chosen by the process owner); None: new
    # cases get the model's current version.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("process_versions.id"))
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("workflow_instances.id"))
    created_by: Mapped[str] = mapped_column(String(100), default="system")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    discarded_at: Mapped[datetime | None]

    clock: Mapped[Clock] = relationship()
    instance: Mapped[WorkflowInstance | None] = relationship()
    version: Mapped[ProcessVersion | None] = relationship()
    model: Mapped[ProcessModel] = relationship()

    def title_in(self, language: str) -> str:
        if self.kind == "standing":
            return self.model.name_in(language)
        return in_language(self.config.get("title"), language, self.title)

    def summary_in(self, language: str) -> str:
        return in_language(self.config.get("summary"), language)

    @property
    def is_open(self) -> bool:
        """Published: applicants see it; whether new cases may start depends on the clock."""
        return self.status == "published" and self.discarded_at is None

    @property
    def phases(self) -> list[dict[str, Any]]:
        return list(self.config.get("phases") or [])

    def deadline(self, phase_key: str) -> datetime | None:
        for phase in self.phases:
            if phase.get("key") == phase_key:
                return datetime.fromisoformat(phase["deadline"])
        return None

    @property
    def deadlines(self) -> list[datetime]:
        return [datetime.fromisoformat(phase["deadline"]) for phase in self.phases]

    @property
    def first_deadline(self) -> datetime | None:
        """New cases may start until the first deadline (the idea call's)."""
        return min(self.deadlines, default=None)

    @property
    def last_deadline(self) -> datetime | None:
        return max(self.deadlines, default=None)

    @property
    def budget_total(self) -> int:
        return int(self.config.get("budget_total") or 0)

    @property
    def reserves(self) -> list[dict[str, Any]]:
        return list(self.config.get("reserves") or [])

    @property
    def reserved_total(self) -> int:
        return sum(int(reserve.get("amount") or 0) for reserve in self.reserves)

    @property
    def webinar(self) -> dict[str, Any] | None:
        return self.config.get("webinar") or None

    @property
    def registry_prefix(self) -> str:
        return str(self.config.get("registry_prefix") or "VN")

    @property
    def registry_formats(self) -> tuple[str, str]:
        """How the registry writes the numbers of the call's cases and of their documents."""
        formats = self.config.get("registry_format") or {}
        return (
            str(formats.get("case") or CASE_NUMBER_FORMAT),
            str(formats.get("document") or DOCUMENT_NUMBER_FORMAT),
        )

    def object_title(self, key: str | None, language: str) -> str | None:
        """The title of one of the call's application objects, or None if it has no such one."""
        for item in self.config.get("application_objects") or []:
            if item.get("key") == key:
                return in_language(item.get("title"), language, key or "")
        return None
