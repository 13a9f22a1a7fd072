"""The public calls page and a call's page: no sign-in, in Finnish, Swedish and English, and
the way in for an applicant."""

from __future__ import annotations

import pytest

FINNISH = {"Accept-Language": "fi"}
SWEDISH = {"Accept-Language": "sv"}


@pytest.mark.usefixtures("demo")
def test_a_visitor_reaches_the_open_calls_first(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calls")
    page = client.get("/calls").get_data(as_text=True)
    assert "Network cooperation between regions: theme networks and growth zones 2021–2023" in page
    assert "2022–2024" in page  # the 2022 round, copied from 2021
    assert "Open for applications" in page
    assert "15.4.2021 16:15 (UTC+03:00)" in page


@pytest.mark.usefixtures("demo")
def test_the_call_page_shows_money_deadlines_webinar_contact_and_who_may_apply(client):
    page = client.get("/calls/regional-networks-2021").get_data(as_text=True)
    for text in (
        "€7,000,000",
        "€1,000,000 reserved for: Theme network",
        "Theme networks of regional cities",
        "15.4.2021 16:15 (UTC+03:00)",
        "2.6.2021 16:15 (UTC+03:00)",
        '<time class="countdown"',
        "Webinar for applicants: regional development networks and growth zones",
        "20.4.2021 12:30 (UTC+03:00) – 16:00",
        "Petra Stenfors",
        "029 504 7282",
        "LEADER group",
        "at least 4 municipalities in at least 2 regions",
        "The Government plenary session",
        "Sign in to apply",
        "Register your organisation",
    ):
        assert text in page, text


@pytest.mark.usefixtures("demo")
def test_the_call_page_writes_the_budget_as_its_language_does(client):
    page = {
        language: client.get(
            "/calls/regional-networks-2021", headers={"Accept-Language": language}
        ).get_data(as_text=True)
        for language in ("fi", "sv", "en")
    }

    assert "<dd>7\u00a0000\u00a0000\u00a0€</dd>" in page["fi"]
    assert "1\u00a0000\u00a0000\u00a0€ varattu" in page["fi"]
    assert "<dd>7\u00a0000\u00a0000\u00a0€</dd>" in page["sv"]
    assert "1\u00a0000\u00a0000\u00a0€ reserverat" in page["sv"]
    assert "<dd>€7,000,000</dd>" in page["en"]
    assert "<dd>EUR" not in page["fi"] + page["sv"] + page["en"]


@pytest.mark.usefixtures("demo")
def test_the_call_page_speaks_finnish_and_swedish(client):
    finnish = client.get("/calls/regional-networks-2021", headers=FINNISH).get_data(as_text=True)
    assert "Alueiden välinen verkostoyhteistyö" in finnish
    assert "Erityisasiantuntija" in finnish
    assert "Teemaverkosto" in finnish
    swedish = client.get("/calls/regional-networks-2021", headers=SWEDISH).get_data(as_text=True)
    assert "Nätverkssamarbete mellan regioner" in swedish
    assert "Specialsakkunnig" in swedish


def test_an_applicant_starts_an_application_from_the_call_page(signed_in, csrf_token):
    applicant = signed_in("applicant")
    page = applicant.get("/calls/regional-networks-2022").get_data(as_text=True)
    assert "Start an application" in page
    response = applicant.post(
        "/calls/regional-networks-2022/applications",
        data={"csrf_token": csrf_token(applicant, "/calls/regional-networks-2022")},
    )
    assert response.status_code == 302
    assert "/tasks/" in response.headers["Location"]


def test_staff_read_the_call_page_but_cannot_apply(signed_in):
    page = signed_in("specialist").get("/calls/regional-networks-2021").get_data(as_text=True)
    assert "Your account cannot start one" in page


@pytest.mark.usefixtures("demo")
def test_an_unknown_call_is_404(client):
    assert client.get("/calls/no-such-call").status_code == 404
