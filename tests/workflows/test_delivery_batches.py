"""Planned messages delivered many to a transaction: in the order given; a delivery whose step
fails opens its incident, one that raises is rolled back alone and stays pending, the others of
its batch commit either way; a case a request holds is left for the next pass, as is what a
batch out of time did not reach; two deliveries to one case in a batch are made in order; two
workers never deliver a message twice."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from tests.workflows.factories import case_process_version, starter
from workflows.delivery_batches import deliver_batch
from workflows.engine import lock_instance
from workflows.models import AuditEvent, HumanTask, Incident, MessageDelivery
from workflows.services import ServiceCall, register_operator
from workflows.worker import Settings, deliver_messages


@register_operator("test_note_invited")
def note_invited(call: ServiceCall) -> dict[str, Any]:
    """Notes an invited case; as the case's data says, its step fails, or the database does."""
    if call.params["mode"] == "step fails":
        raise ValueError("the invitation could not be noted")
    if call.params["mode"] == "database fails":
        call.session.execute(text("SELECT nothing FROM no_such_table"))
    return {"noted": True}


# A case that waits for the webinar invitation, notes it (a service task), and then waits for
# the applicant to confirm (no longer waiting for an invitation).
INVITED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="invited_definitions" targetNamespace="http://grantflow.example/bpmn">
  <bpmn:message id="invitation_message" name="webinar_invitation"/>
  <bpmn:process id="invited" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="applicant" name="applicant">
        <bpmn:flowNodeRef>confirm</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>to_invited</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="invitation" name="Invitation">
      <bpmn:incoming>to_invited</bpmn:incoming><bpmn:outgoing>to_note</bpmn:outgoing>
      <bpmn:messageEventDefinition id="invitation_in" messageRef="invitation_message">
        <bpmn:extensionElements>
          <spiffworkflow:messageVariable>invitation</spiffworkflow:messageVariable>
        </bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:serviceTask id="note_invited" name="Note the invitation">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="test_note_invited" resultVariable="invite_note">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="mode" type="str" value="mode"/>
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>to_note</bpmn:incoming><bpmn:outgoing>to_confirm</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:userTask id="confirm" name="Confirm">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="confirm.json"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>to_confirm</bpmn:incoming><bpmn:outgoing>to_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="done"><bpmn:incoming>to_done</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_invited" sourceRef="start" targetRef="invitation"/>
    <bpmn:sequenceFlow id="to_note" sourceRef="invitation" targetRef="note_invited"/>
    <bpmn:sequenceFlow id="to_confirm" sourceRef="note_invited" targetRef="confirm"/>
    <bpmn:sequenceFlow id="to_done" sourceRef="confirm" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>
"""
# The call's side: it sends the invitation to every case of its call as it starts.
INVITER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="inviter_definitions" targetNamespace="http://grantflow.example/bpmn">
  <bpmn:message id="invitation_message" name="webinar_invitation"/>
  <bpmn:process id="inviter" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to_invite</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateThrowEvent id="invite" name="Invite">
      <bpmn:incoming>to_invite</bpmn:incoming><bpmn:outgoing>to_sent</bpmn:outgoing>
      <bpmn:messageEventDefinition id="invitation_out" messageRef="invitation_message">
        <bpmn:extensionElements>
          <spiffworkflow:messagePayload>{"webinar": "Applying"}</spiffworkflow:messagePayload>
        </bpmn:extensionElements>
      </bpmn:messageEventDefinition>
    </bpmn:intermediateThrowEvent>
    <bpmn:endEvent id="sent"><bpmn:incoming>to_sent</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_invite" sourceRef="start" targetRef="invite"/>
    <bpmn:sequenceFlow id="to_sent" sourceRef="invite" targetRef="sent"/>
  </bpmn:process>
</bpmn:definitions>
"""
FORM = '{"title": "Confirm", "type": "object", "properties": {}}'


@pytest.fixture
def start_case(session, rehearsal_clock):
    """``start_case(mode)``: a case of the call waiting for the invitation, committed; its id."""
    version = case_process_version(
        session, "invited", {"invited.bpmn": INVITED, "forms/confirm.json": FORM}
    )
    return starter(session, version, "invited", rehearsal_clock)


@pytest.fixture
def invite(session, rehearsal_clock):
    """``invite()``: the call sends the invitation, committed; the planned deliveries by case."""
    version = case_process_version(session, "inviter", {"inviter.bpmn": INVITER})
    start = starter(session, version, "inviter", rehearsal_clock, keys="invitation")

    def send() -> dict[int, int]:
        start()
        return {instance_id: delivery_id for delivery_id, instance_id in planned(session)}

    return send


def planned(session: Session) -> list[tuple[int, int]]:
    """The pending deliveries (id, case), oldest first."""
    session.expire_all()
    return list(
        session.execute(
            select(MessageDelivery.id, MessageDelivery.instance_id)
            .where(MessageDelivery.status == "pending")
            .order_by(MessageDelivery.id)
        ).all()
    )


def delivery_statuses(session: Session) -> dict[int, str]:
    session.expire_all()
    return dict(session.execute(select(MessageDelivery.id, MessageDelivery.status)).all())


def received(session: Session) -> list[int]:
    """The cases that received the invitation, in the order they received it (by audit)."""
    session.expire_all()
    return list(
        session.scalars(
            select(AuditEvent.instance_id)
            .where(AuditEvent.kind == "message_received")
            .order_by(AuditEvent.id)
        )
    )


def asked_to_confirm(session: Session) -> set[int]:
    """The cases whose applicant is asked to confirm: they noted their invitation."""
    session.expire_all()
    return set(
        session.scalars(select(HumanTask.instance_id).where(HumanTask.spec_name == "confirm"))
    )


def test_a_batch_delivers_its_messages_in_the_order_given(session, start_case, invite):
    first, second, third = start_case(), start_case(), start_case()
    to = invite()

    batch = deliver_batch(session, [to[third], to[first], to[second]])
    session.commit()

    assert batch.done == [to[third], to[first], to[second]]
    assert (batch.failed, batch.left) == ([], [])
    assert received(session) == [third, first, second]
    assert set(delivery_statuses(session).values()) == {"delivered"}
    assert asked_to_confirm(session) == {first, second, third}


def test_the_worker_delivers_a_pass_a_few_messages_to_a_transaction(session, start_case, invite):
    cases = [start_case() for _ in range(5)]
    invite()
    commits = []
    event.listen(session.get_bind(), "commit", lambda _connection: commits.append(1))
    settings = Settings(delivery_transaction=2)

    done = deliver_messages(sessionmaker(session.get_bind()), settings)

    assert done == 5
    assert sorted(received(session)) == cases
    assert set(delivery_statuses(session).values()) == {"delivered"}
    assert len(commits) == 3  # 2 + 2 + 1 (planning the missed ones found none to commit)


def test_a_delivery_whose_step_fails_opens_its_incident_and_the_rest_of_its_batch_commits(
    session, start_case, invite
):
    fine, failing, also_fine = start_case(), start_case("step fails"), start_case()
    to = invite()

    batch = deliver_batch(session, [to[fine], to[failing], to[also_fine]])
    session.commit()

    assert batch.done == [to[fine], to[failing], to[also_fine]]
    assert received(session) == [fine, failing, also_fine]
    assert set(delivery_statuses(session).values()) == {"delivered"}
    incidents = session.scalars(select(Incident)).all()
    assert [(i.instance_id, i.element, i.status) for i in incidents] == [
        (failing, "note_invited", "open")
    ]
    assert asked_to_confirm(session) == {fine, also_fine}


def test_a_delivery_that_raises_is_rolled_back_alone_and_the_rest_of_its_batch_commits(
    session, start_case, invite, caplog
):
    fine, broken, also_fine = start_case(), start_case("database fails"), start_case()
    to = invite()

    with caplog.at_level(logging.ERROR, logger="workflows.delivery_batches"):
        done = deliver_messages(sessionmaker(session.get_bind()))

    assert done == 2
    assert received(session) == [fine, also_fine]
    assert delivery_statuses(session) == {
        to[fine]: "delivered",
        to[broken]: "pending",  # tried again on the next pass
        to[also_fine]: "delivered",
    }
    assert asked_to_confirm(session) == {fine, also_fine}
    assert session.scalars(select(Incident)).all() == []
    assert [r.getMessage() for r in caplog.records] == [
        f"the delivery {to[broken]} failed; it is tried again on the next pass"
    ]


def test_a_batch_out_of_time_leaves_the_deliveries_it_did_not_reach_to_the_next(
    session, start_case, invite
):
    first, second, third = start_case(), start_case(), start_case()
    to = invite()

    batch = deliver_batch(session, [to[first], to[second], to[third]], seconds=-1)
    session.commit()

    assert (batch.done, batch.left) == ([to[first]], [to[second], to[third]])
    assert received(session) == [first]
    assert planned(session) == [(to[second], second), (to[third], third)]


def test_two_invitations_to_one_case_in_a_batch_are_delivered_in_order(session, start_case, invite):
    case = start_case()
    first = invite()[case]
    second = invite()[case]  # planned while the case still waits for the first

    batch = deliver_batch(session, [first, second])
    session.commit()

    # The first is received; by the second the case waits for its applicant, not a message.
    assert batch.done == [first, second]
    assert received(session) == [case]
    assert delivery_statuses(session) == {first: "delivered", second: "skipped"}
    assert asked_to_confirm(session) == {case}


def on_postgresql(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite lets one writer at a time)")


def test_a_case_a_request_holds_is_left_pending_for_the_next_pass(session, start_case, invite):
    on_postgresql(session)
    free, held, also_free = start_case(), start_case(), start_case()
    to = invite()
    engine = session.get_bind()

    with Session(engine) as request, Session(engine) as worker:
        lock_instance(request, held)  # a person sending the case's form
        batch = deliver_batch(worker, [to[free], to[held], to[also_free]])
        worker.commit()
        request.commit()
        later = deliver_batch(worker, [to[held]])
        worker.commit()

    assert (batch.done, batch.failed, batch.left) == ([to[free], to[also_free]], [], [])
    assert later.done == [to[held]]
    assert received(session) == [free, also_free, held]
    assert set(delivery_statuses(session).values()) == {"delivered"}


def test_two_workers_on_the_same_deliveries_deliver_each_once(session, start_case, invite):
    on_postgresql(session)
    cases = [start_case() for _ in range(4)]
    to = invite()
    deliveries = [to[case] for case in cases]
    engine = session.get_bind()

    with Session(engine) as one, Session(engine) as other:
        first = deliver_batch(one, deliveries)
        meanwhile = deliver_batch(other, list(reversed(deliveries)))  # skips what `one` holds
        other.commit()
        one.commit()
        after = deliver_batch(other, deliveries)  # delivered already
        other.commit()

    assert (first.done, meanwhile.done, after.done) == (deliveries, [], [])
    session.expire_all()
    once = session.execute(
        select(AuditEvent.instance_id, func.count())
        .where(AuditEvent.kind == "message_received")
        .group_by(AuditEvent.instance_id)
    ).all()
    assert dict(once) == dict.fromkeys(cases, 1)
