"""The lint rules run before a deploy (workflows/lint/).

Each test starts from a minimal valid process (start -> user task -> end, drawn, in a lane, with
its form) and breaks exactly one rule.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.factories import SHIPPED_MODEL
from tests.workflows.spiffarena_models import process_file
from workflows.bundles import check_bundle, parse_bundle, read_bundle
from workflows.contract import Contract
from workflows.errors import BundleRefused, Problem

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
ROLES = frozenset({"applicant", "specialist", "decision_maker", "process_owner", "admin"})
# The shipped model's contract with the application (bpmn/model.json).
SHIPPED_CONTRACT = Contract(
    case_process=SHIPPED_MODEL["case_process"],
    call_process=SHIPPED_MODEL["call_process"],
    case_start_data=frozenset(SHIPPED_MODEL["case_start_data"]),
    call_start_data=frozenset(SHIPPED_MODEL["call_start_data"]),
    messages=tuple(SHIPPED_MODEL["messages"]),
)
FILE = "minimal.bpmn"
FORM = '{"type": "object", "properties": {"note": {"type": "string"}}}'
USER_TASK = """<bpmn:userTask id="write_note" name="Write a note">
  <bpmn:extensionElements>
    <spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="note.json"/>
    </spiffworkflow:properties>
  </bpmn:extensionElements>
</bpmn:userTask>"""
START = '<bpmn:startEvent id="start" name="Start"/>'
END = '<bpmn:endEvent id="end" name="Done"/>'
VALID = f"""{START}{USER_TASK}{END}
<bpmn:sequenceFlow id="flow_start" sourceRef="start" targetRef="write_note"/>
<bpmn:sequenceFlow id="flow_end" sourceRef="write_note" targetRef="end"/>"""


def bpmn_file(
    body: str = VALID,
    *,
    process_id: str = "minimal",
    undrawn: tuple[str, ...] = (),
    definitions: str = "",
) -> str:
    """A BPMN file with one executable process 'Minimal' holding `body`, its user tasks in the
    lane 'Applicant', and a diagram: a shape for every flow node and an edge for every sequence
    flow except the ids in `undrawn`. `definitions` goes before the process (messages etc.)."""
    elements = re.findall(r'<bpmn:(\w+) id="([^"]+)"', body)
    users = [id_ for kind, id_ in elements if kind == "userTask"]
    return process_file(
        process_id,
        body,
        lanes={"Applicant": users},
        definitions=definitions,
        name="Minimal",
        undrawn=undrawn,
    )


def bundle(body: str = VALID, **options: Any) -> dict[str, str]:
    return {FILE: bpmn_file(body, **options), "forms/note.json": FORM}


def flow(id_: str, source: str, target: str, condition: str = "", name: str = "") -> str:
    label = f' name="{name}"' if name else ""
    if not condition:
        return f'<bpmn:sequenceFlow id="{id_}"{label} sourceRef="{source}" targetRef="{target}"/>'
    return (
        f'<bpmn:sequenceFlow id="{id_}"{label} sourceRef="{source}" targetRef="{target}">'
        f'<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{condition}'
        "</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )


def problems_of(files: dict[str, str], **options: Any) -> list[Problem]:
    return check_bundle(files, **options)


def only(files: dict[str, str], **options: Any) -> Problem:
    """The single problem of a bundle that breaks exactly one rule."""
    found = problems_of(files, **options)
    assert len(found) == 1, found
    return found[0]


def test_the_minimal_process_has_no_problems():
    assert problems_of(bundle()) == []
    assert sorted(parse_bundle(bundle()).specs) == ["minimal"]


def test_the_shipped_bundle_has_no_errors_and_no_warnings_but_of_its_translations():
    found = check_bundle(read_bundle(BPMN), known_roles=ROLES, contract=SHIPPED_CONTRACT)
    # bpmn/translations/ is written alongside: its catalogs may still lack texts (warnings).
    assert [p for p in found if p.is_error or not p.file.startswith("translations/")] == []


def test_check_bundle_returns_errors_without_raising_and_parse_bundle_refuses_them():
    files = {FILE: bundle()[FILE]}  # the user task's form is missing
    problem = only(files)
    assert problem.severity == "error"
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(files)
    assert refused.value.problems == [problem]


def test_an_unnamed_element_is_a_warning_and_deploys_as_spiffarena_runs_it():
    files = bundle(VALID.replace('name="Write a note"', ""))
    found = problems_of(files)
    assert [(p.element, p.severity) for p in found] == [("write_note", "warning")]
    assert sorted(parse_bundle(files).specs) == ["minimal"]


def test_warnings_are_returned_but_do_not_refuse_a_deploy():
    body = f"""{START}<bpmn:exclusiveGateway id="pass_on"/>{USER_TASK}{END}
    {flow("f1", "start", "pass_on")}{flow("f2", "pass_on", "write_note")}
    {flow("f3", "write_note", "end")}"""
    problem = only(bundle(body))
    assert problem.severity == "warning"
    assert str(problem).startswith(f"{FILE}, element 'pass_on': warning: ")
    assert sorted(parse_bundle(bundle(body)).specs) == ["minimal"]


# Rule 1: decision tables -----------------------------------------------------------------------

DECIDE = """<bpmn:businessRuleTask id="decide" name="Decide">
  <bpmn:extensionElements>
    <spiffworkflow:calledDecisionId>{ref}</spiffworkflow:calledDecisionId>
  </bpmn:extensionElements>
</bpmn:businessRuleTask>"""
WITH_DECISION = f"""{START}{DECIDE}{END}
{flow("f1", "start", "decide")}{flow("f2", "decide", "end")}"""
DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="D"
    namespace="http://grantflow.example/dmn">
  <decision id="grade" name="Grade">
    <decisionTable id="grade_table" hitPolicy="FIRST">
      <input id="in_score" label="Score">
        <inputExpression id="in_score_expression" typeRef="integer"><text>score</text>
        </inputExpression>
      </input>
      <output id="out_passed" label="Passed" name="passed" typeRef="boolean"/>
      <rule id="rule_1">
        <inputEntry id="rule_1_in"><text>&gt;= 3</text></inputEntry>
        <outputEntry id="rule_1_out"><text>True</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>"""


def test_a_decision_of_the_bundle_can_be_called():
    assert problems_of(bundle(WITH_DECISION.format(ref="grade")) | {"grade.dmn": DMN}) == []


def test_a_decision_missing_from_the_bundle_is_refused_once_naming_the_task():
    files = bundle(WITH_DECISION.format(ref="gradee")) | {"grade.dmn": DMN}
    problem = only(files)
    assert (problem.file, problem.element) == (FILE, "decide")
    assert problem.message == (
        "the business rule task 'Decide' calls the decision 'gradee', which no DMN file of the "
        "bundle defines (decisions in the bundle: grade)"
    )
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(files)
    assert refused.value.problems == [problem]


def test_a_decision_in_a_dmn_file_that_does_not_parse_is_refused():
    broken = DMN.replace('<output id="out_passed"', '<oops id="x"/><output id="out_passed"')
    found = problems_of(bundle(WITH_DECISION.format(ref="grade")) | {"grade.dmn": broken})
    assert [(p.file, p.element) for p in found] == [("grade.dmn", "x"), (FILE, "decide")]
    assert found[0].message.startswith(
        "not valid DMN (line 10): Element 'dmn:oops': This element is not expected"
    )
    assert found[1].message == (
        "the business rule task 'Decide' calls the decision 'grade' of grade.dmn, which was "
        "refused: see the problems of that file"
    )


@pytest.mark.parametrize(
    ("old", "new", "element", "message"),
    [
        (
            "<text>&gt;= 3</text>",
            "<text>__import__('os')</text>",
            "rule_1",
            "the input entry 1 __import__('os') is refused: ",
        ),
        (
            "<text>&gt;= 3</text>",
            "<text>&gt;= len(open('/etc/passwd').read())</text>",
            "rule_1",
            "the input entry 1 >= len(open('/etc/passwd').read()) is refused: line 1: open() "
            "is not allowed in process scripts",
        ),
        (
            "<text>True</text>",
            "<text>().__class__</text>",
            "rule_1",
            "the output entry 1 ().__class__ is refused: ",
        ),
        (
            "<text>score</text>",
            "<text>eval('score')</text>",
            "in_score",
            "the input expression eval('score') is refused: line 1: eval() is not allowed in "
            "process scripts",
        ),
    ],
)
def test_a_decision_table_expression_the_sandbox_refuses_is_refused_naming_the_rule(
    old, new, element, message
):
    files = bundle(WITH_DECISION.format(ref="grade")) | {"grade.dmn": DMN.replace(old, new)}

    problem = only(files)

    assert (problem.file, problem.element) == ("grade.dmn", element)
    assert problem.message.startswith(message)
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(files)
    assert refused.value.problems == [problem]


@pytest.mark.parametrize("cell", ["&gt;= 3", "3", "2 &lt; ? &lt; 5", "in [3, 4]", "-", ""])
def test_the_forms_of_a_decision_cell_pass(cell):
    files = bundle(WITH_DECISION.format(ref="grade")) | {
        "grade.dmn": DMN.replace("<text>&gt;= 3</text>", f"<text>{cell}</text>")
    }
    assert problems_of(files) == []


# Rule 2: timers ---------------------------------------------------------------------------------


def timer_bundle(expression: str, kind: str = "timeDate", script: str = "") -> dict[str, str]:
    wait = f"""<bpmn:intermediateCatchEvent id="wait" name="Wait">
      <bpmn:timerEventDefinition id="wait_timer">
        <bpmn:{kind} xsi:type="bpmn:tFormalExpression">{expression}</bpmn:{kind}>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>"""
    prepare = f"""<bpmn:scriptTask id="prepare" name="Prepare">
      <bpmn:script>{script or "x = 1"}</bpmn:script></bpmn:scriptTask>"""
    body = f"""{START}{prepare}{wait}{USER_TASK}{END}
    {flow("f1", "start", "prepare")}{flow("f2", "prepare", "wait")}
    {flow("f3", "wait", "write_note")}{flow("f4", "write_note", "end")}"""
    return bundle(body)


@pytest.mark.parametrize(
    ("expression", "kind"),
    [
        ("'2021-04-15T16:15:00+03:00'", "timeDate"),
        ("'2021-04-15T13:15:00Z'", "timeDate"),
        ("helsinki_deadline('2021-06-10')", "timeDate"),
        ("helsinki_deadline('2021-06-10', at='12:00')", "timeDate"),
        ("'P1' + '4D'", "timeDuration"),  # not a literal: not run at deploy time
        ("'P14D'", "timeDuration"),
        ("'PT1H30M'", "timeDuration"),
        ("'R3/PT1H'", "timeCycle"),
    ],
)
def test_a_timer_with_a_valid_literal_time_passes(expression, kind):
    assert problems_of(timer_bundle(expression, kind)) == []


@pytest.mark.parametrize(
    ("expression", "kind", "message"),
    [
        (
            "2021-04-15T16:15:00+03:00",
            "timeDate",
            "the timer time 2021-04-15T16:15:00+03:00 needs quotes: the expression is Python, "
            "so write '2021-04-15T16:15:00+03:00'",
        ),
        ("P14D", "timeDuration", "the timer time P14D needs quotes"),
        (
            "'2021-04-31T16:15:00+03:00'",
            "timeDate",
            "the timer time '2021-04-31T16:15:00+03:00' is not an ISO 8601 date-time (write it "
            "like '2021-04-15T16:15:00+03:00')",
        ),
        (
            "'2021-04-15T16:15:00'",
            "timeDate",
            "the timer time '2021-04-15T16:15:00' has no UTC offset, so the server's time zone "
            "would decide when it fires",
        ),
        ("'P14D'", "timeDate", "the timer time 'P14D' is not a date-time"),
        ("'14 days'", "timeDuration", "the timer time '14 days' is not an ISO 8601 duration"),
        ("'P'", "timeDuration", "the timer time 'P' is not an ISO 8601 duration"),
        ("'PT1H'", "timeCycle", "the timer time 'PT1H' is not an ISO 8601 cycle"),
        ("'R3/soon'", "timeCycle", "the timer time 'R3/soon' is not an ISO 8601 cycle"),
        ("14", "timeDuration", "the timer time 14 is not text"),
        (
            "helsinki_deadline('2021-06-31')",
            "timeDate",
            "the timer expression helsinki_deadline('2021-06-31') fails: day is out of range",
        ),
        ("__import__('os')", "timeDate", "the timer expression __import__('os') is refused"),
        ("", "timeDate", "the timer has no time: give it a date-time, duration or cycle"),
    ],
)
def test_a_timer_whose_time_cannot_work_is_refused(expression, kind, message):
    problem = only(timer_bundle(expression, kind))
    assert (problem.file, problem.element, problem.severity) == (FILE, "wait", "error")
    assert problem.message.startswith(message)


def test_a_timer_reading_data_nothing_sets_is_refused_when_the_start_data_is_known():
    files = timer_bundle("deadline_at", script="dealine_at = helsinki_deadline('2021-06-10')")
    assert problems_of(files) == []  # without the start data nothing can be said
    problem = only(files, start_data={"minimal": {"case_key"}})
    assert (problem.file, problem.element) == (FILE, "wait")
    assert problem.message == (
        "the timer reads deadline_at, which the process never sets (no script, form field, "
        "service task result, message or start data does): it would fail when reached"
    )


@pytest.mark.parametrize(
    ("expression", "script", "start_data"),
    [
        ("deadline_at", "deadline_at = helsinki_deadline('2021-06-10')", set()),
        ("helsinki_deadline(due_day)", "x = 1", {"due_day"}),
        ("note", "x = 1", set()),  # a field of the form note.json
    ],
)
def test_a_timer_reading_data_the_process_has_passes(expression, script, start_data):
    files = timer_bundle(expression, script=script)
    assert problems_of(files, start_data={"minimal": start_data}) == []


# Rule 3: messages -------------------------------------------------------------------------------


def message_file(process_id: str, event: str, definitions: str = "") -> str:
    """A process start -> `event` (id 'ping_event') -> end, with the message 'ping'."""
    body = f"""{START}{event}{END}
    {flow("f1", "start", "ping_event")}{flow("f2", "ping_event", "end")}"""
    message = '<bpmn:message id="ping_message" name="ping"/>'
    return bpmn_file(body, process_id=process_id, definitions=message + definitions)


THROW = """<bpmn:intermediateThrowEvent id="ping_event" name="Ping">
  <bpmn:messageEventDefinition id="ping_definition" messageRef="ping_message"/>
</bpmn:intermediateThrowEvent>"""
CATCH = """<bpmn:intermediateCatchEvent id="ping_event" name="Pinged">
  <bpmn:messageEventDefinition id="ping_definition" messageRef="ping_message"/>
</bpmn:intermediateCatchEvent>"""
SEND_TASK = '<bpmn:sendTask id="ping_event" name="Send a ping" messageRef="ping_message"/>'
RECEIVE_TASK = (
    '<bpmn:receiveTask id="ping_event" name="Wait for a ping" messageRef="ping_message"/>'
)


def correlated_on(prop: str) -> str:
    return f"""<bpmn:correlationProperty id="{prop}" name="{prop}">
  <bpmn:correlationPropertyRetrievalExpression messageRef="ping_message">
    <bpmn:messagePath>{prop}</bpmn:messagePath>
  </bpmn:correlationPropertyRetrievalExpression>
</bpmn:correlationProperty>"""


@pytest.mark.parametrize(("thrower", "catcher"), [(THROW, CATCH), (SEND_TASK, RECEIVE_TASK)])
def test_a_message_thrown_in_one_process_and_caught_in_another_passes(thrower, catcher):
    files = {"call.bpmn": message_file("call", thrower), "case.bpmn": message_file("case", catcher)}
    assert problems_of(files) == []


def test_a_message_nobody_catches_is_a_warning():
    problem = only({"call.bpmn": message_file("call", THROW)})
    assert (problem.file, problem.element, problem.severity) == (
        "call.bpmn",
        "ping_event",
        "warning",
    )
    assert problem.message == (
        "the intermediate throw event 'Ping' sends the message 'ping', but no process of the "
        "bundle or of the deployed models catches it: it would be lost"
    )


def test_a_catch_without_a_thrower_is_refused():
    problem = only({"case.bpmn": message_file("case", RECEIVE_TASK)})
    assert (problem.file, problem.element, problem.severity) == (
        "case.bpmn",
        "ping_event",
        "error",
    )
    assert problem.message == (
        "the receive task 'Wait for a ping' waits for the message 'ping', which no process of "
        "the bundle or of the deployed models sends: the case would wait there for ever"
    )


def test_a_message_thrown_here_and_caught_by_a_deployed_model_passes_and_vice_versa():
    deployed_catcher = {"other/case.bpmn": message_file("case", CATCH)}
    deployed_thrower = {"other/call.bpmn": message_file("call", THROW)}
    assert problems_of({"call.bpmn": message_file("call", THROW)}, deployed=deployed_catcher) == []
    assert problems_of({"case.bpmn": message_file("case", CATCH)}, deployed=deployed_thrower) == []


def test_a_deployed_catcher_correlated_differently_is_a_warning():
    deployed = {"other/case.bpmn": message_file("case", CATCH, correlated_on("organisation_key"))}
    problem = only(
        {"call.bpmn": message_file("call", THROW, correlated_on("case_key"))}, deployed=deployed
    )
    assert "('ping_event' in other/case.bpmn) expects it correlated on key" in problem.message
    assert problem.severity == "warning"


def test_a_message_correlated_differently_on_both_sides_is_refused_naming_both():
    files = {
        "call.bpmn": message_file("call", THROW, correlated_on("case_key")),
        "case.bpmn": message_file("case", CATCH, correlated_on("organisation_key")),
    }
    problem = only(files)
    assert (problem.file, problem.element) == ("call.bpmn", "ping_event")
    assert problem.message == (
        "the intermediate throw event 'Ping' sends the message 'ping' correlated on key "
        "'MainCorrelationKey' (case_key), but the intermediate catch event 'Pinged' "
        "('ping_event' in case.bpmn) expects it correlated on key 'MainCorrelationKey' "
        "(organisation_key): it would never be delivered"
    )


def test_a_catch_without_correlation_accepts_a_correlated_message():
    files = {
        "call.bpmn": message_file("call", THROW, correlated_on("case_key")),
        "case.bpmn": message_file("case", CATCH),
    }
    assert problems_of(files) == []


# Rule 4: the diagram ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("undrawn", "message"),
    [
        (
            "write_note",
            "the user task 'Write a note' is missing from the diagram, so nobody reading the "
            "process sees it: give it a shape in the diagram",
        ),
        (
            "flow_end",
            "the sequence flow is missing from the diagram, so nobody reading the process sees "
            "it: give it an edge in the diagram",
        ),
    ],
)
def test_an_element_missing_from_the_diagram_is_refused(undrawn, message):
    problem = only(bundle(undrawn=(undrawn,)))
    assert (problem.file, problem.element, problem.message) == (FILE, undrawn, message)


def test_a_lane_missing_from_the_diagram_is_a_warning():
    problem = only(bundle() | {FILE: bpmn_file().replace('bpmnElement="minimal_lane_0"', "")})
    assert (problem.file, problem.element, problem.severity) == (FILE, "minimal_lane_0", "warning")
    assert problem.message == (
        "the lane 'Applicant' is missing from the diagram, so nobody reading the process sees "
        "it: give it a shape in the diagram"
    )


def test_a_file_without_a_diagram_is_refused_once():
    files = {
        FILE: re.sub(r"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", "", bpmn_file(), flags=re.S)
    }
    problem = only(files | {"forms/note.json": FORM})
    assert (problem.file, problem.element) == (FILE, "minimal")
    assert problem.message.startswith("the file has no diagram (BPMN DI)")


# Rule 5: bpmnlint's recommended rules -----------------------------------------------------------

SCRIPT = (
    '<bpmn:scriptTask id="{id}" name="{name}"><bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>'
)
GATEWAY = '<bpmn:exclusiveGateway id="choose" name="Long note?" default="f_short"/>'
SHORT_END = '<bpmn:endEvent id="short_end" name="Short"/>'


@pytest.mark.parametrize(
    ("body", "element", "message"),
    [
        pytest.param(
            f"{USER_TASK}{END}{flow('f1', 'write_note', 'end')}",
            "minimal",
            "the process 'Minimal' has no start event",
            id="start-event-required",
        ),
        pytest.param(
            f"{START}{USER_TASK}{flow('f1', 'start', 'write_note')}",
            "minimal",
            "the process 'Minimal' has no end event",
            id="end-event-required",
        ),
        pytest.param(
            VALID
            + '<bpmn:startEvent id="again" name="Again"/>'
            + SHORT_END
            + flow("f9", "again", "short_end"),
            "minimal",
            "the process 'Minimal' has 2 start events without a trigger (start, again): it can "
            "have only one; give the others a message or timer, or remove them",
            id="single-blank-start-event",
        ),
        pytest.param(
            VALID + SCRIPT.format(id="lonely", name="Lonely"),
            "lonely",
            "the script task 'Lonely' is not connected: no sequence flow leads to it or away "
            "from it, so it never runs",
            id="no-disconnected",
        ),
        pytest.param(
            VALID
            + SCRIPT.format(id="orphan", name="Orphan")
            + SHORT_END
            + flow("f9", "orphan", "short_end"),
            "orphan",
            "the script task 'Orphan' has no incoming sequence flow, so it never runs: connect "
            "a flow to it (only start and boundary events begin a path)",
            id="no-implicit-start",
        ),
        pytest.param(
            f"""{START}{GATEWAY}{USER_TASK}{END}{SCRIPT.format(id="dangling", name="Dangling")}
            {flow("f1", "start", "choose")}{flow("f_short", "choose", "write_note")}
            {flow("f_long", "choose", "dangling", "True", "Long")}
            {flow("f3", "write_note", "end")}""",
            "dangling",
            "the script task 'Dangling' has no outgoing sequence flow, so the path stops there "
            "without an end event: connect it to the next step or to an end event",
            id="no-implicit-end",
        ),
        pytest.param(
            VALID + SHORT_END + flow("f9", "write_note", "short_end"),
            "write_note",
            "the user task 'Write a note' has 2 outgoing flows without a condition, so all of "
            "them run at once: split with a parallel gateway to run them in parallel, or with "
            "an exclusive gateway to choose one",
            id="no-implicit-split",
        ),
        pytest.param(
            f"""{START}{USER_TASK}{GATEWAY}{END}{SHORT_END}
            {flow("f1", "start", "write_note")}{flow("f2", "write_note", "choose")}
            {flow("f_long", "choose", "end")}{flow("f_short", "choose", "short_end")}""",
            "f_long",
            "the sequence flow from the exclusive gateway 'Long note?' to 'end' has no condition "
            "and is not the default flow: give it a condition, or make it the default",
            id="conditional-flows",
        ),
        pytest.param(
            f"""{START}<bpmn:parallelGateway id="fork"/>{USER_TASK}
            {SCRIPT.format(id="read", name="Read")}<bpmn:parallelGateway id="join_fork"/>
            {END}{SHORT_END}
            {flow("f1", "start", "fork")}{flow("f2", "fork", "write_note")}
            {flow("f3", "fork", "read")}{flow("f4", "write_note", "join_fork")}
            {flow("f5", "read", "join_fork")}{flow("f6", "join_fork", "end")}
            {flow("f7", "join_fork", "short_end")}""",
            "join_fork",
            "the parallel gateway both merges and splits flows: use one gateway to merge and "
            "another to split",
            id="no-gateway-join-fork",
        ),
        pytest.param(
            f"""{START}<bpmn:complexGateway id="complex" name="Complex"/>{USER_TASK}{END}
            {SHORT_END}{flow("f1", "start", "complex")}
            {flow("f2", "complex", "write_note", "True", "Always")}
            {flow("f3", "complex", "short_end", "False", "Never")}
            {flow("f4", "write_note", "end")}""",
            "complex",
            "the complex gateway 'Complex' is a complex gateway, which the engine does not run: "
            "use an exclusive, inclusive or parallel gateway",
            id="no-complex-gateway",
        ),
    ],
)
def test_a_bpmnlint_error_is_refused(body, element, message):
    found = problems_of(bundle(body))
    assert Problem(FILE, element, message) in found
    assert {p.severity for p in found} == {"error"}


def test_a_duplicate_sequence_flow_is_refused():
    found = problems_of(bundle(VALID + flow("flow_again", "start", "write_note")))
    assert (
        Problem(
            FILE,
            "flow_again",
            "the sequence flow duplicates 'flow_start': both go from 'start' to 'write_note' with "
            "the same condition; remove one",
        )
        in found
    )


@pytest.mark.parametrize(
    ("body", "element", "message"),
    [
        pytest.param(
            f"""{START}{GATEWAY}{USER_TASK}{END}
            {flow("f1", "start", "choose")}{flow("f_short", "choose", "write_note")}
            {flow("f_long", "choose", "write_note", "True", "Long")}
            {flow("f3", "write_note", "end")}""",
            "write_note",
            "the user task 'Write a note' has 2 incoming flows: it does not wait for all of "
            "them but runs once for each one that arrives; merge them with a gateway first",
            id="fake-join",
        ),
        pytest.param(
            f"""{START}<bpmn:exclusiveGateway id="pass_on"/>{USER_TASK}{END}
            {flow("f1", "start", "pass_on")}{flow("f2", "pass_on", "write_note")}
            {flow("f3", "write_note", "end")}""",
            "pass_on",
            "the exclusive gateway has one incoming and one outgoing flow: it does nothing and "
            "can be removed",
            id="superfluous-gateway",
        ),
        pytest.param(
            VALID.replace('name="Write a note"', ""),
            "write_note",
            "the user task has no name: name it so that readers know what it does",
            id="label-required",
        ),
        pytest.param(
            f"""{START}{USER_TASK}{GATEWAY}{END}{SHORT_END}
            {flow("f1", "start", "write_note")}{flow("f2", "write_note", "choose")}
            {flow("f_long", "choose", "end", "len(note) &gt; 100")}
            {flow("f_short", "choose", "short_end")}""",
            "f_long",
            "the sequence flow with the condition len(note) > 100 has no name: name the choice "
            "it stands for",
            id="label-required-on-a-condition",
        ),
    ],
)
def test_a_bpmnlint_warning_is_only_a_warning(body, element, message):
    problem = only(bundle(body))
    assert (problem.file, problem.element, problem.message) == (FILE, element, message)
    assert problem.severity == "warning"


# -- translations ----------------------------------------------------------------------------

BUNDLE_TEXTS = ["Applicant", "Start", "Write a note", "Done"]  # in the order of the file


def with_catalog(catalog: dict[str, str], language: str = "fi") -> dict[str, str]:
    return bundle() | {f"translations/{language}.json": json.dumps(catalog)}


def test_a_complete_catalog_has_no_problems():
    catalog = {text: text.upper() for text in BUNDLE_TEXTS}
    assert problems_of(with_catalog(catalog) | with_catalog(catalog, "sv")) == []


def test_a_stale_translation_is_a_warning_naming_the_catalog():
    catalog = {text: text.upper() for text in BUNDLE_TEXTS} | {"Write a memo": "Kirjoita muistio"}
    problem = only(with_catalog(catalog, "sv"))
    assert (problem.file, problem.element, problem.severity) == (
        "translations/sv.json",
        None,
        "warning",
    )
    assert problem.message == "stale translation: 'Write a memo' is not a text of any process file"
    assert parse_bundle(with_catalog(catalog)).translations["fi"] == catalog


def test_texts_a_catalog_lacks_are_one_warning_naming_the_first_three():
    problem = only(with_catalog({"Done": "Valmis"}))
    assert (problem.file, problem.severity) == ("translations/fi.json", "warning")
    assert problem.message == (
        "3 texts have no translation, shown as written: 'Applicant', 'Start', 'Write a note'"
    )
    empty = only(with_catalog({}))
    assert empty.message == (
        "4 texts have no translation, shown as written: 'Applicant', 'Start', 'Write a note', …"
    )


def test_a_bundle_without_catalogs_has_no_translation_warnings():
    assert problems_of(bundle()) == []
