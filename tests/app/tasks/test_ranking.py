"""The ranking and the decision name each application's project and link to its application and
its evaluations; the project, the case and the amounts are the server's, whatever is posted."""

import re

import pytest

from tests.app.tasks.helpers import SCORES, submit, walk_to_evaluation

PROJECT = "Lakeland growth corridor"
FINNISH = {"Accept-Language": "fi"}
SWEDISH = {"Accept-Language": "sv"}


@pytest.fixture
def ranking_ready(signed_in, csrf_token, task_url, idea_form, move_clock):
    """Case 1 (City of Tampere, "Lakeland growth corridor") evaluated: the ranking is ready."""
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    submit(
        signed_in("specialist"), csrf_token, task_url("evaluate_application", "specialist"), SCORES
    )
    submit(
        signed_in("evaluator"), csrf_token, task_url("evaluate_application", "evaluator"), SCORES
    )
    return task_url("rank_applications")


def test_the_ranking_links_each_project_to_its_application_and_evaluations(
    signed_in, ranking_ready
):
    specialist = signed_in("specialist")

    page = specialist.get(ranking_ready).get_data(as_text=True)

    assert (
        f'<th scope="row"><a href="/cases/1/application">{PROJECT}</a><br>City of Tampere' in page
    )
    assert (
        '<a href="/cases/1/evaluations">Evaluations<span class="visually-hidden">: '
        f"{PROJECT}</span></a>"
    ) in page
    assert f"Proposed amount for City of Tampere: {PROJECT}" in page
    application = specialist.get("/cases/1/application")
    assert application.status_code == 302
    document = specialist.get(application.headers["Location"]).get_data(as_text=True)
    assert "<dt>Project plan</dt><dd>Shared services for four municipalities.</dd>" in document


def test_the_application_link_is_refused_to_another_organisation(signed_in, ranking_ready):
    assert signed_in("applicant2").get("/cases/1/application").status_code == 403
    assert signed_in("applicant").get("/cases/1/application").status_code == 302
    assert signed_in("specialist").get("/cases/99/application").status_code == 404


def test_the_decision_shows_the_servers_project_and_links_whatever_the_browser_posted(
    signed_in, csrf_token, task_url, ranking_ready
):
    forged = {
        "proposals.0.case_key": "case-1",
        "proposals.0.case_id": "2",
        "proposals.0.project_name": "Forged project",
        "proposals.0.applicant": "Forged applicant",
        "proposals.0.requested_amount": "9999999",
        "proposals.0.proposed_amount": "300000",
        "proposals.0.justification": "Strong | well planned",
        "proposal_memo": "One application.",
    }
    submit(signed_in("specialist"), csrf_token, ranking_ready, forged)
    decision_maker = signed_in("decision_maker")

    english = decision_maker.get(task_url("decide_funding")).get_data(as_text=True)
    finnish = decision_maker.get(task_url("decide_funding"), headers=FINNISH).get_data(as_text=True)
    swedish = decision_maker.get(task_url("decide_funding"), headers=SWEDISH).get_data(as_text=True)

    assert "Forged" not in english
    row = re.search(r"<tr>\s*<td>1</td>.*?</tr>", english, re.DOTALL)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), re.DOTALL)
    assert cells[:3] == [
        "1",
        f'<a href="/cases/1/application" rel="noopener noreferrer">{PROJECT}</a>',
        "City of Tampere",
    ]
    assert cells[4].endswith(
        '(<a href="/cases/1/evaluations" rel="noopener noreferrer">evaluations</a>)'
    )
    assert cells[3] == "Theme network"  # the application object by its name, not its key
    assert cells[5] == "€400,000"  # applied for, as the case says
    assert cells[7] == "Strong | well planned"
    assert "<th>Project</th>" in english
    assert "<th>Hanke</th>" in finnish
    assert "<td>400&nbsp;000&nbsp;€</td>" in finnish  # the page language's figures
    assert "<td>400&nbsp;000&nbsp;€</td>" in swedish
    assert "<td>Teemaverkosto</td>" in finnish
    assert '">arviot</a>)' in finnish
    assert "<th>Projekt</th>" in swedish
    assert '">bedömningar</a>)' in swedish
