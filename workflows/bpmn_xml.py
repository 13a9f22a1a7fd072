"""The XML vocabulary of process files: namespaces, BPMN element kinds and the safe parser.

Every module that reads BPMN or DMN (the bundle reader, its lint rules, translations, diff,
import and export) takes its namespaces, element kinds and parser from here. It is a leaf: of
the engine layer it imports only workflows.errors, so each of them can import it without
importing the others (tests/workflows/test_layering.py keeps it so).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeAlias

from lxml import etree

from workflows.errors import BundleRefused, Problem

# -- Namespaces ------------------------------------------------------------------------------

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"  # Camunda 7 (the Camunda Modeler)
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"  # Camunda 8
DMN_NAMESPACES = (
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",  # DMN 1.1
    "http://www.omg.org/spec/DMN/20180521/MODEL/",  # DMN 1.2
    "https://www.omg.org/spec/DMN/20191111/MODEL/",  # DMN 1.3
)

NS = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "spiff": SPIFF_NS}
"""The prefixes the paths given to ``xpath`` use."""

PREFIXES = {
    BPMN_NS: "bpmn:",
    BPMNDI_NS: "bpmndi:",
    DC_NS: "dc:",
    SPIFF_NS: "spiffworkflow:",
    **dict.fromkeys(DMN_NAMESPACES, "dmn:"),
}
"""Namespace -> the prefix process owners know it by, for messages shown to them."""


def with_prefixes(text: str) -> str:
    """The text with each ``{namespace}`` of a qualified name written as its prefix:
    ``{<BPMN_NS>}userTask`` -> ``bpmn:userTask``."""
    for namespace, prefix in PREFIXES.items():
        text = text.replace("{" + namespace + "}", prefix)
    return text


# -- Element kinds (local names in BPMN_NS) --------------------------------------------------

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

# -- Reading parsed documents ----------------------------------------------------------------

Element: TypeAlias = etree._Element


def xpath(node: Element, path: str, **variables: str) -> list[Any]:
    """The nodes (or values) at ``path``, written with the prefixes of ``NS``."""
    return list(node.xpath(path, namespaces=NS, **variables))


def child_elements(node: Element) -> Iterator[Element]:
    """The element children of ``node``, without comments and processing instructions."""
    return (child for child in node.iterchildren(tag=etree.Element))


def bpmn_tag(node: Element) -> str:
    """The element's tag without its namespace ('userTask'); '' for an element outside BPMN."""
    qname = etree.QName(node)
    return qname.localname if qname.namespace == BPMN_NS else ""


def text_at(node: Element, path: str) -> str:
    """The stripped text of the first node at ``path``; '' when there is none."""
    found = xpath(node, path)
    return (found[0].text or "").strip() if found else ""


# -- Parsing ---------------------------------------------------------------------------------

MAX_FILE_BYTES = 2_000_000
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False, load_dtd=False
)


def parse_xml(name: str, text: str) -> Element:
    """Parse XML without entities, DTDs or network access; refuse oversized files."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise BundleRefused([Problem(name, None, f"file is larger than {MAX_FILE_BYTES} bytes")])
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise BundleRefused(
            [Problem(name, None, "DOCTYPE and entity declarations are not allowed")]
        )
    try:
        return etree.fromstring(text.encode(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise BundleRefused([Problem(name, None, f"not well-formed XML: {err}")]) from None
