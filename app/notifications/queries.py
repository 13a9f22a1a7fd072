"""Reads for notices: what is new since the last run, who gets it, and a person's notices."""

from __future__ import annotations

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case
from app.notifications.models import Notice
from workflows.models import AuditEvent, HumanTask, WorkflowInstance


def case_label(case: Case) -> str:
    return case.project_name or f"Untitled application ({case.key})"


def new_human_tasks(session: Session, call: Call) -> list[tuple[HumanTask, Case | None]]:
    """Ready human tasks of the call's instances that no notice names yet."""
    noticed = exists().where(
        and_(Notice.instance_id == HumanTask.instance_id, Notice.task_id == HumanTask.task_id)
    )
    rows = session.execute(
        select(HumanTask, Case)
        .join(WorkflowInstance, HumanTask.instance_id == WorkflowInstance.id)
        .outerjoin(Case, Case.instance_id == HumanTask.instance_id)
        .where(WorkflowInstance.group_key == call.key, ~noticed)
        .order_by(HumanTask.id)
    ).all()
    return [(task, case) for task, case in rows]


def new_received_messages(session: Session, call: Call) -> list[tuple[AuditEvent, Case]]:
    """Messages received by the call's cases (audit events) that no notice names yet."""
    noticed = exists().where(Notice.audit_event_id == AuditEvent.id)
    rows = session.execute(
        select(AuditEvent, Case)
        .join(Case, Case.instance_id == AuditEvent.instance_id)
        .where(Case.call_id == call.id, AuditEvent.kind == "message_received", ~noticed)
        .order_by(AuditEvent.id)
    ).all()
    return [(event, case) for event, case in rows]


class PeopleOfCall:
    """The active users, loaded once per run, grouped the ways tasks and cases address them."""

    def __init__(self, session: Session) -> None:
        self.users = list(session.scalars(select(User).where(User.is_active).order_by(User.id)))

    def of_organisation(self, organisation_id: int | None) -> list[User]:
        if organisation_id is None:
            return []
        return [user for user in self.users if user.organisation_id == organisation_id]

    def of_case(self, case: Case) -> list[User]:
        """The people of the case's organisation; for a case without one, who started it."""
        if case.organisation_id is None:
            return [user for user in self.users if user.username == case.created_by]
        return self.of_organisation(case.organisation_id)

    def for_task(self, task: HumanTask, case: Case | None) -> list[User]:
        if task.assignee:
            return [user for user in self.users if user.username == task.assignee]
        group = task.candidate_group
        if group is None:
            return []
        if group == "applicant":
            if case is None:
                return []
            return [u for u in self.of_organisation(case.organisation_id) if u.has_role(group)]
        return [user for user in self.users if user.has_role(group)]


def notices_of(session: Session, user: User, limit: int = 200) -> list[Notice]:
    return list(
        session.scalars(
            select(Notice)
            .where(Notice.user_id == user.id)
            .order_by(Notice.created_at.desc(), Notice.id.desc())
            .limit(limit)
        )
    )


def unread_count(session: Session, user: User) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        )
        or 0
    )
