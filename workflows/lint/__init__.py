"""Lint rules for process files: what the engine's parser lets through but would hurt later.

The parser (with the XSD) accepts a file it can run. These rules refuse, before a deploy, what
would only fail when a case gets there, or what a process owner could not read: a decision table
that is not in the bundle or has a cell the sandbox refuses, a timer whose time cannot be parsed,
a message that nobody catches, an element missing from the diagram, and the modelling mistakes
of bpmnlint's "recommended" set (with its severities: fake-join and superfluous-gateway are
warnings, the rest errors); they warn
of a translation no text needs and of texts a translation catalog lacks. Every finding names the
file and the element id; warnings are shown but do not refuse a deploy. The rules read the XML:
the diagram and the sequence flows as drawn are not in the engine's specs.
workflows.bundles runs them after the engine's checks (``check_bundle`` there gives both, for a
validation view); they never import it.

One module per group of rules: decisions, timers (with process_data), messages, diagram and
structure (bpmnlint's, on the flow graph of graph.py), translations (with workflows.translations);
elements holds how they name what they find. The XML vocabulary is workflows.bpmn_xml.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from workflows.bpmn_xml import Element
from workflows.errors import Problem
from workflows.lint.bundle import Bundle, Rule
from workflows.lint.decision_cells import check_decision_cells
from workflows.lint.decisions import check_decisions
from workflows.lint.diagram import check_diagram
from workflows.lint.messages import check_messages
from workflows.lint.services import check_services
from workflows.lint.structure import check_structure
from workflows.lint.timers import check_timers
from workflows.lint.translations import check_translations

__all__ = ["lint_bundle"]


def lint_bundle(
    documents: Mapping[str, Element],
    *,
    refused: Collection[str] = (),
    forms: Mapping[str, Any] | None = None,
    start_data: Mapping[str, Collection[str]] | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    deployed: Mapping[str, Element] | None = None,
) -> list[Problem]:
    """Every lint problem of the bundle, errors and warnings.

    ``start_data`` (process id -> the names the application puts in its start data) turns on
    the check that a timer reads only data the process has; without it that check is skipped.
    ``deployed`` (the BPMN files of the other deployed models) is where a message thrown or
    caught here may also be caught or thrown.
    """
    bundle = Bundle(documents, refused, forms or {}, start_data, translations or {}, deployed or {})
    rules: tuple[Rule, ...] = (
        check_decisions,
        check_decision_cells,
        check_timers,
        check_messages,
        check_services,
        check_diagram,
        check_structure,
        check_translations,
    )
    return [problem for rule in rules for problem in rule(bundle)]
