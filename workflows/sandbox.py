"""Scripts and expressions from process files run here, never with plain exec/eval.

Every script task, pre/post script, gateway condition, timer expression, DMN cell and message
expression is compiled with RestrictedPython's ``compile_restricted`` and run with its guards, a
short list of builtins, a few helper functions (never modules), and a time limit enforced by a
trace function, which works in any thread. ``check_source`` refuses at deploy time what would
only fail, or do harm, at run time: imports, dunder access, and calls to dangerous builtins.
"""

from __future__ import annotations

import ast
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from datetime import time as dtime
from functools import lru_cache
from types import CodeType, FrameType
from typing import Any, Literal
from zoneinfo import ZoneInfo

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

HELSINKI = ZoneInfo("Europe/Helsinki")
Mode = Literal["exec", "eval"]
TIME_LIMIT_SECONDS = 1.0
FORBIDDEN_NAMES = frozenset(
    {
        "open",
        "exec",
        "eval",
        "compile",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "input",
        "breakpoint",
        "help",
        "memoryview",
        "type",
        "object",
        "super",
    }
)


class ScriptRefused(Exception):
    """A script or expression that the sandbox will not run; the message says why."""


class ScriptTimeout(Exception):
    pass


def helsinki_deadline(day: str, at: str = "16:15") -> str:
    """'2021-06-10' -> '2021-06-10T16:15:00+03:00': the official cut-off on that day."""
    hour, minute = (int(part) for part in at.split(":"))
    moment = datetime.combine(date.fromisoformat(day), dtime(hour, minute), HELSINKI)
    return moment.isoformat()


HELPERS: dict[str, Callable[..., Any]] = {"helsinki_deadline": helsinki_deadline}


def _inplacevar(op: str, x: Any, y: Any) -> Any:
    operations: dict[str, Callable[[Any, Any], Any]] = {
        "+=": lambda a, b: a + b,
        "-=": lambda a, b: a - b,
        "*=": lambda a, b: a * b,
        "/=": lambda a, b: a / b,
        "//=": lambda a, b: a // b,
        "%=": lambda a, b: a % b,
    }
    if op not in operations:
        raise ScriptRefused(f"the operator {op} is not allowed")
    return operations[op](x, y)


def _builtins() -> dict[str, Any]:
    allowed = dict(safe_builtins)
    allowed.update(limited_builtins)
    for name in (
        "sum",
        "min",
        "max",
        "any",
        "all",
        "enumerate",
        "sorted",
        "dict",
        "list",
        "set",
        "reversed",
        "map",
        "filter",
    ):
        allowed[name] = (
            __builtins__[name] if isinstance(__builtins__, dict) else getattr(__builtins__, name)
        )
    for name in FORBIDDEN_NAMES:
        allowed.pop(name, None)
    allowed.update(HELPERS)
    allowed.update(
        _getattr_=safer_getattr,
        _getitem_=default_guarded_getitem,
        _getiter_=default_guarded_getiter,
        _iter_unpack_sequence_=guarded_iter_unpack_sequence,
        _unpack_sequence_=guarded_unpack_sequence,
        _write_=full_write_guard,
        _inplacevar_=_inplacevar,
    )
    return allowed


BUILTINS = _builtins()
_RESERVED = frozenset({"__builtins__"})


def check_source(source: str, mode: Mode = "exec") -> None:
    """Refuse a script or expression before it is deployed or run (raises ScriptRefused)."""
    _compile(source, mode)


@lru_cache(maxsize=2048)
def _compile(source: str, mode: Mode) -> CodeType:
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        raise ScriptRefused(f"line {err.lineno}: syntax error: {err.msg}") from None
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import | ast.ImportFrom):
            raise ScriptRefused(f"line {line}: import statements are not allowed")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptRefused(f"line {line}: {node.id}() is not allowed in process scripts")
    try:
        return compile_restricted(source, filename="<process script>", mode=mode)
    except SyntaxError as err:
        reasons = "; ".join(str(msg) for msg in (err.args[0] if err.args else []))
        raise ScriptRefused(reasons or str(err)) from None


def _run_limited(code: CodeType, namespace: dict[str, Any]) -> Any:
    deadline = time.monotonic() + TIME_LIMIT_SECONDS

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise ScriptTimeout(f"the script ran longer than {TIME_LIMIT_SECONDS:g} s")
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return eval(code, namespace)  # noqa: S307 - restricted code, guarded namespace
    finally:
        sys.settrace(previous)


def _namespace(context: dict[str, Any], external: dict[str, Any] | None) -> dict[str, Any]:
    namespace = dict(external or {})
    namespace.update(context)
    namespace["__builtins__"] = BUILTINS
    return namespace


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow's script environment, restricted."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context=None):
        return _run_limited(_compile(expression, "eval"), _namespace(context, external_context))

    def execute(self, script: str, context: dict[str, Any], external_context=None):
        namespace = _namespace(context, external_context)
        _run_limited(_compile(script, "exec"), namespace)
        for key in list(context):
            if key not in namespace:
                del context[key]
        for key, value in namespace.items():
            if key in _RESERVED or key.startswith("_") or callable(value):
                continue
            if external_context and key in external_context:
                continue
            context[key] = value
        return True
