"""The idea form checks its eligibility before Send: "Check eligibility" keeps a draft and shows
what the call's decision table (the one the screening gets) says of the idea as typed, in the
page language; a page reloaded with a draft shows it again. Sending an ineligible idea stays
possible."""

import html
import re

from sqlalchemy import select

from app.cases.models import Document, TaskDraft
from app.extensions import db
from tests.app.tasks.test_idea_places import choose_language
from tests.app.tasks.test_views import count, send, start_application
from workflows.models import HumanTask


def two_municipalities_in_one_region(idea_form: dict[str, str]) -> dict[str, str]:
    """The lead (Tampere, Pirkanmaa) and one partner (Nokia, Pirkanmaa): a theme network needs
    4 municipalities in 2 regions."""
    return {
        key: value
        for key, value in idea_form.items()
        if not key.startswith(("partners.1.", "partners.2."))
    }


def eligibility_box(page: str) -> str:
    """The eligibility box as a person reads it: its text, tags dropped, spaces joined."""
    found = re.search(r'<section id="eligibility".*?</section>', page, re.S)
    assert found is not None, "no eligibility box on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def check(client, url, form, csrf_token):
    """Press "Check eligibility"; returns the page it leads to."""
    response = send(client, url, form, csrf_token, action="check")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#eligibility")
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_two_municipalities_in_one_region_are_not_eligible_and_say_why(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    page = check(applicant, url, two_municipalities_in_one_region(idea_form), csrf_token)
    box = eligibility_box(page)
    assert (
        "Not eligible: Too few municipalities take part for the application object chosen." in box
    )
    assert "Counted, your own organisation included: municipalities 2, regions 1." in box
    assert "You can still send the proposal" in box
    assert page.index('id="eligibility"') < page.index('value="send" class="button"')
    assert count(app, TaskDraft) == 1  # the check kept a draft; nothing was sent
    assert count(app, Document) == 0


def test_a_valid_idea_is_eligible(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    box = eligibility_box(check(applicant, url, idea_form, csrf_token))
    assert box.startswith("Eligibility check Eligible: The applicant type, the application object")
    assert "municipalities 4, regions 2." in box
    assert "Not eligible" not in box


def test_the_result_is_shown_again_when_the_page_is_reloaded_after_a_draft(
    signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    assert 'id="eligibility"' not in applicant.get(url).get_data(as_text=True)  # nothing yet
    assert 'value="check"' in applicant.get(url).get_data(as_text=True)
    send(applicant, url, two_municipalities_in_one_region(idea_form), csrf_token, action="draft")
    box = eligibility_box(applicant.get(url).get_data(as_text=True))
    assert "Not eligible: Too few municipalities" in box


def test_the_reason_is_in_finnish_and_in_swedish(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    send(applicant, url, two_municipalities_in_one_region(idea_form), csrf_token, action="draft")
    choose_language(applicant, csrf_token, "fi")
    box = eligibility_box(applicant.get(url).get_data(as_text=True))
    assert "Ei täytä ehtoja: Mukana on liian vähän kuntia valittuun hakukohteeseen." in box
    assert "kuntia 2, maakuntia 1." in box
    choose_language(applicant, csrf_token, "sv")
    box = eligibility_box(applicant.get(url).get_data(as_text=True))
    assert "Uppfyller inte villkoren: För få kommuner deltar för det valda" in box


def test_regions_are_counted_by_the_process_s_own_rule(signed_in, csrf_token, idea_form):
    """Four municipalities, all in Pirkanmaa: enough municipalities, too few regions."""
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    one_region = idea_form | {"partners.2.region": "06", "partners.2.municipality": "562"}
    box = eligibility_box(check(applicant, url, one_region, csrf_token))
    assert "Not eligible: The participants come from too few regions (maakunta)" in box
    assert "municipalities 4, regions 1." in box


def test_an_ineligible_idea_can_still_be_sent(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = send(applicant, url, two_municipalities_in_one_region(idea_form), csrf_token)
    assert response.status_code == 302
    assert count(app, Document) == 1


def test_a_form_sent_back_with_errors_shows_its_eligibility(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    form = two_municipalities_in_one_region(idea_form) | {"project_name": ""}
    response = send(applicant, url, form, csrf_token)
    assert response.status_code == 422
    assert "Not eligible: Too few municipalities" in eligibility_box(
        response.get_data(as_text=True)
    )


def test_other_tasks_offer_no_check(app, signed_in, csrf_token, idea_form, move_clock, task_url):
    from tests.app.tasks.helpers import walk_to_screening

    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    page = signed_in("specialist").get(task_url("screen_idea")).get_data(as_text=True)
    assert 'value="check"' not in page
    with app.app_context():
        assert db.session.scalar(select(HumanTask.spec_name)) == "screen_idea"
