"""The `notify` service operator of the process files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.cases.models import Case, TaskDraft
from app.cases.queries import case_of_instance
from app.cases.registry import register_outgoing
from app.notifications.compose import compose_decision
from app.notifications.operations import create_reminder_notice, notify_case, queue_email
from workflows import ServiceCall, register_operator
from workflows.models import HumanTask


@dataclass(frozen=True)
class Template:
    """What a template of the notify service does besides its email to the applicant."""

    # Also to the partners' contacts of the case (the idea proposal's partners).
    partners: bool = False
    # Only while the task its timer is attached to holds a saved draft not yet sent, before
    # that task's deadline; with an in-app notice too.
    only_with_draft: bool = False


TEMPLATES = {
    "webinar_invitation": Template(partners=True),
    "supplement_requested": Template(),
    "decision_letter": Template(partners=True),
    "closed_late": Template(),
    "not_eligible": Template(),
    "deadline_reminder": Template(only_with_draft=True),
}
# Letters the registry numbers and files as documents of the case, by the kind they are filed as.
REGISTERED_LETTERS = {"webinar_invitation": "webinar_invitation"}  # the decision: below


def _passed_deadline(data: dict[str, Any], now: datetime) -> datetime | None:
    """The latest deadline in the case data that has passed (names ending in _deadline or
    _due_at, e.g. idea_deadline, supplement_due_at)."""
    deadlines = []
    for key, value in data.items():
        if key.endswith(("_deadline", "_due_at")) and isinstance(value, str):
            try:
                deadlines.append(datetime.fromisoformat(value))
            except ValueError:
                continue
    return max((d for d in deadlines if d.tzinfo is not None and d <= now), default=None)


@register_operator("notify")
def notify(call: ServiceCall) -> dict[str, Any]:
    template = call.params["template"]
    if template not in TEMPLATES:
        raise ValueError(f"unknown notice template {template!r}")
    options = TEMPLATES[template]
    case = case_of_instance(call.session, call.instance)
    if template == "decision_letter":
        return _decision_letter(call, case)
    if options.only_with_draft:
        return _reminder(call, case, template)
    extra = {"deadline": _passed_deadline(call.data, call.now)} if template == "closed_late" else {}
    letter = notify_case(
        call.session, case, template, extra, data=call.data, partners=options.partners
    )
    result = {"template": template, "sent_at": call.now.isoformat()}
    if template in REGISTERED_LETTERS:
        document = register_outgoing(
            call.session, case, REGISTERED_LETTERS[template], letter, call.now, call.actor.username
        )
        result["registry_number"] = document.registry_number
    return result


def _reminder(call: ServiceCall, case: Case, template: str) -> dict[str, Any]:
    """Remind the applicant of a draft not sent, by email and by a notice, when the task the
    timer is attached to holds one and its deadline is still ahead; otherwise nothing.

    A reminder whose moment had passed before its task began (a case opened two days before
    the deadline meets its 7-day reminder at once) is not sent late: its timer fires in the
    step that made the task ready, before the task could be indexed or hold a draft. A clock
    moved past the deadline in one go fires the reminders and the deadline together: no
    reminder goes out after the deadline. A clock moved past two reminders of the task at once
    (the week's and the day's) sends only the later one: the earlier says nothing."""
    if call.later_timer_due:
        return {"template": template, "sent_at": None}
    task = (
        call.session.scalar(
            select(HumanTask).where(
                HumanTask.instance_id == call.instance.id,
                HumanTask.task_id == call.timer_attached_to,
            )
        )
        if call.timer_attached_to
        else None
    )
    draft = (
        call.session.scalar(
            select(TaskDraft.id).where(
                TaskDraft.instance_id == call.instance.id, TaskDraft.task_id == task.task_id
            )
        )
        if task is not None
        else None
    )
    if task is None or draft is None or task.due_at is None or task.due_at <= call.now:
        return {"template": template, "sent_at": None}
    document_kind = str(call.params.get("document") or task.spec_name)
    extra = {"deadline": task.due_at, "document_kind": document_kind}
    notify_case(call.session, case, template, extra, data=call.data)
    create_reminder_notice(call.session, case, document_kind, task.due_at)
    return {"template": template, "sent_at": call.now.isoformat()}


def _decision_letter(call: ServiceCall, case: Case) -> dict[str, Any]:
    """File the decision under its number, draw its PDF from the filed content, and email it
    to the applicant and the partners' contacts with the PDF attached."""
    document = register_outgoing(call.session, case, "decision", {}, call.now, call.actor.username)
    decision = compose_decision(
        call.session,
        case,
        call.data,
        document.registry_number,
        call.now,
        partners=TEMPLATES["decision_letter"].partners,
    )
    document.pdf = decision.pdf
    email = queue_email(call.session, case, decision.email)
    document.data = email | {"letter": decision.letter, "filename": decision.filename}
    return {
        "template": "decision_letter",
        "sent_at": call.now.isoformat(),
        "registry_number": document.registry_number,
    }
