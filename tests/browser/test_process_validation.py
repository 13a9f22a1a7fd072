"""Each validation rule, in the browser: the process owner uploads a file broken in one way and
the draft's check names the file, the element and what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from workflows import read_bundle

pytestmark = pytest.mark.browser

APPLICATION = "funding_application.bpmn"
SHIPPED = read_bundle(Path(__file__).resolve().parents[2] / "bpmn")
SCRIPT = "<bpmn:script>requested_amount = budget_2021 + budget_2022 + budget_2023</bpmn:script>"
COMPUTE = (
    '<bpmn:scriptTask id="compute_requested_amount" name="Compute the amount applied for" '
    'scriptFormat="python">'
)


def broken(old: str, new: str, name: str = APPLICATION) -> tuple[str, str]:
    text = SHIPPED[name]
    assert old in text
    return name, text.replace(old, new, 1)


def script_before_its_flows() -> tuple[str, str]:
    """The script element moved before <incoming>: the engine would read it, the XSD does not."""
    name, text = broken(f"      {SCRIPT}\n", "")
    return name, text.replace(COMPUTE, f"{COMPUTE}\n      {SCRIPT}", 1)


# rule: (uploaded file, the file named in the problem, the element, words of the message)
BROKEN = {
    "BPMN XSD": (
        script_before_its_flows(),
        APPLICATION,
        "compute_requested_amount",
        "not valid BPMN",
    ),
    "lane is a role": (
        broken(
            '      <bpmn:lane id="lane_specialist" name="Specialist">\n'
            "        <bpmn:flowNodeRef>screen_idea</bpmn:flowNodeRef>\n",
            '      <bpmn:lane id="lane_hr" name="hr">\n'
            "        <bpmn:flowNodeRef>screen_idea</bpmn:flowNodeRef>\n"
            "      </bpmn:lane>\n"
            '      <bpmn:lane id="lane_specialist" name="Specialist">\n',
        ),
        APPLICATION,
        "screen_idea",
        "lane 'hr' is not a role: map it to a role on the model's page",
    ),
    "form exists": (
        broken('value="screening.json"', 'value="screening_v2.json"'),
        APPLICATION,
        "screen_idea",
        "form file 'screening_v2.json' is missing",
    ),
    "form is JSON Schema": (
        ("screening.json", '{"type": 5, "properties": {}}'),
        "forms/screening.json",
        "type",
        "is not valid under any of the given schemas",
    ),
    "decision exists": (
        broken(
            ">eligibility</spiffworkflow:calledDecisionId>",
            ">eligibility_2022</spiffworkflow:calledDecisionId>",
        ),
        APPLICATION,
        "check_eligibility",
        "which no DMN file of the bundle defines",
    ),
    "script compiles in the sandbox": (
        broken(
            "requested_amount = budget_2021 + budget_2022 + budget_2023",
            "import os\nrequested_amount = 0",
        ),
        APPLICATION,
        "compute_requested_amount",
        "import statements are not allowed",
    ),
    "timer is a date, duration or cycle": (
        broken(">application_deadline</bpmn:timeDate>", ">'2021-06-02T16:15:00'</bpmn:timeDate>"),
        APPLICATION,
        "application_deadline_passed",
        "has no UTC offset",
    ),
    "message is caught": (
        broken('name="webinar_invitation"/>', 'name="webinar_invite"/>'),
        APPLICATION,
        "webinar_invitation_received",
        "which no process of the bundle or of the deployed models sends",
    ),
    "diagram covers every element": (
        broken('bpmnElement="screen_idea">', 'bpmnElement="screen_idea_old">'),
        APPLICATION,
        "screen_idea",
        "is missing from the diagram",
    ),
}


def upload(page: Page, name: str, text: str) -> None:
    page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_a_file_broken_against_a_rule_is_refused_with_its_element_named(
    as_user: Callable[..., Page], rule: str
) -> None:
    (name, text), file, element, words = BROKEN[rule]
    page = as_user("process_owner")
    page.goto("/processes/models/two-phase-funding")
    page.get_by_role("button", name="New draft").click()
    expect(page.get_by_role("status")).to_contain_text("The files pass every check")
    upload(page, name, text)
    problem = page.locator(".error-summary .problem-list li").filter(has_text=words)
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text(f"{file}, element {element}")
    page.get_by_role("button", name="Deploy").click()
    expect(page.get_by_role("alert").first).to_contain_text("The process files were refused")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (SHIPPED[APPLICATION][:5000], "not well-formed"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "DOCTYPE",
        ),
    ],
)
def test_an_unsafe_or_broken_xml_file_is_not_stored(
    as_user: Callable[..., Page], text: str, words: str
) -> None:
    page = as_user("process_owner")
    page.goto("/processes/models/two-phase-funding")
    page.get_by_role("button", name="New draft").click()
    upload(page, APPLICATION, text)
    expect(page.get_by_role("alert").first).to_contain_text(f"{APPLICATION} was not stored")
    expect(page.get_by_role("alert").first).to_contain_text(words)
    expect(page.get_by_role("status")).to_contain_text("The files pass every check")
