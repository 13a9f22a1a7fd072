"""Emails to the people of a case, queued in the outbox of the same transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import in_language
from app.i18n.labels import date_fi
from app.notifications.calendar import webinar_ics
from app.notifications.models import Notice
from app.notifications.queries import (
    PeopleOfCall,
    case_label,
    new_human_tasks,
    new_received_messages,
)
from app.notifications.texts import BODIES, DECISION_TEXTS, SUBJECTS
from app.timefmt import format_helsinki
from workflows import wall_now
from workflows.audit import queue_message

if TYPE_CHECKING:
    from app.calls.models import Call
    from app.cases.models import Case


def recipients(session: Session, case: Case) -> list[str]:
    """The active people of the case's organisation; for a case without one, who started it."""
    if case.organisation_id is not None:
        who = User.organisation_id == case.organisation_id
    else:
        who = User.username == case.created_by
    users = session.scalars(select(User).where(who, User.is_active)).all()
    return sorted({user.email for user in users if user.email})


def _period(period: dict[str, Any]) -> str:
    return f"{date_fi(period.get('start'))} – {date_fi(period.get('end'))}"


def _context(case: Case, data: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    documents = [document for document in case.documents if not document.outgoing]
    webinar = data.get("webinar") or case.call.webinar or {}
    decision = data.get("decision") or {}
    language = case.language
    context: dict[str, Any] = defaultdict(
        str,
        project_name=case.project_name or data.get("project_name", ""),
        call_title=case.call.title_in(language),
        registry_number=documents[-1].registry_number if documents else "",
        webinar_title=in_language(webinar.get("title"), language),
        webinar_location=webinar.get("location", ""),
        supplement_request=data.get("supplement_request", ""),
        supplement_due=data.get("supplement_due", ""),
        feedback=data.get("feedback", ""),
        amount=f"{decision.get('amount', 0):,}".replace(",", " "),
        justification=decision.get("justification", ""),
        decision_text=DECISION_TEXTS[bool(decision.get("granted"))][language],
        period=_period(case.call.config.get("funding_period") or {}),
        reporting_deadline=date_fi(case.call.config.get("reporting_deadline")),
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
) -> dict[str, str]:
    """Queue one email to every active person of the case's organisation, in the case language;
    returns the letter (subject, body, language)."""
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
        webinar = (data or {}).get("webinar") or case.call.webinar or {}
        payload["ics"] = webinar_ics(webinar, uid=f"webinar-{case.call.key}", language=language)
    if payload["to"]:
        queue_message(session, kind="email", payload=payload, instance=case.instance)
    return {"subject": payload["subject"], "body": payload["body"], "language": language}


# In-app notices. `create_notices` is idempotent and runs for every instance a step saved (the
# engine's after-save hook, app/cases/sync.py): it notices only what is new for that instance.

MESSAGE_NOTICES = {
    "webinar_invitation": "The webinar invitation arrived",
    "funding_decision": "The funding decision arrived",
}


def create_notices(
    session: Session, instance_id: int, case: Case | None, call: Call | None
) -> list[Notice]:
    """Notices for the new human tasks and the newly received messages of one instance (a
    case's, or a call's own process)."""
    people = PeopleOfCall(session)
    notices = notify_new_tasks(session, instance_id, case, call, people)
    if case is not None:
        notices += notify_received_messages(session, instance_id, case, people)
    session.add_all(notices)
    return notices


def notify_new_tasks(
    session: Session,
    instance_id: int,
    case: Case | None,
    call: Call | None,
    people: PeopleOfCall,
) -> list[Notice]:
    """A notice per person who may work on a task that appeared since the last run: the
    assignee of an assigned task, else every active user of the lane's group (applicant lanes:
    only the case organisation's people)."""
    now = wall_now()
    notices = []
    where = f" – {case_label(case)}" if case is not None else ""
    if case is None and call is not None:
        where = f" – {call.title_in('en')}"
    for task in new_human_tasks(session, instance_id):
        for user in people.for_task(task, case):
            notices.append(
                Notice(
                    user_id=user.id,
                    case_id=case.id if case is not None else None,
                    kind="task_assigned",
                    text=f"New task: {task.title}{where}"[:300],
                    instance_id=task.instance_id,
                    task_id=task.task_id,
                    created_at=now,
                )
            )
    return notices


def notify_received_messages(
    session: Session, instance_id: int, case: Case, people: PeopleOfCall
) -> list[Notice]:
    """A notice per person of the case organisation for each message the case received."""
    now = wall_now()
    notices = []
    for event in new_received_messages(session, instance_id):
        message = str(event.data.get("message", ""))
        text = MESSAGE_NOTICES.get(message, f"Message “{message}” received")
        for user in people.of_case(case):
            notices.append(
                Notice(
                    user_id=user.id,
                    case_id=case.id,
                    kind="message_received",
                    text=f"{text} – {case_label(case)}"[:300],
                    instance_id=event.instance_id,
                    audit_event_id=event.id,
                    created_at=now,
                )
            )
    return notices


def mark_notice_read(notice: Notice) -> None:
    if notice.read_at is None:
        notice.read_at = wall_now()


def mark_all_notices_read(session: Session, user: User) -> int:
    result = session.execute(
        update(Notice)
        .where(Notice.user_id == user.id, Notice.read_at.is_(None))
        .values(read_at=wall_now())
    )
    return int(getattr(result, "rowcount", 0) or 0)
