"""One whole call on the rehearsal clock, with five cases that together take every sequence flow.

- A (City of Tampere, demo `applicant`): idea, invited, application, a supplement asked and sent
  in time, complete, evaluated, funded after the decision maker first sent the proposal back.
- B (Leader Pohjoisin Lappi, demo `applicant2`): as A, but the supplement is not sent before its
  due time: evaluated as it is, proposed 0, not funded.
- C: never sends the idea: closed as late after the idea deadline.
- D: idea rejected at screening: not invited to apply.
- E: invited, but sends no application: closed as late after the application deadline.

Run this file alone with the flow-coverage summary to see that both processes are at 100%.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from datetime import datetime

import pytest
from pypdf import PdfReader

from app.cases.models import Case, Document
from app.tasks.hooks import check, prefill
from app.timefmt import HELSINKI, format_helsinki
from tests.bpmn.conftest import PARTNERS
from workflows import clock_now

SCREEN_PROCEED = {"akke_compatible": True, "screening_result": "proceed"}
SUPPLEMENT_REQUEST = {
    "complete": False,
    "supplement_request": "Attach the partners' letters of commitment.",
    "supplement_due": "2021-05-20",
}
# Statistics Finland's codes: Utsjoki and Kittilä in Lappi, Kuusamo in Pohjois-Pohjanmaa.
LAPLAND_PARTNERS = [
    {
        "name": "Utsjoki",
        "type": "municipality",
        "region": "19",
        "municipality": "890",
        "email": "kirjaamo@utsjoki.example",
    },
    {
        "name": "Kittilä",
        "type": "municipality",
        "region": "19",
        "municipality": "261",
        "email": "kirjaamo@kittila.example",
    },
    {
        "name": "Kuusamo",
        "type": "municipality",
        "region": "17",
        "municipality": "305",
        "contact_person": "Kaisa Kuusamo",
        "email": "kaisa@kuusamo.example",
    },
]
PARTNER_ADDRESSES = [partner["email"] for partner in PARTNERS]
STRONG = {"relevance": 5, "inter_regional_cooperation": 5, "impact": 4, "feasibility": 4}
FAIR = {"relevance": 3, "inter_regional_cooperation": 3, "impact": 2, "feasibility": 3}


def evaluation(scores: dict[str, int]) -> dict[str, object]:
    return {"no_conflict_of_interest": True, "scores": scores, "comments": "Scored as agreed."}


@dataclass
class Walk:
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case

    @property
    def all(self) -> list[Case]:
        return [self.a, self.b, self.c, self.d, self.e]


@pytest.fixture
def evaluated_call(rehearsal) -> Walk:
    """Cases A–E walked to the application deadline: A and B evaluated, the ranking ready."""
    rehearsal.applicant("applicant_c", "City of Seinäjoki", "14", "743")  # Etelä-Pohjanmaa
    rehearsal.applicant("applicant_d", "City of Kuopio", "11", "297")  # Pohjois-Savo
    rehearsal.applicant("applicant_e", "City of Joensuu", "12", "167")  # Pohjois-Karjala
    walk = Walk(
        a=rehearsal.start("applicant"),
        b=rehearsal.start("applicant2"),
        c=rehearsal.start("applicant_c"),
        d=rehearsal.start("applicant_d"),
        e=rehearsal.start("applicant_e"),
    )

    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", walk.a)
    rehearsal.send(
        "send_idea_proposal",
        rehearsal.idea("Arctic villages", partners=LAPLAND_PARTNERS),
        "applicant2",
        walk.b,
    )
    rehearsal.send("send_idea_proposal", rehearsal.idea("Savo hubs"), "applicant_d", walk.d)
    rehearsal.send("send_idea_proposal", rehearsal.idea("Karelia link"), "applicant_e", walk.e)

    rehearsal.move_clock("2021-04-15 16:15:01")
    for case in (walk.a, walk.b, walk.e):
        rehearsal.send("screen_idea", SCREEN_PROCEED, "specialist", case)
    rejected = {
        "akke_compatible": False,
        "screening_result": "reject",
        "feedback": "The idea is not compatible with the AKKE appropriation.",
    }
    rehearsal.send("screen_idea", rejected, "specialist", walk.d)

    rehearsal.move_clock("2021-05-10 10:00:00")
    a_budget = rehearsal.application((1000000, 1500000, 1500000))
    rehearsal.send("send_application", a_budget, "applicant", walk.a)
    b_budget = rehearsal.application((1000000, 1250000, 1250000))
    rehearsal.send("send_application", b_budget, "applicant2", walk.b)
    for case in (walk.a, walk.b):
        rehearsal.send("check_application", SUPPLEMENT_REQUEST, "specialist", case)

    rehearsal.move_clock("2021-05-18 12:00:00")
    supplement = {"supplement_text": "The letters of commitment of all three partners."}
    rehearsal.send("send_supplement", supplement, "applicant", walk.a)
    rehearsal.send("check_application", {"complete": True}, "specialist", walk.a)

    rehearsal.move_clock("2021-05-20 16:15:01")  # B's supplement is now late
    for case, scores in ((walk.a, STRONG), (walk.b, FAIR)):
        for evaluator in ("specialist", "evaluator"):
            rehearsal.send(
                "evaluate_application", evaluation(scores), evaluator, case, assignee=evaluator
            )

    rehearsal.move_clock("2021-06-02 16:15:01")
    return walk


def rank(rehearsal, amounts: dict[str, int]) -> tuple[dict, dict[str, str]]:
    """The ranking form as the specialist sends it: pre-filled rows with amounts proposed."""
    call = rehearsal.call
    data = prefill(rehearsal.session, "rank_applications", call, {})
    for row in data["proposals"]:
        row["proposed_amount"] = amounts[row["case_key"]]
        row["justification"] = "Funded." if amounts[row["case_key"]] else "Lower score."
    data["proposal_memo"] = "Two applications; the better one is funded."
    return check(rehearsal.session, "rank_applications", call, data)


def test_idea_senders_get_receipts_with_distinct_registry_numbers_and_the_webinar_invitation(
    rehearsal, evaluated_call
):
    walk = evaluated_call

    documents = [document for case in walk.all for document in case.received]
    numbers = [document.registry_number for document in documents]
    receipts = rehearsal.emails("receipt")
    invitations = rehearsal.emails("webinar_invitation")

    assert len(numbers) == len(set(numbers)) == 7  # 4 ideas, 2 applications, 1 supplement
    # one case number per case, given with its idea; its documents numbered inside it in turn
    case_numbers = [case.case_number for case in walk.all if case.received]
    assert len(set(case_numbers)) == 4
    assert all(re.fullmatch(r"VN/[1-9][0-9]*/2021", number) for number in case_numbers)
    for case in walk.all:
        filed = sorted(case.documents, key=lambda document: document.id)
        assert [document.registry_number for document in filed] == [
            f"{case.case_number}-{n}" for n in range(1, len(filed) + 1)
        ]
        assert not filed or filed[0].kind == "idea_proposal"
    assert sorted(receipt["subject"].split()[-1] for receipt in receipts) == sorted(numbers)
    assert {receipt["case_id"] for receipt in receipts} == {d.case_id for d in documents}
    first_receipt_of_a = next(r for r in receipts if r["case_id"] == walk.a.id)
    assert "Hanke: Lakeland network\n" in first_receipt_of_a["body"]  # the idea's own name
    senders = {walk.a.id, walk.b.id, walk.d.id, walk.e.id}
    assert {case.id for case in walk.all if case.received} == senders
    assert {invitation["case_id"] for invitation in invitations} == senders
    assert len(invitations) == len(senders)
    # the invitation goes to the applicant's people and to every partner's contact; the
    # receipts to the applicant only
    invited = {invitation["case_id"]: invitation["to"] for invitation in invitations}
    assert invited[walk.a.id] == ["applicant@demo.grantflow.example"] + PARTNER_ADDRESSES
    assert invited[walk.b.id] == [
        "applicant2@demo.grantflow.example",
        "kirjaamo@utsjoki.example",
        "kirjaamo@kittila.example",
        "kaisa@kuusamo.example",
    ]
    assert {tuple(r["to"]) for r in receipts if r["case_id"] == walk.a.id} == {
        ("applicant@demo.grantflow.example",)
    }
    # the registry files each invitation it sent as a numbered letter of the case
    letters = [letter for case in walk.all for letter in case.letters]
    assert sorted((letter.case_id, letter.kind) for letter in letters) == sorted(
        (case_id, "webinar_invitation") for case_id in senders
    )
    assert not {letter.registry_number for letter in letters} & set(numbers)
    for invitation in invitations:  # the calendar invitation is made as the email goes out
        webinar = invitation["calendar"]["webinar"]
        assert datetime.fromisoformat(webinar["starts_at"]) == datetime.fromisoformat(
            "2021-04-20T12:30:00+03:00"
        )
        assert datetime.fromisoformat(webinar["ends_at"]) == datetime.fromisoformat(
            "2021-04-20T16:00:00+03:00"
        )


def test_an_idea_never_sent_closes_the_case_as_late_after_the_idea_deadline(
    rehearsal, evaluated_call
):
    late = evaluated_call.c

    assert late.phase == "Closed as late (idea)"
    assert late.closed
    assert late.documents == []
    [notice] = [e for e in rehearsal.emails("closed_late") if e["case_id"] == late.id]
    assert "15.4.2021 16:15 (UTC+03:00)" in notice["body"]
    assert late.id not in rehearsal.case_ids_emailed("webinar_invitation")
    assert rehearsal.task("send_idea_proposal", late) is None


def test_a_rejected_idea_is_not_invited_to_apply_and_the_applicant_gets_the_feedback(
    rehearsal, evaluated_call
):
    rejected = evaluated_call.d

    assert rejected.phase == "Not invited to apply"
    assert rejected.closed
    [notice] = [e for e in rehearsal.emails("not_eligible") if e["case_id"] == rejected.id]
    assert "The idea is not compatible with the AKKE appropriation." in notice["body"]
    assert notice["to"] == ["applicant_d@example.fi"]


def test_an_invited_applicant_sending_no_application_is_closed_as_late(rehearsal, evaluated_call):
    silent = evaluated_call.e

    assert silent.phase == "Closed as late (application)"
    assert silent.closed
    assert [document.kind for document in silent.received] == ["idea_proposal"]
    [notice] = [e for e in rehearsal.emails("closed_late") if e["case_id"] == silent.id]
    assert "2.6.2021 16:15 (UTC+03:00)" in notice["body"]


def test_a_supplement_sent_in_time_is_registered_and_the_application_checked_again(
    rehearsal, evaluated_call
):
    supplemented = evaluated_call.a

    assert [d.kind for d in supplemented.received] == [
        "idea_proposal",
        "application",
        "supplement",
    ]
    assert supplemented.requested_amount == 4000000
    evaluations = [
        event
        for event in rehearsal.timeline(supplemented)
        if event.summary == "Completed “Evaluate the application”"
    ]
    assert [event.actor for event in evaluations] == ["specialist", "evaluator"]
    assert supplemented.score == 4.5  # the average of both evaluators' scores
    assert supplemented.phase == "Waiting for: Funding decision"
    [request] = [
        e for e in rehearsal.emails("supplement_requested") if e["case_id"] == supplemented.id
    ]
    assert request["to"] == ["applicant@demo.grantflow.example"]  # not to the partners


def test_an_application_whose_supplement_is_late_is_evaluated_as_it_is(rehearsal, evaluated_call):
    late_supplement = evaluated_call.b

    assert [d.kind for d in late_supplement.received] == ["idea_proposal", "application"]
    assert rehearsal.task("send_supplement", late_supplement) is None
    assert late_supplement.score == 2.75
    assert late_supplement.phase == "Waiting for: Funding decision"
    assert late_supplement.id in rehearsal.case_ids_emailed("supplement_requested")


def test_the_ranking_refuses_a_total_over_the_budget_and_accepts_a_valid_one(
    rehearsal, evaluated_call
):
    a, b = evaluated_call.a, evaluated_call.b

    rows = prefill(rehearsal.session, "rank_applications", rehearsal.call, {})["proposals"]
    _, over_budget = rank(rehearsal, {a.key: 4000000, b.key: 3500000})
    _, over_applied = rank(rehearsal, {a.key: 4000001, b.key: 0})
    _, valid = rank(rehearsal, {a.key: 300000, b.key: 0})

    assert [(row["case_id"], row["project_name"], row["applicant"]) for row in rows] == [
        (a.id, "Lakeland network", "City of Tampere"),
        (b.id, "Arctic villages", "Leader Pohjoisin Lappi"),
    ]
    assert [row["requested_amount"] for row in rows] == [4000000, 3500000]
    assert "€7,500,000 proposed" in over_budget["proposals"]
    assert "More than the €4,000,000 applied for" in over_applied["proposals.0.proposed_amount"]
    assert valid == {}


def test_the_ranking_keeps_the_servers_case_project_and_amounts_whatever_was_sent(
    rehearsal, evaluated_call
):
    a, b = evaluated_call.a, evaluated_call.b
    data = prefill(rehearsal.session, "rank_applications", rehearsal.call, {})
    for row in data["proposals"]:
        row |= {"proposed_amount": 0, "justification": "Lower score."}
    data["proposals"][0] |= {
        "case_id": b.id,
        "project_name": "Forged project",
        "applicant": "Forged applicant",
        "requested_amount": 9999999,
        "score": 5.0,
    }
    data["proposal_memo"] = "Nothing funded."

    checked, errors = check(rehearsal.session, "rank_applications", rehearsal.call, data)

    assert errors == {}
    first = checked["proposals"][0]
    assert (first["case_id"], first["project_name"], first["applicant"]) == (
        a.id,
        "Lakeland network",
        "City of Tampere",
    )
    assert (first["requested_amount"], first["score"]) == (4000000, 4.5)


def test_the_decision_maker_sends_the_proposal_back_then_approves_it(rehearsal, evaluated_call):
    a, b = evaluated_call.a, evaluated_call.b
    first, errors = rank(rehearsal, {a.key: 300000, b.key: 0})
    assert errors == {}
    rehearsal.send("rank_applications", first, "specialist")

    sent_back = {
        "approved": False,
        "decision_comment": "Propose 350000 euros for the Lakeland network.",
        "decided_by_body": "ministry",
    }
    rehearsal.send("decide_funding", sent_back, "decision_maker")

    assert rehearsal.task("rank_applications") is not None
    assert rehearsal.task("decide_funding") is None
    assert a.phase == b.phase == "Waiting for: Funding decision"
    assert rehearsal.emails("decision_letter") == []

    second, errors = rank(rehearsal, {a.key: 350000, b.key: 0})
    assert errors == {}
    rehearsal.send("rank_applications", second, "specialist")
    approved = {
        "approved": True,
        "decided_by_body": "government_plenary",
        "presenter": "Erityisasiantuntija Petra Stenfors",
        "signatory": "Elinkeinoministeri Mika Lintilä",
    }
    rehearsal.send("decide_funding", approved, "decision_maker")

    assert rehearsal.call.instance.status == "completed"
    assert (a.phase, a.closed, a.granted_amount) == ("Funded", True, 350000)
    assert (b.phase, b.closed, b.granted_amount) == ("Not funded", True, 0)
    letters = {e["case_id"]: e for e in rehearsal.emails("decision_letter")}
    assert set(letters) == {a.id, b.id}
    assert "350\u00a0000\u00a0€" in letters[a.id]["body"]  # Babel's Finnish grouping
    assert "Rahoitusta ei myönnetä" in letters[b.id]["body"]
    for letter in letters.values():  # Administrative Procedure Act 49 c §: 30 days
        assert "30 päivän kuluessa päätöksen tiedoksisaannista" in letter["body"]
    # the applicant's people and every partner's contact get the decision with its PDF
    assert letters[a.id]["to"] == ["applicant@demo.grantflow.example"] + PARTNER_ADDRESSES
    assert letters[b.id]["to"][0] == "applicant2@demo.grantflow.example"
    assert "kaisa@kuusamo.example" in letters[b.id]["to"]
    assert [attached["content_type"] for attached in letters[a.id]["attachments"]] == [
        "application/pdf"
    ]


def test_each_applicant_gets_the_decision_as_a_pdf_letter_filed_in_the_registry(
    rehearsal, evaluated_call
):
    a, b = evaluated_call.a, evaluated_call.b
    proposal, errors = rank(rehearsal, {a.key: 350000, b.key: 0})
    assert errors == {}
    rehearsal.send("rank_applications", proposal, "specialist")
    rehearsal.send(
        "decide_funding",
        {
            "approved": True,
            "decided_by_body": "government_plenary",
            "presenter": "Erityisasiantuntija Petra Stenfors",
            "signatory": "Elinkeinoministeri Mika Lintilä",
        },
        "decision_maker",
    )

    emails = {e["case_id"]: e for e in rehearsal.emails("decision_letter")}
    for case in (a, b):
        (decision,) = [d for d in case.documents if d.kind == "decision"]
        (attached,) = emails[case.id]["attachments"]
        assert attached["filename"] == decision.registry_number.replace("/", "-") + ".pdf"
        assert base64.b64decode(attached["base64"]) == decision.pdf
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(decision.pdf)).pages]
        text = " ".join(" ".join(pages).split())
        today = clock_now(rehearsal.call.clock).astimezone(HELSINKI)
        decided = f"{today.day}.{today.month}.{today.year}"
        assert decision.registry_number.startswith(f"{case.case_number}-")
        assert (
            f"PÄÄTÖS Päivämäärä {decided} Dnro {case.case_number} "
            f"Asiakirja {decision.registry_number}"
        ) in text
        assert f"dnro {case.case_number}" in text  # the case the application is filed in
        assert f"Valtioneuvosto on yleisistunnossaan {decided} päättänyt" in text
        assert "Allekirjoittaja: Elinkeinoministeri Mika Lintilä" in text
        assert "Esittelijä: Erityisasiantuntija Petra Stenfors" in text
        assert "Petra Stenfors, Erityisasiantuntija, 029 504 7282" in text
        assert "Oikaisuvaatimusohje" in pages[-1]  # the appendix, on a page of its own
        assert "30 päivän kuluessa päätöksen tiedoksisaannista" in text
    text_a = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_decision(a).pdf)).pages).split()
    )
    assert "enintään 350 000 € hankkeeseen Lakeland network" in text_a
    assert "viimeistään 30.4.2024" in text_a  # the reporting duty of the call
    assert "1.1.2021 – 31.12.2023" in text_a  # the funding period
    assert "päättänyt olla myöntämättä" in " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(_decision(b).pdf)).pages).split()
    )


def _decision(case: Case) -> Document:
    return next(d for d in case.documents if d.kind == "decision")


def test_the_timeline_of_a_case_records_the_applicant_sending_the_idea(rehearsal, evaluated_call):
    timeline = rehearsal.timeline(evaluated_call.a)

    sent = [
        event
        for event in timeline
        if event.kind == "task_completed"
        and event.summary.endswith("“Write and send the idea proposal”")
    ]
    assert [(event.actor, event.data["project_name"]) for event in sent] == [
        ("applicant", "Lakeland network")
    ]
    assert format_helsinki(sent[0].clock_at) == "1.4.2021 10:00 (UTC+03:00)"


def test_the_evaluations_spreadsheet_holds_each_finished_evaluation(rehearsal, evaluated_call):
    from app.exports.queries import evaluations

    walk = evaluated_call
    sheet = evaluations(rehearsal.session, rehearsal.call, rehearsal.user("decision_maker"), "en")

    assert sheet.headings[:3] == ["Case", "Project", "Evaluator"]
    assert sorted((row[0], row[2]) for row in sheet.rows) == sorted(
        (case.key, evaluator)
        for case in (walk.a, walk.b)
        for evaluator in ("evaluator", "specialist")
    )
    criteria = sheet.headings[3:-1]
    assert criteria  # one column per criterion of the call, scores under them
    for row in sheet.rows:
        assert all(isinstance(score, int | float) for score in row[3 : 3 + len(criteria)])
