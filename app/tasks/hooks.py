"""What some tasks need beyond their JSON Schema: pre-filled rows and checks across cases.

The ranking form lists every application waiting for the decision; the server fills the
read-only columns itself (the case, its project and applicant, the score and the amount applied
for: never what the browser sent back) and refuses a proposal over the budget, or over the share
reserved for networks of regional cities.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case
from workflows import instances_waiting_for

RANKING_TASK = "rank_applications"
DECISION_MESSAGE = "funding_decision"


def _waiting_for_decision(session: Session, call: Call) -> list[Case]:
    return list(
        session.scalars(
            select(Case)
            .where(
                Case.call_id == call.id,
                Case.instance_id.in_(instances_waiting_for(DECISION_MESSAGE)),
            )
            .order_by(Case.score.desc().nulls_last(), Case.id)
        )
    )


def _row(case: Case) -> dict[str, Any]:
    return {
        "case_key": case.key,
        "case_id": case.id,
        "project_name": case.project_name or "",
        "applicant": case.applicant_name,
        "object": case.application_object or "",
        "regional_city_network": case.regional_city_network,
        "score": case.score or 0.0,
        "requested_amount": case.requested_amount or 0,
    }


def ranking_rows(session: Session, call: Call) -> list[dict[str, Any]]:
    return [_row(case) for case in _waiting_for_decision(session, call)]


def prefill(session: Session, spec_name: str, call: Call, data: dict[str, Any]) -> dict[str, Any]:
    """Fresh rows for the ranking, keeping amounts already proposed (a draft, an earlier round)."""
    if spec_name != RANKING_TASK:
        return data
    earlier = data.get("proposals") or []
    rows = []
    for index, row in enumerate(ranking_rows(session, call)):
        before = earlier[index] if index < len(earlier) else {}
        if before.get("case_key", row["case_key"]) != row["case_key"]:
            before = {}
        kept = {key: before[key] for key in ("proposed_amount", "justification") if key in before}
        rows.append(row | kept)
    return data | {"proposals": rows}


def displayed_schema(spec_name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The schema whose fields the generic renderer draws: the ranking rows get their own table."""
    if spec_name != RANKING_TASK:
        return schema
    properties = {k: v for k, v in schema.get("properties", {}).items() if k != "proposals"}
    return schema | {"properties": properties}


def still_in_process(session: Session, call: Call) -> int:
    waiting = {case.id for case in _waiting_for_decision(session, call)}
    open_cases = session.scalars(
        select(Case.id).where(Case.call_id == call.id, Case.closed.is_(False))
    )
    return sum(1 for case_id in open_cases if case_id not in waiting)


def check(
    session: Session, spec_name: str, call: Call, data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(data with server-side values, errors by field) for tasks that need more than the schema."""
    if spec_name != RANKING_TASK:
        return data, {}
    errors: dict[str, str] = {}

    def refuse(path: str, message: str) -> None:
        errors[path] = f"{errors[path]} {message}" if path in errors else message

    server_rows = ranking_rows(session, call)
    sent = data.get("proposals") or []
    if len(sent) != len(server_rows):
        refuse(
            "proposals",
            ngettext(
                "Give a proposed amount (0 for no funding) and a justification for the "
                "application waiting for the decision.",
                "Give a proposed amount (0 for no funding) and a justification for each of the "
                "%(num)d applications waiting for the decision.",
                len(server_rows),
            ),
        )
    rows = []
    for index, (row, server_row) in enumerate(zip(sent, server_rows, strict=False)):
        if row.get("case_key", server_row["case_key"]) != server_row["case_key"]:
            refuse(f"proposals.{index}", _("The list of applications changed: reload the page."))
        merged = row | server_row
        if merged.get("proposed_amount", 0) > server_row["requested_amount"]:
            refuse(
                f"proposals.{index}.proposed_amount",
                _(
                    "More than the %(amount)s euros applied for.",
                    amount=server_row["requested_amount"],
                ),
            )
        rows.append(merged)
    pending = still_in_process(session, call)
    if pending:
        refuse(
            "proposals",
            ngettext(
                "%(num)d application is still being processed or evaluated.",
                "%(num)d applications are still being processed or evaluated.",
                pending,
            ),
        )
    reserve = call.reserved_total
    city = sum(r.get("proposed_amount", 0) for r in rows if r["regional_city_network"])
    other = sum(r.get("proposed_amount", 0) for r in rows if not r["regional_city_network"])
    if city > reserve:
        refuse(
            "proposals",
            _(
                "Regional-city networks: %(proposed)s euros proposed, "
                "but the reserved share is %(reserve)s euros.",
                proposed=city,
                reserve=reserve,
            ),
        )
    if other > call.budget_total - reserve:
        refuse(
            "proposals",
            _(
                "%(proposed)s euros proposed, but only %(available)s euros are available "
                "outside the share reserved for regional-city networks.",
                proposed=other,
                available=call.budget_total - reserve,
            ),
        )
    return data | {"proposals": rows}, errors
