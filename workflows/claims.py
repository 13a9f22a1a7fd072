"""Claim a group task for oneself, or give it back to the group.

A claim sets the assignee of the human-task index row; the engine then lets only the assignee
act on the task (``may_act``), and a claim survives the engine steps of the instance because
the index keeps the rows of tasks that stay ready. A task the process assigned itself (a
multi-instance child, e.g. one evaluator's evaluation) is not a claim and cannot be released.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.audit import record_event
from workflows.clock import clock_now
from workflows.engine import lock_instance, may_act
from workflows.errors import NotAllowed, TaskAlreadyCompleted
from workflows.models import HumanTask
from workflows.services import Actor

ADMIN_ROLE = "admin"


def _ready_task(session: Session, instance_id: int, task_id: str) -> HumanTask:
    row = session.scalar(
        select(HumanTask)
        .where(HumanTask.instance_id == instance_id, HumanTask.task_id == task_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    return row


def may_claim(actor: Actor, task: HumanTask) -> bool:
    """Someone of the task's group may claim it while nobody holds it."""
    return task.assignee is None and may_act(actor, task)


def may_unclaim(actor: Actor, task: HumanTask) -> bool:
    """The claimant, or an admin, may give a claimed task back; a process assignment stays."""
    return task.claimed and (task.assignee == actor.username or ADMIN_ROLE in actor.roles)


def claim_task(session: Session, instance_id: int, task_id: str, actor: Actor) -> HumanTask:
    """Make ``actor`` the assignee of a ready group task; claiming one's own claim is a no-op.
    The instance is locked first, as every change of an instance's rows starts."""
    lock_instance(session, instance_id, claim=False)
    row = _ready_task(session, instance_id, task_id)
    if row.assignee == actor.username:
        return row
    if row.assignee is not None:
        raise NotAllowed(f"{row.assignee} is working on this task: only they can complete it.")
    if not may_act(actor, row):
        raise NotAllowed("You may not work on this task.")
    # One statement decides between two people claiming at the same moment.
    taken = session.execute(
        update(HumanTask)
        .where(HumanTask.id == row.id, HumanTask.assignee.is_(None))
        .values(assignee=actor.username, claimed=True)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        holder = _ready_task(session, instance_id, task_id).assignee
        raise NotAllowed(f"{holder} claimed this task a moment ago.")
    session.refresh(row)
    record_event(
        session,
        actor=actor.username,
        kind="task_claimed",
        instance=row.instance,
        task_id=task_id,
        summary=f"Claimed “{row.title}”",
        clock_at=clock_now(row.instance.clock),
    )
    session.flush()
    return row


def unclaim_task(session: Session, instance_id: int, task_id: str, actor: Actor) -> HumanTask:
    """Give a claimed task back to its group (the claimant, or an admin for someone else)."""
    lock_instance(session, instance_id, claim=False)
    row = _ready_task(session, instance_id, task_id)
    if not row.claimed:
        raise NotAllowed("This task is assigned by the process: it cannot be given back.")
    if not may_unclaim(actor, row):
        raise NotAllowed(f"Only {row.assignee}, who claimed this task, or an admin can release it.")
    holder = row.assignee
    row.assignee = None
    row.claimed = False
    record_event(
        session,
        actor=actor.username,
        kind="task_unclaimed",
        instance=row.instance,
        task_id=task_id,
        summary=f"Released “{row.title}” claimed by {holder}",
        clock_at=clock_now(row.instance.clock),
    )
    session.flush()
    return row
