"""Rule 2: a timer's time parses as ISO 8601 and reads only data the process has."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from workflows.bpmn_xml import Element, bpmn_tag, child_elements, xpath
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.lint.process_data import names_set_in
from workflows.sandbox import (
    BUILTINS,
    HELPERS,
    SandboxedEnvironment,
    ScriptRefused,
    check_source,
)

TIMER_KINDS = {
    "timeDate": ("date-time", "'2021-04-15T16:15:00+03:00'"),
    "timeDuration": ("duration", "'P14D'"),
    "timeCycle": ("cycle", "'R3/PT1H'"),
}

# An ISO 8601 date-time, duration or cycle written without quotes: Python reads P14D as a name
# and R3/PT1H as a division, and the timer fails only when it is reached.
_UNQUOTED_ISO = re.compile(r"\d{4}-\d\d-\d\d.*|P(?=[^/]*\d)[\dYMWDTHS.,]+|R\d*/.+")


def check_timers(bundle: Bundle) -> Iterator[Problem]:
    """A timer's expression compiles in the sandbox and, when it is a constant, parses as the
    ISO 8601 date-time, duration or cycle its kind needs; when it reads data, that data is set
    by the process or given at start (checked only for a process whose start data is known)."""
    for name, root in bundle.bpmn():
        for process in xpath(root, "bpmn:process"):
            known = None
            process_id = process.get("id", "")
            if bundle.start_data is not None and process_id in bundle.start_data:
                given = bundle.start_data[process_id]
                known = names_set_in(process, root, bundle) | set(given)
            for definition in xpath(process, ".//bpmn:timerEventDefinition"):
                yield from _check_timer(name, definition, known)


def _check_timer(name: str, definition: Element, known: set[str] | None) -> Iterator[Problem]:
    event = definition.getparent()
    element = event.get("id") if event is not None else definition.get("id")
    bodies = [child for child in child_elements(definition) if bpmn_tag(child) in TIMER_KINDS]
    expression = (bodies[0].text or "").strip() if bodies else ""
    if not expression:
        yield Problem(
            name, element, "the timer has no time: give it a date-time, duration or cycle"
        )
        return
    kind, example = TIMER_KINDS[bpmn_tag(bodies[0])]
    if _UNQUOTED_ISO.fullmatch(expression):
        yield Problem(
            name,
            element,
            f"the timer time {expression} needs quotes: the expression is Python, so write "
            f"'{expression}'",
        )
        return
    try:
        check_source(expression, "eval")
    except ScriptRefused as err:
        yield Problem(name, element, f"the timer expression {expression} is refused: {err}")
        return
    tree = ast.parse(expression, mode="eval")
    loaded = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and _loads(n)}
    stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not _loads(n)}
    used = loaded - stored - set(BUILTINS)
    if _is_literal(tree.body):
        yield from _check_literal_timer(name, element, expression, kind, example)
    elif used and known is not None and used - known:
        missing = ", ".join(sorted(used - known))
        yield Problem(
            name,
            element,
            f"the timer reads {missing}, which the process never sets (no script, form field, "
            "service task result, message or start data does): it would fail when reached",
        )


def _is_literal(node: ast.expr) -> bool:
    """A constant, or a helper called on constants: helsinki_deadline('2021-06-10', at='12:00').
    Nothing else is run at deploy time (an expression can be made to take memory or time)."""
    if isinstance(node, ast.Constant):
        return True
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in HELPERS
        and all(isinstance(arg, ast.Constant) for arg in node.args)
        and all(isinstance(keyword.value, ast.Constant) for keyword in node.keywords)
    )


def _check_literal_timer(
    name: str, element: str | None, expression: str, kind: str, example: str
) -> Iterator[Problem]:
    """Run the literal in the sandbox and parse its value as the engine will."""
    try:
        value = SandboxedEnvironment().evaluate(expression, {})
    except Exception as err:  # noqa: BLE001 - any failure of the expression is the finding
        yield Problem(name, element, f"the timer expression {expression} fails: {err}")
        return
    wrong = _timer_value_problem(value, kind)
    if wrong:
        yield Problem(name, element, f"the timer time {value!r} {wrong} (write it like {example})")


def _timer_value_problem(value: Any, kind: str) -> str | None:
    """Why the engine could not use ``value`` as a timer of this kind, or None."""
    if not isinstance(value, str):
        return f"is not text: a {kind} must be an ISO 8601 text"
    text = value.strip().upper()
    try:
        if kind == "date-time":
            if text.startswith(("P", "R")):
                return "is not a date-time: for a wait use a duration timer"
            if "W" in text:
                TimerEventDefinition.parse_iso_week(value)
            elif datetime.fromisoformat(value).tzinfo is None:
                return "has no UTC offset, so the server's time zone would decide when it fires"
        elif kind == "duration":
            if not text.startswith("P") or not TimerEventDefinition.parse_iso_duration(value):
                return "is not an ISO 8601 duration"
        elif not text.startswith("R"):
            return "is not an ISO 8601 cycle (it starts with R and the number of repeats)"
        else:
            TimerEventDefinition.parse_iso_recurring_interval(value)
    except Exception:  # noqa: BLE001 - the engine's parsers raise many kinds of errors
        return f"is not an ISO 8601 {kind}"
    return None


def _loads(name: ast.Name) -> bool:
    return isinstance(name.ctx, ast.Load)
