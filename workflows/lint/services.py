"""Rule 8: a service task names a connector grantflow has, with parameters it can send.

SpiffArena's service tasks name a connector command (``spiffworkflow:serviceTaskOperator
id="aws/AddDynamoItem"``) that its connector proxy runs; grantflow runs only the operators it
has: its own (bare names, registered by the application) and SpiffArena's http connector
(workflows/http_connector.py). A task naming any other connector is refused here, not when a
case reaches it. Each parameter is an expression the sandbox evaluates, checked as one by
workflows/bundles.py (``get_secret(...)`` is refused there); a value naming a SpiffArena secret
or file ("secret:KEY", "file:name") is refused here. A literal url the http connector may not
call (a host not allowed, plain http) is a warning: an administrator may allow the host later.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from workflows.bpmn_xml import Element, xpath
from workflows.errors import Problem
from workflows.http_connector import METHODS, refusal_of
from workflows.lint.bundle import Bundle
from workflows.lint.elements import describe, problem_at
from workflows.services import operator_names


def check_services(bundle: Bundle) -> Iterator[Problem]:
    for name, root in bundle.bpmn():
        for operator in xpath(root, "//spiff:serviceTaskOperator"):
            task = operator.getparent().getparent()
            yield from _check_operator(name, task, operator)


def _check_operator(file: str, task: Element, operator: Element) -> Iterator[Problem]:
    connector = operator.get("id") or ""
    if "/" in connector and connector not in operator_names():
        yield problem_at(
            file,
            task,
            f"{describe(task)} calls the connector '{connector}', for which grantflow has no "
            "operator (it runs only the http connector and its own operators)",
        )
    for parameter in xpath(operator, "spiff:parameters/spiff:parameter"):
        yield from _check_parameter(file, task, connector, parameter)


def _check_parameter(
    file: str, task: Element, connector: str, parameter: Element
) -> Iterator[Problem]:
    key, expression = parameter.get("id") or "?", (parameter.get("value") or "").strip()
    if not expression:
        return
    try:
        value = ast.literal_eval(expression)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return  # it reads task data: known only when the task runs
    if isinstance(value, str) and value.startswith(("secret:", "file:")):
        kind = value.split(":")[0]
        yield problem_at(
            file,
            task,
            f"the parameter {key} names a SpiffArena {kind} ({value}), which grantflow "
            "does not offer",
        )
    elif key == "url" and connector in METHODS and isinstance(value, str):
        reason = refusal_of(value)
        if reason is not None:
            yield problem_at(
                file, task, f"the http connector will not call it: {reason}", "warning"
            )
