"""The `notify` service operator of the process files."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.cases.queries import case_of_instance
from app.notifications.operations import notify_case
from workflows import ServiceCall, register_operator

TEMPLATES = (
    "webinar_invitation",
    "supplement_requested",
    "decision_letter",
    "closed_late",
    "not_eligible",
)


def _passed_deadline(data: dict[str, Any], now: datetime) -> datetime | None:
    deadlines = [
        datetime.fromisoformat(data[key])
        for key in ("supplement_due_at", "application_deadline", "idea_deadline")
        if data.get(key)
    ]
    return max((d for d in deadlines if d <= now), default=None)


@register_operator("notify")
def notify(call: ServiceCall) -> dict[str, Any]:
    template = call.params["template"]
    if template not in TEMPLATES:
        raise ValueError(f"unknown notice template {template!r}")
    case = case_of_instance(call.session, call.instance.id)
    extra = {"deadline": _passed_deadline(call.data, call.now)} if template == "closed_late" else {}
    notify_case(call.session, case, template, extra, data=call.data)
    return {"template": template, "sent_at": call.now.isoformat()}
