"""Writes on tasks: claim or release, keep a draft, or send the form and let the engine go on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import TaskDraft
from app.cases.operations import actor_of, sync_changed_cases
from app.tasks.queries import draft_of, may_work_on, owner_of
from workflows import NotAllowed, claim_task, complete_task, unclaim_task, wall_now
from workflows.models import HumanTask, WorkflowInstance


def check_organisation(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> None:
    """The engine checks lane and assignee; a case's applicant tasks also need its organisation."""
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    owner = owner_of(session, instance)
    if row is not None and owner is not None and not may_work_on(user, owner, row):
        raise NotAllowed("Only the people of the applicant organisation may work on this task.")


def save_draft(
    session: Session, instance: WorkflowInstance, task_id: str, data: dict[str, Any], user: User
) -> TaskDraft:
    check_organisation(session, instance, task_id, user)
    draft = draft_of(session, instance.id, task_id)
    if draft is None:
        draft = TaskDraft(
            instance_id=instance.id,
            task_id=task_id,
            data={},
            saved_by=user.username,
            saved_at=wall_now(),
        )
        session.add(draft)
    draft.data = data
    draft.saved_by = user.username
    draft.saved_at = wall_now()
    session.flush()
    return draft


def send_task(
    session: Session,
    call: Call,
    instance: WorkflowInstance,
    task_id: str,
    data: dict[str, Any],
    user: User,
) -> None:
    """Complete the task in the engine, drop its draft, and sync the cases that changed."""
    check_organisation(session, instance, task_id, user)
    complete_task(session, instance.id, task_id, data, actor=actor_of(user))
    draft = draft_of(session, instance.id, task_id)
    if draft is not None:
        session.delete(draft)
    sync_changed_cases(session, call)
    session.flush()


def claim_user_task(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> HumanTask:
    """Take a group task: until it is released, only ``user`` can complete it."""
    check_organisation(session, instance, task_id, user)
    return claim_task(session, instance.id, task_id, actor_of(user))


def unclaim_user_task(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> HumanTask:
    """Give a claimed task back to its group."""
    return unclaim_task(session, instance.id, task_id, actor_of(user))
