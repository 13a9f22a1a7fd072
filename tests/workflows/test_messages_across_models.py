"""Messages across deployed process models, as SpiffArena routes them: a message thrown by an
instance of one model that its own model does not catch reaches the instances of other models
that wait for it, in any group (call), only the one of its case_key when it carries one; a
message its own model catches stays in its group (a copy of the model deployed beside it gets
nothing). The check accepts a catch whose thrower is another deployed model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.engine import deliver_pending, load_workflow, start_instance
from workflows.messages import plan_missed_deliveries
from workflows.models import MessageDelivery, MessageWait, ProcessVersion, WorkflowInstance
from workflows.services import SYSTEM

MESSAGE = """<bpmn:message id="ping_message" name="ping"/>
<bpmn:correlationProperty id="case_key" name="case_key">
  <bpmn:correlationPropertyRetrievalExpression messageRef="ping_message">
    <bpmn:messagePath>case_key</bpmn:messagePath>
  </bpmn:correlationPropertyRetrievalExpression>
</bpmn:correlationProperty>"""
SENDER = process_file(
    "pinger",
    '<bpmn:startEvent id="start" name="Start"/>'
    '<bpmn:intermediateThrowEvent id="ping" name="Ping">'
    '<bpmn:messageEventDefinition id="ping_out" messageRef="ping_message">'
    "<bpmn:extensionElements><spiffworkflow:messagePayload>"
    '{"case_key": target, "note": "hello"}'
    "</spiffworkflow:messagePayload></bpmn:extensionElements>"
    "</bpmn:messageEventDefinition></bpmn:intermediateThrowEvent>"
    '<bpmn:endEvent id="end" name="Sent"/>' + chain("start", "ping", "end"),
    definitions=MESSAGE,
)
RECEIVER = process_file(
    "ponger",
    '<bpmn:startEvent id="start" name="Start"/>'
    '<bpmn:intermediateCatchEvent id="pinged" name="Pinged">'
    '<bpmn:messageEventDefinition id="ping_in" messageRef="ping_message">'
    "<bpmn:extensionElements><spiffworkflow:messageVariable>ping</spiffworkflow:messageVariable>"
    "</bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:intermediateCatchEvent>"
    '<bpmn:endEvent id="end" name="Received"/>' + chain("start", "pinged", "end"),
    definitions='<bpmn:message id="ping_message" name="ping"/>',
)


def deploy(session: Session, model_id: str, process: str, text: str) -> ProcessVersion:
    model = process_model(session, model_id, case_process=process, case_start_data=["target"])
    version, _ = deploy_bundle(
        session, {f"{process}.bpmn": text}, model=model, deployed_by="t", now=datetime.now(UTC)
    )
    return version


def start(session, version, process, clock, key, group, **data) -> WorkflowInstance:
    return start_instance(
        session,
        version,
        process,
        data=data,
        clock=clock,
        group_key=group,
        correlation_key=key,
        actor=SYSTEM,
    )


def test_the_receiver_passes_the_check_once_the_sender_is_deployed(session):
    alone = check_bundle({"ponger.bpmn": RECEIVER})
    assert [p.severity for p in alone] == ["error"]
    deploy(session, "sender", "pinger", SENDER)
    receiver = process_model(session, "receiver", case_process="ponger")
    version, created = deploy_bundle(
        session, {"ponger.bpmn": RECEIVER}, model=receiver, deployed_by="t", now=datetime.now(UTC)
    )
    assert created


def test_a_message_reaches_the_correlated_instance_of_another_model_in_another_group(
    session, rehearsal_clock
):
    sender = deploy(session, "sender", "pinger", SENDER)
    receiver = deploy(session, "receiver", "ponger", RECEIVER)
    wanted = start(session, receiver, "ponger", rehearsal_clock, "case-a", "call-2")
    other = start(session, receiver, "ponger", rehearsal_clock, "case-b", "call-3")

    start(session, sender, "pinger", rehearsal_clock, "ping-1", "call-1", target="case-a")
    assert deliver_pending(session) == 1
    session.commit()

    assert (wanted.status, other.status) == ("completed", "running")
    assert load_workflow(wanted).last_task.data["ping"] == {"case_key": "case-a", "note": "hello"}


def test_within_one_model_a_message_stays_in_its_group(session, rehearsal_clock):
    files = {"pinger.bpmn": SENDER, "ponger.bpmn": RECEIVER}
    model = process_model(session, "both", case_process="pinger", case_start_data=["target"])
    version, _ = deploy_bundle(session, files, model=model, deployed_by="t", now=datetime.now(UTC))
    elsewhere = start(session, version, "ponger", rehearsal_clock, "case-a", "call-2")
    start(session, version, "pinger", rehearsal_clock, "ping-1", "call-1", target="case-a")
    assert deliver_pending(session) == 0
    assert elsewhere.status == "running"


def test_a_message_its_own_model_catches_stays_in_its_call_beside_a_copy_of_the_model(
    session, rehearsal_clock
):
    files = {"pinger.bpmn": SENDER, "ponger.bpmn": RECEIVER}
    versions = []
    for model_id in ("original", "copy"):
        model = process_model(session, model_id, case_process="pinger", case_start_data=["target"])
        version, _ = deploy_bundle(
            session, files, model=model, deployed_by="t", now=datetime.now(UTC)
        )
        versions.append(version)
    original, copy = versions
    waiting = start(session, copy, "ponger", rehearsal_clock, "case-a", "call-2")
    start(session, original, "pinger", rehearsal_clock, "ping-1", "call-1", target="case-a")
    late = start(session, copy, "ponger", rehearsal_clock, "case-b", "call-2")
    assert plan_missed_deliveries(session) == 0
    assert deliver_pending(session) == 0
    assert (waiting.status, late.status) == ("running", "running")


def test_a_receiver_that_starts_waiting_later_claims_the_message_of_another_model(
    session, rehearsal_clock
):
    sender = deploy(session, "sender", "pinger", SENDER)
    receiver = deploy(session, "receiver", "ponger", RECEIVER)
    start(session, sender, "pinger", rehearsal_clock, "ping-1", "call-1", target="case-a")
    late = start(session, receiver, "ponger", rehearsal_clock, "case-a", "call-2")
    assert deliver_pending(session) == 1
    assert late.status == "completed"


@pytest.fixture
def postgresql(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite lets one writer at a time)")
    return session


def test_a_receiver_committing_its_wait_while_the_message_is_sent_still_gets_it(
    postgresql, rehearsal_clock
):
    session = postgresql
    sender = deploy(session, "sender", "pinger", SENDER)
    receiver = deploy(session, "receiver", "ponger", RECEIVER)
    session.commit()
    engine = session.get_bind()
    with Session(engine) as waiting, Session(engine) as sending:
        clock = waiting.merge(rehearsal_clock)
        late = start(waiting, waiting.merge(receiver), "ponger", clock, "case-a", "call-2")
        waiting.flush()  # its wait is not committed: the sender cannot see it
        start(
            sending,
            sending.merge(sender),
            "pinger",
            sending.merge(rehearsal_clock),
            "ping-1",
            "call-1",
            target="case-a",
        )
        sending.commit()
        waiting.commit()
        late_id = late.id
    assert session.scalar(select(MessageDelivery)) is None  # nobody planned it
    assert session.scalar(select(MessageWait.message)) == "ping"
    assert plan_missed_deliveries(session) == 1  # the worker's pass finds it
    assert deliver_pending(session) == 1
    session.commit()
    assert session.get(WorkflowInstance, late_id).status == "completed"
