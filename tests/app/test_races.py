"""Races the storm found, each made to happen on purpose (PostgreSQL, threads released at once
by a barrier): the year's first case numbers, two first draft saves of one task, and a
draft saved while the same task is being sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case, TaskDraft
from app.cases.registry import number_document
from app.extensions import db
from tests.app.cases.helpers import open_case

AT_ONCE = 12


@pytest.fixture
def engine(app: Flask):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("transactions at once: PostgreSQL")
        return db.engine


def at_once(work: Callable[[int], Any], count: int) -> list[Any]:
    """Run ``work(n)`` in ``count`` threads started together; their results, or exceptions."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - returned for the test to show
            results[n] = error

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def cases(engine, demo) -> list[int]:
    """AT_ONCE cases of the demo call, none with a document yet."""
    now = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)
    with Session(engine) as session:
        call = session.scalars(select(Call).where(Call.key == "regional-networks-2021")).one()
        made = [
            Case(call_id=call.id, created_by="applicant", created_at=now, updated_at=now)
            for _ in range(AT_ONCE)
        ]
        session.add_all(made)
        session.commit()
        return [case.id for case in made]


def number_at_once(engine, case_ids: list[int]) -> list[tuple[str | None, str]]:
    """Each thread numbers a document of its case and commits: (case number, document number)."""
    received = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)

    def register(n: int) -> tuple[str | None, str]:
        with Session(engine) as session:
            case = session.get_one(Case, case_ids[n])
            number = number_document(session, case, received)
            session.commit()
            return case.case_number, number

    return at_once(register, len(case_ids))


def test_the_first_documents_of_cases_registered_at_once_get_distinct_case_numbers(engine, cases):
    numbered = number_at_once(engine, cases)

    case_numbers = sorted((number for number, _document in numbered), key=_running)
    assert case_numbers == [f"VN/{n}/2022" for n in range(1, AT_ONCE + 1)]
    assert all(document == f"{case}-1" for case, document in numbered)
    # their second documents at once: numbered on inside each case
    again = number_at_once(engine, cases)
    assert [document for _case, document in again] == [f"{case}-2" for case, _ in numbered]


def test_documents_of_one_case_registered_at_once_are_numbered_in_turn_under_one_number(
    engine, cases
):
    numbered = number_at_once(engine, [cases[0]] * AT_ONCE)

    assert {case for case, _document in numbered} == {"VN/1/2022"}
    assert sorted(document for _case, document in numbered) == sorted(
        f"VN/1/2022-{n}" for n in range(1, AT_ONCE + 1)
    )


def test_a_cases_first_document_is_numbered_while_another_cases_send_is_still_open(engine, cases):
    """A rush of idea proposals: each send files its case under the year's next number without
    waiting for the sends before it to commit (they held the year's row until then). A send
    that fails after taking its number leaves it unused; no number is given twice."""
    received = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)
    impatient = create_engine(engine.url, connect_args={"options": "-c lock_timeout=2000"})
    try:
        with Session(impatient) as first:
            number_document(first, first.get_one(Case, cases[0]), received)
            with Session(impatient) as second:  # while the first send is still open
                assert number_document(second, second.get_one(Case, cases[1]), received) == (
                    "VN/2/2022-1"
                )
                second.commit()
            first.rollback()  # the first send fails after all
        with Session(impatient) as third:
            assert number_document(third, third.get_one(Case, cases[2]), received) == (
                "VN/3/2022-1"
            )
            third.commit()
    finally:
        impatient.dispose()
    with Session(engine) as session:
        filed = session.scalars(select(Case.case_number).where(Case.id.in_(cases))).all()
    assert sorted(filter(None, filed)) == ["VN/2/2022", "VN/3/2022"]


def _running(case_number: str | None) -> int:
    return int(str(case_number).split("/")[1])


def two_browsers_on_one_task(signed_in, csrf_token, form: dict[str, str]):
    """The applicant's idea task open in two browsers; ``post(n, **changes)`` posts the form from
    browser n, with ``changes``."""
    clients = [signed_in("applicant") for _ in range(2)]
    url = open_case(clients[0], csrf_token)
    tokens = [csrf_token(c, url) for c in clients]

    def post(n: int, **changes: str):
        return clients[n].post(url, data=form | changes | {"csrf_token": tokens[n]})

    return url, clients, post


def test_two_first_draft_saves_of_one_task_at_once_both_answer_and_one_draft_is_kept(
    app, engine, signed_in, csrf_token, idea_form
):
    _url, _clients, post = two_browsers_on_one_task(signed_in, csrf_token, idea_form)
    responses = at_once(lambda n: post(n, project_name=f"Draft {n}", action="draft"), 2)
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        [draft] = db.session.scalars(select(TaskDraft)).all()
        assert draft.data["project_name"] in ("Draft 0", "Draft 1")


def test_a_draft_saved_while_the_task_is_sent_never_lands_on_the_sent_task(
    app, engine, signed_in, csrf_token, idea_form
):
    url, clients, post = two_browsers_on_one_task(signed_in, csrf_token, idea_form)
    sent, drafted = at_once(lambda n: post(n, action="draft" if n else "send"), 2)
    assert sent.status_code == 302
    assert "/documents/" in sent.headers["Location"]  # the receipt
    assert drafted.status_code == 302
    with app.app_context():
        drafts = db.session.scalars(select(TaskDraft)).all()
    # Either the draft came first (and the send then removed it with its task), or the task
    # was already sent and the draft was refused: no draft is left on a sent task.
    assert drafts == []
    if drafted.headers["Location"] != url:
        page = clients[1].get(drafted.headers["Location"]).get_data(as_text=True)
        assert "This task was already completed" in page
