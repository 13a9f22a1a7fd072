"""What people see of an incident: the applicant that the send is kept and processing is
delayed; process owners and admins the incident, to retry or resolve."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.processes.operations import deploy_files
from tests.app.cases.helpers import send_idea
from tests.workflows.bundle_edits import edited
from workflows import read_bundle
from workflows.models import AuditEvent, Incident, ProcessModel

BPMN = Path(__file__).resolve().parents[3] / "bpmn"
COUNT = 'region_count = len(set(str(m.get("region") or "").strip() for m in members) - {""})'


@pytest.fixture
def broken(app, demo):
    files = edited(
        read_bundle(BPMN),
        "funding_application.bpmn",
        COUNT,
        COUNT + "\nregion_count = region_count / (region_count - region_count)",
    )
    with app.app_context():
        deploy_files(db.session, files, db.session.get(ProcessModel, "two-phase-funding"), "t")
        db.session.commit()


def incident_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Incident.id).where(Incident.status == "open"))


def test_the_applicant_is_told_the_send_is_kept_and_processing_delayed(
    broken, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    page = applicant.get("/cases/1").get_data(as_text=True)
    assert "Processing is delayed" in page
    assert "was sent and saved; it arrived" in page
    assert "Everything sent is kept" in page
    assert "count_municipalities" not in page  # the details are for the staff


def test_process_owners_see_the_incident_and_others_do_not(
    app, broken, signed_in, csrf_token, idea_form
):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    owner = signed_in("process_owner")
    page = owner.get("/incidents").get_data(as_text=True)
    assert "count_municipalities" in page
    assert "division by zero" in page
    assert "count_municipalities" in owner.get("/cases/1").get_data(as_text=True)
    for username in ("applicant", "specialist", "decision_maker"):
        client = signed_in(username)
        assert client.get("/incidents").status_code == 403
        token = csrf_token(client, "/cases")
        assert (
            client.post(
                f"/incidents/{incident_id(app)}/resolve", data={"csrf_token": token}
            ).status_code
            == 403
        )


def test_resolving_closes_the_incident_and_a_second_resolution_is_refused(
    app, broken, signed_in, csrf_token, idea_form
):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    owner = signed_in("process_owner")
    found = incident_id(app)
    token = csrf_token(owner, "/incidents")
    assert owner.post(f"/incidents/{found}/resolve", data={"csrf_token": token}).status_code == 302
    again = owner.post(
        f"/incidents/{found}/resolve", data={"csrf_token": token}, follow_redirects=True
    )
    assert "The incident is no longer open." in again.get_data(as_text=True)
    assert "No open incident." in again.get_data(as_text=True)


def test_a_send_whose_step_fails_is_recorded_once_with_one_incident(
    app, broken, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    with app.app_context():
        sent = db.session.scalars(
            select(AuditEvent.task_id).where(AuditEvent.kind == "task_completed")
        ).all()
        incidents = db.session.scalars(select(Incident.element)).all()
    assert len(sent) == 1
    assert incidents == ["count_municipalities"]
