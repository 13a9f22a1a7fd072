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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case
from app.cases.queries import is_staff
from workflows import form_schema, summarize
from workflows.models import HumanTask

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
        evaluators=list(data.get("evaluators") or []),
        pending=pending,
        evaluations=evaluations,
        criteria=_criteria(case, data),
    )


def may_see_evaluations(user: User, status: EvaluationStatus) -> bool:
    """Staff, once no evaluator is still scoring: nobody sees scores before sending their own."""
    return is_staff(user) and status.finished and user.username not in status.pending
