"""Rule 1: every business rule task calls a decision table that the bundle holds."""

from __future__ import annotations

from collections.abc import Iterator

from workflows.bpmn_xml import Element, text_at, xpath
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.lint.elements import describe, problem_at


def check_decisions(bundle: Bundle) -> Iterator[Problem]:
    """Every business rule task calls a decision that a DMN file of the bundle defines."""
    defined = decisions_in(bundle)
    for name, root in bundle.bpmn():
        for task in xpath(root, ".//bpmn:businessRuleTask"):
            ref = called_decision(task)
            what = describe(task)
            if not ref:
                yield problem_at(
                    name,
                    task,
                    f"{what} names no decision table: set spiffworkflow:calledDecisionId to the "
                    "id of a decision in a DMN file of the bundle",
                )
            elif ref not in defined:
                known = ", ".join(sorted(defined)) or "none"
                yield problem_at(
                    name,
                    task,
                    f"{what} calls the decision '{ref}', which no DMN file of the bundle "
                    f"defines (decisions in the bundle: {known})",
                )
            elif defined[ref][0] in bundle.refused:
                yield problem_at(
                    name,
                    task,
                    f"{what} calls the decision '{ref}' of {defined[ref][0]}, which was refused: "
                    "see the problems of that file",
                )


def decisions_in(bundle: Bundle) -> dict[str, tuple[str, Element]]:
    """Decision id -> (DMN file, decision element)."""
    found: dict[str, tuple[str, Element]] = {}
    for name, root in bundle.dmn():
        for decision in root.xpath("//*[local-name()='decision']"):
            found.setdefault(decision.get("id"), (name, decision))
    return found


def called_decision(task: Element) -> str:
    """The id of the decision a business rule task calls, or ''."""
    return text_at(task, "bpmn:extensionElements/spiff:calledDecisionId")
