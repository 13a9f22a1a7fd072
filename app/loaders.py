"""Load-and-authorize helpers for views: 404 when it does not exist, 403 when not yours."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.cases.queries import may_view_case
from app.extensions import current_session, db
from app.owners import Owner, owner_of
from app.tasks.queries import may_view
from workflows.models import WorkflowInstance


def get_case(case_id: int) -> Case:
    case = db.session.get(Case, case_id)
    if case is None or case.call.discarded_at is not None:  # a discarded rehearsal is gone
        abort(404)
    if not may_view_case(current_user, case):
        abort(403)
    return case


def get_call(key: str) -> Call:
    call = db.session.scalar(select(Call).where(Call.key == key))
    if call is None:
        abort(404)
    return call


def get_owner(instance_id: int) -> Owner:
    """What the instance belongs to (its case or call), if the person may see it."""
    owner = owner_of(current_session(), instance_id)
    if owner is None:
        abort(404)
    if not may_view(current_user, owner):
        abort(403)
    return owner


def get_instance(instance_id: int) -> tuple[WorkflowInstance, Owner]:
    owner = get_owner(instance_id)
    instance = db.session.get(WorkflowInstance, instance_id)
    if instance is None:
        abort(404)
    return instance, owner
