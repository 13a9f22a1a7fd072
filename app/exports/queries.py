"""The rows of a call's spreadsheets, read once per download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.calls.models import Call, in_language
from app.cases.models import Case
from app.tasks.evaluations import evaluation_status, may_see_evaluations
from app.tasks.hooks import ranking_rows


@dataclass(frozen=True)
class Sheet:
    """A titled table: column headings and the rows under them."""

    title: str
    headings: list[str]
    rows: list[list[Any]]


def _cases(session: Session, call: Call) -> list[Case]:
    return list(
        session.scalars(
            select(Case)
            .where(Case.call_id == call.id)
            .options(selectinload(Case.organisation), selectinload(Case.documents))
            .order_by(Case.id)
        )
    )


def applications(session: Session, call: Call) -> Sheet:
    rows = [
        [
            case.key,
            case.case_number or "",
            case.project_name or "",
            case.applicant_name,
            case.application_object or "",
            case.phase,
            _l("Closed") if case.closed else _l("Open"),
            case.requested_amount,
            case.score,
            case.granted_amount,
        ]
        for case in _cases(session, call)
    ]
    headings = [
        _l("Case"),
        _l("Case number"),
        _l("Project"),
        _l("Applicant"),
        _l("Application object"),
        _l("Phase"),
        _l("Open or closed"),
        _l("Requested (EUR)"),
        _l("Score"),
        _l("Granted (EUR)"),
    ]
    return Sheet(str(_l("Applications")), [str(h) for h in headings], _texts(rows))


def evaluations(session: Session, call: Call, user: User, language: str) -> Sheet:
    """One row per evaluator and case, for the cases whose evaluation is finished (no one sees
    scores while an evaluator of the case is still scoring)."""
    criteria: dict[str, str] = {}
    scored: list[tuple[Case, dict[str, Any]]] = []
    for case in _cases(session, call):
        if case.instance is None:
            continue
        status = evaluation_status(session, case)
        if not may_see_evaluations(user, status):
            continue
        for criterion in status.criteria:
            criteria.setdefault(criterion.key, in_language(criterion.title, language))
        scored += [(case, evaluation) for evaluation in status.evaluations]
    keys = list(criteria)
    rows = [
        [
            case.key,
            case.project_name or "",
            evaluation.get("evaluator", ""),
            *((evaluation.get("scores") or {}).get(key) for key in keys),
            evaluation.get("comments") or "",
        ]
        for case, evaluation in scored
    ]
    headings = [
        str(_l("Case")),
        str(_l("Project")),
        str(_l("Evaluator")),
        *criteria.values(),
        str(_l("Comments")),
    ]
    return Sheet(str(_l("Evaluations")), headings, rows)


def ranking(session: Session, call: Call) -> Sheet:
    numbers = {
        case_id: number
        for case_id, number in session.execute(
            select(Case.id, Case.case_number).where(Case.call_id == call.id)
        )
    }
    rows = [
        [
            position,
            row["case_key"],
            numbers.get(row["case_id"]) or "",
            row["project_name"],
            row["applicant"],
            row["object"],
            _l("Yes") if row["regional_city_network"] else _l("No"),
            row["score"],
            row["requested_amount"],
        ]
        for position, row in enumerate(ranking_rows(session, call), start=1)
    ]
    headings = [
        _l("Rank"),
        _l("Case"),
        _l("Case number"),
        _l("Project"),
        _l("Applicant"),
        _l("Application object"),
        _l("Network of regional cities"),
        _l("Score"),
        _l("Requested (EUR)"),
    ]
    return Sheet(str(_l("Ranking")), [str(h) for h in headings], _texts(rows))


def _texts(rows: list[list[Any]]) -> list[list[Any]]:
    """Lazy translations made text; numbers stay numbers."""
    return [[str(cell) if hasattr(cell, "__html__") else cell for cell in row] for row in rows]
