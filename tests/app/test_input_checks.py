"""Bad input is answered 4xx before it reaches the database: control characters in fields,
queries and addresses, ids past 64 bits, JSON nested past the limit, fields too long."""

from __future__ import annotations

import io
import json

from sqlalchemy import func, select

from app.calls.models import Call
from app.cases.models import Case, TaskDraft
from app.extensions import db
from app.processes.models import ProcessDraft
from workflows.models import HumanTask, ProcessVersion

NOT_ALLOWED = "contained a character that is not allowed"


def start_application(client, csrf_token):
    token = csrf_token(client, "/cases")
    response = client.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert response.status_code == 302
    return response.headers["Location"]


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_nul_in_a_form_field_is_refused_naming_the_field_and_nothing_is_stored(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    sent = {**idea_form, "project_name": "Lake\x00land", "action": "send", "csrf_token": token}
    response = applicant.post(url, data=sent)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The field “project_name” contained a character that is not allowed" in page
    assert count(app, TaskDraft) == 0
    with app.app_context():
        assert db.session.scalar(select(Case.project_name)) is None
    assert count(app, HumanTask) == 1  # the idea proposal still waits


def test_a_draft_with_an_escape_character_is_refused_too(app, signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    form = {"summary": "Red \x1b[31m text", "action": "draft", "csrf_token": token}
    response = applicant.post(url, data=form)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.get_data(as_text=True)
    assert count(app, TaskDraft) == 0


def test_tabs_and_line_breaks_are_text_not_control_characters(app, signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    form = {"summary": "One\tpart\r\nanother", "action": "draft", "csrf_token": token}
    assert applicant.post(url, data=form).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TaskDraft.data))["summary"] == "One\tpart\nanother"


def test_a_nul_in_a_query_is_refused_with_a_message(signed_in):
    specialist = signed_in("specialist")
    response = specialist.get("/cases?q=abc%00def")
    assert response.status_code == 400
    assert "The field “q” contained a character that is not allowed" in response.get_data(
        as_text=True
    )


def test_a_nul_in_the_address_is_refused(signed_in):
    response = signed_in("specialist").get("/calls/regional%00networks-2021")
    assert response.status_code == 400
    assert "The address contained a character that is not allowed" in response.get_data(
        as_text=True
    )


def test_an_id_past_64_bits_is_not_found(signed_in):
    specialist = signed_in("specialist")
    assert specialist.get("/cases/99999999999999999999").status_code == 404
    assert specialist.get("/cases/9223372036854775807").status_code == 404
    assert specialist.get("/cases/2147483648").status_code == 404
    assert specialist.get("/cases/2147483647").status_code == 404  # fits: no such case


def test_a_draft_field_over_100000_characters_is_a_field_error_and_not_stored(
    app, signed_in, csrf_token
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    form = {"summary": "x" * 100_001, "action": "draft", "csrf_token": token}
    response = applicant.post(url, data=form)
    assert response.status_code == 422
    assert "Must be at most 100000 characters." in response.get_data(as_text=True)
    assert count(app, TaskDraft) == 0


def test_an_oversize_field_of_a_sent_form_is_a_field_error(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    sent = {**idea_form, "project_name": "x" * 1_000_000, "action": "send", "csrf_token": token}
    response = applicant.post(url, data=sent)
    assert response.status_code == 422
    assert "Must be at most 200 characters." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Case.project_name)) is None


def test_json_nested_past_the_limit_is_refused_naming_it(signed_in, csrf_token):
    owner = signed_in("process_owner")
    token = csrf_token(owner, "/processes/")
    response = owner.post(
        "/processes/drafts/1/form-preview",
        data="[" * 100_000 + "]" * 100_000,
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 400
    assert "nested deeper than the limit of 64 levels" in response.get_data(as_text=True)


def _import(owner, csrf_token, content: bytes):
    return owner.post(
        "/calls/import",
        data={
            "file": (io.BytesIO(content), "call.json"),
            "csrf_token": csrf_token(owner, "/calls/import"),
        },
        content_type="multipart/form-data",
    )


def test_an_imported_call_nested_past_the_limit_is_refused_naming_it(app, signed_in, csrf_token):
    owner = signed_in("process_owner")
    before = count(app, Call)
    response = _import(owner, csrf_token, b'{"a": ' * 5000 + b"1" + b"}" * 5000)
    assert response.status_code == 422
    assert "nested deeper than the limit of 64 levels" in response.get_data(as_text=True)
    assert count(app, Call) == before


def test_an_imported_call_with_a_nul_in_a_text_is_a_field_error(app, signed_in, csrf_token):
    owner = signed_in("process_owner")
    exported = json.loads(owner.get("/calls/regional-networks-2021/export.json").get_data())
    exported["key"] = "imported-2021"
    exported["title"]["en"] = "Regional\u0000networks"
    before = count(app, Call)
    response = _import(owner, csrf_token, json.dumps(exported).encode())
    assert response.status_code == 422
    assert "Contains a character that is not allowed" in response.get_data(as_text=True)
    assert count(app, Call) == before


def test_a_draft_title_past_its_column_is_refused_and_no_draft_is_made(app, signed_in, csrf_token):
    owner = signed_in("process_owner")
    token = csrf_token(owner, "/processes/")
    with app.app_context():
        version = db.session.scalar(select(ProcessVersion.id))
    before = count(app, ProcessDraft)
    response = owner.post(
        f"/processes/versions/{version}/drafts",
        data={"title": "x" * 201, "csrf_token": token},
        follow_redirects=True,
    )
    assert "Title: Must be at most 200 characters." in response.get_data(as_text=True)
    assert count(app, ProcessDraft) == before
