"""The case list: search and filters for staff, as GET parameters; applicants see their own."""

import pytest

from tests.app.cases.helpers import open_case, send_idea


@pytest.fixture
def three_cases(signed_in, csrf_token, idea_form, move_clock):
    """Tampere's theme network (VN/1/2021), Lapland's growth zone (VN/2/2021), and a Tampere
    draft closed as late when the idea deadline passed."""
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    lapland = idea_form | {"project_name": "Arctic corridor", "application_object": "growth_zone"}
    send_idea(signed_in("applicant2"), csrf_token, lapland)
    open_case(signed_in("applicant"), csrf_token)
    move_clock("2021-04-15T16:15:01+03:00")


def listed(client, **params):
    page = client.get("/cases", query_string=params).get_data(as_text=True)
    return [
        name for name in ("Lakeland growth corridor", "Arctic corridor", "case-3") if name in page
    ]


def test_case_list_search_matches_project_applicant_and_case_or_document_number(
    signed_in, three_cases
):
    specialist = signed_in("specialist")
    assert listed(specialist) == ["Lakeland growth corridor", "Arctic corridor", "case-3"]
    assert listed(specialist, q="lakeland") == ["Lakeland growth corridor"]
    assert listed(specialist, q="Pohjoisin") == ["Arctic corridor"]
    assert listed(specialist, q="VN/2/2021") == ["Arctic corridor"]
    assert listed(specialist, q="VN/1/2021-2") == ["Lakeland growth corridor"]  # its invitation
    assert listed(specialist, q="100%") == []


def test_case_list_filters_by_object_state_call_and_phase(signed_in, three_cases):
    specialist = signed_in("specialist")
    assert listed(specialist, application_object="growth_zone") == ["Arctic corridor"]
    assert listed(specialist, state="closed") == ["case-3"]
    assert listed(specialist, state="open") == ["Lakeland growth corridor", "Arctic corridor"]
    assert listed(specialist, call="regional-networks-2021", state="open", q="corridor") == [
        "Lakeland growth corridor",
        "Arctic corridor",
    ]
    assert listed(specialist, call="no-such-call") == []
    assert listed(specialist, phase="Closed as late (idea)") == ["case-3"]


def test_case_list_offers_the_phases_and_keeps_the_chosen_filters(signed_in, three_cases):
    page = signed_in("decision_maker").get("/cases?state=closed&q=x").get_data(as_text=True)
    assert '<option value="Closed as late (idea)">' in page
    assert '<option value="closed" selected>' in page
    assert 'name="q" value="x"' in page
    assert "Clear the filters" in page


def test_applicants_see_only_their_organisation_cases_whatever_they_search(signed_in, three_cases):
    applicant2 = signed_in("applicant2")
    assert listed(applicant2) == ["Arctic corridor"]
    assert listed(applicant2, q="Lakeland") == []
    assert 'role="search"' not in applicant2.get("/cases").get_data(as_text=True)


def test_case_list_shows_the_rehearsal_banner(signed_in):
    page = signed_in("specialist").get("/cases").get_data(as_text=True)
    assert "runs on a rehearsal clock" in page
