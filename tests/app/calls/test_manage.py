"""Process owners create, copy, change and publish calls in the browser; a published call
changes only where it is safe, and every change is in its history."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.calls.models import Call
from app.calls.operations import editor_data
from app.extensions import db
from tests.app.calls.helpers import form_fields
from workflows.models import AuditEvent

SOURCE = "regional-networks-2021"


@pytest.fixture
def owner(signed_in):
    return signed_in("process_owner")


def load_call(app, key: str) -> Call | None:
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == key))
        if call is not None:
            db.session.expunge(call)
        return call


def settings(app, key: str = SOURCE) -> dict:
    with app.app_context():
        return editor_data(db.session.scalar(select(Call).where(Call.key == key)))


def post(client, csrf_token, url: str, data: dict, **extra: str):
    form = MultiDict(form_fields(data))
    for name, value in extra.items():
        form[name] = value
    form["csrf_token"] = csrf_token(client, "/calls/manage")
    return client.post(url, data=form)


def test_only_process_owners_and_admins_manage_calls(signed_in, client):
    for username in ("applicant", "specialist", "decision_maker"):
        assert signed_in(username).get("/calls/manage").status_code == 403
        assert signed_in(username).get("/calls/new").status_code == 403
    assert signed_in("admin").get("/calls/manage").status_code == 200
    assert client.get("/calls/new").status_code == 302  # to the login page


def test_the_copy_moves_every_date_a_year_on_in_helsinki_time(app, owner):
    page = owner.get(f"/calls/{SOURCE}/copy?years=2").get_data(as_text=True)
    assert 'value="regional-networks-2023"' in page
    assert 'name="phases.0.deadline.date" value="2023-04-15"' in page
    assert 'name="phases.0.deadline.time" value="16:15"' in page  # still 16:15, EEST
    assert "Helsinki time on that day: UTC+03:00 (summer time)." in page
    assert 'value="Network cooperation between regions: theme networks and growth zones ' in page
    assert "2023–2025" in page


def test_a_copy_with_new_dates_money_and_evaluators_is_saved_as_a_draft(
    app, owner, csrf_token, make_user
):
    make_user("eeva", roles=("specialist",), display_name="Eeva Evaluator")
    data = settings(app)
    data |= {"key": "regional-networks-2030", "budget_total": 5_000_000, "evaluators": ["eeva"]}
    data["phases"][0]["deadline"] = "2030-04-15T13:15:00+00:00"
    data["phases"][1]["deadline"] = "2030-06-03T13:15:00+00:00"
    data["webinar"] |= {
        "starts_at": "2030-04-20T09:30:00+00:00",
        "ends_at": "2030-04-20T13:00:00+00:00",
    }
    data["rehearsal_clock_start"] = "2030-03-01T08:00:00+00:00"

    response = post(owner, csrf_token, f"/calls/{SOURCE}/copy", data)

    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert response.headers["Location"].endswith("/calls/regional-networks-2030/manage")
    call = load_call(app, "regional-networks-2030")
    assert (call.status, call.budget_total, call.config["evaluators"]) == (
        "draft",
        5_000_000,
        ["eeva"],
    )
    assert call.deadline("idea") == datetime(2030, 4, 15, 13, 15, tzinfo=UTC)  # 16:15 EEST
    assert call.instance_id is None  # its process starts when it is published
    assert "Helsinki" not in json.dumps(call.config)  # stored in UTC


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["phases"][0].update(deadline="2020-04-15T13:15:00+00:00"),
            "phases.0.deadline",
            "in the past",
        ),
        (
            lambda d: d["phases"][1].update(deadline="2030-04-01T13:15:00+00:00"),
            "phases.1.deadline",
            "after the deadline of the phase before it",
        ),
        (lambda d: d.update(budget_total=500_000), "reserves", "more than the budget"),
        (lambda d: d.update(evaluators=[]), "evaluators", "needs this"),
        (lambda d: d.update(phases=d["phases"][1:]), "phases", "key “idea”"),
        (lambda d: d.update(key="Bad Key!"), "key", "lower-case letters"),
        (
            lambda d: d.update(registry_format={"case": "{prefix}/{year}"}),
            "registry_format.case",
            "Write {prefix}, {number} and {year} once each",
        ),
        (
            lambda d: d.update(registry_format={"document": "{case}"}),
            "registry_format.document",
            "Write {case} and {document} once each",
        ),
    ],
)
def test_a_bad_setting_is_refused_next_to_its_field(app, owner, csrf_token, change, field, message):
    data = settings(app)
    data["key"] = "regional-networks-2030"
    data["phases"][0]["deadline"] = "2030-04-15T13:15:00+00:00"
    data["phases"][1]["deadline"] = "2030-06-03T13:15:00+00:00"
    data["webinar"] |= {
        "starts_at": "2030-04-20T09:30:00+00:00",
        "ends_at": "2030-04-20T13:00:00+00:00",
    }
    data["rehearsal_clock_start"] = "2030-03-01T08:00:00+00:00"
    change(data)

    response = post(owner, csrf_token, "/calls/new", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = re.search(rf'id="f-{re.escape(field.replace(".", "-"))}-error">(.*?)</p>', page, re.S)
    assert error is not None, page[-3000:]
    assert message in error.group(1)
    assert load_call(app, "regional-networks-2030") is None


def test_publishing_starts_the_call_process_and_opens_the_call_to_applicants(
    app, owner, csrf_token, client
):
    data = settings(app)
    data |= {"key": "regional-networks-2031"}
    data["phases"][0]["deadline"] = "2031-04-15T13:15:00+00:00"
    data["phases"][1]["deadline"] = "2031-06-03T13:15:00+00:00"
    data["webinar"] |= {
        "starts_at": "2031-04-20T09:30:00+00:00",
        "ends_at": "2031-04-20T13:00:00+00:00",
    }
    data.pop("rehearsal_clock_start")  # real time
    assert post(owner, csrf_token, "/calls/new", data).status_code == 302
    assert client.get("/calls/regional-networks-2031").status_code == 404  # a draft is not public

    token = csrf_token(owner, "/calls/regional-networks-2031/manage")
    response = owner.post("/calls/regional-networks-2031/publish", data={"csrf_token": token})

    assert response.status_code == 302
    call = load_call(app, "regional-networks-2031")
    assert call.status == "published" and call.instance_id is not None
    assert "Network cooperation" in client.get("/calls").get_data(as_text=True)
    page = client.get("/calls/regional-networks-2031").get_data(as_text=True)
    assert "Open for applications" in page
    assert "15.4.2031 16:15 (UTC+03:00)" in page


def test_a_published_call_changes_its_texts_with_a_history_but_never_its_money(
    app, owner, csrf_token
):
    data = settings(app)
    data["title"]["en"] = "Theme networks and growth zones (corrected title)"
    data["contacts"][0]["email"] = "petra.stenfors@tem.example"
    data["budget_total"] = 9_000_000  # locked: read-only on the page, ignored if posted

    response = post(owner, csrf_token, f"/calls/{SOURCE}/edit", data)

    assert response.status_code == 302
    call = load_call(app, SOURCE)
    assert call.title == "Theme networks and growth zones (corrected title)"
    assert call.config["contacts"][0]["email"] == "petra.stenfors@tem.example"
    assert call.budget_total == 7_000_000
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.kind == "call_changed"))
        assert event.actor == "process_owner"
        assert sorted(event.data["changes"]) == ["contacts", "title"]
    page = owner.get(f"/calls/{SOURCE}/manage").get_data(as_text=True)
    assert "Changed the call regional-networks-2021: contacts, title" in page
    edit_page = owner.get(f"/calls/{SOURCE}/edit").get_data(as_text=True)
    assert re.search(r'name="budget_total"[^>]*readonly', edit_page)


def test_a_call_is_closed_decided_and_archived_in_order(app, owner, csrf_token):
    token = csrf_token(owner, f"/calls/{SOURCE}/manage")
    url = f"/calls/{SOURCE}/status"
    assert owner.post(url, data={"step": "archive", "csrf_token": token}).status_code == 302
    assert load_call(app, SOURCE).status == "published"  # refused: not closed yet
    for step, status in (("close", "closed"), ("decide", "decided"), ("archive", "archived")):
        owner.post(url, data={"step": step, "csrf_token": token})
        assert load_call(app, SOURCE).status == status
    assert owner.get(f"/calls/{SOURCE}/edit").status_code == 404


def test_the_settings_download_and_import_as_a_draft(app, owner, csrf_token):
    exported = owner.get(f"/calls/{SOURCE}/export.json")
    assert exported.headers["Content-Disposition"] == f'attachment; filename="{SOURCE}.json"'
    data = json.loads(exported.get_data(as_text=True))
    assert data["process_model"] == "two-phase-funding"
    data["key"] = "imported-2021"

    response = owner.post(
        "/calls/import",
        data={
            "file": (io.BytesIO(json.dumps(data).encode()), "call.json"),
            "csrf_token": csrf_token(owner, "/calls/import"),
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    imported = load_call(app, "imported-2021")
    assert imported.status == "draft"
    assert imported.config == load_call(app, SOURCE).config


def test_an_import_that_is_not_a_call_says_what_is_wrong(app, owner, csrf_token):
    for content, message in (
        (b"{not json", "The file is not JSON"),
        (b"[1, 2]", "one JSON object"),
        (json.dumps({"key": "x"}).encode(), "This field is required."),
    ):
        response = owner.post(
            "/calls/import",
            data={
                "file": (io.BytesIO(content), "call.json"),
                "csrf_token": csrf_token(owner, "/calls/import"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_a_draft_call_can_be_deleted_a_published_one_cannot(app, owner, csrf_token):
    token = csrf_token(owner, f"/calls/{SOURCE}/manage")
    owner.post(f"/calls/{SOURCE}/delete", data={"csrf_token": token})
    assert load_call(app, SOURCE) is not None


def test_the_editor_and_its_messages_speak_finnish(app, owner, csrf_token):
    owner.post(
        "/language", data={"language": "fi", "csrf_token": csrf_token(owner, "/calls/manage")}
    )
    page = owner.get(f"/calls/{SOURCE}/copy?years=1").get_data(as_text=True)
    assert "Vaiheet ja niiden määräajat" in page
    assert "Helsingin aika sinä päivänä: UTC+03:00 (kesäaika)." in page
    data = settings(app)
    data |= {"key": "regional-networks-2032"}
    data["phases"][0]["deadline"] = "2020-04-15T13:15:00+00:00"

    response = post(owner, csrf_token, "/calls/new", data)

    assert response.status_code == 422
    assert "Tämä määräaika on menneisyydessä" in response.get_data(as_text=True)
