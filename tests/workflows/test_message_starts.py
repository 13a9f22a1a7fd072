"""A message that leaves its model starts a case of each deployed model whose case process
begins with a message start event for it (SpiffArena's receivers): the throw plans one start
per model, a job opens it once with the message caught by its start event, and two jobs racing
for the same start open one case."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows import engine
from workflows.bundles import deploy_bundle
from workflows.engine import Opening, load_workflow, start_by_message, start_instance
from workflows.models import MessageStart, ProcessVersion, WorkflowInstance
from workflows.services import SYSTEM

MESSAGE = '<bpmn:message id="ready_message" name="ready"/>'
SENDER = process_file(
    "announcer",
    '<bpmn:startEvent id="start" name="Start"/>'
    '<bpmn:intermediateThrowEvent id="announce" name="Announce">'
    '<bpmn:messageEventDefinition id="announce_out" messageRef="ready_message">'
    "<bpmn:extensionElements><spiffworkflow:messagePayload>{'what': 'report'}"
    "</spiffworkflow:messagePayload></bpmn:extensionElements>"
    "</bpmn:messageEventDefinition></bpmn:intermediateThrowEvent>"
    '<bpmn:endEvent id="end" name="Announced"/>' + chain("start", "announce", "end"),
    definitions=MESSAGE,
)
RECEIVER = process_file(
    "handler",
    '<bpmn:startEvent id="asked" name="Asked">'
    '<bpmn:messageEventDefinition id="asked_in" messageRef="ready_message">'
    "<bpmn:extensionElements><spiffworkflow:messageVariable>request</spiffworkflow:messageVariable>"
    "</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:startEvent>"
    '<bpmn:manualTask id="handle" name="Handle it"/>'
    '<bpmn:endEvent id="end" name="Handled"/>' + chain("asked", "handle", "end"),
    definitions=MESSAGE,
)


def deploy(session: Session, model_id: str, process: str, text: str) -> ProcessVersion:
    model = process_model(session, model_id, case_process=process, case_start_data=[])
    version, _ = deploy_bundle(
        session, {f"{process}.bpmn": text}, model=model, deployed_by="t", now=datetime.now(UTC)
    )
    return version


@pytest.fixture
def starter(rehearsal_clock):
    """What the application registers: where a case of the model opens (no case rows here);
    the ids of the instances opened."""
    opened: list[int] = []

    def open_at(session: Session, model_id: str) -> Opening:
        version = session.scalar(
            select(ProcessVersion).where(
                ProcessVersion.model_id == model_id, ProcessVersion.is_current
            )
        )
        assert version is not None
        return Opening(
            version,
            "handler",
            {},
            session.merge(rehearsal_clock),
            f"model-{model_id}",
            f"case-{len(opened) + 1}",
            lambda instance: opened.append(instance.id),
        )

    engine.message_case_opener.insert(0, open_at)
    yield opened
    engine.message_case_opener.remove(open_at)


def announce(session: Session, version: ProcessVersion, clock, key: str) -> WorkflowInstance:
    return start_instance(
        session,
        version,
        "announcer",
        data={},
        clock=clock,
        group_key="call-1",
        correlation_key=key,
        actor=SYSTEM,
    )


def test_a_thrown_message_starts_a_case_of_the_model_that_begins_with_it(
    session, rehearsal_clock, starter
):
    sender = deploy(session, "sender", "announcer", SENDER)
    deploy(session, "handler", "handler", RECEIVER)
    announce(session, sender, rehearsal_clock, "a-1")
    [planned] = session.scalars(select(MessageStart)).all()
    assert (planned.model_id, planned.status) == ("handler", "pending")

    assert start_by_message(session, planned.id)
    assert not start_by_message(session, planned.id)  # once

    [opened] = starter
    assert planned.status == "started" and planned.instance_id == opened
    [handle] = load_workflow(session.get_one(WorkflowInstance, opened)).get_tasks(
        spec_name="handle"
    )
    assert handle.data["request"] == {"what": "report"}


@pytest.fixture
def postgresql(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite lets one writer at a time)")
    return session


def test_two_jobs_racing_for_one_start_open_one_case(postgresql, rehearsal_clock, starter):
    session = postgresql
    sender = deploy(session, "sender", "announcer", SENDER)
    deploy(session, "handler", "handler", RECEIVER)
    announce(session, sender, rehearsal_clock, "a-1")
    session.commit()
    start_id = session.scalar(select(MessageStart.id))
    barrier, outcomes = threading.Barrier(2), []

    def job() -> None:
        with Session(session.get_bind()) as own:
            barrier.wait()
            outcomes.append(start_by_message(own, start_id))
            own.commit()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [False, True]
    handlers = select(func.count()).select_from(WorkflowInstance)
    assert session.scalar(handlers.where(WorkflowInstance.process_id == "handler")) == 1
