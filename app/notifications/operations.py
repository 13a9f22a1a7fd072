"""Emails to the people of a case, queued in the outbox of the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.auth.models import User
from app.notifications.compose import compose_email, email_language
from app.notifications.models import Notice, NoticeRead
from app.notifications.queries import case_label, newest_visible, user_by_name
from app.notifications.texts import DOCUMENT_KINDS
from app.timefmt import format_helsinki
from app.upsert import upsert
from workflows import clock_now, wall_now
from workflows.audit import queue_message
from workflows.models import AuditEvent, HumanTask
from workflows.rows import insert_now

if TYPE_CHECKING:
    from app.calls.models import Call
    from app.cases.models import Case


def notify_case(
    session: Session,
    case: Case,
    template: str,
    extra: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    *,
    partners: bool = False,
) -> dict[str, str]:
    """Queue the email ``template`` (compose_email) to the people of the case (with
    ``partners``, and to the partners' contacts), in the case language; returns the letter
    (subject, body, language)."""
    payload = compose_email(session, case, template, extra, data, partners=partners)
    return queue_email(session, case, payload)


def queue_email(session: Session, case: Case, payload: dict[str, Any]) -> dict[str, str]:
    """Queue a composed email (when it has someone to go to); returns the letter."""
    if payload["to"]:
        queue_message(session, kind="email", payload=payload, instance=case.instance)
    return {
        "subject": payload["subject"],
        "body": payload["body"],
        "language": email_language(case),
    }


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
    return list(insert_now(session, notices))


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
