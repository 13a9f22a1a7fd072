"""What the application derives from engine state, kept up to date by the engine itself.

The engine calls ``instance_saved`` (its after-save hook) in the same transaction for every
instance a step saved: a case's status columns follow its workflow, people are told about the
tasks and messages that arrived, and a call's status follows its call process. Nothing scans
a call: only the instances that changed are touched.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.notifications.compose import remember_people
from app.notifications.operations import create_notices
from app.owners import owner_of, remember_owners
from workflows import SYSTEM, InstanceSummary, wall_now
from workflows.batches import before_batch
from workflows.engine import after_save, message_case_opener
from workflows.models import WorkflowInstance
from workflows.rows import update_now
from workflows.summary import Change


def phase_of(summary: InstanceSummary) -> str:
    if summary.end_event:
        return summary.end_event
    if summary.ready_tasks:
        return ", ".join(summary.ready_tasks)
    if summary.waiting_for:
        return "Waiting for: " + ", ".join(summary.waiting_for)
    return "In progress"


def _column_text(value: Any, length: int) -> str | None:
    """A form's text as a list column holds it: a model's form may allow longer text (or
    another type) than the column, which only shows it."""
    return str(value)[:length] if value not in (None, "") else None


def summary_columns(case: Case, summary: InstanceSummary) -> dict[str, Any]:
    """The case's status columns as its engine state says them."""
    data = summary.data
    columns: dict[str, Any] = {
        "phase": phase_of(summary)[:200],
        "closed": summary.status == "completed",
        "project_name": _column_text(data.get("project_name"), 300) or case.project_name,
        "application_object": (
            _column_text(data.get("application_object"), 40) or case.application_object
        ),
        "regional_city_network": bool(data.get("regional_city_network")),
    }
    if isinstance(data.get("requested_amount"), int):
        columns["requested_amount"] = data["requested_amount"]
    if isinstance(data.get("score"), int | float):
        columns["score"] = float(data["score"])
    decision = data.get("decision")
    if isinstance(decision, dict) and isinstance(decision.get("amount"), int):
        columns["granted_amount"] = decision["amount"] if decision.get("granted") else 0
    return columns


def apply_summary(session: Session, case: Case, summary: InstanceSummary) -> None:
    """Write the case's status columns from its engine state: the one place that does so.
    A case loaded and not changed otherwise is written at once (no flush for it at the
    commit); a new or changed one through the session."""
    changed = {
        name: value
        for name, value in summary_columns(case, summary).items()
        if getattr(case, name) != value
    }
    changed["updated_at"] = wall_now()
    state = inspect(case)
    if state.persistent and not state.modified and update_now(session, case, changed):
        return
    for name, value in changed.items():
        setattr(case, name, value)


def instance_saved(session: Session, instance: WorkflowInstance, change: Change) -> None:
    from app.calls.operations import sync_call_status

    owner = owner_of(session, instance)
    if owner is None:
        return
    if owner.case is not None:
        apply_summary(session, owner.case, change.summary)
    else:
        sync_call_status(session, owner.call, SYSTEM)
    create_notices(session, owner.case, owner.call, change.new_tasks, change.received)


def batch_claimed(session: Session, instance_ids: list[int]) -> None:
    """A batch of the worker (timers fired, messages delivered) is about to advance these
    instances: their cases and calls, and the people their notices go to, are read for the
    batch at once (the batch changes no one's account)."""
    remember_owners(session, instance_ids)
    known = [owner_of(session, instance_id) for instance_id in instance_ids]
    remember_people(
        session,
        {o.case.organisation_id for o in known if o and o.case and o.case.organisation_id},
    )


def init_app() -> None:
    if instance_saved not in after_save:
        after_save.append(instance_saved)
    if batch_claimed not in before_batch:
        before_batch.append(batch_claimed)
    if not message_case_opener:  # a message that starts a case of a model opens one
        from app.cases.operations import start_case_by_message

        message_case_opener.append(start_case_by_message)
