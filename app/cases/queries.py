"""Reads on cases: who may see which case, and the lists the pages show."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.cases.models import Case, Document
from workflows import form_schema
from workflows.models import HumanTask, WorkflowInstance
from workflows.queries import InstanceSummary

SelectT = TypeVar("SelectT", bound=Select[Any])
STAFF_ROLES = frozenset({"specialist", "decision_maker", "process_owner", "admin"})


def is_staff(user: User) -> bool:
    return bool(user.roles & STAFF_ROLES)


def may_view_case(user: User, case: Case) -> bool:
    """Staff see every case; an applicant sees only its own organisation's cases."""
    if is_staff(user):
        return True
    return user.organisation_id is not None and case.organisation_id == user.organisation_id


def case_of_instance(session: Session, instance_id: int) -> Case:
    case = session.scalar(select(Case).where(Case.instance_id == instance_id))
    if case is None:
        raise LookupError(f"no case runs on instance {instance_id}")
    return case


def _visible_to(query: SelectT, user: User) -> SelectT:
    if is_staff(user):
        return query
    return query.where(Case.organisation_id == (user.organisation_id or -1))


@dataclass(frozen=True)
class CaseFilters:
    """The case list's search and filters, as GET parameters; empty means no filter."""

    q: str = ""
    call: str = ""
    phase: str = ""
    application_object: str = ""
    state: str = ""  # "open", "closed" or ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> CaseFilters:
        state = args.get("state", "").strip()
        return cls(
            q=args.get("q", "").strip()[:200],
            call=args.get("call", "").strip(),
            phase=args.get("phase", "").strip(),
            application_object=args.get("application_object", "").strip(),
            state=state if state in ("open", "closed") else "",
        )

    @property
    def active(self) -> bool:
        return any((self.q, self.call, self.phase, self.application_object, self.state))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_cases(session: Session, user: User, filters: CaseFilters) -> list[Case]:
    """The cases the user may see that match: project, applicant or registry number contain
    the search text (case-insensitive); call, phase, application object and open/closed."""
    query = select(Case).join(Organisation, Case.organisation_id == Organisation.id)
    if filters.q:
        pattern = _like(filters.q)
        registry = exists().where(
            Document.case_id == Case.id,
            Document.registry_number.ilike(pattern, escape="\\"),
        )
        query = query.where(
            or_(
                Case.project_name.ilike(pattern, escape="\\"),
                Organisation.name.ilike(pattern, escape="\\"),
                registry,
            )
        )
    if filters.call:
        query = query.join(Call, Case.call_id == Call.id).where(Call.key == filters.call)
    if filters.phase:
        query = query.where(Case.phase == filters.phase)
    if filters.application_object:
        query = query.where(Case.application_object == filters.application_object)
    if filters.state:
        query = query.where(Case.closed == (filters.state == "closed"))
    query = query.options(contains_eager(Case.organisation), selectinload(Case.documents))
    query = _visible_to(query.order_by(Case.created_at.desc(), Case.id.desc()), user)
    return list(session.scalars(query))


def phases_of_cases(session: Session, user: User) -> list[str]:
    """The phases the user's visible cases are in now, for the phase filter."""
    query = _visible_to(select(Case.phase).distinct().order_by(Case.phase), user)
    return list(session.scalars(query))


def human_tasks_of(session: Session, case: Case) -> list[HumanTask]:
    return list(
        session.scalars(
            select(HumanTask)
            .where(HumanTask.instance_id == case.instance_id)
            .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at)
        )
    )


def countdown(due: datetime, now: datetime) -> str:
    """'in 3 days 4 hours', 'in 12 minutes', '2 hours 5 minutes ago': the two largest units."""
    seconds = int((due - now).total_seconds())
    amount = abs(seconds)
    days, rest = divmod(amount, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    units = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    first = next((i for i, (value, _) in enumerate(units) if value), None)
    if first is None:
        return "in less than a minute" if seconds >= 0 else "less than a minute ago"
    shown = [(v, name) for v, name in units[first : first + 2] if v]
    text = " ".join(f"{v} {name}{'' if v == 1 else 's'}" for v, name in shown)
    return f"in {text}" if seconds >= 0 else f"{text} ago"


def waiting_texts(summary: InstanceSummary) -> list[str]:
    """What the case waits for besides people: 'Waiting for the webinar invitation'."""
    texts = []
    for event in summary.waiting_events:
        if event.boundary:
            continue  # a deadline on a task: shown as the task's due time
        name = event.name
        if event.kind == "message":
            texts.append(f"Waiting for the {name.removesuffix(' received').lower()}")
        elif event.kind == "timer":
            texts.append(f"Waiting for the timer “{name}”")
        else:
            texts.append(f"Waiting for “{name}”")
    return texts


def position_text(case: Case, summary: InstanceSummary) -> str:
    """Where the case is, in words: the diagram's text alternative."""
    if summary.end_event:
        return f"the case has ended at “{summary.end_event}”"
    places = summary.ready_tasks + [e.name for e in summary.waiting_events if not e.boundary]
    if not places:
        return f"the case is at “{case.phase}”"
    return "the case is at " + ", ".join(f"“{place}”" for place in places)


def document_schema(instance: WorkflowInstance, kind: str) -> dict[str, Any]:
    """The form a document was sent with: forms/<kind>.json of the case's process version."""
    return form_schema(instance, f"{kind}.json") or {"properties": {}}
