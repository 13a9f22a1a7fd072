"""Rule 1b: every expression of a decision table compiles in the sandbox.

A table's input expressions, the cells of its rules (input entries: a value, a comparison such
as ``>= 4`` or a test with ``?`` standing for the input) and its output entries are Python run by
the engine when a case reaches the business rule task. Each is checked as the engine will run it
(workflows/sandbox.py), and a refusal names the DMN file, the rule (or input) and the reason.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from lxml import etree

from workflows.bpmn_xml import Element
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.sandbox import ScriptRefused, check_source

# SpiffWorkflow's DMN engine puts the input's value in place of a ``?`` outside quotes.
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
_INPUT = "dmninputexpr"


def check_decision_cells(bundle: Bundle) -> Iterator[Problem]:
    for name, root in bundle.dmn():
        for table in root.xpath("//*[local-name()='decisionTable']"):
            for node in _children(table, "input"):
                for text in _texts(node, "inputExpression"):
                    yield from _check(name, node, "input expression", text, text)
            for rule in _children(table, "rule"):
                for number, entry in enumerate(_children(rule, "inputEntry"), start=1):
                    for text in _texts(entry):
                        yield from _check(name, rule, f"input entry {number}", text, _cell(text))
                for number, entry in enumerate(_children(rule, "outputEntry"), start=1):
                    for text in _texts(entry):
                        yield from _check(name, rule, f"output entry {number}", text, text)


def _children(node: Element, kind: str) -> list[Element]:
    return [
        child
        for child in node
        if isinstance(child.tag, str) and etree.QName(child).localname == kind
    ]


def _texts(node: Element, within: str | None = None) -> Iterator[str]:
    holders = _children(node, within) if within else [node]
    for holder in holders:
        for text_node in _children(holder, "text"):
            text = (text_node.text or "").strip()
            if text and text != "-":
                yield text


def _cell(text: str) -> str:
    """The expression the engine runs for an input entry, with a name for the input."""
    if _QUESTION.search(text):
        return _QUESTION.sub(_INPUT, text)
    try:
        ast.parse(text)
    except SyntaxError:
        return f"{_INPUT} {text}"  # a comparison: '>= 4', 'in ["a", "b"]'
    return text


def _check(name: str, node: Element, what: str, text: str, source: str) -> Iterator[Problem]:
    try:
        check_source(source, "eval")
    except ScriptRefused as err:
        yield Problem(name, node.get("id"), f"the {what} {text} is refused: {err}")
