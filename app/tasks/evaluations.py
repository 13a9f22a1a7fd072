"""Reads for the evaluations of a case: each evaluator scores independently.

The evaluation is a parallel multi-instance user task, one child per evaluator. The scores are
shown only once every child is completed: then the process data holds the output collection
``evaluations`` (the completed children's own data hold only copies taken when the
multi-instance started, and the audit log holds what was typed, not the process's evaluation).
Until then nobody sees another evaluator's scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case
from app.cases.queries import is_staff
from workflows import REASSIGNED, form_schema, summarize
from workflows.models import AuditEvent, HumanTask

EVALUATION_TASK = "evaluate_application"
EVALUATION_FORM = "evaluation.json"


@dataclass(frozen=True)
class Criterion:
    key: str
    title: Any  # a text, or {language: text} as the call's settings give it


@dataclass(frozen=True)
class EvaluationStatus:
    evaluators: list[str]
    pending: list[str]
    evaluations: list[dict[str, Any]]
    criteria: list[Criterion]

    @property
    def finished(self) -> bool:
        return not self.pending and bool(self.evaluations)

    @property
    def sent(self) -> list[str]:
        return [name for name in self.evaluators if name not in self.pending]


def _criteria(case: Case, data: dict[str, Any]) -> list[Criterion]:
    """The criteria the case was evaluated on: the call's (in the case data), or those written
    into the evaluation form of the case's process version."""
    given = data.get("evaluation_criteria")
    if isinstance(given, list) and given:
        return [Criterion(item["key"], item.get("title") or item["key"]) for item in given]
    assert case.instance is not None
    schema = form_schema(case.instance, EVALUATION_FORM) or {}
    scores = schema.get("properties", {}).get("scores", {}).get("properties", {})
    return [Criterion(key, field.get("title", key)) for key, field in scores.items()]


def pending_evaluators(session: Session, case: Case) -> list[str]:
    """Evaluators whose evaluation task of the case is still ready (not sent)."""
    names = session.scalars(
        select(HumanTask.assignee)
        .where(HumanTask.instance_id == case.instance_id, HumanTask.spec_name == EVALUATION_TASK)
        .order_by(HumanTask.assignee)
    )
    return [name for name in names if name]


def evaluation_status(session: Session, case: Case) -> EvaluationStatus:
    assert case.instance is not None
    pending = pending_evaluators(session, case)
    data = summarize(session, case.instance).data
    evaluations = [] if pending else list(data.get("evaluations") or [])
    return EvaluationStatus(
        evaluators=evaluation_panel(session, case, data),
        pending=pending,
        evaluations=evaluations,
        criteria=_criteria(case, data),
    )


def may_see_evaluations(user: User, status: EvaluationStatus) -> bool:
    """Staff, once no evaluator is still scoring: nobody sees scores before sending their own."""
    return is_staff(user) and status.finished and user.username not in status.pending


def _passed_on(session: Session, case: Case) -> list[tuple[str, str]]:
    """(from, to) of each evaluation passed on for a conflict of interest, in order."""
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.instance_id == case.instance_id, AuditEvent.kind == REASSIGNED)
        .order_by(AuditEvent.id)
    )
    return [(str(e.data.get("from")), str(e.data.get("to"))) for e in events]


def evaluation_panel(session: Session, case: Case, data: dict[str, Any]) -> list[str]:
    """The evaluators of the case: as the process named them, with evaluations passed on for a
    conflict of interest given to whoever took them."""
    panel = [str(name) for name in data.get("evaluators") or []]
    for leaving, taking in _passed_on(session, case):
        panel = [taking if name == leaving else name for name in panel]
    return panel


def substitute_evaluator(session: Session, case: Case, call: Call, leaving: str) -> str | None:
    """Who takes the evaluation ``leaving`` passes on: an active evaluator of the call (else a
    reserve evaluator) with no evaluation of this application and no conflict declared with it,
    the one with the fewest open evaluations first. None when nobody is free."""
    assert case.instance is not None
    on_case = set(evaluation_panel(session, case, summarize(session, case.instance).data))
    passed_on = {leaving for leaving, _taking in _passed_on(session, case)}
    config = call.config
    pool = list(
        dict.fromkeys([*config.get("evaluators", []), *config.get("reserve_evaluators", [])])
    )
    free = [name for name in pool if name not in on_case | passed_on | {leaving}]
    active = set(
        session.scalars(select(User.username).where(User.username.in_(free), User.is_active))
    )
    load = dict(
        session.execute(
            select(HumanTask.assignee, func.count())
            .where(HumanTask.spec_name == EVALUATION_TASK, HumanTask.assignee.in_(free))
            .group_by(HumanTask.assignee)
        ).all()
    )
    candidates = [name for name in free if name in active]
    return min(candidates, key=lambda name: load.get(name, 0), default=None)
