"""Due timers fired many instances to a transaction: an instance whose step fails gets its
incident, one that raises is rolled back alone, the others of its batch commit either way; a
batch out of time leaves the rest for the next; two workers never fire a timer twice."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from tests.workflows.factories import case_process_version, starter
from workflows.clock import set_rehearsal_time
from workflows.models import AuditEvent, Incident, Timer, WorkflowInstance
from workflows.services import ServiceCall, register_operator
from workflows.timer_batches import fire_batch
from workflows.worker import Settings, fire_timers

BEFORE_THE_DEADLINE = datetime(2021, 4, 15, 13, 0, tzinfo=UTC)
AFTER_THE_DEADLINE = datetime(2021, 4, 15, 13, 16, tzinfo=UTC)


@register_operator("test_note_late")
def note_late(call: ServiceCall) -> dict[str, Any]:
    """Notes a late case; as the case's data says, its step fails, or the database does."""
    if call.params["mode"] == "step fails":
        raise ValueError("the note could not be written")
    if call.params["mode"] == "database fails":
        call.session.execute(text("SELECT nothing FROM no_such_table"))
    return {"noted": True}


# A task with an interrupting deadline at 15.4.2021 13:15 UTC, after which a service notes it.
LATE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="late_definitions" targetNamespace="http://grantflow.example/bpmn">
  <bpmn:process id="late" isExecutable="true">
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="applicant" name="applicant">
        <bpmn:flowNodeRef>write</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start"><bpmn:outgoing>to_write</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="write" name="Write">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="write.json"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>to_write</bpmn:incoming><bpmn:outgoing>to_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="done"><bpmn:incoming>to_done</bpmn:incoming></bpmn:endEvent>
    <bpmn:boundaryEvent id="deadline" attachedToRef="write" cancelActivity="true">
      <bpmn:outgoing>to_note</bpmn:outgoing>
      <bpmn:timerEventDefinition id="deadline_timer">
        <bpmn:timeDate>"2021-04-15T13:15:00+00:00"</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:serviceTask id="note_late" name="Note it late">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="test_note_late" resultVariable="late_note">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="mode" type="str" value="mode"/>
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>to_note</bpmn:incoming><bpmn:outgoing>to_closed</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="closed_late"><bpmn:incoming>to_closed</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_write" sourceRef="start" targetRef="write"/>
    <bpmn:sequenceFlow id="to_done" sourceRef="write" targetRef="done"/>
    <bpmn:sequenceFlow id="to_note" sourceRef="deadline" targetRef="note_late"/>
    <bpmn:sequenceFlow id="to_closed" sourceRef="note_late" targetRef="closed_late"/>
  </bpmn:process>
</bpmn:definitions>
"""
FORM = '{"title": "Write", "type": "object", "properties": {}}'


@pytest.fixture
def start_late(session, rehearsal_clock):
    """``start_late(mode)``: an instance of LATE before its deadline, committed; its id."""
    files = {"late.bpmn": LATE, "forms/write.json": FORM}
    version = case_process_version(session, "late", files)
    set_rehearsal_time(rehearsal_clock, BEFORE_THE_DEADLINE)
    session.flush()
    return starter(session, version, "late", rehearsal_clock)


def pass_the_deadline(session: Session) -> None:
    clock = session.scalars(select(WorkflowInstance)).first().clock
    set_rehearsal_time(clock, AFTER_THE_DEADLINE)
    session.commit()


def fired_once(session: Session) -> dict[int, int]:
    """How many times the timers of each instance fired, by instance."""
    session.expire_all()
    return dict(
        session.execute(
            select(AuditEvent.instance_id, func.count())
            .where(AuditEvent.kind == "timer_fired")
            .group_by(AuditEvent.instance_id)
        ).all()
    )


def waiting_timers(session: Session) -> set[int]:
    session.expire_all()
    return set(session.scalars(select(Timer.instance_id)))


def statuses(session: Session) -> dict[int, str]:
    session.expire_all()
    return dict(session.execute(select(WorkflowInstance.id, WorkflowInstance.status)).all())


def test_a_batch_fires_its_instances_in_the_order_given(session, start_late):
    first, second, third = start_late(), start_late(), start_late()
    pass_the_deadline(session)

    batch = fire_batch(session, [third, first, second])
    session.commit()

    assert batch.done == [third, first, second]
    assert (batch.failed, batch.left) == ([], [])
    assert fired_once(session) == {first: 1, second: 1, third: 1}
    assert waiting_timers(session) == set()
    assert set(statuses(session).values()) == {"completed"}


def test_an_instance_whose_step_fails_gets_its_incident_and_the_rest_of_its_batch_fires(
    session, start_late
):
    fine, failing, also_fine = start_late(), start_late("step fails"), start_late()
    pass_the_deadline(session)

    batch = fire_batch(session, [fine, failing, also_fine])
    session.commit()

    assert batch.done == [fine, failing, also_fine]
    assert statuses(session) == {fine: "completed", failing: "running", also_fine: "completed"}
    incidents = session.scalars(select(Incident)).all()
    assert [(i.instance_id, i.element, i.status) for i in incidents] == [
        (failing, "note_late", "open")
    ]
    assert "the note could not be written" in incidents[0].error
    assert fired_once(session) == {fine: 1, failing: 1, also_fine: 1}


def test_an_instance_that_raises_is_rolled_back_alone_and_the_rest_of_its_batch_commits(
    session, start_late, caplog
):
    fine, broken, also_fine = start_late(), start_late("database fails"), start_late()
    pass_the_deadline(session)

    with caplog.at_level(logging.ERROR, logger="workflows.timer_batches"):
        fired = fire_timers(sessionmaker(session.get_bind()))

    assert fired == 2
    assert statuses(session) == {fine: "completed", broken: "running", also_fine: "completed"}
    assert fired_once(session) == {fine: 1, also_fine: 1}
    assert waiting_timers(session) == {broken}  # tried again on the next pass
    assert session.scalars(select(Incident)).all() == []
    assert [r.getMessage() for r in caplog.records] == [
        f"the timers of instance {broken} failed; tried again next pass"
    ]


def test_a_batch_out_of_time_leaves_the_instances_it_did_not_reach_to_the_next(session, start_late):
    first, second, third = start_late(), start_late(), start_late()
    pass_the_deadline(session)

    batch = fire_batch(session, [first, second, third], seconds=-1)
    session.commit()

    assert (batch.done, batch.left) == ([first], [second, third])
    assert waiting_timers(session) == {second, third}


def test_the_worker_fires_a_pass_a_few_instances_to_a_transaction(session, start_late):
    started = [start_late() for _ in range(5)]
    pass_the_deadline(session)
    settings = Settings(timer_transaction=2, timer_transaction_seconds=-1)

    fired = fire_timers(sessionmaker(session.get_bind()), settings)

    assert fired == 5
    assert fired_once(session) == dict.fromkeys(started, 1)


def test_two_workers_on_the_same_due_timers_fire_each_once(session, start_late):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("two transactions at once: PostgreSQL (SQLite lets one writer at a time)")
    started = [start_late() for _ in range(4)]
    pass_the_deadline(session)
    engine = session.get_bind()

    with Session(engine) as one, Session(engine) as other:
        first = fire_batch(one, started)
        meanwhile = fire_batch(other, list(reversed(started)))  # skips what `one` holds
        other.commit()
        one.commit()
        after = fire_batch(other, started)  # the timers are gone
        other.commit()

    assert (first.done, meanwhile.done, after.done) == (started, [], [])
    assert fired_once(session) == dict.fromkeys(started, 1)


def test_a_batch_writes_the_audit_events_of_its_instances_in_one_statement(session, start_late):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite takes rows with RETURNING one statement each")
    started = [start_late() for _ in range(3)]
    pass_the_deadline(session)
    inserts: list[str] = []

    def count(_conn, _cursor, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO audit_events"):
            inserts.append(statement)

    event.listen(session.get_bind(), "before_cursor_execute", count)
    try:
        batch = fire_batch(session, started)
        session.commit()
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", count)

    assert batch.done == started
    assert len(inserts) == 1
    assert fired_once(session) == dict.fromkeys(started, 1)
    completed = session.scalars(
        select(AuditEvent.instance_id).where(AuditEvent.kind == "instance_completed")
    ).all()
    assert sorted(completed) == sorted(started)
