"""Emails to the people of a case, queued in the outbox of the same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.notifications.calendar import webinar_ics
from app.notifications.texts import BODIES, DECISION_TEXTS, SUBJECTS
from app.timefmt import format_helsinki
from workflows.audit import queue_message

if TYPE_CHECKING:
    from app.cases.models import Case


def recipients(session: Session, case: Case) -> list[str]:
    users = session.scalars(
        select(User).where(User.organisation_id == case.organisation_id, User.is_active)
    ).all()
    return sorted({user.email for user in users if user.email})


def _period(config: dict[str, Any]) -> str:
    period = config.get("period") or {}
    return f"{period.get('start', '')} – {period.get('end', '')}"


def _context(case: Case, data: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    documents = case.documents
    webinar = data.get("webinar") or case.call.config.get("webinar", {})
    decision = data.get("decision") or {}
    language = case.language
    context: dict[str, Any] = defaultdict(
        str,
        project_name=case.project_name or data.get("project_name", ""),
        call_title=case.call.title,
        registry_number=documents[-1].registry_number if documents else "",
        webinar_location=webinar.get("location", ""),
        supplement_request=data.get("supplement_request", ""),
        supplement_due=data.get("supplement_due", ""),
        feedback=data.get("feedback", ""),
        amount=f"{decision.get('amount', 0):,}".replace(",", " "),
        justification=decision.get("justification", ""),
        decision_text=DECISION_TEXTS[bool(decision.get("granted"))][language],
        period=_period(case.call.config),
        reporting_deadline=case.call.config.get("reporting_deadline", ""),
    )
    if webinar.get("starts_at"):
        starts = datetime.fromisoformat(webinar["starts_at"])
        context["webinar_date"] = format_helsinki(starts, "%d.%m.%Y")
        context["webinar_time"] = format_helsinki(starts)
    document = extra.get("document")
    if document is not None:
        context.update(
            registry_number=document.registry_number,
            received_at=format_helsinki(document.received_at, seconds=True),
            document_kind=document.kind.replace("_", " "),
        )
    if extra.get("deadline"):
        context["deadline"] = format_helsinki(extra["deadline"])
    return context


def notify_case(
    session: Session,
    case: Case,
    template: str,
    extra: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Queue one email to every active person of the case's organisation, in the case language."""
    extra = extra or {}
    language = case.language if case.language in ("fi", "sv", "en") else "fi"
    context = _context(case, data or {}, extra)
    payload: dict[str, Any] = {
        "to": recipients(session, case),
        "subject": SUBJECTS[template][language].format_map(context),
        "body": BODIES[template][language].format_map(context),
        "template": template,
        "case_id": case.id,
    }
    if template == "webinar_invitation":
        webinar = (data or {}).get("webinar") or case.call.config["webinar"]
        payload["ics"] = webinar_ics(webinar, uid=f"webinar-{case.call.key}")
    if payload["to"]:
        queue_message(session, kind="email", payload=payload, instance=case.instance)
