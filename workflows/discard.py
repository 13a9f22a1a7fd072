"""Throwing instances away: what waits for them goes, the rows and their audit stay."""

from __future__ import annotations

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from workflows.models import HumanTask, MessageWait, Timer, WorkflowInstance


def discard_instances(session: Session, group_key: str) -> Select[int]:
    """Discard every instance of a group (a call): its open tasks, timers and message waits are
    deleted (task drafts go with their tasks), the instances are marked discarded. Returns the
    ids of the group's instances as a subquery, for the application to clear what it keeps."""
    instance_ids = select(WorkflowInstance.id).where(WorkflowInstance.group_key == group_key)
    for index in (HumanTask, Timer, MessageWait):
        session.execute(delete(index).where(index.instance_id.in_(instance_ids)))
    session.execute(
        update(WorkflowInstance)
        .where(WorkflowInstance.group_key == group_key)
        .values(status="discarded", lock_version=WorkflowInstance.lock_version + 1)
        .execution_options(synchronize_session="fetch")
    )
    return instance_ids
