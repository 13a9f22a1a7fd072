"""The heat map: how many running instances of a version wait at each element."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.workflows.factories import process_model
from workflows.bundles import content_hash, deploy_bundle, read_bundle
from workflows.engine import start_instance
from workflows.models import ProcessVersion
from workflows.queries import waiting_counts
from workflows.services import SYSTEM

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
NOW = datetime(2021, 4, 15, 13, 0, tzinfo=UTC)
CASE_DATA = {
    "idea_deadline": "2021-04-15T16:15:00+03:00",
    "application_deadline": "2021-06-02T16:15:00+03:00",
}
CALL_DATA = CASE_DATA | {"webinar": {"title": "Webinar"}}
# Two catch events of one message (the index keeps one row per instance and message) and a timer.
WAITS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    id="waits_definitions" targetNamespace="http://grantflow.example/bpmn">
  <bpmn:message id="ping_message" name="ping"/>
  <bpmn:process id="waits" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:parallelGateway id="fork"/>
    <bpmn:intermediateCatchEvent id="first_ping">
      <bpmn:messageEventDefinition id="first_ping_definition" messageRef="ping_message"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="second_ping">
      <bpmn:messageEventDefinition id="second_ping_definition" messageRef="ping_message"/>
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="tick">
      <bpmn:timerEventDefinition id="tick_definition">
        <bpmn:timeDate>"2030-01-01T00:00:00+00:00"</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:parallelGateway id="join"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork"/>
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="first_ping"/>
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="second_ping"/>
    <bpmn:sequenceFlow id="f4" sourceRef="fork" targetRef="tick"/>
    <bpmn:sequenceFlow id="f5" sourceRef="first_ping" targetRef="join"/>
    <bpmn:sequenceFlow id="f6" sourceRef="second_ping" targetRef="join"/>
    <bpmn:sequenceFlow id="f7" sourceRef="tick" targetRef="join"/>
    <bpmn:sequenceFlow id="f8" sourceRef="join" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def deploy(session, files, model_id="grants"):
    model = process_model(session, model_id)
    version, _ = deploy_bundle(session, files, model=model, deployed_by="owner", now=NOW)
    return version


def store_waits(session):
    """The WAITS process, stored as a version deployed before today's lint rules would be."""
    version = ProcessVersion(
        model=process_model(session, "waits", case_process="waits", call_process=None),
        content_hash=content_hash({"waits.bpmn": WAITS}),
        files={"waits.bpmn": WAITS},
        process_ids=["waits"],
        deployed_by="owner",
        deployed_at=NOW,
    )
    session.add(version)
    session.flush()
    return version


def start(session, version, process_id, clock, key, data):
    instance = start_instance(
        session,
        version,
        process_id,
        data=data,
        clock=clock,
        group_key="test-call",
        correlation_key=key,
        actor=SYSTEM,
    )
    session.flush()
    return instance


@pytest.fixture
def shipped(session):
    return deploy(session, read_bundle(BPMN))


def test_user_tasks_and_timers_count_the_instances_waiting_there(session, shipped, rehearsal_clock):
    for key in ("case-1", "case-2"):
        start(session, shipped, "funding_application", rehearsal_clock, key, CASE_DATA)
    start(session, shipped, "funding_call", rehearsal_clock, "call", CALL_DATA)

    assert waiting_counts(session, shipped.id, file="funding_application.bpmn") == {
        "send_idea_proposal": 2,
        "idea_deadline_passed": 2,  # the deadline on the task's boundary
    }
    assert waiting_counts(session, shipped.id, file="funding_call.bpmn") == {
        "idea_deadline_passed": 1
    }
    # Without a file, equal ids of the two processes add up.
    assert waiting_counts(session, shipped.id) == {
        "send_idea_proposal": 2,
        "idea_deadline_passed": 3,
    }


def test_finished_instances_and_other_versions_are_not_counted(session, shipped, rehearsal_clock):
    done = start(session, shipped, "funding_application", rehearsal_clock, "case-1", CASE_DATA)
    done.status = "completed"
    other = store_waits(session)
    start(session, other, "waits", rehearsal_clock, "waits-1", {})

    assert waiting_counts(session, shipped.id) == {}


def test_catch_events_sharing_a_message_name_are_told_apart(session, rehearsal_clock):
    version = store_waits(session)
    for n in range(2):
        start(session, version, "waits", rehearsal_clock, f"waits-{n}", {})

    assert waiting_counts(session, version.id) == {"first_ping": 2, "second_ping": 2, "tick": 2}
