"""Writes on tasks: claim or release, keep a draft, or send the form and let the engine go on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import TaskDraft
from app.cases.operations import actor_of
from app.tasks.queries import may_work_on, owner_of
from app.upsert import upsert
from workflows import (
    NotAllowed,
    TaskAlreadyCompleted,
    claim_task,
    complete_task,
    lock_instance,
    unclaim_task,
    wall_now,
)
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
) -> None:
    """Keep the form data of a ready task, not sent. The instance is locked first (as a send
    locks it), so a draft never lands on a task a send just completed; one statement inserts
    or replaces it, so two first saves of one task cannot both insert."""
    lock_instance(session, instance.id, claim=False)
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    check_organisation(session, instance, task_id, user)
    now = wall_now()
    session.execute(
        upsert(
            session,
            TaskDraft,
            {
                "instance_id": instance.id,
                "task_id": task_id,
                "data": data,
                "saved_by": user.username,
                "saved_at": now,
            },
            key=("instance_id", "task_id"),
            update={"data": data, "saved_by": user.username, "saved_at": now},
        )
    )


def send_task(
    session: Session,
    call: Call,
    instance: WorkflowInstance,
    task_id: str,
    data: dict[str, Any],
    user: User,
    *,
    arrived_at: datetime | None = None,
) -> None:
    """Complete the task in the engine and drop its draft. ``arrived_at``: when the request
    arrived (the deadline is judged then)."""
    check_organisation(session, instance, task_id, user)
    complete_task(session, instance.id, task_id, data, actor=actor_of(user), arrived_at=arrived_at)
    session.execute(
        delete(TaskDraft).where(TaskDraft.instance_id == instance.id, TaskDraft.task_id == task_id)
    )
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
