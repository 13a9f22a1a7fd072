"""Service steps after a boundary timer: the task the timer is attached to, and whether a later
timer of that task is due at the same moment (a clock moved past both fires them together)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.workflows.factories import case_process_version
from workflows.clock import set_rehearsal_time
from workflows.engine import fire_timers_of, start_instance
from workflows.services import SYSTEM, ServiceCall, register_operator

NOTES: list[tuple[str, bool, bool]] = []


@register_operator("test_note_timer")
def note_timer(call: ServiceCall) -> dict[str, Any]:
    NOTES.append((call.params["which"], call.timer_attached_to is not None, call.later_timer_due))
    return {}


def _timer(name: str, moment: str) -> str:
    return f"""<bpmn:boundaryEvent id="{name}" attachedToRef="write" cancelActivity="false">
      <bpmn:outgoing>to_note_{name}</bpmn:outgoing>
      <bpmn:timerEventDefinition id="{name}_definition">
        <bpmn:timeDate>"{moment}"</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:serviceTask id="note_{name}">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="test_note_timer" resultVariable="{name}_note">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="which" type="str" value="&quot;{name}&quot;"/>
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>to_note_{name}</bpmn:incoming>
      <bpmn:outgoing>to_end_{name}</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end_{name}"><bpmn:incoming>to_end_{name}</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_note_{name}" sourceRef="{name}" targetRef="note_{name}"/>
    <bpmn:sequenceFlow id="to_end_{name}" sourceRef="note_{name}" targetRef="end_{name}"/>"""


# A task with a week's and a day's reminder before a deadline of 15.4.2021 13:15 UTC.
REMINDERS = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"
    id="reminders_definitions" targetNamespace="http://grantflow.example/bpmn">
  <bpmn:process id="reminders" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>to_write</bpmn:outgoing></bpmn:startEvent>
    <bpmn:laneSet id="lanes">
      <bpmn:lane id="applicant" name="applicant">
        <bpmn:flowNodeRef>write</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:userTask id="write" name="Write">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="write.json"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>to_write</bpmn:incoming><bpmn:outgoing>to_done</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="done"><bpmn:incoming>to_done</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_write" sourceRef="start" targetRef="write"/>
    <bpmn:sequenceFlow id="to_done" sourceRef="write" targetRef="done"/>
    {_timer("week", "2021-04-08T13:15:00+00:00")}
    {_timer("day", "2021-04-14T13:15:00+00:00")}
  </bpmn:process>
</bpmn:definitions>
"""


FORM = '{"title": "Write", "type": "object", "properties": {}}'


@pytest.fixture
def reminders(session, rehearsal_clock):
    """An instance of REMINDERS on the rehearsal clock, started on 1.4.2021."""
    NOTES.clear()
    files = {"reminders.bpmn": REMINDERS, "forms/write.json": FORM}
    version = case_process_version(session, "reminders", files)
    set_rehearsal_time(rehearsal_clock, datetime(2021, 4, 1, 10, 0, tzinfo=UTC))
    session.flush()
    instance = start_instance(
        session,
        version,
        "reminders",
        data={},
        clock=rehearsal_clock,
        group_key="test-call",
        correlation_key="case-1",
        actor=SYSTEM,
    )
    session.flush()
    return instance


def move_to(session, instance, moment: datetime) -> None:
    set_rehearsal_time(instance.clock, moment)
    session.flush()
    fire_timers_of(session, instance.id)
    session.flush()


def test_timers_that_fire_one_by_one_each_have_no_later_timer_due(session, reminders):
    move_to(session, reminders, datetime(2021, 4, 8, 13, 16, tzinfo=UTC))
    move_to(session, reminders, datetime(2021, 4, 14, 13, 16, tzinfo=UTC))

    assert NOTES == [("week", True, False), ("day", True, False)]


def test_a_clock_past_both_timers_tells_the_earlier_one_a_later_one_is_due(session, reminders):
    move_to(session, reminders, datetime(2021, 4, 14, 13, 16, tzinfo=UTC))

    assert sorted(NOTES) == [("day", True, False), ("week", True, True)]
