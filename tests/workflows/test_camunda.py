from pathlib import Path

from workflows.bundles import parse_bundle
from workflows.camunda import check_camunda
from workflows.interop import import_bpmn_file

FIXTURES = Path(__file__).resolve().parent / "interop_fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def test_camunda_extensions_are_problems_naming_their_elements():
    found = {
        (p.element, p.message.split(" is ")[0], p.severity)
        for p in check_camunda("review.bpmn", fixture("camunda_review.bpmn"))
    }
    assert found == {
        ("Activity_review", "attribute camunda:formKey", "error"),
        ("Activity_review", "attribute camunda:assignee", "error"),
        ("Activity_review", "attribute camunda:candidateGroups", "error"),
        ("Event_deadline", "timer P14D", "error"),
        ("Flow_yes", "conditionExpression '${approved}'", "error"),
        ("Activity_notify", "attribute camunda:asyncBefore", "warning"),
        ("Activity_notify", "attribute camunda:class", "error"),
        ("Activity_notify", "element camunda:executionListener", "error"),
        ("Activity_notify", "element camunda:inputOutput", "error"),
        ("Activity_score", "script language 'javascript'", "error"),
    }


def test_import_bpmn_file_reports_camunda_problems_with_their_element_ids():
    result = import_bpmn_file("review.bpmn", fixture("camunda_review.bpmn"))
    assert not result.ok
    assert [str(p) for p in result.warnings] == [
        "review.bpmn, element 'Activity_notify': warning: attribute camunda:asyncBefore is ignored"
    ]
    messages = [str(p) for p in result.errors]
    assert any("'Activity_review': attribute camunda:formKey" in m for m in messages)
    assert any("'Flow_yes': conditionExpression '${approved}' is JUEL" in m for m in messages)


def test_a_plain_camunda_modeler_file_imports_without_problems():
    result = import_bpmn_file("registration.bpmn", fixture("camunda_registration.bpmn"))
    assert result.problems == []
    assert result.ok
    assert (result.primary_process_id, result.display_name) == (
        "Process_registration",
        "Registration",
    )
    assert sorted(parse_bundle(result.files).specs) == ["Process_registration"]


def test_camunda_8_task_definitions_and_feel_conditions_are_problems():
    found = [
        (p.element, p.message) for p in check_camunda("pay.bpmn", fixture("zeebe_payment.bpmn"))
    ]
    assert [element for element, _ in found] == ["Activity_pay", "Flow_large"]
    assert "element zeebe:taskDefinition is a Camunda extension" in found[0][1]
    assert "'=amount > 100000' is FEEL" in found[1][1]


SPIFF_FORM_BESIDE_FORM_KEY = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:userTask id="with_spiff_form" camunda:formKey="old-form">
      <bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="formJsonSchemaFilename" value="answer-schema.json"/>
      </spiffworkflow:properties></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:userTask id="camunda_form_only" camunda:formKey="old-form"/>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_camunda_form_key_beside_a_spiffworkflow_form_is_ignored_as_spiffarena_does():
    found = check_camunda("answer.bpmn", SPIFF_FORM_BESIDE_FORM_KEY)
    assert [(p.element, p.message.split(" is ")[0]) for p in found] == [
        ("camunda_form_only", "attribute camunda:formKey")
    ]
