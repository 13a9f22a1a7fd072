"""Invitations and registrations at once: ten acceptances of one invitation make one account,
the others are refused clearly; two registrations of one username make one account and a form
error. Nothing ends in a server error, and no log line carries a password hash."""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Organisation, User
from app.extensions import db
from app.organisations.operations import invite
from tests.app.organisations.test_views import PERSON, REGISTRATION
from tests.conftest import csrf_token_from

AT_ONCE = 10
# Made up, each with a valid check digit.
BUSINESS_IDS = ["1234567-1", "7654321-2", "2345678-0", "4567890-7"]


def invitation_link(app: Flask, make_organisation, make_user) -> str:
    organisation = make_organisation("Municipality of Lieto")
    make_user("lead", organisation=organisation)
    links: list[str] = []
    with app.test_request_context():
        lead = db.session.scalar(select(User).where(User.username == "lead"))
        invite(
            db.session,
            lead.organisation,
            "colleague@lieto.example",
            lead,
            lambda token: links.append(f"/invitations/{token}") or "link",
        )
        db.session.commit()
    return links[0]


def all_at_once(app: Flask, url: str, forms: list[dict[str, str]]) -> list[tuple[int, str]]:
    """Each form posted by its own client, the posts let go together; (status, page) each."""
    clients = [app.test_client() for _ in forms]
    tokens = [csrf_token_from(c.get(url).get_data(as_text=True)) for c in clients]
    start = threading.Barrier(len(forms))
    answers: list[tuple[int, str]] = [(0, "")] * len(forms)

    def post(n: int) -> None:
        start.wait()
        response = clients[n].post(url, data=forms[n] | {"csrf_token": tokens[n]})
        answers[n] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


def test_ten_acceptances_of_one_invitation_make_one_account(
    app, make_organisation, make_user, caplog
):
    link = invitation_link(app, make_organisation, make_user)
    forms = [
        PERSON | {"confirm": PERSON["password"], "username": f"colleague{n}"}
        for n in range(AT_ONCE)
    ]
    with caplog.at_level(logging.INFO):
        answers = all_at_once(app, link, forms)
    statuses = sorted(status for status, _page in answers)
    assert statuses.count(302) == 1, statuses
    assert set(statuses) <= {302, 404, 409}, statuses
    for status, page in answers:
        if status != 302:
            assert "This invitation is not valid" in page
    with app.app_context():
        joined = db.session.scalar(
            select(func.count()).select_from(User).where(User.username.like("colleague%"))
        )
    assert joined == 1
    assert "pbkdf2:" not in caplog.text


def test_two_registrations_of_one_username_make_one_account_and_a_form_error(app, caplog):
    forms = [
        REGISTRATION
        | {
            "organisation_name": f"Municipality {n}",
            "email": f"o{n}@x.example",
            "business_id": business_id,
        }
        for n, business_id in enumerate(BUSINESS_IDS)
    ]
    with caplog.at_level(logging.DEBUG):
        answers = all_at_once(app, "/register", forms)
    statuses = sorted(status for status, _page in answers)
    assert statuses == [302, 422, 422, 422]
    for status, page in answers:
        if status == 422:
            assert "This username is taken" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert "pbkdf2:" not in caplog.text
    assert PERSON["password"] not in caplog.text


def test_two_registrations_of_one_business_id_make_one_organisation_and_a_form_error(app):
    forms = [REGISTRATION | {"username": f"outi{n}", "email": f"o{n}@x.example"} for n in range(4)]
    answers = all_at_once(app, "/register", forms)
    statuses = sorted(status for status, _page in answers)
    assert statuses == [302, 422, 422, 422]
    for status, page in answers:
        if status == 422:
            assert "An organisation with this business ID is already registered" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_an_engine_error_does_not_show_the_values_sent(app, make_user):
    """SQLAlchemy puts a statement's parameters into its errors (and so into logged tracebacks)
    unless told not to: the app tells it (hide_parameters)."""
    make_user("hanna")
    with app.app_context():
        hash_of_hanna = db.session.scalar(select(User.password_hash))
        try:
            db.session.execute(
                User.__table__.insert().values(
                    username="hanna", display_name="H", email="h@x", password_hash=hash_of_hanna
                )
            )
        except Exception as error:  # noqa: BLE001 - the error's text is what is checked
            text = str(error)
        else:
            raise AssertionError("the duplicate username went in")
        db.session.rollback()
    assert "hanna" not in text.split("[SQL:")[1]
    assert hash_of_hanna not in text
