"""What some tasks need beyond their JSON Schema: pre-filled rows and checks across cases.

The ranking form lists every application waiting for the decision; the server fills the
read-only columns itself (the case, its project and applicant, the score and the amount applied
for: never what the browser sent back) and refuses a proposal over the budget, or over the share
reserved for networks of regional cities.

The completeness check refuses a supplement due date whose cut-off (16:15 Finnish time on that
date) is not after now on the call's clock: the case would go on at once, while the email
asked for a date already past. Only the application objects a reserve is for may claim it.

The screening refuses an invitation that overrides the eligibility rules without saying so and
why (app/tasks/screening.py): it needs the task's data, where the process put ``eligible``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case
from app.i18n.labels import date_fi
from app.money import format_money
from app.tasks.screening import SCREENING_TASK, check_override
from app.timefmt import HELSINKI, helsinki_to_utc
from workflows import clock_now, instances_waiting_for

RANKING_TASK = "rank_applications"
IDEA_TASK = "send_idea_proposal"
COMPLETENESS_TASK = "check_application"
# The process's own cut-off on the due date (its script: helsinki_deadline(supplement_due)).
SUPPLEMENT_CUT_OFF = "16:15"
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


def check_supplement_due(call: Call, data: dict[str, Any]) -> dict[str, str]:
    """A supplement asked for must be due after now on the call's clock (16:15 Helsinki time
    on its date). A date that is missing or not a date is the schema's to refuse."""
    due = data.get("supplement_due")
    if data.get("complete") is True or not isinstance(due, str):
        return {}
    try:
        due_at = helsinki_to_utc(due, SUPPLEMENT_CUT_OFF)
    except ValueError:
        return {}
    now = clock_now(call.clock)
    if due_at > now:
        return {}
    message = _(
        "Choose a date after today (%(today)s on the call's clock): the supplement is due at "
        "16:15 Finnish time on the date given, and that time has passed.",
        today=date_fi(now.astimezone(HELSINKI).date()),
    )
    return {"supplement_due": message}


def check_reserve_claim(call: Call, data: dict[str, Any]) -> dict[str, str]:
    """Only the application objects the call reserves a share for may claim it (the share of
    regional-city networks is for theme networks, not growth zones)."""
    if data.get("regional_city_network") is not True:
        return {}
    allowed = {key for reserve in call.reserves for key in reserve.get("application_objects") or []}
    if data.get("application_object") in allowed:
        return {}
    return {
        "regional_city_network": _(
            "The share reserved for networks of regional cities is not for this application "
            "object: untick this box, or choose an object the share is for."
        )
    }


def check(
    session: Session,
    spec_name: str,
    call: Call,
    data: dict[str, Any],
    task_data: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """(data with server-side values, errors by field) for tasks that need more than the schema;
    ``task_data`` is the task's data before the form (the case data the process computed)."""
    if spec_name == SCREENING_TASK:
        return data, check_override(task_data or {}, data)
    if spec_name == COMPLETENESS_TASK:
        return data, check_supplement_due(call, data)
    if spec_name == IDEA_TASK:
        return data, check_reserve_claim(call, data)
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
                    "More than the %(amount)s applied for.",
                    amount=format_money(server_row["requested_amount"]),
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
                "Regional-city networks: %(proposed)s proposed, "
                "but the reserved share is %(reserve)s.",
                proposed=format_money(city),
                reserve=format_money(reserve),
            ),
        )
    if other > call.budget_total - reserve:
        refuse(
            "proposals",
            _(
                "%(proposed)s proposed, but only %(available)s are available "
                "outside the share reserved for regional-city networks.",
                proposed=format_money(other),
                available=format_money(call.budget_total - reserve),
            ),
        )
    return data | {"proposals": rows}, errors
