"""Races the storm found, each made to happen on purpose (PostgreSQL, threads released at once
by a barrier): the year's first registry numbers, two first draft saves of one task, and a
draft saved while the same task is being sent."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cases.models import TaskDraft
from app.cases.registry import next_registry_number
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


def test_the_first_registry_numbers_of_a_year_taken_at_once_are_all_different(engine):
    received = datetime(2022, 1, 3, 9, 0, tzinfo=UTC)

    def register(_n: int) -> str:
        with Session(engine) as session:
            number = next_registry_number(session, "RACE", received)
            session.commit()
            return number

    numbers = at_once(register, AT_ONCE)
    assert sorted(numbers, key=lambda n: int(n.split("/")[1])) == [
        f"RACE/{n}/2022" for n in range(1, AT_ONCE + 1)
    ]


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
