"""The screening's own rule: inviting an idea that the process found not eligible, or that the
specialist marks not compatible with the AKKE appropriation, is an explicit override with a
written reason, and the audit log keeps it.

The form's schema says the AKKE half itself (an if/then); it cannot see the eligibility the
process computed into the case data (``eligible``, by its decision table), so the server checks
both here, with a message at each field. A rejection needs no override.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflows import clock_now
from workflows.audit import record_event
from workflows.models import WorkflowInstance

SCREENING_TASK = "screen_idea"
OVERRIDDEN = "eligibility_overridden"
# What an override overrides, as the audit log writes it (app.i18n.labels shows it translated).
NOT_ELIGIBLE = "not eligible"
NOT_AKKE = "not compatible with AKKE"
SUMMARY_PREFIX = "Invited to apply although "
SUMMARY_MAX = 300  # what the audit log keeps of a summary; the data keeps the whole reason


def override_grounds(task_data: Mapping[str, Any], sent: Mapping[str, Any]) -> list[str]:
    """What inviting this idea overrides: [] unless the specialist chose to invite it."""
    if sent.get("screening_result") != "proceed":
        return []
    grounds = []
    if task_data.get("eligible") is False:
        grounds.append(NOT_ELIGIBLE)
    if sent.get("akke_compatible") is False:
        grounds.append(NOT_AKKE)
    return grounds


def _reason(sent: Mapping[str, Any]) -> str:
    reason = sent.get("override_reason")
    return reason.strip() if isinstance(reason, str) else ""


def check_override(task_data: Mapping[str, Any], sent: Mapping[str, Any]) -> dict[str, str]:
    """Errors by field when an invitation overrides the rules without saying so and why."""
    grounds = override_grounds(task_data, sent)
    if not grounds:
        return {}
    errors = {}
    if sent.get("override_eligibility") is not True:
        if grounds == [NOT_ELIGIBLE]:
            message = _(
                "The automatic check found this idea not eligible: to invite it anyway, tick "
                "this box and write the reason below."
            )
        elif grounds == [NOT_AKKE]:
            message = _(
                "You marked this idea not compatible with AKKE: to invite it anyway, tick this "
                "box and write the reason below."
            )
        else:
            message = _(
                "This idea is not eligible and you marked it not compatible with AKKE: to "
                "invite it anyway, tick this box and write the reason below."
            )
        errors["override_eligibility"] = message
    if not _reason(sent):
        errors["override_reason"] = _(
            "Write why the idea is invited anyway: the reason is kept in the audit log."
        )
    return errors


def record_override(
    session: Session,
    instance: WorkflowInstance,
    task_id: str,
    task_data: Mapping[str, Any],
    sent: Mapping[str, Any],
    actor: str,
) -> None:
    """The audit event of an invitation that overrode the rules (after its task was sent)."""
    grounds = override_grounds(task_data, sent)
    if not grounds:
        return
    reason = _reason(sent)
    head = f"{SUMMARY_PREFIX}{' and '.join(grounds)}: "
    room = SUMMARY_MAX - len(head)
    shown = reason if len(reason) <= room else reason[: room - 1].rstrip() + "…"
    record_event(
        session,
        actor=actor,
        kind=OVERRIDDEN,
        instance=instance,
        task_id=task_id,
        summary=head + shown,
        data={
            "grounds": grounds,
            "reason": reason,
            "eligibility_reason": task_data.get("eligibility_reason"),
        },
        clock_at=clock_now(instance.clock),
    )
