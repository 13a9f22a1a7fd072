"""What every lint rule reads the XML with: BPMN namespaces, element kinds and small helpers.

Only what several rule modules share lives here; a helper one module uses stays in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TypeAlias

from lxml import etree

from workflows.errors import Problem, Severity

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {
    "bpmn": BPMN_NS,
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "spiff": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
TASKS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "sendTask",
        "receiveTask",
        "businessRuleTask",
    }
)
SUB_PROCESSES = frozenset({"subProcess", "transaction", "adHocSubProcess"})
ACTIVITIES = TASKS | SUB_PROCESSES | {"callActivity"}
EVENTS = frozenset(
    {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
)
GATEWAYS = frozenset(
    {
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "eventBasedGateway",
        "complexGateway",
    }
)
FLOW_NODES = ACTIVITIES | EVENTS | GATEWAYS

Element: TypeAlias = etree._Element


def problem_at(file: str, node: Element, message: str, severity: Severity = "error") -> Problem:
    """A problem of ``node``, named by its id."""
    return Problem(file, node.get("id"), message, severity)


def xpath(node: Element, path: str, **variables: str) -> list[Any]:
    return list(node.xpath(path, namespaces=NS, **variables))


def child_elements(node: Element) -> Iterator[Element]:
    return (child for child in node.iterchildren(tag=etree.Element))


def bpmn_tag(node: Element) -> str:
    """The element's tag without its namespace ('userTask'); '' for an element outside BPMN."""
    qname = etree.QName(node)
    return qname.localname if qname.namespace == BPMN_NS else ""


def text_at(node: Element, path: str) -> str:
    found = xpath(node, path)
    return (found[0].text or "").strip() if found else ""


def kind_in_words(node: Element) -> str:
    """'exclusiveGateway' -> 'exclusive gateway'."""
    kind = bpmn_tag(node) or etree.QName(node).localname
    return {"subProcess": "sub-process", "adHocSubProcess": "ad-hoc sub-process"}.get(
        kind, re.sub(r"(?<!^)(?=[A-Z])", " ", kind).lower()
    )


def describe(node: Element) -> str:
    """The kind and name: "the user task 'Screen the idea proposal'"."""
    name = (node.get("name") or "").strip()
    return f"the {kind_in_words(node)}" + (f" '{name}'" if name else "")
