"""How the lint rules name what they find: a problem at an element, and the element in words.

The XML vocabulary they read with (namespaces, element kinds, ``xpath``) is workflows.bpmn_xml;
only what several rule modules share lives here, a helper one module uses stays in it.
"""

from __future__ import annotations

import re

from lxml import etree

from workflows.bpmn_xml import Element, bpmn_tag
from workflows.errors import Problem, Severity


def problem_at(file: str, node: Element, message: str, severity: Severity = "error") -> Problem:
    """A problem of ``node``, named by its id."""
    return Problem(file, node.get("id"), message, severity)


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
