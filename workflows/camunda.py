"""Check BPMN files from the Camunda Modeler (Camunda 7) and Zeebe (Camunda 8).

Reports, each naming its element, what the engine would ignore or cannot run: vendor extension
elements and attributes, script languages other than Python, JUEL and FEEL expressions, and
timers written as bare ISO 8601 literals.
"""

from __future__ import annotations

import re

from lxml import etree

from workflows.bpmn_xml import BPMN_NS, CAMUNDA_NS, SPIFF_NS, ZEEBE_NS, parse_xml
from workflows.errors import BundleRefused, Problem

_VENDORS = {CAMUNDA_NS: "camunda", ZEEBE_NS: "zeebe"}


def check_camunda(name: str, text: str) -> list[Problem]:
    """What the engine would ignore or cannot run in a BPMN file, each naming its element.

    Camunda 7 (camunda:) and Camunda 8 (zeebe:) extension elements and attributes, script
    languages other than Python, JUEL (${...}) and FEEL (=...) expressions, and timers written
    as bare ISO 8601 literals (the engine reads timer bodies as Python). Harmless findings
    such as camunda:asyncBefore are warnings; metadata such as camunda:historyTimeToLive,
    which every Camunda Modeler file carries, is not reported at all.
    """
    try:
        root = parse_xml(name, text)
    except BundleRefused as refused:
        return refused.problems
    return camunda_problems(name, root)


def camunda_problems(name: str, root: etree._Element) -> list[Problem]:
    """check_camunda for a file already parsed."""
    problems: list[Problem] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = etree.QName(element)
        if tag.namespace in _VENDORS and _is_extension(element) and tag.localname not in _SILENT:
            problems.append(_vendor_problem(name, element.getparent(), tag, "element"))
        if tag.namespace != BPMN_NS:
            continue
        for key in element.attrib:
            attribute = etree.QName(key)
            if attribute.localname == "formKey" and _has_spiff_form(element):
                continue  # SpiffArena ignores it beside its own form, and so does the engine
            if attribute.namespace in _VENDORS and attribute.localname not in _SILENT:
                problems.append(_vendor_problem(name, element, attribute, "attribute"))
        problems.extend(_expression_problems(name, element, tag.localname))
    return problems


_SILENT = {
    "historyTimeToLive",
    "isStartableInTasklist",
    "versionTag",
    "modelerTemplate",
    "modelerTemplateVersion",
    "modelerTemplateIcon",
}
_HARMLESS = {
    "asyncBefore",
    "asyncAfter",
    "exclusive",
    "jobPriority",
    "taskPriority",
    "failedJobRetryTimeCycle",
    "calledElementBinding",
    "properties",
    "userTask",
}
_FORM = "name a JSON Schema form with spiffworkflow:properties formJsonSchemaFilename"
_LANE = "who may act on a user task comes from its lane"
_CODE = "use a service task with spiffworkflow:serviceTaskOperator, or a Python script task"
_LISTENER = "listeners do not run; use a script task or spiffworkflow:preScript/postScript"
_MAPPING = "variable mappings are not applied; map data in a script task or pre/post script"
_LOOP = "use the standard loopDataInputRef and inputDataItem"
_DECISION = "name the decision with spiffworkflow:calledDecisionId"
_ADVICE = dict.fromkeys(("formKey", "formRef", "formData", "formDefinition", "userTaskForm"), _FORM)
_ADVICE |= dict.fromkeys(("assignee", "candidateUsers", "candidateGroups"), _LANE)
_ADVICE |= dict.fromkeys(("assignmentDefinition",), _LANE)
_ADVICE |= dict.fromkeys(("class", "delegateExpression", "expression", "type", "topic"), _CODE)
_ADVICE |= dict.fromkeys(("resultVariable", "field", "connector", "taskDefinition"), _CODE)
_ADVICE |= dict.fromkeys(("taskListener", "executionListener", "taskListeners"), _LISTENER)
_ADVICE |= dict.fromkeys(("executionListeners",), _LISTENER)
_ADVICE |= dict.fromkeys(("inputOutput", "ioMapping", "in", "out"), _MAPPING)
_ADVICE |= dict.fromkeys(("collection", "elementVariable", "loopCharacteristics"), _LOOP)
_ADVICE |= dict.fromkeys(("decisionRef", "calledDecision"), _DECISION)
_ADVICE |= dict.fromkeys(("dueDate", "followUpDate"), "deadlines are boundary timer events")
_ADVICE["calledElement"] = "set the standard calledElement attribute of the call activity"
_ADVICE["resource"] = "write the Python script inline in the script task"
_ADVICE["script"] = "scripts are Python, written inline in a script task"
_PYTHON = {"python", "python3", "py"}
_CAMUNDA_EXPRESSION = re.compile(r"^=|[$#]\{")
_ISO_LITERAL = re.compile(r"(R\d*/)?(P(\d|T\d)|\d{4}-\d{2}-\d{2})")


def _has_spiff_form(element: etree._Element) -> bool:
    """Whether a task names a JSON Schema form as SpiffArena does (formJsonSchemaFilename)."""
    return bool(
        element.xpath(
            "bpmn:extensionElements/spiff:properties/spiff:property"
            "[@name='formJsonSchemaFilename' and @value!='']",
            namespaces={"bpmn": BPMN_NS, "spiff": SPIFF_NS},
        )
    )


def _is_extension(element: etree._Element) -> bool:
    parent = element.getparent()
    return parent is not None and parent.tag == f"{{{BPMN_NS}}}extensionElements"


def _vendor_problem(
    file: str, owner: etree._Element | None, name: etree.QName, kind: str
) -> Problem:
    label = f"{_VENDORS[name.namespace or '']}:{name.localname}"
    if name.localname in _HARMLESS:
        return Problem(file, owner_id(owner), f"{kind} {label} is ignored", severity="warning")
    advice = _ADVICE.get(name.localname)
    message = f"{kind} {label} is a Camunda extension the engine does not support"
    return Problem(file, owner_id(owner), message + (f": {advice}" if advice else ""))


def _expression_problems(file: str, element: etree._Element, local: str) -> list[Problem]:
    """Scripts, conditions and timers the engine would run as Python."""
    parent = element.getparent()
    if parent is not None and etree.QName(parent).localname.endswith("EventDefinition"):
        parent = parent.getparent()  # name the event, not its definition
    owner = owner_id(element if local == "scriptTask" else parent)
    language = element.get("scriptFormat" if local == "scriptTask" else "language")
    body = (element.text or "").strip()
    if local == "scriptTask" and language and language.lower() not in _PYTHON:
        return [Problem(file, owner, f"script language '{language}' is not supported: use Python")]
    if local in ("conditionExpression", "condition", "completionCondition", "loopCardinality"):
        if language and language.lower() not in _PYTHON:
            return [Problem(file, owner, f"{local} in '{language}' is not supported: use Python")]
        if _CAMUNDA_EXPRESSION.search(body):
            kind = "FEEL" if body.startswith("=") else "JUEL"
            message = f"{local} '{body}' is {kind}, which the engine cannot evaluate: use Python"
            return [Problem(file, owner, message)]
    if local in ("timeDate", "timeDuration", "timeCycle"):
        if _CAMUNDA_EXPRESSION.search(body):
            return [Problem(file, owner, f"timer '{body}' is a Camunda expression: use Python")]
        if _ISO_LITERAL.match(body):
            message = f"timer {body} is read as Python: write it as a string, \"'{body}'\""
            return [Problem(file, owner, message)]
    return []


def owner_id(element: etree._Element | None) -> str | None:
    """The id of the element, or of its nearest ancestor that has one."""
    while element is not None:
        if element.get("id"):
            return element.get("id")
        element = element.getparent()
    return None
