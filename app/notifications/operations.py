"""Emails to the people of a case, queued in the outbox of the same transaction."""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import in_language
from app.cases.queries import application_document
from app.i18n.labels import date_fi
from app.letters.decision import format_euros
from app.notifications.models import Notice, NoticeRead
from app.notifications.queries import case_label, newest_visible, user_by_name
from app.notifications.texts import BODIES, DECISION_TEXTS, DOCUMENT_KINDS, SUBJECTS
from app.timefmt import format_helsinki
from app.upsert import upsert
from workflows import clock_now, wall_now
from workflows.audit import queue_message
from workflows.models import AuditEvent, HumanTask

if TYPE_CHECKING:
    from app.calls.models import Call
    from app.cases.models import Case


def recipients(
    session: Session, case: Case, data: Mapping[str, Any] | None = None, *, partners: bool = False
) -> list[str]:
    """The active people of the case's organisation (for a case without one, who started it);
    with ``partners``, then the contact of every partner in the case data (the idea proposal's
    partners). Each address once, compared without regard to case."""
    if case.organisation_id is not None:
        who = User.organisation_id == case.organisation_id
    else:
        who = User.username == case.created_by
    users = session.scalars(select(User).where(who, User.is_active)).all()
    addresses = sorted(user.email for user in users if user.email)
    if partners:
        addresses += partner_contacts(data or {})
    return _each_once(addresses)


def partner_contacts(data: Mapping[str, Any]) -> list[str]:
    """The email addresses of the partners' contact persons in a case's data, in form order."""
    partners = data.get("partners")
    if not isinstance(partners, list):
        return []
    found = (_address(p.get("email")) for p in partners if isinstance(p, dict))
    return [address for address in found if address]


def _address(value: Any) -> str | None:
    """An address as the form accepts it, fit for a To header; None for anything else (the
    partners of a case sent before they had contacts have none)."""
    if not isinstance(value, str) or len(value.strip()) > 254:
        return None
    value = value.strip()
    local, at, domain = value.rpartition("@")
    plain = all(not c.isspace() and c.isprintable() and c not in ",;<>" for c in value)
    return value if plain and at and local and domain else None


def _each_once(addresses: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    unique = []
    for address in addresses:
        if address.casefold() not in seen:
            seen.add(address.casefold())
            unique.append(address)
    return unique


def _period(period: dict[str, Any]) -> str:
    return f"{date_fi(period.get('start'))} – {date_fi(period.get('end'))}"


def _case_number(case: Case) -> str:
    document = application_document(case)
    return document.registry_number if document is not None else ""


def _context(case: Case, data: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    webinar = data.get("webinar") or case.call.webinar or {}
    decision = data.get("decision") or {}
    language = case.language
    context: dict[str, Any] = defaultdict(
        str,
        project_name=case.project_name or data.get("project_name", ""),
        call_title=case.call.title_in(language),
        webinar_title=in_language(webinar.get("title"), language),
        webinar_location=in_language(webinar.get("location"), language),
        supplement_request=data.get("supplement_request", ""),
        supplement_due=data.get("supplement_due", ""),
        feedback=data.get("feedback", ""),
        amount=format_euros(decision.get("amount", 0), language),
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
    if document is None:
        context["registry_number"] = _case_number(case)
        context["decision_number"] = extra.get("decision_number", "")
    else:
        context.update(
            registry_number=document.registry_number,
            received_at=format_helsinki(document.received_at, seconds=True),
            document_kind=DOCUMENT_KINDS.get(document.kind, {}).get(
                language, document.kind.replace("_", " ")
            ),
        )
    if extra.get("document_kind"):
        kind = extra["document_kind"]
        context["document_kind"] = DOCUMENT_KINDS.get(kind, {}).get(
            language, kind.replace("_", " ")
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
    *,
    partners: bool = False,
) -> dict[str, str]:
    """Queue one email to every active person of the case's organisation (with ``partners``,
    and to the partners' contacts), in the case language; returns the letter (subject, body,
    language)."""
    extra = extra or {}
    language = case.language if case.language in ("fi", "sv", "en") else "fi"
    context = _context(case, data or {}, extra)
    payload: dict[str, Any] = {
        "to": recipients(session, case, data, partners=partners),
        "subject": SUBJECTS[template][language].format_map(context),
        "body": BODIES[template][language].format_map(context),
        "template": template,
        "case_id": case.id,
    }
    if template == "webinar_invitation":
        webinar = (data or {}).get("webinar") or case.call.webinar or {}
        # The invitation itself is made when the email goes out (app/notifications/mail.py).
        payload["calendar"] = {
            "webinar": webinar,
            "uid": f"webinar-{case.call.key}",
            "language": language,
            "organizer": in_language(case.call.config.get("authority"), language, "grantflow"),
        }
    if extra.get("attachment"):
        filename, content = extra["attachment"]
        payload["attachments"] = [
            {
                "filename": filename,
                "content_type": "application/pdf",
                "base64": base64.b64encode(content).decode("ascii"),
            }
        ]
    if payload["to"]:
        queue_message(session, kind="email", payload=payload, instance=case.instance)
    return {"subject": payload["subject"], "body": payload["body"], "language": language}


# In-app notices, for what one save of an instance brought (the engine's after-save hook,
# app/cases/sync.py): the human tasks that appeared and the messages it received.

MESSAGE_NOTICES = {
    "webinar_invitation": "The webinar invitation arrived",
    "funding_decision": "The funding decision arrived",
}
# Said again in the page language by app/notifications/display.py.
REMINDER_NOTICE = "Reminder: the {document} is not sent yet; the deadline is {deadline}"


def notice_time(case: Case | None, call: Call | None) -> datetime:
    """Now on the clock of the notice's call: a rehearsal's notices show the rehearsal's time."""
    call = case.call if case is not None else call
    return clock_now(call.clock) if call is not None else wall_now()


def create_notices(
    session: Session,
    case: Case | None,
    call: Call | None,
    new_tasks: Sequence[HumanTask],
    received: Sequence[AuditEvent] = (),
) -> list[Notice]:
    """Notices for the new human tasks and the received messages of one instance (a case's,
    or a call's own process): one row per task or message, for its audience."""
    now = notice_time(case, call)
    notices = [
        notice
        for task in new_tasks
        if (notice := _task_notice(session, task, case, call, now)) is not None
    ]
    if case is not None:
        notices += [
            notice
            for event in received
            if (notice := _message_notice(session, event, case, now)) is not None
        ]
    session.add_all(notices)
    return notices


def _task_notice(
    session: Session, task: HumanTask, case: Case | None, call: Call | None, now: datetime
) -> Notice | None:
    """The assignee of an assigned task, else the lane's group (applicant lanes: only the case
    organisation's applicants)."""
    where = f" – {case_label(case)}" if case is not None else ""
    if case is None and call is not None:
        where = f" – {call.title_in('en')}"
    audience: dict[str, Any]
    if task.assignee:
        user = user_by_name(session, task.assignee)
        if user is None:
            return None
        audience = {"user_id": user.id}
    elif task.candidate_group == "applicant":
        if case is None or case.organisation_id is None:
            return None
        audience = {"role": "applicant", "organisation_id": case.organisation_id}
    elif task.candidate_group:
        audience = {"role": task.candidate_group}
    else:
        return None
    return Notice(
        **audience,
        case_id=case.id if case is not None else None,
        kind="task_assigned",
        text=f"New task: {task.title}{where}"[:300],
        instance_id=task.instance_id,
        task_id=task.task_id,
        created_at=now,
    )


def _message_notice(
    session: Session, event: AuditEvent, case: Case, now: datetime
) -> Notice | None:
    """For everyone of the case's organisation (or whoever started a case without one)."""
    message = str(event.data.get("message", ""))
    text = MESSAGE_NOTICES.get(message, f"Message “{message}” received")
    audience: dict[str, Any] = {"organisation_id": case.organisation_id}
    if case.organisation_id is None:
        starter = user_by_name(session, case.created_by)
        if starter is None:
            return None
        audience = {"user_id": starter.id}
    return Notice(
        **audience,
        case_id=case.id,
        kind="message_received",
        text=f"{text} – {case_label(case)}"[:300],
        instance_id=event.instance_id,
        audit_event_id=event.id,
        created_at=now,
    )


def create_reminder_notice(
    session: Session, case: Case, document_kind: str, deadline: datetime
) -> Notice | None:
    """A notice to the applicants of the case's organisation (or to whoever started a case
    without one) that a draft of ``document_kind`` is not sent, naming the deadline in Helsinki
    time."""
    audience: dict[str, Any] = {"role": "applicant", "organisation_id": case.organisation_id}
    if case.organisation_id is None:
        starter = user_by_name(session, case.created_by)
        if starter is None:
            return None
        audience = {"user_id": starter.id}
    document = DOCUMENT_KINDS.get(document_kind, {}).get("en", document_kind.replace("_", " "))
    text = REMINDER_NOTICE.format(document=document, deadline=format_helsinki(deadline))
    notice = Notice(
        **audience,
        case_id=case.id,
        kind="deadline_reminder",
        text=f"{text} – {case_label(case)}"[:300],
        instance_id=case.instance_id,
        created_at=notice_time(case, None),
    )
    session.add(notice)
    return notice


def mark_notice_read(session: Session, notice: Notice, user: User) -> None:
    session.execute(
        upsert(
            session,
            NoticeRead,
            {"notice_id": notice.id, "user_id": user.id, "read_at": wall_now()},
            key=("notice_id", "user_id"),
            update={"notice_id": notice.id},
        )
    )


def mark_all_notices_read(session: Session, user: User) -> None:
    """Everything ``user`` can see now counts as read (one update, however many there are)."""
    user.notices_read_through = max(user.notices_read_through, newest_visible(session, user))
