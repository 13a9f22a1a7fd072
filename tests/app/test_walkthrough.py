"""The whole call walked through the web pages with the demo accounts, as `make run` offers it."""

import re

from sqlalchemy import select

from app.extensions import db
from workflows.models import OutboxMessage


def submit(client, csrf_token, url, form):
    response = client.post(
        url, data={**form, "action": "send", "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def test_the_demo_accounts_walk_the_call_from_idea_to_decision(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    applicant, specialist = signed_in("applicant"), signed_in("specialist")
    evaluator, decision_maker = signed_in("evaluator"), signed_in("decision_maker")
    token = csrf_token(applicant, "/cases")
    start = applicant.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    submit(applicant, csrf_token, start.headers["Location"], idea_form)

    move_clock("2021-04-15T16:15:01+03:00")
    assert "Webinar invitation" in applicant.get("/cases/1").get_data(as_text=True)
    screening = task_url("screen_idea")
    assert "Screen the idea proposal" in specialist.get("/tasks").get_data(as_text=True)
    submit(
        specialist,
        csrf_token,
        screening,
        {"akke_compatible": "true", "screening_result": "proceed"},
    )
    submit(
        applicant,
        csrf_token,
        task_url("send_application"),
        {
            "plan": "Shared services for four municipalities.",
            "budget_2021": "100000",
            "budget_2022": "150000",
            "budget_2023": "150000",
            "cofunding": "40000",
            "contact_person": "Anna Applicant",
            "contact_email": "anna@tampere.example",
        },
    )

    move_clock("2021-06-02T16:15:01+03:00")
    submit(specialist, csrf_token, task_url("check_application"), {"complete": "true"})
    scores = {
        "no_conflict_of_interest": "true",
        "scores.relevance": "4",
        "scores.inter_regional_cooperation": "5",
        "scores.impact": "4",
        "scores.feasibility": "3",
        "comments": "A convincing network.",
    }
    submit(specialist, csrf_token, task_url("evaluate_application", "specialist"), scores)
    submit(evaluator, csrf_token, task_url("evaluate_application", "evaluator"), scores)

    ranking = task_url("rank_applications")
    page = specialist.get(ranking).get_data(as_text=True)
    assert '<a href="/cases/1/application">Lakeland growth corridor</a><br>City of Tampere' in page
    assert "Proposed for regional-city networks" in page
    over_budget = {
        "proposals.0.proposed_amount": "400001",
        "proposals.0.justification": "Strong",
        "proposal_memo": "One application.",
    }
    refused = specialist.post(
        ranking,
        data={**over_budget, "action": "send", "csrf_token": csrf_token(specialist, ranking)},
    )
    assert refused.status_code == 422
    assert "More than the €400,000 applied for" in refused.get_data(as_text=True)
    submit(specialist, csrf_token, ranking, over_budget | {"proposals.0.proposed_amount": "300000"})
    submit(
        decision_maker,
        csrf_token,
        task_url("decide_funding"),
        {
            "approved": "true",
            "decided_by_body": "ministry",
            "presenter": "Special adviser Petra Stenfors",
            "signatory": "Minister Mika Lintilä",
        },
    )

    case_page = applicant.get("/cases/1").get_data(as_text=True)
    assert "Funded" in case_page
    assert "<dt>Amount granted</dt><dd>€300,000</dd>" in case_page
    with app.app_context():
        letters = db.session.scalars(select(OutboxMessage)).all()
        templates = [letter.payload["template"] for letter in letters]
    assert templates.count("receipt") == 2
    assert "webinar_invitation" in templates
    assert "decision_letter" in templates

    # The registry filed the letters the ministry sent as documents of the case, numbered in turn.
    # One case number; the documents, received and sent, are numbered inside it in turn.
    assert '<dt>Case number</dt><dd class="case-number">VN/1/2021</dd>' in case_page
    assert "Idea proposal</a></td><td>VN/1/2021-1</td><td>Received" in case_page
    assert "Webinar invitation</a></td><td>VN/1/2021-2</td><td>Sent to the applicant" in case_page
    assert "Application</a></td><td>VN/1/2021-3</td><td>Received" in case_page
    assert "Decision</a></td><td>VN/1/2021-4</td><td>Sent to the applicant" in case_page
    decision = applicant.get("/cases/1/documents/4").get_data(as_text=True)
    assert "<dt>Case number</dt><dd>VN/1/2021</dd>" in decision
    assert "<dt>Document number</dt><dd>VN/1/2021-4</dd>" in decision
    assert "Hanke: Lakeland growth corridor (VN/1/2021)" in decision
    assert "Päätös VN/1/2021-4 on liitteenä" in decision
    # on the call's clock (moved to 16:15:01; it runs on at wall speed while the test works)
    assert re.search(r"<dt>Sent</dt><dd>2\.6\.2021 16:1[5-9]:\d\d \(UTC\+03:00\)</dd>", decision)
    assert "Myönnetty määrä: 300\u00a0000\u00a0€" in decision  # Babel's Finnish figures
    pdf = applicant.get("/cases/1/documents/4/letter.pdf")
    assert (pdf.mimetype, pdf.data[:5]) == ("application/pdf", b"%PDF-")
    assert 'href="/cases/1/documents/4/letter.pdf"' in decision
    assert signed_in("applicant2").get("/cases/1/documents/4").status_code == 403
    assert signed_in("applicant2").get("/cases/1/documents/4/letter.pdf").status_code == 403
    assert applicant.get("/cases/1/documents/1/letter.pdf").status_code == 404  # no letter
