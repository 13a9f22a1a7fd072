"""The 2021 call replayed (issue 12), by the command and by the call page's button, checked as
the registry, an applicant and the staff see the call afterwards.

Each replay is the whole call: 46 cases, 37 applications, 37 decision letters drawn as PDFs;
about 20 s each on SQLite."""

from __future__ import annotations

import io
from datetime import datetime

from pypdf import PdfReader
from sqlalchemy import select

from app import worker
from app.calls.models import Call
from app.cases.models import Case, Document
from app.demo import DEMO_PASSWORD
from app.extensions import db
from app.timefmt import HELSINKI

DEMO_CALL = "regional-networks-2021"
APPLICATION_DEADLINE = datetime(2021, 6, 2, 16, 15, tzinfo=HELSINKI)


def _cases(call_key: str) -> list[Case]:
    call = db.session.scalar(select(Call).where(Call.key == call_key))
    assert call is not None
    return list(db.session.scalars(select(Case).where(Case.call_id == call.id).order_by(Case.id)))


def _kind(case: Case, kind: str) -> list[Document]:
    return [document for document in case.documents if document.kind == kind]


def test_the_replay_ends_as_the_2021_call_did(app, demo, login):
    result = app.test_cli_runner().invoke(args=["grantflow", "replay-2021"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "call: regional-networks-2021",
        "cases: 46 (46 closed)",
        "ideas: 45",
        "invited: 40",
        "applications: 37",
        "funded: 18 (not funded: 19)",
        "total granted: EUR 7 000 000",
        "letters: 37",
    ]
    with app.app_context():
        cases = _cases(DEMO_CALL)
        applied = [case for case in cases if _kind(case, "application")]
        applications = [_kind(case, "application")[0] for case in applied]
        assert len(applied) == 37
        assert len({document.registry_number for document in applications}) == 37
        assert all(document.received_at < APPLICATION_DEADLINE for document in applications)

        funded = [case for case in applied if case.granted_amount]
        assert len(funded) == 18
        assert sum(case.granted_amount or 0 for case in funded) == 7_000_000
        city_networks = [case for case in funded if case.regional_city_network]
        assert sum(case.granted_amount or 0 for case in city_networks) == 1_000_000  # the reserve
        assert all(
            0 < (case.granted_amount or 0) <= (case.requested_amount or 0) for case in funded
        )
        assert [case.granted_amount for case in applied if case not in funded] == [0] * 19

        for case in applied:
            (decision,) = _kind(case, "decision")
            assert db.session.get(Document, decision.id).pdf[:4] == b"%PDF"
            assert decision.received_at.astimezone(HELSINKI).date().isoformat() == "2021-06-29"
            letter = decision.data["letter"]
            assert letter["language"] == case.language
            assert letter["facts"][0][1] == "29.6.2021"
        swedish = [case for case in applied if case.language == "sv"]
        assert swedish
        for case in swedish:
            letter = _kind(case, "decision")[0].data["letter"]
            assert letter["heading"] == "BESLUT"
            assert letter["sections"][0]["paragraphs"][0].startswith(
                "Statsrådet har vid sitt allmänna sammanträde 29.6.2021 beslutat"
            )
        assert all(case.closed for case in cases)
        assert cases[0].call.status == "decided"
        reader = next(case for case in swedish if case.granted_amount)
        case_id, username = reader.id, reader.created_by
        decision_id = _kind(reader, "decision")[0].id

    # The applicant signs in and reads the decision and its PDF, in Swedish.
    client = app.test_client()
    login(client, username, DEMO_PASSWORD)
    page = client.get(f"/cases/{case_id}/documents/{decision_id}").get_data(as_text=True)
    assert "Beslut om finansieringsansökan" in page
    pdf = client.get(f"/cases/{case_id}/documents/{decision_id}/letter.pdf")
    assert (pdf.mimetype, pdf.data[:5]) == ("application/pdf", b"%PDF-")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert "BESLUT Datum 29.6.2021" in text
    assert "Statsrådet har vid sitt allmänna sammanträde 29.6.2021 beslutat bevilja" in text


def test_the_button_replays_a_call_that_has_moved_on_in_a_rehearsal_copy(
    app, signed_in, csrf_token, move_clock
):
    move_clock("2021-04-01T09:00:00+03:00")  # past the replay's first step: the call has moved on
    owner = signed_in("process_owner")
    page = owner.get(f"/calls/{DEMO_CALL}/manage").get_data(as_text=True)
    assert "Replay the 2021 call" in page
    specialist = signed_in("specialist")
    token = csrf_token(specialist, "/tasks")
    refused = specialist.post(f"/calls/{DEMO_CALL}/replay", data={"csrf_token": token})
    assert refused.status_code == 403

    sent = owner.post(
        f"/calls/{DEMO_CALL}/replay",
        data={"csrf_token": csrf_token(owner, f"/calls/{DEMO_CALL}/manage")},
    )
    worker.wait_for_replays()

    copy = "regional-networks-2021-replay-1"
    assert sent.status_code == 302
    assert sent.headers["Location"] == f"/calls/{copy}/manage"
    page = owner.get(f"/calls/{copy}/manage").get_data(as_text=True)
    assert "Replay: Network cooperation between regions" in page
    assert "(rehearsal)" in page
    assert "Replayed: 45 ideas, 37 applications, 18 funded with EUR 7000000, 37 letters" in page
    with app.app_context():
        assert _cases(DEMO_CALL) == []  # the call itself is untouched
        cases = _cases(copy)
        assert sum(case.granted_amount or 0 for case in cases) == 7_000_000
        assert all(case.closed for case in cases)
