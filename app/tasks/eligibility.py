"""The idea form's live eligibility check: before Send, the applicant sees whether the idea
meets the call's rules, and why not, in the page language.

It is the check the specialist's screening gets later: the steps of the case's own process
version (its counting script, then its eligibility decision table) run on the form as typed,
with the case data around it (workflows.dry_run). Sending stays possible when the idea is not
eligible: the applicant may disagree, and the specialist decides. A case whose process version
has no such steps gets no check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.forms.sanitize import sanitize_for_engine
from app.i18n.process_texts import translate
from workflows import DryRunFailed, StepUnavailable, TaskView, dry_run, has_steps
from workflows.models import WorkflowInstance

IDEA_TASK = "send_idea_proposal"
# The process's own steps after the idea form: they count the places, then decide.
STEPS = ("count_municipalities", "check_eligibility")


@dataclass(frozen=True)
class Eligibility:
    eligible: bool | None  # None: it could not be checked
    reason: str  # in the page language
    municipalities: int | None = None
    regions: int | None = None


def offers_check(instance: WorkflowInstance, view: TaskView) -> bool:
    return view.row.spec_name == IDEA_TASK and has_steps(instance, STEPS)


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def check_eligibility(
    instance: WorkflowInstance, view: TaskView, typed: Mapping[str, Any]
) -> Eligibility:
    """What the screening's decision table says of the idea as ``typed`` on its form."""
    try:
        result = dry_run(instance, STEPS, view.data | sanitize_for_engine(typed))
    except (DryRunFailed, StepUnavailable, ValueError):
        return Eligibility(
            None,
            _(
                "The eligibility could not be checked from what the form holds now. You can "
                "still send the proposal: the ministry's specialist checks it."
            ),
        )
    reason = result.get("eligibility_reason")
    return Eligibility(
        result.get("eligible") is True,
        translate(reason if isinstance(reason, str) else "", instance),
        _count(result.get("municipality_count")),
        _count(result.get("region_count")),
    )
