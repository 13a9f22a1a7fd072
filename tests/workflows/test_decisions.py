"""DMN decisions with one trip to the sandbox (workflows/decisions.py): the call's eligibility
table decides as SpiffWorkflow's own engine does, for every kind of applicant, and a table
whose inputs fail is decided, and fails, the engine's way."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from workflows import bundles
from workflows.decisions import OneTripDecisions
from workflows.services import SCRIPT_ENGINE

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
RULES = {
    "theme_network": {"min_municipalities": 4, "min_regions": 2},
    "growth_zone": {"min_municipalities": 2, "min_regions": 1},
}


@pytest.fixture(scope="module")
def eligibility_task() -> Any:
    """The case process's eligibility task, in a workflow that is never run or saved."""
    parsed = bundles.parse_bundle(bundles.read_bundle(BPMN), lint=False)
    spec, subprocess_specs = parsed.specs["funding_application"]
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)
    (task,) = [t for t in workflow.get_tasks() if t.task_spec.name == "check_eligibility"]
    return task


def test_the_deployed_tables_decide_with_one_trip(eligibility_task):
    assert isinstance(eligibility_task.task_spec.dmnEngine, OneTripDecisions)


@pytest.mark.parametrize(
    ("applicant_type", "application_object", "municipalities", "regions"),
    list(
        itertools.product(
            ["municipality", "company"],
            ["theme_network", "growth_zone", "other"],
            [1, 2, 4],
            [1, 2],
        )
    ),
)
def test_eligibility_is_decided_as_the_engine_decides_it(
    eligibility_task, applicant_type, application_object, municipalities, regions
):
    eligibility_task.data = {
        "applicant_type": applicant_type,
        "eligible_applicant_types": ["municipality", "joint_municipal_authority"],
        "application_object": application_object,
        "application_object_rules": RULES,
        "municipality_count": municipalities,
        "region_count": regions,
    }
    ours = eligibility_task.task_spec.dmnEngine
    theirs = DMNEngine(ours.decision_table)

    decided = ours.result(eligibility_task)

    assert decided == theirs.result(eligibility_task)
    assert decided["eligible"] is (
        applicant_type == "municipality"
        and application_object in RULES
        and municipalities >= RULES[application_object]["min_municipalities"]
        and regions >= RULES[application_object]["min_regions"]
    )


def test_inputs_that_cannot_be_evaluated_fail_as_the_engine_fails(eligibility_task):
    eligibility_task.data = {"applicant_type": "municipality"}  # the call's rules are missing
    ours = eligibility_task.task_spec.dmnEngine

    with pytest.raises(SpiffWorkflowException) as by_us:
        ours.result(eligibility_task)
    with pytest.raises(SpiffWorkflowException) as by_engine:
        DMNEngine(ours.decision_table).result(eligibility_task)

    assert str(by_us.value) == str(by_engine.value)
    assert "eligible_applicant_types" in str(by_us.value)
