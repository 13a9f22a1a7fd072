"""Lint rules for process files: what the engine's parser lets through but would hurt later.

The parser (with the XSD) accepts a file it can run. These rules refuse, before a deploy, what
would only fail when a case gets there, or what a process owner could not read: a decision table
that is not in the bundle, a timer whose time cannot be parsed, a message that nobody catches, an
element missing from the diagram, and the modelling mistakes of bpmnlint's "recommended" set
(with its severities: fake-join and superfluous-gateway are warnings, the rest errors); they warn
of a translation no text needs and of texts a translation catalog lacks. Every finding names the
file and the element id; warnings are shown but do not refuse a deploy. The rules read the XML:
the diagram and the sequence flows as drawn are not in the engine's specs.
``check_bundle`` runs the engine's checks and these rules together, for a validation view.

One module per group of rules: decisions, timers (with process_data), messages, diagram and
structure (bpmnlint's, on the flow graph of graph.py), translations (with workflows.translations);
elements holds the XML helpers they share.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from workflows.errors import Problem
from workflows.lint.bundle import Bundle, Rule
from workflows.lint.decisions import check_decisions
from workflows.lint.diagram import check_diagram
from workflows.lint.elements import FLOW_NODES, Element
from workflows.lint.messages import check_messages
from workflows.lint.structure import check_structure
from workflows.lint.timers import check_timers
from workflows.lint.translations import check_translations

if TYPE_CHECKING:
    from workflows.contract import BoundCall, Contract

__all__ = ["FLOW_NODES", "check_bundle", "lint_bundle"]


def check_bundle(
    files: dict[str, str],
    known_roles: frozenset[str] | None = None,
    *,
    contract: Contract | None = None,
    bound: Sequence[BoundCall] = (),
    start_data: Mapping[str, Collection[str]] | None = None,
) -> list[Problem]:
    """Every problem of a bundle, errors and warnings, without raising: for a validation view.

    The engine's checks (workflows/bundles.py) run first, then these rules on what it read,
    then the model's contract (workflows/contract.py) when one is given.
    """
    from workflows.bundles import examine_bundle  # bundles calls lint_bundle: import at use

    return examine_bundle(
        files, known_roles, contract=contract, bound=bound, start_data=start_data
    )[1]


def lint_bundle(
    documents: Mapping[str, Element],
    *,
    refused: Collection[str] = (),
    forms: Mapping[str, Any] | None = None,
    start_data: Mapping[str, Collection[str]] | None = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Problem]:
    """Every lint problem of the bundle, errors and warnings.

    ``start_data`` (process id -> the names the application puts in its start data) turns on
    the check that a timer reads only data the process has; without it that check is skipped.
    """
    bundle = Bundle(documents, refused, forms or {}, start_data, translations or {})
    rules: tuple[Rule, ...] = (
        check_decisions,
        check_timers,
        check_messages,
        check_diagram,
        check_structure,
        check_translations,
    )
    return [problem for rule in rules for problem in rule(bundle)]
