"""Sign-ins end: a session cookie saved before signing out, or before a password change, is
refused afterwards; a session idle too long or older than its lifetime ends; cookies are
HttpOnly and SameSite=Lax (Secure over HTTPS: tests/app/test_security_headers.py)."""

from __future__ import annotations

import time

from flask.testing import FlaskClient

from app.sessions import SEEN_AT, SIGNED_IN_AT
from tests.conftest import TEST_PASSWORD, csrf_token_from

NEW_PASSWORD = "a brand new long password"


def with_cookie_of(app, client: FlaskClient) -> FlaskClient:
    """Another client (another device, or an attacker) holding a copy of the session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def sign_out(client: FlaskClient):
    token = csrf_token_from(client.get("/account").text)
    return client.post("/logout", data={"csrf_token": token})


def test_a_cookie_saved_before_signing_out_is_refused_after(app, client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    saved = with_cookie_of(app, client)
    assert saved.get("/account").status_code == 200
    assert sign_out(client).status_code == 302
    refused = saved.get("/account")
    assert refused.status_code == 302
    assert refused.headers["Location"].startswith("/login")


def test_signing_in_again_after_signing_out_works(client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    sign_out(client)
    login(client, "hanna")
    assert client.get("/account").status_code == 200


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(
    app, client, login, make_user
):
    make_user("hanna")
    login(client, "hanna")
    laptop = app.test_client()
    login(laptop, "hanna")
    token = csrf_token_from(client.get("/account/password").text)
    changed = client.post(
        "/account/password",
        data={
            "current": TEST_PASSWORD,
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": token,
        },
    )
    assert changed.status_code == 302
    assert "Your password is changed" in client.get("/account").text
    assert laptop.get("/account").status_code == 302
    assert sign_out(client).status_code == 302
    again = app.test_client()
    login(again, "hanna", NEW_PASSWORD)


def test_a_password_change_needs_the_current_password_and_a_long_new_one(client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    token = csrf_token_from(client.get("/account/password").text)
    refused = client.post(
        "/account/password",
        data={
            "current": TEST_PASSWORD,
            "password": "short",
            "confirm": "short",
            "csrf_token": token,
        },
    )
    assert refused.status_code == 422
    assert "At least 10 characters." in refused.text
    assert client.get("/account").status_code == 200


def test_a_session_idle_too_long_ends(app, client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - app.config["SESSION_IDLE_TIMEOUT"] - 5
    ended = client.get("/account", follow_redirects=True)
    assert "Your session ended. Please sign in again." in ended.text
    assert ended.request.path == "/login"


def test_a_session_older_than_its_lifetime_ends_even_when_busy(app, client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = int(time.time()) - app.config["PERMANENT_SESSION_LIFETIME"] - 5
    assert client.get("/account").status_code == 302


def test_a_session_in_use_goes_on(client, login, make_user):
    make_user("hanna")
    login(client, "hanna")
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - 120
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert session[SEEN_AT] >= int(time.time()) - 5


def test_the_session_cookie_is_http_only_and_same_site(client, login, make_user):
    make_user("hanna")
    cookie = login(client, "hanna").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session, PERMANENT_SESSION_LIFETIME long
