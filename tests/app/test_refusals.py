"""A refusal no view handles is answered in one place (app/refusals.py): a page in the person's
language, with a status that says what happened, and a link back to the page they came from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflows import (
    BundleRefused,
    DeadlinePassed,
    InstanceChanged,
    NotAllowed,
    TaskAlreadyCompleted,
    TaskNotFound,
)


@pytest.mark.parametrize(
    ("refusal", "status", "said"),
    [
        (TaskAlreadyCompleted(), 409, "This task was already completed"),
        (InstanceChanged(), 409, "changed by someone else at the same time"),
        (NotAllowed("You may not act on this task."), 403, "You may not act on this task."),
        (TaskNotFound("There is no such case."), 404, "There is no such case."),
        (
            DeadlinePassed(datetime(2021, 4, 15, 13, 15, tzinfo=UTC)),
            422,
            "The deadline passed at 15.4.2021 16:15:00 (UTC+03:00)",
        ),
        (BundleRefused([]), 422, "The process files were refused"),
    ],
)
def test_a_refusal_becomes_a_page_with_its_status(app, refusal, status, said):
    def refuse_it():
        raise refusal

    app.add_url_rule("/refused", view_func=refuse_it)
    client = app.test_client()
    response = client.get("/refused", headers={"Referer": "http://localhost/cases/1"})
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert said in page
    assert "Nothing was saved." in page
    assert 'href="/cases/1"' in page


def test_the_page_is_in_the_persons_language(app):
    def refuse_it():
        raise TaskAlreadyCompleted()

    app.add_url_rule("/refused", view_func=refuse_it)
    page = app.test_client().get("/refused", headers={"Accept-Language": "sv"})
    assert "Den här uppgiften var redan slutförd" in page.get_data(as_text=True)


def test_a_link_back_never_leads_off_the_site(app):
    def refuse_it():
        raise TaskAlreadyCompleted()

    app.add_url_rule("/refused", view_func=refuse_it)
    page = app.test_client().get("/refused", headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in page.get_data(as_text=True)
