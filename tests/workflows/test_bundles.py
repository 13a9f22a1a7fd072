from datetime import UTC, datetime
from pathlib import Path

import pytest
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bpmn_xml import parse_xml
from workflows.bundles import (
    check_bundle,
    content_hash,
    deploy_bundle,
    parse_bundle,
    read_bundle,
)
from workflows.errors import BundleRefused

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
ROLES = frozenset({"applicant", "specialist", "decision_maker", "process_owner", "admin"})
SCRIPT = "<bpmn:script>requested_amount = budget_2021 + budget_2022 + budget_2023</bpmn:script>"


@pytest.fixture
def files() -> dict[str, str]:
    return read_bundle(BPMN)


def changed(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in files[name], f"{old!r} not in {name}"
    return files | {name: files[name].replace(old, new)}


def refusal(files: dict[str, str]) -> str:
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(files, known_roles=ROLES)
    return str(refused.value)


def test_the_shipped_bundle_parses_with_both_processes(files):
    parsed = parse_bundle(files, known_roles=ROLES)
    assert sorted(parsed.specs) == ["funding_application", "funding_call"]
    assert "idea_proposal.json" in parsed.forms


def test_deploying_the_same_files_twice_stores_one_version(session, files):
    now = datetime.now(UTC)
    model = process_model(session, "b")
    first, created = deploy_bundle(session, files, model=model, deployed_by="t", now=now)
    again, created_again = deploy_bundle(
        session, dict(files), model=model, deployed_by="t", now=now
    )
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert first.content_hash == content_hash(files)
    assert first.is_current


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        ("import os", "import statements are not allowed"),
        ("secret = open('/etc/passwd').read()", "open() is not allowed"),
        ("x = ().__class__.__base__.__subclasses__()", "invalid attribute name"),
    ],
)
def test_a_dangerous_script_is_refused_naming_file_and_element(files, script, reason):
    message = refusal(changed(files, APPLICATION, SCRIPT, f"<bpmn:script>{script}</bpmn:script>"))
    assert f"{APPLICATION}, element 'compute_requested_amount': script refused" in message
    assert reason in message


def test_a_dangerous_gateway_condition_is_refused(files):
    bad = changed(files, APPLICATION, 'screening_result == "proceed"', "open('x') is None")
    assert "open() is not allowed" in refusal(bad)


def test_a_missing_form_is_refused(files):
    bad = dict(files)
    del bad["forms/screening.json"]
    assert "element 'screen_idea': form file 'screening.json' is missing" in refusal(bad)


def test_an_invalid_json_schema_form_is_refused(files):
    bad = files | {"forms/screening.json": '{"type": "objekt"}'}
    assert "forms/screening.json" in refusal(bad)


def test_a_user_task_outside_the_lanes_passes_it_belongs_to_the_cases_starter(files):
    # As in SpiffArena (see workflows.lanes and tests/workflows/test_lanes.py).
    unlaned = changed(
        files, APPLICATION, "<bpmn:flowNodeRef>send_idea_proposal</bpmn:flowNodeRef>", ""
    )
    assert sorted(parse_bundle(unlaned, known_roles=ROLES).specs) == sorted(
        parse_bundle(files, known_roles=ROLES).specs
    )


def test_external_entities_are_refused(files):
    entity = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    bad = files | {APPLICATION: entity + files[APPLICATION].split("?>", 1)[1]}
    assert "DOCTYPE and entity declarations are not allowed" in refusal(bad)


def test_malformed_xml_is_refused_with_the_file_named(files):
    bad = files | {APPLICATION: files[APPLICATION][:500]}
    assert f"{APPLICATION}: not well-formed XML" in refusal(bad)


def test_an_element_in_the_wrong_place_is_refused_by_the_xsd_naming_file_and_element(files):
    flows = (
        "<bpmn:incoming>flow_application_to_compute</bpmn:incoming>\n"
        "      <bpmn:outgoing>flow_compute_to_register</bpmn:outgoing>\n      "
    )
    moved = changed(files, APPLICATION, flows + SCRIPT, SCRIPT + "\n      " + flows)
    message = refusal(moved)
    assert f"{APPLICATION}, element 'compute_requested_amount': not valid BPMN (line " in message
    assert "Element 'bpmn:incoming': This element is not expected" in message
    # Only the schema refuses it: the engine's parser alone would take the file.
    without_xsd = SpiffBpmnParser()
    without_xsd.add_bpmn_xml(parse_xml(APPLICATION, moved[APPLICATION]), filename=APPLICATION)
    without_xsd.add_dmn_xml(parse_xml("eligibility.dmn", files["eligibility.dmn"]))
    assert without_xsd.get_spec("funding_application").task_specs["compute_requested_amount"]


def test_a_deployed_version_loads_even_if_a_later_lint_rule_would_refuse_it(files):
    undrawn = changed(
        files, APPLICATION, 'bpmnElement="compute_requested_amount"', 'bpmnElement="gone"'
    )
    assert "element 'compute_requested_amount'" in refusal(undrawn)
    parsed = parse_bundle(undrawn, known_roles=ROLES, lint=False)
    assert sorted(parsed.specs) == ["funding_application", "funding_call"]


def test_an_engine_refusal_names_elements_without_memory_addresses():
    body = (
        '<bpmn:startEvent id="start" name="Start"/>'
        '<bpmn:scriptTask id="work" name="Work"><bpmn:dataOutputAssociation id="out">'
        "<bpmn:targetRef>missing_object</bpmn:targetRef></bpmn:dataOutputAssociation>"
        "<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>"
        '<bpmn:endEvent id="end" name="End"/>' + chain("start", "work", "end")
    )
    problems = [p for p in check_bundle({"data.bpmn": process_file("data", body)}) if p.is_error]

    assert any("dataOutputAssociation" in p.message for p in problems), problems
    assert not any(" at 0x" in p.message for p in problems)
