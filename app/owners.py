"""What a workflow instance belongs to: a case, or a call (its call process).

Looked up once per transaction: a request that sends a task asks for its instance's owner in
the view, the operation, the registry and the after-save hook, and the case and its call (with
its clock) are read in one query the first time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.calls.models import Call
from app.cases.models import Case
from workflows.models import WorkflowInstance
from workflows.transaction import notes


@dataclass(frozen=True)
class Owner:
    """What an instance belongs to: a case, or a call (its call process)."""

    call: Call
    case: Case | None


def owner_of(session: Session, instance: WorkflowInstance | int) -> Owner | None:
    instance_id = instance if isinstance(instance, int) else instance.id
    known: dict[int, Owner] = notes(session).setdefault("owners", {})
    found = known.get(instance_id)
    if found is None:
        found = _load(session, instance_id)
        if found is not None:
            known[instance_id] = found
    return found


def remember_owners(session: Session, instance_ids: list[int]) -> None:
    """Look up the owners of many instances at once (a batch of timers), for owner_of to find
    in this transaction's notes."""
    known: dict[int, Owner] = notes(session).setdefault("owners", {})
    missing = [instance_id for instance_id in instance_ids if instance_id not in known]
    if not missing:
        return
    for case in session.scalars(
        select(Case)
        .where(Case.instance_id.in_(missing))
        .options(selectinload(Case.call).joinedload(Call.clock))  # the few calls read once
    ):
        assert case.instance_id is not None
        known[case.instance_id] = Owner(case.call, case)
    calls = [instance_id for instance_id in missing if instance_id not in known]
    if calls:
        for call in session.scalars(
            select(Call).where(Call.instance_id.in_(calls)).options(joinedload(Call.clock))
        ):
            assert call.instance_id is not None
            known[call.instance_id] = Owner(call, None)


# Built once: a statement costs more to build than to run again.
_CASE = (
    select(Case)
    .where(Case.instance_id == bindparam("instance_id"))
    .options(joinedload(Case.call).joinedload(Call.clock))
)
_CALL = (
    select(Call).where(Call.instance_id == bindparam("instance_id")).options(joinedload(Call.clock))
)


def _load(session: Session, instance_id: int) -> Owner | None:
    case = session.scalar(_CASE, {"instance_id": instance_id})
    if case is not None:
        return Owner(case.call, case)
    call = session.scalar(_CALL, {"instance_id": instance_id})
    return Owner(call, None) if call is not None else None
