"""The Language Act: a case is dealt with in Finnish or Swedish, and everything the applicant
receives in it (receipts, the webinar invitation, requests, the decision email and its PDF) is
in that language: no English the catalogs or the call's texts left untranslated."""

from __future__ import annotations

import base64
import io
import re

import pytest
from pypdf import PdfReader

from app.cases.models import Case
from app.cases.operations import CaseRefused, start_case

# Words of English that neither Finnish nor Swedish uses: one of them in a fi/sv letter is a text
# that missed its translation.
ENGLISH = {
    "the", "and", "of", "your", "you", "was", "has", "been", "received", "document",
    "application", "proposal", "call", "project", "registry", "decision", "funding", "granted",
    "deadline", "webinar", "invitation", "supplement", "reconsideration", "days", "within",
    "euros", "amount", "justification", "report", "please", "online", "attached", "network",
}  # fmt: skip
SCREEN_PROCEED = {"akke_compatible": True, "screening_result": "proceed"}


def english_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[A-Za-z]+", text) if word.lower() in ENGLISH}


def walk_to_evaluated(rehearsal, applicants: list[tuple[str, str, dict[str, str]]]) -> list[Case]:
    """(language, username, texts) applicants each open a case and walk it to evaluated."""
    cases = []
    for language, username, texts in applicants:
        organisation = rehearsal.make_organisation(texts["organisation"])
        rehearsal.make_user(username, organisation=organisation, language=language)
        cases.append(rehearsal.start(username))
    walked = list(zip(cases, applicants, strict=True))
    rehearsal.move_clock("2021-04-01 10:00:00")
    for case, (_language, username, texts) in walked:
        idea = rehearsal.idea(texts["project"], summary=texts["summary"])
        rehearsal.send("send_idea_proposal", idea, username, case)
    rehearsal.move_clock("2021-04-15 16:15:01")  # the webinar invitation goes out
    for case, _applicant in walked:
        rehearsal.send("screen_idea", SCREEN_PROCEED, "specialist", case)
    rehearsal.move_clock("2021-05-10 10:00:00")
    for case, (_language, username, texts) in walked:
        application = rehearsal.application() | {"plan": texts["plan"]}
        rehearsal.send("send_application", application, username, case)
        request = {
            "complete": False,
            "supplement_request": texts["request"],
            "supplement_due": "2021-05-20",
        }
        rehearsal.send("check_application", request, "specialist", case)
        rehearsal.send("send_supplement", {"supplement_text": texts["supplement"]}, username, case)
        rehearsal.send("check_application", {"complete": True}, "specialist", case)
        scores = {"relevance": 4, "inter_regional_cooperation": 4, "impact": 4, "feasibility": 4}
        evaluation = {
            "no_conflict_of_interest": True,
            "scores": scores,
            "comments": texts["comment"],
        }
        for evaluator in ("specialist", "evaluator"):
            rehearsal.send("evaluate_application", evaluation, evaluator, case, assignee=evaluator)
    return cases


FINNISH = {
    "organisation": "Tampereen kaupunki",
    "project": "Järvialueen verkosto",
    "summary": "Neljä kuntaa kahdessa maakunnassa uudistaa kehittämisverkostonsa.",
    "plan": "Yhteiset palvelut ja kehittämisohjelma.",
    "request": "Liittäkää kumppaneiden sitoumukset.",
    "supplement": "Sitoumukset liitteenä.",
    "comment": "Hyvä hanke.",
    "justification": "Vahva verkosto.",
}
SWEDISH = {
    "organisation": "Närpes stad",
    "project": "Kustens nätverk",
    "summary": "Fyra kommuner i två landskap förnyar sitt utvecklingsnätverk.",
    "plan": "Gemensamma tjänster och ett utvecklingsprogram.",
    "request": "Bifoga partnernas åtaganden.",
    "supplement": "Åtagandena bifogas.",
    "comment": "Ett bra projekt.",
    "justification": "Ett starkt nätverk.",
}


def test_everything_a_finnish_or_swedish_case_receives_is_in_its_language(rehearsal):
    fi_case, sv_case = walk_to_evaluated(
        rehearsal, [("fi", "hakija", FINNISH), ("sv", "sokande", SWEDISH)]
    )
    rehearsal.move_clock("2021-06-02 16:15:01")
    from app.tasks.hooks import check, prefill

    call = rehearsal.call
    ranking = prefill(rehearsal.session, "rank_applications", call, {})
    for row in ranking["proposals"]:
        row["proposed_amount"] = 300000 if row["case_key"] == fi_case.key else 0
        row["justification"] = (FINNISH if row["case_key"] == fi_case.key else SWEDISH)[
            "justification"
        ]
    ranking["proposal_memo"] = "Muistio."
    ranking, errors = check(rehearsal.session, "rank_applications", call, ranking)
    assert errors == {}
    rehearsal.send("rank_applications", ranking, "specialist")
    decision = {
        "approved": True,
        "decided_by_body": "ministry",
        "presenter": "Petra Stenfors",
        "signatory": "Mika Lintilä",
    }
    rehearsal.send("decide_funding", decision, "decision_maker")

    assert (fi_case.language, sv_case.language) == ("fi", "sv")
    for case, expected in ((fi_case, "Vastaanottokuittaus"), (sv_case, "Mottagningskvitto")):
        emails = [e for e in rehearsal.emails() if e["case_id"] == case.id]
        templates = {e["template"] for e in emails}
        assert templates >= {"receipt", "webinar_invitation", "supplement_requested"}
        assert "decision_letter" in templates
        assert any(e["subject"].startswith(expected) for e in emails)
        for email in emails:
            said = english_words(email["subject"] + "\n" + email["body"])
            assert said == set(), f"{case.language} {email['template']}: {said}"
            for attached in email.get("attachments", []):
                pdf = PdfReader(io.BytesIO(base64.b64decode(attached["base64"])))
                text = " ".join(page.extract_text() for page in pdf.pages)
                assert english_words(text) == set(), f"{case.language} letter"


def test_a_case_is_in_finnish_or_swedish_only(rehearsal):
    oulu = rehearsal.make_organisation("Oulun kaupunki")
    english = rehearsal.make_user("english", language="en", organisation=oulu)

    assert rehearsal.start("english").language == "fi"  # the default for non-Swedish speakers
    with pytest.raises(CaseRefused, match="Finnish or Swedish"):
        start_case(rehearsal.session, rehearsal.call, english, "en")
    assert start_case(rehearsal.session, rehearsal.call, english, "sv").language == "sv"
