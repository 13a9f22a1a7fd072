"""Reads for the task list and the task page: the inbox is a query on the human-task index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session, joinedload

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.cases.models import Case, TaskDraft
from app.cases.operations import actor_of
from app.cases.queries import is_staff, may_view_case
from app.keyset import (
    PAGE_SIZE,
    Page,
    count_capped,
    decode_cursor,
    distinct_values,
    encode_cursor,
    rows_after,
)
from app.owners import Owner
from workflows import clock_now, may_claim, may_unclaim
from workflows.models import HumanTask, WorkflowInstance

APPLICANT = "applicant"
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


def may_view(user: User, owner: Owner) -> bool:
    if owner.case is not None:
        return may_view_case(user, owner.case)
    return is_staff(user)


def may_work_on(user: User, owner: Owner, task: HumanTask) -> bool:
    """The engine decides by lane and assignee; applicant lanes also need the same organisation."""
    if task.candidate_group == "applicant":
        return owner.case is not None and owner.case.organisation_id == user.organisation_id
    return True


def _visible_tasks(user: User, *columns: Any, mine: bool | None = None) -> Select[Any]:
    """Tasks assigned to the user (``mine`` True), unassigned tasks of the user's groups
    (False), or both (None). Each list is a condition an index of human_tasks answers in its
    sort order (ix_human_tasks_mine, ix_human_tasks_queue), so a page of it costs the same
    whatever the size of the call."""
    assigned = HumanTask.assignee == user.username
    queued = and_(HumanTask.assignee.is_(None), _of_groups(user))
    visible = assigned if mine else queued if mine is False else or_(assigned, queued)
    return (
        select(*columns)
        .select_from(HumanTask)
        .join(WorkflowInstance, HumanTask.instance_id == WorkflowInstance.id)
        .join(Call, Call.key == WorkflowInstance.group_key)
        .outerjoin(Case, Case.instance_id == WorkflowInstance.id)
        .outerjoin(Organisation, Case.organisation_id == Organisation.id)
        .where(visible)
    )


def _of_groups(user: User) -> ColumnElement[bool]:
    """Unassigned tasks the user's groups may take: an applicant only its organisation's."""
    staff = sorted(user.roles - {APPLICANT})
    terms: list[ColumnElement[bool]] = [HumanTask.candidate_group.in_(staff)] if staff else []
    if APPLICANT in user.roles:
        terms.append(
            and_(
                HumanTask.candidate_group == APPLICANT,
                Case.organisation_id == (user.organisation_id or -1),
            )
        )
    return or_(*terms) if terms else false()


def _call_nows(session: Session) -> dict[int, datetime]:
    """Each call's now: calls run on clocks of their own (a rehearsal clock, or real time)."""
    calls = session.scalars(select(Call).options(joinedload(Call.clock)))
    return {call.id: clock_now(call.clock) for call in calls}


def _overdue(nows: dict[int, datetime]) -> ColumnElement[bool]:
    """Due at or before the call's now, as SQL: one comparison per call."""
    terms = [and_(Call.id == call_id, HumanTask.due_at <= now) for call_id, now in nows.items()]
    return or_(*terms) if terms else false()


def _sort_keys(sort: str) -> list[Any]:
    """The inbox's order as ascending keys, the last one unique; a nullable column is led by
    its IS NULL key, so that empty values come last on every database."""
    due = [HumanTask.due_at.is_(None), HumanTask.due_at]
    created = [HumanTask.created_at, HumanTask.id]
    if sort == "created":
        return created
    if sort == "task":
        return [HumanTask.title, *due, *created]
    if sort == "case":
        return [
            Case.id.is_(None),
            Case.project_name.is_(None),
            Case.project_name,
            Organisation.name.is_(None),
            Organisation.name,
            *due,
            *created,
        ]
    return [*due, *created]


InboxPage = Page[InboxRow]


def inbox(session: Session, user: User, filters: InboxFilters | None = None) -> list[InboxRow]:
    """Every task of the user matching the filters, sorted."""
    return _inbox(session, user, filters or InboxFilters(), _call_nows(session)).rows


def inbox_pages(
    session: Session,
    user: User,
    filters: InboxFilters,
    *,
    mine_after: str | None = None,
    groups_after: str | None = None,
) -> tuple[InboxPage, InboxPage]:
    """A page of the tasks assigned to the user and a page of its groups' tasks."""
    nows = _call_nows(session)
    return (
        _inbox(session, user, filters, nows, mine=True, after=mine_after, limit=PAGE_SIZE),
        _inbox(session, user, filters, nows, mine=False, after=groups_after, limit=PAGE_SIZE),
    )


def _inbox(
    session: Session,
    user: User,
    filters: InboxFilters,
    nows: dict[int, datetime],
    *,
    mine: bool | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> InboxPage:
    """The user's tasks matching the filters, sorted; every filter is a condition in SQL.
    ``mine``: only those assigned to the user (True) or only the group's (False); ``after`` a
    cursor of the previous page; ``limit`` rows at the most (all when None)."""
    keys = _sort_keys(filters.sort)
    query = _visible_tasks(user, HumanTask, Call, Case, *keys, mine=mine)
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
    total = count_capped(session, query, HumanTask.id)
    values = decode_cursor(after, keys) if after else None
    if values is not None:
        query = query.where(rows_after(keys, values))
    query = query.order_by(*keys)
    found = session.execute(query.limit(limit + 1) if limit else query).all()
    page = found[:limit] if limit else found
    actor = actor_of(user)
    rows = [
        InboxRow(
            task,
            call,
            case,
            overdue=task.due_at is not None and task.due_at <= nows[call.id],
            can_claim=may_claim(actor, task),
            can_unclaim=may_unclaim(actor, task),
        )
        for task, call, case, *_keys in page
    ]
    more = limit is not None and len(found) > limit
    return InboxPage(rows, total, encode_cursor(page[-1][3:]) if more else None)


def inbox_choices(session: Session, user: User) -> InboxChoices:
    """The values the filter form offers. An applicant's tasks are its organisation's few: the
    distinct (call, task, phase) of them. Staff may have 100,000 in a call, so theirs are read
    by index probes whose cost does not grow with the call (distinct_values): the open calls,
    the names of their groups' and their own tasks, and the phases of the open cases."""
    if not user.roles - {APPLICANT}:
        kinds = session.execute(
            _visible_tasks(user, WorkflowInstance.group_key, HumanTask.title, Case.phase).distinct()
        ).all()
        calls = select(Call).where(Call.key.in_({key for key, _, _ in kinds}))
        tasks = {title for _, title, _ in kinds}
        phases = {phase for _, _, phase in kinds if phase is not None}
    else:
        calls = select(Call).where(Call.status != "draft", Call.discarded_at.is_(None))
        tasks = set(
            session.scalars(select(HumanTask.title).where(HumanTask.assignee == user.username))
        )
        for group in sorted(user.roles - {APPLICANT}):
            queued = (HumanTask.candidate_group == group, HumanTask.assignee.is_(None))
            tasks.update(distinct_values(session, HumanTask.title, *queued))
        phases = set(distinct_values(session, Case.phase, Case.closed.is_(False)))
    return InboxChoices(
        list(session.scalars(calls.order_by(Call.title))), sorted(tasks), sorted(phases)
    )


def draft_of(session: Session, instance_id: int, task_id: str) -> TaskDraft | None:
    return session.scalar(
        select(TaskDraft).where(TaskDraft.instance_id == instance_id, TaskDraft.task_id == task_id)
    )
