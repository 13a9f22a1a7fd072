"""Give a task the process assigned to one person (a multi-instance child, e.g. one
evaluator's evaluation) to another, when its assignee cannot do it (a conflict of interest).

The task's input item and the multi-instance's input collection name the new person, in the
task, its siblings and its parent, so the process's own record (who evaluated, the output
collection) follows; the index row gets the new assignee; the audit log keeps who gave it to
whom and why.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.audit import record_event
from workflows.clock import clock_now
from workflows.engine import _find_task, _save, load_workflow, lock_instance
from workflows.errors import NotAllowed, TaskAlreadyCompleted
from workflows.indexes import remember
from workflows.models import HumanTask
from workflows.services import Actor

REASSIGNED = "task_reassigned"


def reassign_task(
    session: Session, instance_id: int, task_id: str, actor: Actor, to: str, reason: str
) -> HumanTask:
    """Give ``actor``'s assigned, ready task to ``to``; returns its index row."""
    instance = lock_instance(session, instance_id)
    row = session.scalar(
        select(HumanTask)
        .where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    if row.claimed or row.assignee != actor.username:
        raise NotAllowed("Only the person the process gave this task to can pass it on.")
    workflow = remember(load_workflow(instance))
    task = _find_task(workflow, task_id)
    parent = task.parent
    item = getattr(parent.task_spec, "input_item", None) if parent is not None else None
    if parent is None or item is None:
        raise NotAllowed("This task is not assigned to one person by the process.")
    collection = getattr(parent.task_spec, "data_input", None)
    for holder in [parent, *parent.children]:
        if holder is task:
            holder.data[item.bpmn_id] = to
        if collection is not None:
            holder.data[collection.bpmn_id] = _renamed(
                holder.data.get(collection.bpmn_id), actor.username, to
            )
    _save(session, instance, workflow)
    row.assignee = to
    record_event(
        session,
        actor=actor.username,
        kind=REASSIGNED,
        instance=instance,
        task_id=task_id,
        summary=f"Passed “{row.title}” from {actor.username} to {to}: {reason}"[:500],
        data={"from": actor.username, "to": to, "reason": reason},
        clock_at=clock_now(instance.clock),
    )
    session.flush()
    return row


def _renamed(values: Any, old: str, new: str) -> Any:
    if not isinstance(values, list):
        return values
    return [new if value == old else value for value in values]
