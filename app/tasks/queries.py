"""Reads for the task list and the task page: the inbox is a query on the human-task index."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case, TaskDraft
from app.cases.queries import is_staff, may_view_case
from workflows.models import HumanTask, WorkflowInstance


@dataclass(frozen=True)
class InboxRow:
    task: HumanTask
    call: Call
    case: Case | None


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


def inbox(session: Session, user: User) -> list[InboxRow]:
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
    rows = session.execute(
        select(HumanTask, Call, Case)
        .join(WorkflowInstance, HumanTask.instance_id == WorkflowInstance.id)
        .join(Call, Call.key == WorkflowInstance.group_key)
        .outerjoin(Case, Case.instance_id == WorkflowInstance.id)
        .where(visible)
        .order_by(HumanTask.due_at.is_(None), HumanTask.due_at, HumanTask.created_at)
    ).all()
    return [InboxRow(task, call, case) for task, call, case in rows]


def draft_of(session: Session, instance_id: int, task_id: str) -> TaskDraft | None:
    return session.scalar(
        select(TaskDraft).where(TaskDraft.instance_id == instance_id, TaskDraft.task_id == task_id)
    )
