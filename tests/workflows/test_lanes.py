"""Lanes as SpiffArena uses them: a task outside any lane, or in 'Process Initiator', belongs
to the person who started the case; any other lane is a role, or mapped to one by the model."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.engine import start_instance
from workflows.errors import BundleRefused
from workflows.lanes import is_initiators, lane_role
from workflows.models import HumanTask
from workflows.services import SYSTEM, Actor

ROLES = frozenset({"applicant", "specialist", "process_owner"})
BODY = (
    '<bpmn:startEvent id="start" name="Start"/><bpmn:manualTask id="first" name="First"/>'
    '<bpmn:endEvent id="end" name="Done"/>' + chain("start", "first", "end")
)


def files(lane: str | None) -> dict[str, str]:
    lanes = {lane: ["start", "first", "end"]} if lane else None
    return {"laned.bpmn": process_file("laned", BODY, lanes=lanes)}


@pytest.mark.parametrize("lane", [None, "Process Initiator", "process initiator", "Specialist"])
def test_no_lane_the_initiator_lane_and_a_role_pass_the_check(lane):
    assert check_bundle(files(lane), known_roles=ROLES) == []


def test_a_lane_that_is_no_role_says_how_to_fix_it_and_a_mapping_fixes_it():
    [problem] = check_bundle(files("hr"), known_roles=ROLES)
    assert (problem.element, problem.message) == (
        "first",
        "lane 'hr' is not a role: map it to a role on the model's page",
    )
    assert check_bundle(files("hr"), known_roles=ROLES, lane_roles={"hr": "specialist"}) == []
    refused = check_bundle(files("hr"), known_roles=ROLES, lane_roles={"hr": "boss"})
    assert [p.message for p in refused] == [
        "lane 'hr' is not a role: map it to a role on the model's page"
    ]


def test_lane_role_maps_compares_the_initiator_lane_in_any_case_and_names_roles():
    assert [is_initiators(lane) for lane in (None, "", " PROCESS INITIATOR ", "hr")] == [
        True,
        True,
        True,
        False,
    ]
    assert lane_role("Decision maker") == "decision_maker"
    assert lane_role("hr", {"hr": "specialist"}) == "specialist"
    assert lane_role("Process Initiator", {"Process Initiator": "admin"}) is None


def start(session, clock, lane, *, actor, lane_roles=None):
    model = process_model(session, "laned", case_process="laned")
    model.lane_roles = lane_roles or {}
    version, _ = deploy_bundle(
        session, files(lane), model=model, deployed_by="t", now=datetime.now(UTC), known_roles=ROLES
    )
    instance = start_instance(
        session,
        version,
        "laned",
        data={},
        clock=clock,
        group_key="g",
        correlation_key="c",
        actor=actor,
    )
    return session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id))


@pytest.mark.parametrize("lane", [None, "Process Initiator"])
def test_the_initiators_task_is_assigned_to_who_started_the_case(session, rehearsal_clock, lane):
    row = start(session, rehearsal_clock, lane, actor=Actor("anna", frozenset({"applicant"})))
    assert (row.candidate_group, row.assignee) == (None, "anna")


def test_the_initiators_task_of_an_instance_no_person_started_goes_to_the_process_owners(
    session, rehearsal_clock
):
    row = start(session, rehearsal_clock, None, actor=SYSTEM)
    assert (row.candidate_group, row.assignee) == ("process_owner", None)


def test_a_mapped_lane_indexes_its_task_for_the_mapped_role(session, rehearsal_clock):
    row = start(session, rehearsal_clock, "hr", actor=SYSTEM, lane_roles={"hr": "specialist"})
    assert (row.lane, row.candidate_group, row.assignee) == ("hr", "specialist", None)


def test_a_deploy_uses_the_models_mapping(session):
    model = process_model(session, "laned", case_process="laned")
    with pytest.raises(BundleRefused):
        deploy_bundle(
            session,
            files("hr"),
            model=model,
            deployed_by="t",
            now=datetime.now(UTC),
            known_roles=ROLES,
        )
