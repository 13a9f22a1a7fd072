"""Reads for the task list and the task page: the inbox is a query on the human-task index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.cases.models import Case, TaskDraft
from app.cases.operations import actor_of
from app.cases.queries import is_staff, may_view_case
from workflows import clock_now, may_claim, may_unclaim
from workflows.models import HumanTask, WorkflowInstance

SORTS = {
    "due": _l("Due date"),
    "created": _l("Created"),
    "task": _l("Task name"),
    "case": _l("Case"),
}


@dataclass(frozen=True)
class InboxRow:
    task: HumanTask
    call: Call
    case: Case | None
    overdue: bool = False
    can_claim: bool = False
    can_unclaim: bool = False


@dataclass(frozen=True)
class InboxFilters:
    """The inbox's filters and sort order, as GET parameters; empty means no filter."""

    call: str = ""
    task: str = ""
    phase: str = ""
    application_object: str = ""
    overdue: bool = False
    sort: str = "due"

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> InboxFilters:
        sort = args.get("sort", "").strip()
        return cls(
            call=args.get("call", "").strip(),
            task=args.get("task", "").strip()[:200],
            phase=args.get("phase", "").strip()[:200],
            application_object=args.get("application_object", "").strip(),
            overdue=args.get("overdue", "") in ("1", "on", "true"),
            sort=sort if sort in SORTS else "due",
        )

    @property
    def active(self) -> bool:
        return any((self.call, self.task, self.phase, self.application_object, self.overdue))


@dataclass(frozen=True)
class InboxChoices:
    """The values the filter form offers: those of the tasks the user can see."""

    calls: list[Call]
    tasks: list[str]
    phases: list[str]


@dataclass(frozen=True)
class Owner:
    """What an instance belongs to: a case, or a call (its call process)."""

    call: Call
    case: Case | None


def owner_of(session: Session, instance: WorkflowInstance) -> Owner | None:
    case = session.scalar(select(Case).where(Case.instance_id == instance.id))
    if case is not None:
        return Owner(case.call, case)
    call = session.scalar(select(Call).where(Call.instance_id == instance.id))
    return Owner(call, None) if call is not None else None


def may_view(user: User, owner: Owner) -> bool:
    if owner.case is not None:
        return may_view_case(user, owner.case)
    return is_staff(user)


def may_work_on(user: User, owner: Owner, task: HumanTask) -> bool:
    """The engine decides by lane and assignee; applicant lanes also need the same organisation."""
    if task.candidate_group == "applicant":
        return owner.case is not None and owner.case.organisation_id == user.organisation_id
    return True


def _visible_tasks(user: User, *columns: Any) -> Select[Any]:
    """Tasks assigned to the user, and unassigned tasks of the user's groups."""
    groups = sorted(user.roles)
    own_org = Case.organisation_id == (user.organisation_id or -1)
    visible = or_(
        HumanTask.assignee == user.username,
        and_(
            HumanTask.assignee.is_(None),
            HumanTask.candidate_group.in_(groups),
            or_(HumanTask.candidate_group != "applicant", own_org),
        ),
    )
    return (
        select(*columns)
        .select_from(HumanTask)
        .join(WorkflowInstance, HumanTask.instance_id == WorkflowInstance.id)
        .join(Call, Call.key == WorkflowInstance.group_key)
        .outerjoin(Case, Case.instance_id == WorkflowInstance.id)
        .outerjoin(Organisation, Case.organisation_id == Organisation.id)
        .where(visible)
    )


def _call_nows(session: Session) -> dict[int, datetime]:
    """Each call's now: calls run on clocks of their own (a rehearsal clock, or real time)."""
    return {call.id: clock_now(call.clock) for call in session.scalars(select(Call))}


def _overdue(nows: dict[int, datetime]) -> ColumnElement[bool]:
    """Due at or before the call's now, as SQL: one comparison per call."""
    terms = [and_(Call.id == call_id, HumanTask.due_at <= now) for call_id, now in nows.items()]
    return or_(*terms) if terms else false()


def _order(sort: str) -> list[Any]:
    due = [HumanTask.due_at.is_(None), HumanTask.due_at]
    created = [HumanTask.created_at, HumanTask.id]
    if sort == "created":
        return created
    if sort == "task":
        return [HumanTask.title, *due, *created]
    if sort == "case":
        return [Case.id.is_(None), Case.project_name, Organisation.name, *due, *created]
    return [*due, *created]


def inbox(session: Session, user: User, filters: InboxFilters | None = None) -> list[InboxRow]:
    """The user's tasks matching the filters, sorted; every filter is a condition in SQL."""
    filters = filters or InboxFilters()
    nows = _call_nows(session)
    query = _visible_tasks(user, HumanTask, Call, Case)
    if filters.call:
        query = query.where(Call.key == filters.call)
    if filters.task:
        query = query.where(HumanTask.title == filters.task)
    if filters.phase:
        query = query.where(Case.phase == filters.phase)
    if filters.application_object:
        query = query.where(Case.application_object == filters.application_object)
    if filters.overdue:
        query = query.where(_overdue(nows))
    rows = session.execute(query.order_by(*_order(filters.sort))).all()
    actor = actor_of(user)
    return [
        InboxRow(
            task,
            call,
            case,
            overdue=task.due_at is not None and task.due_at <= nows[call.id],
            can_claim=may_claim(actor, task),
            can_unclaim=may_unclaim(actor, task),
        )
        for task, call, case in rows
    ]


def inbox_choices(session: Session, user: User) -> InboxChoices:
    calls = session.scalars(
        select(Call).where(Call.key.in_(_visible_tasks(user, Call.key))).order_by(Call.title)
    )
    tasks = session.scalars(
        _visible_tasks(user, HumanTask.title).distinct().order_by(HumanTask.title)
    )
    phases = session.scalars(
        _visible_tasks(user, Case.phase)
        .where(Case.phase.is_not(None))
        .distinct()
        .order_by(Case.phase)
    )
    return InboxChoices(list(calls), list(tasks), list(phases))


def draft_of(session: Session, instance_id: int, task_id: str) -> TaskDraft | None:
    return session.scalar(
        select(TaskDraft).where(TaskDraft.instance_id == instance_id, TaskDraft.task_id == task_id)
    )
