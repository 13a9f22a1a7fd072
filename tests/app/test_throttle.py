"""Guessing is throttled: failed sign-ins per account and per address, sign-ups per address,
failed password changes per account. A throttled request gets a 429 page that says when to
try again, in the page language; during the pause even the right password is refused."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token_from

WHEN = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4} \d\d:\d\d \(UTC\+0[23]:00\)")


def sign_in(client, username, password):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )


def test_ten_wrong_passwords_pause_the_account_even_for_the_right_one(client, make_user):
    make_user("hanna")
    for _ in range(10):
        wrong = sign_in(client, "hanna", "not the password")
        assert wrong.status_code == 200
        assert "Wrong username or password." in wrong.get_data(as_text=True)
    paused = sign_in(client, "hanna", TEST_PASSWORD)
    page = paused.get_data(as_text=True)
    assert paused.status_code == 429
    assert "Too many attempts" in page
    assert "Try again after" in page and WHEN.search(page)
    assert int(paused.headers["Retry-After"]) > 0
    assert client.get("/cases").status_code == 302  # still signed out


def test_the_pause_of_one_account_leaves_the_others_alone(client, make_user):
    make_user("hanna")
    make_user("ilkka")
    for _ in range(10):
        sign_in(client, "hanna", "not the password")
    assert sign_in(client, "hanna", TEST_PASSWORD).status_code == 429
    assert sign_in(client, "ilkka", TEST_PASSWORD).status_code == 302


def test_signing_in_right_does_not_count(client, make_user):
    make_user("hanna")
    for _ in range(12):
        assert sign_in(client, "hanna", TEST_PASSWORD).status_code == 302
        client.post("/logout", data={"csrf_token": csrf_token_from(client.get("/account").text)})


def test_failures_from_one_address_on_many_accounts_pause_the_address(app, client, make_user):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "5 per 15 minutes"
    make_user("hanna")
    for n in range(5):
        assert sign_in(client, f"guess{n}", "not the password").status_code == 200
    assert sign_in(client, "hanna", TEST_PASSWORD).status_code == 429
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert sign_in(elsewhere, "hanna", TEST_PASSWORD).status_code == 302


def test_the_pause_page_is_in_the_page_language(client, make_user):
    make_user("hanna")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    for _ in range(10):
        sign_in(client, "hanna", "not the password")
    paused = sign_in(client, "hanna", TEST_PASSWORD)
    assert paused.status_code == 429
    assert '<html lang="fi">' in paused.text
    assert "Liian monta yritystä" in paused.text


def test_sign_ups_from_one_address_are_limited(app, client, csrf_token):
    app.config["SIGNUP_LIMIT_PER_ADDRESS"] = "2 per hour"
    for n in range(3):
        response = client.post(
            "/register",
            data={"username": f"x{n}", "csrf_token": csrf_token(client, "/register")},
        )
        assert response.status_code == (422 if n < 2 else 429)


def test_wrong_current_passwords_pause_the_password_change(app, client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    token = csrf_token_from(client.get("/account/password").text)
    change = {"password": "a new long password", "confirm": "a new long password"}
    for _ in range(10):
        wrong = client.post(
            "/account/password", data=change | {"current": "a guess", "csrf_token": token}
        )
        assert wrong.status_code == 422
        assert "This is not your current password." in wrong.text
    paused = client.post(
        "/account/password", data=change | {"current": TEST_PASSWORD, "csrf_token": token}
    )
    assert paused.status_code == 429
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "hanna"))
        assert user.check_password(TEST_PASSWORD)
