"""Comparing two versions of the shipped bundle, element by element."""

import json
from pathlib import Path

import pytest

from tests.workflows.bundle_edits import edited, with_form, without_task
from workflows.bundles import read_bundle
from workflows.diff import Change, ElementChange, diff_versions

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
CALL = "funding_call.bpmn"
SCREENING = "forms/screening.json"


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    return read_bundle(BPMN)


def test_a_version_compared_with_itself_has_no_differences(files):
    assert diff_versions(files, dict(files)).empty


def test_moving_the_diagram_alone_is_no_difference(files):
    moved = edited(
        files,
        APPLICATION,
        '<dc:Bounds x="285" y="75" width="100" height="80"/>',
        '<dc:Bounds x="300" y="90" width="100" height="80"/>',
    )
    assert diff_versions(files, moved).empty


def test_leaving_out_a_default_as_the_modeler_does_is_no_difference(files):
    saved = dict(files, **{APPLICATION: files[APPLICATION].replace(' cancelActivity="true"', "")})
    assert saved[APPLICATION] != files[APPLICATION]
    assert diff_versions(files, saved).empty
    not_interrupting = edited(
        files,
        APPLICATION,
        'attachedToRef="send_idea_proposal" cancelActivity="true"',
        'attachedToRef="send_idea_proposal" cancelActivity="false"',
    )
    [change] = diff_versions(files, not_interrupting).elements
    assert change.changes == (Change("interrupting", "true", "false"),)


def test_a_renamed_task_is_one_change_of_its_name(files):
    new = edited(files, APPLICATION, 'name="Screen the idea proposal"', 'name="Screen the idea"')

    assert diff_versions(files, new).elements == (
        ElementChange(
            kind="task",
            status="changed",
            file=APPLICATION,
            process="funding_application",
            element_id="screen_idea",
            element_name="Screen the idea",
            changes=(Change("name", "Screen the idea proposal", "Screen the idea"),),
        ),
    )


def test_lane_form_instructions_and_script_changes_of_tasks_are_named(files):
    new = edited(files, APPLICATION, "<bpmn:flowNodeRef>check_application</bpmn:flowNodeRef>", "")
    new = edited(
        new,
        APPLICATION,
        "        <bpmn:flowNodeRef>send_supplement</bpmn:flowNodeRef>",
        "        <bpmn:flowNodeRef>send_supplement</bpmn:flowNodeRef>\n"
        "        <bpmn:flowNodeRef>check_application</bpmn:flowNodeRef>",
    )
    new = edited(new, APPLICATION, 'value="completeness.json"', 'value="completeness_v2.json"')
    new = edited(new, APPLICATION, "Choose **Invite to apply** or", "Choose **Invite** or")
    new = edited(
        new,
        APPLICATION,
        "requested_amount = budget_2021 + budget_2022 + budget_2023",
        "requested_amount = budget_2021 + budget_2022",
    )
    new = edited(new, APPLICATION, 'comments = ""', 'comments = "-"')

    diff = diff_versions(files, new)

    check = diff.find("check_application")
    assert check is not None
    assert check.changes == (
        Change("form", "completeness.json", "completeness_v2.json"),
        Change("lane", "Specialist", "Applicant"),
    )
    [instructions] = diff.find("screen_idea").changes
    assert instructions.field == "instructions"
    assert "Choose **Invite to apply** or **Reject**." in instructions.before
    assert "Choose **Invite** or **Reject**." in instructions.after
    assert diff.find("compute_requested_amount").changes == (
        Change(
            "script",
            "requested_amount = budget_2021 + budget_2022 + budget_2023",
            "requested_amount = budget_2021 + budget_2022",
        ),
    )
    assert diff.find("evaluate_application").changes == (
        Change("pre-script", 'comments = ""', 'comments = "-"'),
    )


def test_timer_expressions_messages_and_flow_conditions_are_compared(files):
    new = edited(
        files,
        APPLICATION,
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">idea_deadline<',
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">application_deadline<',
    )
    new = edited(
        new,
        APPLICATION,
        '"funding_decision_in" name="funding_decision"',
        '"funding_decision_in" name="decision"',
    )
    new = edited(new, APPLICATION, 'screening_result == "proceed"', 'screening_result == "invite"')
    new = edited(
        new,
        APPLICATION,
        'sourceRef="notify_not_eligible" targetRef="not_invited"',
        'sourceRef="notify_not_eligible" targetRef="closed_late_idea"',
    )

    diff = diff_versions(files, new)

    assert diff.find("idea_deadline_passed").changes == (
        Change("timer", "timeDate: idea_deadline", "timeDate: application_deadline"),
    )
    assert diff.find("funding_decision_received").changes == (
        Change("message", "funding_decision", "decision"),
    )
    assert diff.find("flow_proceed").changes == (
        Change("condition", 'screening_result == "proceed"', 'screening_result == "invite"'),
    )
    assert diff.find("flow_not_eligible_to_end").changes == (
        Change("target", "not_invited", "closed_late_idea"),
    )
    assert {e.kind for e in diff.elements} == {"event", "sequence flow"}


def test_a_removed_task_and_its_outgoing_flow_are_removed_and_the_flow_before_rerouted(files):
    new = without_task(files, APPLICATION, "notify_webinar_invitation")

    diff = diff_versions(files, new)

    assert [(e.kind, e.status, e.element_id) for e in diff.elements] == [
        ("task", "removed", "notify_webinar_invitation"),
        ("sequence flow", "removed", "flow_notify_to_eligibility"),
        ("sequence flow", "changed", "flow_webinar_to_notify"),
    ]
    removed = diff.elements[0]
    assert removed.element_name == "Send the webinar invitation"
    assert Change("lane", "Applicant", None) in removed.changes
    assert diff.elements[2].changes == (
        Change("target", "notify_webinar_invitation", "check_eligibility"),
    )


def test_a_changed_gateway_default_is_named(files):
    new = edited(files, CALL, 'default="flow_not_approved"', 'default="flow_approved"')

    [gateway] = diff_versions(files, new).elements

    assert (gateway.kind, gateway.element_id) == ("gateway", "approved_gateway")
    assert gateway.changes == (Change("default flow", "flow_not_approved", "flow_approved"),)


def test_an_added_and_a_removed_element_show_their_fields(files):
    flow = 'sourceRef="send_decisions" targetRef="decisions_sent"/>'
    new = edited(
        files,
        CALL,
        f'<bpmn:sequenceFlow id="flow_send_to_end" {flow}',
        f'<bpmn:sequenceFlow id="flow_sent" name="Sent" {flow}',
    )

    diff = diff_versions(files, new)

    assert [(e.status, e.element_id) for e in diff.elements] == [
        ("removed", "flow_send_to_end"),
        ("added", "flow_sent"),
    ]
    added = diff.find("flow_sent")
    assert added is not None
    assert added.changes == (
        Change("name", None, "Sent"),
        Change("source", None, "send_decisions"),
        Change("target", None, "decisions_sent"),
        Change("type", None, "sequenceFlow"),
    )


def test_form_fields_are_compared_by_json_pointer(files):
    def change(schema):
        schema["properties"]["score"] = {"type": "integer", "title": "Score"}
        schema["required"].append("score")
        schema["required"].remove("akke_compatible")
        schema["properties"]["feedback"]["title"] = "Feedback"
        del schema["properties"]["screening_result"]

    diff = diff_versions(files, with_form(files, SCREENING, change))

    fields = {e.element_id: e for e in diff.of_kind("form field")}
    assert {pointer: e.status for pointer, e in fields.items()} == {
        "/properties/akke_compatible": "changed",
        "/properties/feedback": "changed",
        "/properties/score": "added",
        "/properties/screening_result": "removed",
    }
    assert fields["/properties/akke_compatible"].changes == (Change("required", "yes", "no"),)
    assert fields["/properties/feedback"].changes == (
        Change("title", "Feedback to the applicant", "Feedback"),
    )
    assert fields["/properties/score"].changes == (
        Change("required", None, "yes"),
        Change("title", None, "Score"),
        Change("type", None, "integer"),
    )
    assert fields["/properties/screening_result"].process == "screening.json"
    assert Change("options", '"proceed", "reject"', None) in (
        fields["/properties/screening_result"].changes
    )


def test_nested_form_fields_have_their_pointer_and_form_files_can_come_and_go(files):
    def change(schema):
        schema["properties"]["partners"]["items"]["properties"]["municipality"]["type"] = "integer"

    new = with_form(files, "forms/idea_proposal.json", change)
    new = {name: text for name, text in new.items() if name != "forms/supplement-uischema.json"}
    new["forms/extra.json"] = json.dumps({"title": "Extra", "type": "object"})

    diff = diff_versions(files, new)

    assert [(e.kind, e.status, e.element_id) for e in diff.elements] == [
        ("form", "added", "extra.json"),
        ("form field", "changed", "/properties/partners/items/properties/municipality"),
        ("form", "removed", "supplement-uischema.json"),
    ]
    nested = diff.elements[1]
    assert nested.changes == (Change("type", "string", "integer"),)


def test_a_changed_dmn_rule_names_the_column_and_both_cells(files):
    new = edited(
        files,
        "eligibility.dmn",
        '"rule_regions_in_3">\n          <text>False',
        '"rule_regions_in_3">\n          <text>-',
    )

    diff = diff_versions(files, new)

    assert diff.elements == (
        ElementChange(
            kind="decision rule",
            status="changed",
            file="eligibility.dmn",
            process="eligibility",
            element_id="rule_regions",
            element_name="Too few regions",
            changes=(Change("if Enough regions", "False", "-"),),
        ),
    )


def test_translations_are_compared_per_english_text(files):
    old = files | {"translations/fi.json": json.dumps({"Start": "Alku", "Done": "Valmis"})}
    new = files | {"translations/fi.json": json.dumps({"Start": "Aloitus", "Approve": "Hyväksy"})}

    diff = diff_versions(old, new)

    assert diff.of_kind("translation") == [
        ElementChange(
            "translation",
            "added",
            "translations/fi.json",
            "fi",
            "Approve",
            "Approve",
            (Change("translation", None, "Hyväksy"),),
        ),
        ElementChange(
            "translation",
            "removed",
            "translations/fi.json",
            "fi",
            "Done",
            "Done",
            (Change("translation", "Valmis", None),),
        ),
        ElementChange(
            "translation",
            "changed",
            "translations/fi.json",
            "fi",
            "Start",
            "Start",
            (Change("translation", "Alku", "Aloitus"),),
        ),
    ]
    assert diff.elements == tuple(diff.of_kind("translation"))
