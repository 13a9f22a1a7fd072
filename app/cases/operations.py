"""Writes on cases. Operations flush; the view or job that called them commits once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import BUNDLE, Call
from app.cases.models import Case
from app.notifications.operations import create_notices
from workflows import Actor, InstanceSummary, current_version, start_instance, summarize, wall_now
from workflows.models import WorkflowInstance

APPLICATION_PROCESS = "funding_application"
# The data an application process starts with (start_case).
CASE_START_DATA = (
    "case_key",
    "call_key",
    "idea_deadline",
    "application_deadline",
    "evaluators",
    "evaluation_criteria",
    "lead_organisation",
)


def actor_of(user: User) -> Actor:
    return Actor(user.username, user.roles)


def start_case(session: Session, call: Call, user: User) -> Case:
    """Open a case for the user's organisation and start its application process."""
    if user.organisation is None:
        raise ValueError("Only a member of an applicant organisation can start an application.")
    version = call.version or current_version(session, BUNDLE)
    if version is None:
        raise ValueError("No process version is deployed.")
    now = wall_now()
    case = Case(
        call=call,
        organisation=user.organisation,
        language=user.language,
        created_by=user.username,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    organisation = user.organisation
    config = call.config
    case.instance = start_instance(
        session,
        version,
        APPLICATION_PROCESS,
        data={
            "case_key": case.key,
            "call_key": call.key,
            "idea_deadline": config["idea_deadline"],
            "application_deadline": config["application_deadline"],
            "evaluators": list(config["evaluators"]),
            "evaluation_criteria": list(config["evaluation_criteria"]),
            "lead_organisation": {
                "name": organisation.name,
                "type": organisation.org_type,
                "region": organisation.region,
                "municipality": organisation.municipality or "",
            },
        },
        clock=call.clock,
        group_key=call.key,
        correlation_key=case.key,
        actor=actor_of(user),
    )
    sync_case(session, case)
    create_notices(session, call)
    return case


def phase_of(summary: InstanceSummary) -> str:
    if summary.end_event:
        return summary.end_event
    if summary.ready_tasks:
        return ", ".join(summary.ready_tasks)
    if summary.waiting_for:
        return "Waiting for: " + ", ".join(summary.waiting_for)
    return "In progress"


def sync_case(session: Session, case: Case) -> None:
    """Write the case's status columns from its engine state: the one place that does so."""
    assert case.instance is not None
    summary = summarize(session, case.instance)
    data = summary.data
    case.phase = phase_of(summary)[:200]
    case.closed = summary.status == "completed"
    case.project_name = data.get("project_name") or case.project_name
    case.application_object = data.get("application_object") or case.application_object
    case.regional_city_network = bool(data.get("regional_city_network"))
    if isinstance(data.get("requested_amount"), int):
        case.requested_amount = data["requested_amount"]
    if isinstance(data.get("score"), int | float):
        case.score = float(data["score"])
    decision = data.get("decision")
    if isinstance(decision, dict) and isinstance(decision.get("amount"), int):
        case.granted_amount = decision["amount"] if decision.get("granted") else 0
    case.updated_at = wall_now()


def sync_changed_cases(session: Session, call: Call) -> None:
    """Sync every case of the call whose engine state changed since its last sync, and tell
    people about the tasks and messages that arrived meanwhile."""
    cases = session.scalars(
        select(Case)
        .join(WorkflowInstance, Case.instance_id == WorkflowInstance.id)
        .where(Case.call_id == call.id, WorkflowInstance.updated_at >= Case.updated_at)
    ).all()
    for case in cases:
        sync_case(session, case)
    create_notices(session, call)
