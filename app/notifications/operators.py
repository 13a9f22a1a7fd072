"""The `notify` service operator of the process files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.cases.models import Case
from app.cases.queries import case_of_instance
from app.cases.registry import register_outgoing
from app.letters.decision import decision_letter, letter_pdf
from app.notifications.operations import notify_case
from workflows import ServiceCall, register_operator

TEMPLATES = (
    "webinar_invitation",
    "supplement_requested",
    "decision_letter",
    "closed_late",
    "not_eligible",
)
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
    case = case_of_instance(call.session, call.instance)
    if template == "decision_letter":
        return _decision_letter(call, case)
    extra = {"deadline": _passed_deadline(call.data, call.now)} if template == "closed_late" else {}
    letter = notify_case(call.session, case, template, extra, data=call.data)
    result = {"template": template, "sent_at": call.now.isoformat()}
    if template in REGISTERED_LETTERS:
        document = register_outgoing(
            call.session, case, REGISTERED_LETTERS[template], letter, call.now, call.actor.username
        )
        result["registry_number"] = document.registry_number
    return result


def _decision_letter(call: ServiceCall, case: Case) -> dict[str, Any]:
    """File the decision under its number, draw its PDF from the filed content, and email it
    to the applicant with the PDF attached."""
    document = register_outgoing(call.session, case, "decision", {}, call.now, call.actor.username)
    letter = decision_letter(case, call.data, document.registry_number, call.now)
    document.pdf = letter_pdf(letter)
    filename = f"{document.registry_number.replace('/', '-')}.pdf"
    email = notify_case(
        call.session,
        case,
        "decision_letter",
        {"attachment": (filename, document.pdf), "decision_number": document.registry_number},
        data=call.data,
    )
    document.data = email | {"letter": letter, "filename": filename}
    return {
        "template": "decision_letter",
        "sent_at": call.now.isoformat(),
        "registry_number": document.registry_number,
    }
