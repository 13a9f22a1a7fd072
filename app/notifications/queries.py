"""Reads for notices: what is new since the last run, who gets it, and a person's notices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case
from app.notifications.models import Notice
from workflows.models import AuditEvent, HumanTask


def case_label(case: Case) -> str:
    return case.project_name or f"Untitled application ({case.key})"


def new_human_tasks(session: Session, instance_id: int) -> list[HumanTask]:
    """Ready human tasks of the instance that no notice names yet."""
    noticed = exists().where(
        and_(Notice.instance_id == HumanTask.instance_id, Notice.task_id == HumanTask.task_id)
    )
    return list(
        session.scalars(
            select(HumanTask)
            .where(HumanTask.instance_id == instance_id, ~noticed)
            .order_by(HumanTask.id)
        )
    )


def new_received_messages(session: Session, instance_id: int) -> list[AuditEvent]:
    """Messages the instance received (audit events) that no notice names yet."""
    noticed = exists().where(Notice.audit_event_id == AuditEvent.id)
    return list(
        session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.instance_id == instance_id,
                AuditEvent.kind == "message_received",
                ~noticed,
            )
            .order_by(AuditEvent.id)
        )
    )


class PeopleOfCall:
    """The active users a notice can go to, read as they are asked for (once each)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._found: dict[tuple[str, object], list[User]] = {}

    def _users(self, key: tuple[str, object], *where: Any) -> list[User]:
        if key not in self._found:
            self._found[key] = list(
                self.session.scalars(select(User).where(User.is_active, *where).order_by(User.id))
            )
        return self._found[key]

    def of_organisation(self, organisation_id: int | None) -> list[User]:
        if organisation_id is None:
            return []
        return self._users(
            ("organisation", organisation_id), User.organisation_id == organisation_id
        )

    def of_case(self, case: Case) -> list[User]:
        """The people of the case's organisation; for a case without one, who started it."""
        if case.organisation_id is None:
            return self._users(("username", case.created_by), User.username == case.created_by)
        return self.of_organisation(case.organisation_id)

    def for_task(self, task: HumanTask, case: Case | None) -> list[User]:
        if task.assignee:
            return self._users(("username", task.assignee), User.username == task.assignee)
        group = task.candidate_group
        if group is None:
            return []
        if group == "applicant":
            if case is None:
                return []
            return [u for u in self.of_organisation(case.organisation_id) if u.has_role(group)]
        candidates = self._users(("role", group), User.role_names.contains(group))
        return [user for user in candidates if user.has_role(group)]


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
