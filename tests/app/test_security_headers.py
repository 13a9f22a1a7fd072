"""Every kind of answer carries the security headers: pages of anyone, of applicants, of staff
and of process owners, error pages and static files. No page of the app carries an inline
script or an inline event handler, which the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.security_headers import policy_text
from workflows.models import ProcessVersion

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def assert_secure_headers(response, *, page: bool = True) -> None:
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'none'"
    assert policy["script-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"] + policy["default-src"]
    assert "unsafe-eval" not in headers["Content-Security-Policy"]
    if page:
        assert response.mimetype == "text/html"


def test_public_pages_login_and_errors_carry_the_headers(client, demo):
    for url, status in [
        ("/calls", 200),
        ("/calls/regional-networks-2021", 200),
        ("/login", 200),
        ("/register", 200),
        ("/no-such-page", 404),
    ]:
        response = client.get(url)
        assert response.status_code == status, url
        assert_secure_headers(response)


def test_applicant_and_staff_pages_carry_the_headers(signed_in, csrf_token):
    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/cases")
    started = applicant.post(
        "/calls/regional-networks-2021/applications", data={"csrf_token": token}
    )
    task_form = started.headers["Location"]
    assert "/tasks/" in task_form
    for url in ("/", "/tasks", "/cases/1", task_form, "/account", "/account/password"):
        response = applicant.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert_secure_headers(response)
    forbidden = applicant.get("/processes/")
    assert forbidden.status_code == 403
    assert_secure_headers(forbidden)
    assert_secure_headers(signed_in("specialist").get("/tasks"))


def test_the_process_workbench_and_editors_carry_the_headers(app, signed_in, csrf_token, demo):
    owner = signed_in("process_owner")
    with app.app_context():
        version_id = db.session.scalar(select(ProcessVersion.id).where(ProcessVersion.is_current))
    made = owner.post(
        f"/processes/versions/{version_id}/drafts",
        data={"title": "Headers", "csrf_token": csrf_token(owner, "/processes/")},
    )
    draft = made.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    for url in (
        "/processes/",
        f"/processes/versions/{version_id}",
        f"/processes/drafts/{draft}",
        f"/processes/drafts/{draft}/model/funding_application.bpmn",
        f"/processes/drafts/{draft}/form/forms/screening.json",
    ):
        response = owner.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert not INLINE_SCRIPT.search(response.get_data(as_text=True)), url


def test_static_files_and_vendor_assets_are_not_sniffed(client):
    for url in (
        "/static/style.css",
        "/static/heat_map.js",
        "/vendor/bpmn-js/bpmn-navigated-viewer.production.min.js",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_secure_headers(response, page=False)
        response.close()


def test_hsts_goes_out_over_https_and_not_over_plain_http(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_app_served_over_https_sends_hsts_and_secure_cookies(database_url):
    app: Flask = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"}
    )
    response = app.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_has_inline_script_or_event_handlers(template):
    text = template.read_text("utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_HANDLER.search(text)
    assert "javascript:" not in text


def test_a_policy_is_written_from_its_directives():
    assert policy_text({"default-src": "'self'", "upgrade-insecure-requests": ""}) == (
        "default-src 'self'; upgrade-insecure-requests"
    )
