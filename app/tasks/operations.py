"""Writes on tasks: keep a draft, or send the form and let the engine go on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import TaskDraft
from app.cases.operations import actor_of, sync_changed_cases
from app.tasks.queries import draft_of
from workflows import complete_task, wall_now
from workflows.models import WorkflowInstance


def save_draft(
    session: Session, instance: WorkflowInstance, task_id: str, data: dict[str, Any], user: User
) -> TaskDraft:
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
    complete_task(session, instance.id, task_id, data, actor=actor_of(user))
    draft = draft_of(session, instance.id, task_id)
    if draft is not None:
        session.delete(draft)
    sync_changed_cases(session, call)
    session.flush()
