"""A script that fails after a person's task: the send is kept, an incident opens, the case is
migrated to a version with the script fixed, the incident is retried, and the case goes on."""

from __future__ import annotations

from pathlib import Path

import pytest
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app.processes.operations import deploy_files
from tests.workflows.bundle_edits import edited
from workflows import EngineStepFailed, read_bundle, wall_now
from workflows.engine import load_workflow
from workflows.incidents import open_incidents, resolve_incident, retry_incident
from workflows.migration import migrate_instance
from workflows.models import AuditEvent, Incident
from workflows.services import Actor
from workflows.task_data import data_size, set_task_data_limit, task_data_limit

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
COUNT = 'region_count = len(set(str(m.get("region") or "").strip() for m in members) - {""})'
BROKEN = COUNT + "\nregion_count = region_count / (region_count - region_count)"
OWNER = Actor("process_owner", frozenset({"process_owner"}))


def deploy(rehearsal, files):
    version, _ = deploy_files(rehearsal.session, files, rehearsal.call.model, "process_owner")
    rehearsal.session.commit()
    return version


@pytest.fixture
def broken(rehearsal):
    """The current version fails when it counts the regions of a sent idea."""
    return deploy(rehearsal, edited(read_bundle(BPMN), APPLICATION, COUNT, BROKEN))


def kinds(rehearsal, case) -> list[str]:
    return [event.kind for event in rehearsal.timeline(case)]


def test_a_failing_script_keeps_the_send_and_opens_an_incident(rehearsal, broken):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")

    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)

    [incident] = open_incidents(rehearsal.session, [case.instance_id])
    assert incident.element == "count_municipalities"
    assert "division by zero" in incident.error
    assert rehearsal.task("send_idea_proposal", case) is None  # the send is kept
    assert kinds(rehearsal, case)[-2:] == ["task_completed", "incident_opened"]
    completed = rehearsal.session.scalar(
        select(AuditEvent).where(
            AuditEvent.instance_id == case.instance_id, AuditEvent.kind == "task_completed"
        )
    )
    assert completed.data["project_name"] == "Lakeland network"
    assert case.documents == []  # the registry comes after the failed step


def test_the_case_migrated_to_a_fixed_version_goes_on_when_the_incident_is_retried(
    rehearsal, broken
):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)
    [incident] = open_incidents(rehearsal.session, [case.instance_id])
    fixed = deploy(rehearsal, read_bundle(BPMN) | {"forms/extra.json": "{}"})

    migrate_instance(rehearsal.session, case.instance, fixed, actor="process_owner", now=wall_now())
    again = retry_incident(rehearsal.session, incident.id, OWNER)
    rehearsal.session.commit()

    assert again is None
    assert rehearsal.session.get(Incident, incident.id).status == "retried"
    assert [d.registry_number for d in case.documents] == ["VN/1/2021-1"]
    assert case.phase == "Waiting for: Webinar invitation"
    assert kinds(rehearsal, case)[-2:] == ["instance_migrated", "incident_retried"]
    rehearsal.move_clock("2021-04-15 16:15:01")
    assert rehearsal.case_ids_emailed("webinar_invitation") == {case.id}


def test_a_retry_that_fails_again_opens_a_new_incident_and_a_resolution_closes_it(
    rehearsal, broken
):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)
    [first] = open_incidents(rehearsal.session, [case.instance_id])

    second = retry_incident(rehearsal.session, first.id, OWNER)
    rehearsal.session.commit()
    assert second is not None and second.id != first.id
    resolve_incident(rehearsal.session, second.id, OWNER)
    rehearsal.session.commit()

    assert open_incidents(rehearsal.session, [case.instance_id]) == []
    assert kinds(rehearsal, case).count("incident_opened") == 2
    assert kinds(rehearsal, case)[-1] == "incident_resolved"


@pytest.fixture
def data_limit():
    """Set the task data limit for one test; the default is back afterwards."""
    before = task_data_limit()
    yield set_task_data_limit
    set_task_data_limit(before)


def test_a_script_past_the_time_limit_opens_an_incident_naming_the_limit(rehearsal):
    endless = (
        COUNT
        + "\nwhile True:\n    try:\n        x = 10 ** 10 ** 7\n    except Exception:\n        pass"
    )
    deploy(rehearsal, edited(read_bundle(BPMN), APPLICATION, COUNT, endless))
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")

    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)

    [incident] = open_incidents(rehearsal.session, [case.instance_id])
    assert incident.element == "count_municipalities"
    assert "the script ran longer than the time limit of 1 s" in incident.error
    assert rehearsal.task("send_idea_proposal", case) is None  # the send is kept


def test_an_automatic_step_over_the_task_data_limit_opens_an_incident(rehearsal, data_limit):
    padded = COUNT + "\nnotes = 'x' * 200000"
    deploy(rehearsal, edited(read_bundle(BPMN), APPLICATION, COUNT, padded))
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    data_limit(100_000)

    rehearsal.send("send_idea_proposal", rehearsal.idea("Lakeland network"), "applicant", case)

    [incident] = open_incidents(rehearsal.session, [case.instance_id])
    assert incident.element == "count_municipalities"
    assert "over the limit of 97.7 KB for a case's task data" in incident.error
    assert rehearsal.task("send_idea_proposal", case) is None
    assert case.documents == []


def test_a_persons_task_over_the_task_data_limit_is_refused_and_nothing_is_saved(
    rehearsal, data_limit
):
    case = rehearsal.start("applicant")
    rehearsal.move_clock("2021-04-01 10:00:00")
    [ready] = load_workflow(case.instance).get_tasks(state=TaskState.READY, manual=True)
    data_limit(data_size(ready.data) + data_size(rehearsal.idea("Lakeland network")) + 1000)

    with pytest.raises(EngineStepFailed, match="Nothing was saved: .* over the limit of"):
        rehearsal.send(
            "send_idea_proposal",
            rehearsal.idea("Lakeland network", summary="x" * 5000),
            "applicant",
            case,
        )

    assert rehearsal.task("send_idea_proposal", case) is not None
    assert open_incidents(rehearsal.session, [case.instance_id]) == []
