"""The completeness check's instructions cite the case the specialist files under (its case
number), not the number of the application document inside it, and the amount in the page
language."""

import re

from sqlalchemy import select

from app.cases.models import Case, Document
from app.extensions import db
from tests.app.tasks.helpers import walk_to_completeness_check
from tests.app.tasks.test_views import send, start_application


def numbers(app) -> tuple[str, str]:
    """The case number and the application document's number."""
    with app.app_context():
        case = db.session.scalar(select(Case))
        document = db.session.scalar(
            select(Document).where(Document.case_id == case.id, Document.kind == "application")
        )
        return case.case_number, document.registry_number


def test_the_completeness_check_cites_the_case_number_in_each_language(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    case_number, document_number = numbers(app)
    specialist, check = signed_in("specialist"), task_url("check_application")

    page = {
        language: specialist.get(check, headers={"Accept-Language": language}).get_data(
            as_text=True
        )
        for language in ("en", "fi", "sv")
    }

    assert case_number == "VN/1/2021"
    assert document_number != case_number
    assert (
        '<p>Application "Lakeland growth corridor", case number VN/1/2021, amount applied for '
        "<strong>€400,000</strong>.</p>"
    ) in page["en"]
    assert "diaarinumero VN/1/2021, haettu määrä <strong>400&nbsp;000&nbsp;€</strong>" in page["fi"]
    assert "diarienummer VN/1/2021, sökt belopp <strong>400&nbsp;000&nbsp;€</strong>" in page["sv"]
    for text in page.values():  # the instructions name the case, not a document in it
        instructions = re.search(r'<div class="instructions">(.*?)</div>', text, re.S)
        assert instructions is not None
        assert document_number not in instructions.group(1)


def test_the_screening_cites_the_case_number_in_each_language(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    applicant = signed_in("applicant")
    send(applicant, start_application(applicant, csrf_token), idea_form, csrf_token)
    move_clock("2021-04-15T16:15:01+03:00")
    with app.app_context():
        case = db.session.scalar(select(Case))
        document = db.session.scalar(select(Document).where(Document.case_id == case.id))
        case_number, document_number = case.case_number, document.registry_number
    specialist, screening = signed_in("specialist"), task_url("screen_idea")

    for language, label in (("en", "Case number"), ("fi", "Diaarinumero"), ("sv", "Diarienummer")):
        page = specialist.get(screening, headers={"Accept-Language": language})
        instructions = re.search(
            r'<div class="instructions">(.*?)</div>', page.get_data(as_text=True), re.S
        )
        assert instructions is not None
        assert f"{label}: {case_number}" in instructions.group(1)
        assert document_number not in instructions.group(1)
