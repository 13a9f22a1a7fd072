"""Preview the email before it goes: what a staff member's send of a task would email the
applicant, composed by the functions that compose it when the send runs
(app/notifications/compose.py), from the data as it would be then: the process's own steps
between the send and the email run on it (workflows.dry_run). A preview files, numbers and
queues nothing.

Two sends email applicants: the completeness check's request for a supplement, and the
decision maker's approval, which sends every case of the ranking its decision letter (the
preview shows one case's email and, as a PDF, its letter).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import Session

from app.cases.models import Case
from app.cases.registry import next_document_number
from app.forms.sanitize import sanitize_for_engine
from app.notifications.compose import (
    DecisionEmail,
    compose_decision,
    compose_email,
    email_language,
)
from app.notifications.operators import TEMPLATES
from app.owners import Owner
from app.tasks.hooks import COMPLETENESS_TASK
from workflows import DryRunFailed, StepUnavailable, TaskView, clock_now, dry_run, summarize
from workflows.models import WorkflowInstance

DECISION_TASK = "decide_funding"
# The process's steps between those sends and their emails, run on the data as it would be.
SUPPLEMENT_DEADLINE_STEP = "set_supplement_deadline"
PREPARE_DECISIONS_STEP = "prepare_decisions"
# The values of the button a preview stands for: "Approve and send the decisions".
STANDS_FOR = {DECISION_TASK: {"approved": True}}


@dataclass(frozen=True)
class PreviewedEmail:
    case: Case
    email: dict[str, Any]  # as the outbox would hold it: to, subject, body, ...
    language: str
    attachment: str | None = None  # the file name of the letter it carries


@dataclass(frozen=True)
class EmailPreview:
    emails: list[PreviewedEmail]
    note: str  # what the send emails, or why it emails nothing
    shown_case: int | None = None


def previews_email(spec_name: str) -> bool:
    return spec_name in (COMPLETENESS_TASK, DECISION_TASK)


def stands_for(spec_name: str) -> dict[str, Any]:
    return dict(STANDS_FOR.get(spec_name, {}))


def preview_cases(view: TaskView) -> list[tuple[int, str]]:
    """The cases of the ranking a decision preview may show: (case id, project)."""
    if view.row.spec_name != DECISION_TASK:
        return []
    return [
        (int(row["case_id"]), str(row.get("project_name") or row.get("case_key") or ""))
        for row in view.data.get("proposals") or []
        if isinstance(row, dict) and row.get("case_id") is not None
    ]


def preview_email(
    session: Session,
    owner: Owner,
    instance: WorkflowInstance,
    view: TaskView,
    sent: dict[str, Any],
    case_id: int | None = None,
) -> EmailPreview:
    """What sending the task of ``instance`` with the form data ``sent`` (read and checked)
    would email; ``case_id``: the case of the ranking whose decision to show (else the
    first)."""
    data = view.data | sanitize_for_engine(sent)
    if view.row.spec_name == COMPLETENESS_TASK:
        return _supplement_request(session, owner, data)
    return _decision(session, instance, view, data, case_id)


def _supplement_request(session: Session, owner: Owner, data: dict[str, Any]) -> EmailPreview:
    case = owner.case
    if case is None or data.get("complete") is True:
        return EmailPreview([], _("The application is complete: nothing is emailed."))
    if case.instance is not None:  # the process's own step between the check and its email
        with suppress(DryRunFailed, StepUnavailable):
            data = dry_run(case.instance, [SUPPLEMENT_DEADLINE_STEP], data)
    template = "supplement_requested"
    email = compose_email(session, case, template, data=data, partners=TEMPLATES[template].partners)
    note = _("Sending asks the applicant for the supplement with this email.")
    return EmailPreview([PreviewedEmail(case, email, email_language(case))], note)


def _decision(
    session: Session,
    instance: WorkflowInstance,
    view: TaskView,
    data: dict[str, Any],
    case_id: int | None,
) -> EmailPreview:
    choices = preview_cases(view)
    if data.get("approved") is not True or not choices:
        return EmailPreview([], _("Nothing is emailed: no decision is sent."))
    shown = case_id if case_id in dict(choices) else choices[0][0]
    case = session.get_one(Case, shown)
    try:
        decision = decision_email(session, case, decisions_of(instance, data), with_pdf=False)
    except LookupError:
        return EmailPreview([], _("The preview cannot show the decisions of this process."))
    email = PreviewedEmail(case, decision.email, email_language(case), decision.filename)
    note = ngettext(
        "Approving sends the applicant its decision letter. Here is the email with the letter.",
        "Approving sends each of the %(num)d applicants its decision letter. Here is the email "
        "to one of them, with its letter.",
        len(choices),
    )
    return EmailPreview([email], note, shown)


def decision_letter_pdf(
    session: Session,
    instance: WorkflowInstance,
    view: TaskView,
    sent: dict[str, Any],
    case_id: int,
) -> tuple[bytes, str]:
    """The PDF of the decision letter the send would make for one case of the ranking, and
    its file name. Raises LookupError when the case is not in the ranking."""
    if case_id not in dict(preview_cases(view)):
        raise LookupError(f"case {case_id} is not in the ranking")
    data = view.data | sanitize_for_engine(sent)
    case = session.get_one(Case, case_id)
    decision = decision_email(session, case, decisions_of(instance, data), with_pdf=True)
    assert decision.pdf is not None
    return decision.pdf, decision.filename


def decisions_of(instance: WorkflowInstance, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The decisions the call process's own step makes of the approved proposal, by case key
    (run on the data, nothing stored). Raises LookupError when the process has no such step
    or it fails."""
    try:
        made = dry_run(instance, [PREPARE_DECISIONS_STEP], data)
    except (DryRunFailed, StepUnavailable) as failed:
        raise LookupError(str(failed)) from failed
    return {
        str(decision.get("case_key")): decision
        for decision in made.get("decisions") or []
        if isinstance(decision, dict)
    }


def decision_email(
    session: Session, case: Case, decisions: dict[str, dict[str, Any]], *, with_pdf: bool
) -> DecisionEmail:
    """The case's decision as the send would make it: the case's data with its decision,
    under the number its next document gets, on the case's clock. Raises LookupError when
    the decisions have none for the case."""
    if case.key not in decisions or case.instance is None:
        raise LookupError(f"no decision for {case.key}")
    case_data = summarize(session, case.instance).data | {"decision": decisions[case.key]}
    now = clock_now(case.instance.clock)
    number = next_document_number(case)
    partners = TEMPLATES["decision_letter"].partners
    return compose_decision(
        session, case, case_data, number, now, partners=partners, with_pdf=with_pdf
    )
