"""Staff preview the email a send would make before it goes: the form page again, and below
it the email exactly as it is then queued (for the decision, one applicant's email and its
letter as a PDF). A preview queues, files and numbers nothing; only who may send the task
may preview it."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.cases.models import Document
from app.extensions import db
from tests.app.tasks.helpers import (
    SCORES,
    post,
    submit,
    walk_to_completeness_check,
    walk_to_evaluation,
)
from workflows.models import AuditEvent, HumanTask, OutboxMessage

REQUEST = {
    "complete": "false",
    "supplement_request": "Add the partners' letters of intent.\nSign the budget.",
    "supplement_due": "2021-06-09",
}
DECISION = {
    "decided_by_body": "ministry",
    "presenter": "Special adviser Petra Stenfors",
    "signatory": "Minister Mika Lintilä",
}


def previewed(page: str) -> dict[str, str]:
    """The email the preview shows: to, subject, body (as text)."""
    shown = {}
    for name, pattern in (
        ("to", r'<dd class="email-to">(.*?)</dd>'),
        ("subject", r'<dd class="email-subject">(.*?)</dd>'),
        ("body", r'<div class="letter-body email-body">(.*?)</div>'),
    ):
        found = re.search(pattern, page, re.S)
        assert found is not None, page[-3000:]
        shown[name] = html.unescape(found.group(1))
    return shown


def what_is_kept(app) -> tuple[int, ...]:
    """Outbox messages, documents, audit events and ready tasks: a preview changes none."""
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(table))
            for table in (OutboxMessage, Document, AuditEvent, HumanTask)
        )


def queued(app, template: str) -> list[dict]:
    with app.app_context():
        payloads = [m.payload for m in db.session.scalars(select(OutboxMessage))]
    return [payload for payload in payloads if payload.get("template") == template]


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_supplement_request_is_previewed_as_it_is_then_sent(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist, check = signed_in("specialist"), task_url("check_application")
    assert "Preview the email" in specialist.get(check).get_data(as_text=True)
    before = what_is_kept(app)

    response = post(specialist, csrf_token, f"{check}/preview", REQUEST, action="preview")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    shown = previewed(page)
    assert shown["to"] == "applicant@demo.grantflow.example"
    assert shown["subject"] == "Hakemuksen täydennyspyyntö"  # the case's language
    assert shown["body"] == (
        "Pyydämme täydentämään hakemusta 2021-06-09 mennessä:\n"
        "Add the partners' letters of intent.\nSign the budget.\n"
    )
    assert "Nothing was sent or saved." in page
    assert "Add the partners&#39; letters of intent." in page  # still in the form, to send
    assert f'action="{check}"' in page  # the form sends to the task, not to the preview
    assert what_is_kept(app) == before

    submit(specialist, csrf_token, check, REQUEST)

    [sent] = queued(app, "supplement_requested")
    assert (", ".join(sent["to"]), sent["subject"], sent["body"]) == (
        shown["to"],
        shown["subject"],
        shown["body"],
    )


def test_a_complete_application_previews_that_nothing_is_emailed(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    check = task_url("check_application")

    page = post(signed_in("specialist"), csrf_token, f"{check}/preview", {"complete": "true"})

    assert "The application is complete: nothing is emailed." in page.get_data(as_text=True)
    assert 'class="email-subject"' not in page.get_data(as_text=True)


def test_a_preview_of_a_form_with_errors_shows_the_errors_and_no_email(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    check = task_url("check_application")
    before = what_is_kept(app)

    response = post(
        signed_in("specialist"), csrf_token, f"{check}/preview", REQUEST | {"supplement_due": ""}
    )

    assert response.status_code == 422
    assert 'id="f-supplement_due-error"' in response.get_data(as_text=True)
    assert 'class="email-subject"' not in response.get_data(as_text=True)
    assert what_is_kept(app) == before


@pytest.mark.parametrize(
    ("username", "status"),
    [("applicant", 403), ("applicant2", 403), ("decision_maker", 403), ("process_owner", 403)],
)
def test_only_who_may_send_the_task_previews_its_email(
    app, signed_in, csrf_token, task_url, idea_form, move_clock, username, status
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    check = task_url("check_application")
    client = signed_in(username)

    response = post(client, csrf_token, f"{check}/preview", REQUEST)

    assert response.status_code == status
    assert "Preview the email" not in client.get(check).get_data(as_text=True)


def test_a_task_that_emails_nobody_has_no_preview(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    evaluation = task_url("evaluate_application", "specialist")
    specialist = signed_in("specialist")

    assert post(specialist, csrf_token, f"{evaluation}/preview", SCORES).status_code == 404
    assert "Preview the email" not in specialist.get(evaluation).get_data(as_text=True)


@pytest.fixture
def at_the_decision(signed_in, csrf_token, task_url, idea_form, move_clock):
    """One application found complete, evaluated and ranked: the decision is ready."""
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist = signed_in("specialist")
    submit(specialist, csrf_token, task_url("evaluate_application", "specialist"), SCORES)
    submit(
        signed_in("evaluator"), csrf_token, task_url("evaluate_application", "evaluator"), SCORES
    )
    ranking = {
        "proposals.0.proposed_amount": "300000",
        "proposals.0.justification": "Strong",
        "proposal_memo": "One application.",
    }
    submit(specialist, csrf_token, task_url("rank_applications"), ranking)
    return task_url("decide_funding")


def test_the_decision_is_previewed_with_its_letter_as_it_is_then_sent(
    app, signed_in, csrf_token, at_the_decision
):
    decision_maker, decide = signed_in("decision_maker"), at_the_decision
    before = what_is_kept(app)

    response = post(decision_maker, csrf_token, f"{decide}/preview", DECISION, action="preview")

    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-3000:]
    shown = previewed(page)
    assert shown["subject"] == "Päätös rahoitushakemukseen"
    assert "Hanke: Lakeland growth corridor (VN/1/2021)\n" in shown["body"]
    assert "Myönnetty määrä: 300\u00a0000\u00a0€\n" in shown["body"]
    assert "Päätös VN/1/2021-4 on liitteenä" in shown["body"]  # the number it will be filed under
    link = html.unescape(re.search(r'<a href="([^"]+)" type="application/pdf">', page).group(1))
    assert ">VN-1-2021-4.pdf</a>" in page
    letter = decision_maker.get(link)
    assert (letter.mimetype, letter.data[:5]) == ("application/pdf", b"%PDF-")
    previewed_letter = pdf_text(letter.data)
    assert "Dnro VN/1/2021 Asiakirja VN/1/2021-4" in previewed_letter
    assert "Allekirjoittaja: Minister Mika Lintilä" in previewed_letter
    assert signed_in("applicant").get(link).status_code == 403
    assert what_is_kept(app) == before  # nothing queued, filed or numbered

    submit(decision_maker, csrf_token, decide, DECISION | {"approved": "true"})

    [sent] = queued(app, "decision_letter")
    assert (sent["subject"], sent["body"]) == (shown["subject"], shown["body"])
    with app.app_context():
        filed = db.session.scalar(select(Document).where(Document.kind == "decision"))
        assert filed.registry_number == "VN/1/2021-4"
        assert pdf_text(filed.pdf) == previewed_letter


def test_a_decision_preview_needs_who_signs_as_the_approval_does(
    app, signed_in, csrf_token, at_the_decision
):
    response = post(
        signed_in("decision_maker"),
        csrf_token,
        f"{at_the_decision}/preview",
        DECISION | {"signatory": ""},
    )

    assert response.status_code == 422
    assert 'id="f-signatory-error"' in response.get_data(as_text=True)
