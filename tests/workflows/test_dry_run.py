"""Dry runs (workflows/dry_run.py): a case's script and business rule tasks run on data a person
is still typing, in the sandbox and by the DMN engine, without moving the case."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.test_lint import FILE, FORM, USER_TASK, bpmn_file, flow
from workflows.bundles import deploy_bundle
from workflows.dry_run import DryRunFailed, StepUnavailable, dry_run, has_steps
from workflows.engine import start_instance
from workflows.models import HumanTask
from workflows.services import SYSTEM

COUNT = """<bpmn:scriptTask id="count" name="Count" scriptFormat="python">
  <bpmn:script>place_count = len(set(places))</bpmn:script>
</bpmn:scriptTask>"""
DECIDE = """<bpmn:businessRuleTask id="decide" name="Decide">
  <bpmn:extensionElements>
    <spiffworkflow:calledDecisionId>enough</spiffworkflow:calledDecisionId>
  </bpmn:extensionElements>
</bpmn:businessRuleTask>"""
BODY = f"""<bpmn:startEvent id="start" name="Start"/>{USER_TASK}{COUNT}{DECIDE}
<bpmn:endEvent id="end" name="Done"/>
{flow("f1", "start", "write_note")}{flow("f2", "write_note", "count")}
{flow("f3", "count", "decide")}{flow("f4", "decide", "end")}"""
# Hit policy FIRST: the first matching rule wins, even when a later one matches too.
DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D"
    namespace="http://grantflow.example/dmn">
  <decision id="enough" name="Enough places">
    <decisionTable id="enough_table" hitPolicy="FIRST">
      <input id="in_count" label="Places">
        <inputExpression id="in_count_expression" typeRef="integer"><text>place_count</text>
        </inputExpression>
      </input>
      <output id="out_ok" label="Enough" name="enough" typeRef="boolean"/>
      <output id="out_why" label="Why" name="why" typeRef="string"/>
      <rule id="rule_few">
        <inputEntry id="rule_few_in"><text>&lt; minimum</text></inputEntry>
        <outputEntry id="rule_few_ok"><text>False</text></outputEntry>
        <outputEntry id="rule_few_why"><text>"Too few places."</text></outputEntry>
      </rule>
      <rule id="rule_any">
        <inputEntry id="rule_any_in"><text>-</text></inputEntry>
        <outputEntry id="rule_any_ok"><text>True</text></outputEntry>
        <outputEntry id="rule_any_why"><text>"Enough places."</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""
STEPS = ("count", "decide")


@pytest.fixture
def instance(session, rehearsal_clock):
    files = {FILE: bpmn_file(BODY), "forms/note.json": FORM, "enough.dmn": DMN}
    model = process_model(
        session, "places", case_process="minimal", case_start_data=["minimum", "places"]
    )
    version, _ = deploy_bundle(
        session, files, model=model, deployed_by="test", now=datetime.now(UTC)
    )
    started = start_instance(
        session,
        version,
        "minimal",
        data={"minimum": 3, "places": []},
        clock=rehearsal_clock,
        group_key="places",
        correlation_key="places-1",
        actor=SYSTEM,
    )
    session.commit()
    return started


def test_the_steps_run_on_the_data_given(instance):
    data = {"minimum": 3, "places": ["a", "b", "a"]}
    assert dry_run(instance, STEPS, data) == data | {
        "place_count": 2,
        "enough": False,
        "why": "Too few places.",
    }
    enough = dry_run(instance, STEPS, data | {"places": ["a", "b", "c"]})
    assert (enough["enough"], enough["why"]) == (True, "Enough places.")


def test_a_dry_run_leaves_the_case_and_the_data_as_they_were(session, instance):
    state = dict(instance.state)
    data = {"minimum": 3, "places": ["a"]}
    dry_run(instance, STEPS, data)
    session.commit()
    assert data == {"minimum": 3, "places": ["a"]}
    assert instance.state == state
    assert session.scalars(select(HumanTask.spec_name)).all() == ["write_note"]


def test_a_step_the_version_lacks_is_unavailable(instance):
    assert has_steps(instance, STEPS)
    assert not has_steps(instance, ("count", "decide_more"))
    assert not has_steps(instance, ("write_note",))  # a user task is no automatic step
    with pytest.raises(StepUnavailable, match="no script or business rule task 'decide_more'"):
        dry_run(instance, ("count", "decide_more"), {"places": []})


def test_a_step_failing_on_the_data_is_a_failed_dry_run(instance):
    with pytest.raises(DryRunFailed, match="step 'count' failed: NameError"):
        dry_run(instance, STEPS, {"minimum": 3})  # no places
    with pytest.raises(DryRunFailed, match="step 'decide' failed"):
        dry_run(instance, STEPS, {"places": ["a"]})  # no minimum
