"""An applicant, a specialist and evaluators in Finnish pages, in a real Chromium: the idea's
eligibility is checked before Send, the specialist who invites an ineligible idea must give a
reason, which the case's timeline keeps, and an evaluator with a conflict of interest passes the
evaluation to a reserve evaluator; every label as the Finnish catalogs give it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.bpmn.conftest import Rehearsal
from tests.browser.axe import violations
from tests.browser.test_journeys import IDEA_DEADLINE_PASSED, PARTNERS, case_url_of, fill_idea

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PROCESS_TEXTS = json.loads((ROOT / "bpmn" / "translations" / "fi.json").read_text("utf-8"))
INTERFACE = Translations.load(str(ROOT / "app" / "translations"), ["fi"])
START_2021 = re.compile(r"^Aloita hakemus\W+Alueiden välinen verkostoyhteistyö.*2021–2023$")
SENT = re.compile(r"lähetettiin|Vastaanotettu\. Diaarinumero")


def finnish(text: str) -> str:
    """A text as the Finnish pages show it: the process's catalog, else the interface's."""
    return PROCESS_TEXTS.get(text) or INTERFACE.gettext(text)


def in_finnish(page: Page) -> Page:
    page.goto("/cases")
    page.get_by_role("button", name="Suomi").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    return page


def send(page: Page) -> None:
    page.get_by_role("button", name=finnish("Send"), exact=True).click()


def test_a_finnish_specialist_invites_an_ineligible_idea_only_with_a_reason(as_user, move_clock):
    applicant = in_finnish(as_user("applicant"))
    applicant.get_by_role("button", name=START_2021).click()
    expect(applicant.get_by_role("heading", level=1)).to_have_text(
        finnish("Write and send the idea proposal")
    )
    fill_idea(applicant, partners=PARTNERS[:1], say=finnish)  # 2 municipalities in 1 region
    applicant.get_by_role("button", name=finnish("Check eligibility")).click()
    box = applicant.get_by_role("region", name=finnish("Eligibility check"))
    expect(box).to_contain_text("Ei täytä ehtoja: Mukana on liian vähän kuntia")
    expect(box).to_contain_text("kuntia 2, maakuntia 1")
    assert violations(applicant) == []
    send(applicant)  # the applicant may disagree: it is sent all the same
    expect(applicant.get_by_role("status").filter(has_text=SENT)).to_be_visible()

    move_clock(IDEA_DEADLINE_PASSED)
    specialist = in_finnish(as_user("specialist"))
    specialist.goto("/tasks")
    screening = finnish("Screen the idea proposal")
    specialist.get_by_role("link", name=screening).first.click()
    expect(specialist.get_by_role("heading", level=1)).to_have_text(screening)
    specialist.get_by_label(finnish("Compatible with AKKE appropriation")).check()
    specialist.get_by_role("radio", name=finnish("Invite to apply")).check()
    send(specialist)
    expect(specialist.get_by_role("alert")).to_be_visible()  # refused: no reason given
    assert violations(specialist) == []
    specialist.get_by_label(finnish("Invite although ineligible / not AKKE-compatible")).check()
    specialist.get_by_label(finnish("Reason for inviting it anyway")).fill(
        "Kaksi kuntaa lisää on sitoutunut määräajan jälkeen."
    )
    case_url = case_url_of(specialist)
    send(specialist)
    expect(specialist.get_by_role("status").filter(has_text=SENT)).to_be_visible()
    specialist.goto(case_url)
    expect(specialist.locator("html")).to_have_attribute("lang", "fi")
    expect(specialist.get_by_role("region", name=finnish("Timeline"))).to_contain_text(
        "Kaksi kuntaa lisää on sitoutunut määräajan jälkeen."
    )
    assert violations(specialist) == []


@pytest.fixture
def evaluating(app, live_server, make_user, make_organisation):
    """The 2021 call at evaluation: an application screened, sent and found complete."""
    with app.app_context():
        walk = Rehearsal(db.session, make_user, make_organisation)
        case = walk.start("applicant")
        walk.move_clock("2021-04-01 10:00:00")
        walk.send("send_idea_proposal", walk.idea("Järviseudun verkosto"), "applicant", case)
        walk.move_clock("2021-04-15 16:15:01")
        screened = {"akke_compatible": True, "screening_result": "proceed"}
        walk.send("screen_idea", screened, "specialist", case)
        walk.move_clock("2021-05-10 10:00:00")
        walk.send("send_application", walk.application(), "applicant", case)
        walk.move_clock("2021-06-02 16:15:01")
        walk.send("check_application", {"complete": True}, "specialist", case)


def test_a_finnish_evaluator_passes_an_evaluation_on_for_a_conflict_of_interest(
    as_user, evaluating
):
    evaluator = in_finnish(as_user("evaluator"))
    evaluator.goto("/tasks")
    evaluation = finnish("Evaluate the application")
    evaluator.get_by_role("link", name=evaluation).first.click()
    expect(evaluator.get_by_role("heading", level=1)).to_have_text(evaluation)
    conflict = finnish("I have a conflict of interest with this application")
    evaluator.locator("summary", has_text=conflict).click()
    evaluator.get_by_label(finnish("What is the conflict of interest?")).fill(
        "Olen hakijaorganisaation hallituksen puheenjohtaja."
    )
    assert violations(evaluator) == []
    evaluator.get_by_role("button", name=finnish("Pass the evaluation on")).click()
    expect(evaluator.locator(".flash-success")).to_contain_text(
        "Esteellisyys on kirjattu, ja arviointi siirtyi käyttäjälle evaluator2"
    )
    expect(evaluator.get_by_role("link", name=evaluation)).to_have_count(0)

    reserve = in_finnish(as_user("evaluator2"))
    reserve.goto("/tasks")
    reserve.get_by_role("link", name=evaluation).first.click()
    expect(reserve.get_by_role("heading", level=1)).to_have_text(evaluation)
    assert violations(reserve) == []
