"""What runs inside a sandbox worker process: restricted code, its builtins and the wire format.

workflows/sandbox_pool.py starts this file as a fresh interpreter (``python -I <this file> <fd>
<memory bytes> <result bytes> <cpu seconds>``) with an empty environment: it imports only the
standard library and RestrictedPython, never workflows/, Flask or a database driver, so a script
that escaped the guards would find no connection, secret or open file to use. The worker sets its
own OS limits (address space, CPU time, no core or file writes) and then answers one request at
a time over its socket. workflows/sandbox.py imports it too, for the compiler and the builtins'
names.

Data crosses the boundary as JSON both ways (never pickle: a parent must not unpickle what a
hostile child wrote), with a small tag for the few non-JSON values SpiffWorkflow task data may
hold (datetime, date, time, timedelta, Decimal, UUID).
"""

from __future__ import annotations

import ast
import json
import os
import resource
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from types import CodeType
from typing import Any, Literal
from uuid import UUID
from zoneinfo import ZoneInfo

from RestrictedPython import compile_restricted, limited_builtins, safe_builtins
from RestrictedPython.Eval import default_guarded_getitem, default_guarded_getiter
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)

if __name__ == "__main__" or not __package__:  # the worker: a bare interpreter on this file
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import sandbox_spiffarena as spiffarena  # type: ignore[import-not-found]
else:
    from workflows import sandbox_spiffarena as spiffarena

HELSINKI = ZoneInfo("Europe/Helsinki")
Mode = Literal["exec", "eval"]
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
RESERVED = frozenset({"__builtins__"})


class ScriptRefused(Exception):
    """A script or expression that the sandbox will not run; the message says why."""


def helsinki_deadline(day: str, at: str = "16:15") -> str:
    """'2021-06-10' -> '2021-06-10T16:15:00+03:00': the official cut-off on that day."""
    hour, minute = (int(part) for part in at.split(":"))
    moment = datetime.combine(date.fromisoformat(day), time(hour, minute), HELSINKI)
    return moment.isoformat()


def days_before(moment: str, days: int) -> str:
    """'2021-04-15T16:15:00+03:00', 7 -> '2021-04-08T16:15:00+03:00': the same time of day in
    Helsinki, ``days`` days earlier (with the offset of that day: a week before a deadline in
    early April is still winter time). For reminders before a deadline."""
    local = datetime.fromisoformat(moment).astimezone(HELSINKI)
    return (local - timedelta(days=days)).isoformat()


HELPERS: dict[str, Callable[..., Any]] = {
    "helsinki_deadline": helsinki_deadline,
    "days_before": days_before,
}


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


# Modules the standard library's C code imports while a script runs (datetime's strftime and
# strptime import ``time`` and ``_strptime`` through the running code's builtins). A script
# cannot name ``__import__`` itself: RestrictedPython refuses names starting with "_".
_INTERNAL_IMPORTS = frozenset({"time", "_strptime"})


def _internal_import(name: str, *args: Any, **kwargs: Any) -> Any:
    import builtins

    if name not in _INTERNAL_IMPORTS:
        raise ScriptRefused(f"import statements are not allowed ({name})")
    return builtins.__import__(name, *args, **kwargs)


def _builtins() -> dict[str, Any]:
    import builtins

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
        allowed[name] = getattr(builtins, name)
    for name in FORBIDDEN_NAMES:
        allowed.pop(name, None)
    allowed.update(HELPERS)
    allowed.update(spiffarena.names({}))  # each call gets its own (sandbox_spiffarena.py)
    allowed.update(
        __import__=_internal_import,
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


class _ImportsOfOfferedNames(ast.NodeTransformer):
    """SpiffArena lets a script import a name its globals hold (``import time`` gives its
    ``time``): here ``import time`` becomes ``time = time``, for the names
    workflows/sandbox_spiffarena.py offers. Every other import stays refused."""

    def visit_Import(self, node: ast.Import) -> ast.AST:
        if not all(alias.name in spiffarena.IMPORTABLE for alias in node.names):
            return node
        return ast.Assign(
            targets=[
                ast.Tuple(
                    elts=[
                        ast.Name(id=alias.asname or alias.name, ctx=ast.Store())
                        for alias in node.names
                    ],
                    ctx=ast.Store(),
                )
            ],
            value=ast.Tuple(
                elts=[ast.Name(id=alias.name, ctx=ast.Load()) for alias in node.names],
                ctx=ast.Load(),
            ),
            lineno=node.lineno,
            col_offset=node.col_offset,
        )


@lru_cache(maxsize=2048)
def compile_source(source: str, mode: Mode) -> CodeType:
    """The restricted code of a script or expression, or ScriptRefused saying why not."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as err:
        raise ScriptRefused(f"line {err.lineno}: syntax error: {err.msg}") from None
    tree = _ImportsOfOfferedNames().visit(tree)
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import | ast.ImportFrom):
            raise ScriptRefused(f"line {line}: import statements are not allowed")
        if isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            raise ScriptRefused(f"line {line}: {node.id}() is not allowed in process scripts")
    try:
        return compile_restricted(
            ast.fix_missing_locations(tree), filename="<process script>", mode=mode
        )
    except SyntaxError as err:
        reasons = "; ".join(str(msg) for msg in (err.args[0] if err.args else []))
        raise ScriptRefused(reasons or str(err)) from None


# The wire format ------------------------------------------------------------------------------

_TAG = "__sandbox_value__"
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "timedelta": lambda parts: timedelta(*parts),
    "decimal": Decimal,
    "uuid": UUID,
}


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, timedelta):
        return {_TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, Decimal):
        return {_TAG: "decimal", "v": str(value)}
    if isinstance(value, UUID):
        return {_TAG: "uuid", "v": str(value)}
    if isinstance(value, set | frozenset):
        return list(value)  # what the engine's serializer makes of a set anyway
    raise TypeError(f"a value of type {type(value).__name__} is not data")


def _untagged(found: dict[str, Any]) -> Any:
    kind = found.get(_TAG)
    if kind is None or len(found) != 2:
        return found
    decode = _DECODERS.get(kind)
    return decode(found["v"]) if decode else found


def encode(value: Any) -> bytes:
    """JSON bytes (TypeError for a value that is not data; ValueError for NaN or infinity,
    which JSON has no word for: a step leaving one fails, as its state could not be stored)."""
    return json.dumps(value, default=_tagged, separators=(",", ":"), allow_nan=False).encode()


def decode(payload: bytes) -> Any:
    return json.loads(payload, object_hook=_untagged)


# The worker -----------------------------------------------------------------------------------


def run(
    mode: Mode,
    source: str,
    context: dict[str, Any],
    external: dict[str, Any],
    env: dict[str, Any] | None = None,
) -> Any:
    """Evaluate an expression (its value) or execute a script (the task data it leaves).
    ``env``: what SpiffArena's names read in this call (workflows/sandbox_spiffarena.py)."""
    code = compile_source(source, mode)
    namespace = dict(external)
    namespace.update(context)
    offered = spiffarena.names(env or {})
    namespace["__builtins__"] = {**BUILTINS, **offered}
    if mode == "exec":
        # As in SpiffArena, where they are the script's globals: ``del time`` after use works.
        for name, thing in offered.items():
            namespace.setdefault(name, thing)
    value = eval(code, namespace)  # noqa: S307 - restricted code, guarded namespace
    if mode == "eval":
        return value
    return {
        key: value
        for key, value in namespace.items()
        if not (
            key in RESERVED
            or key.startswith("_")
            or callable(value)
            or key in external
            or value is offered.get(key)  # SpiffArena's names (``time``) are no task data
        )
    }


def answer(request: bytes, result_limit: int) -> bytes:
    """The reply to one request: {"ok": value} or {"error": kind, ...}."""
    try:
        asked = decode(request)
        value = run(
            asked["mode"], asked["source"], asked["context"], asked["external"], asked.get("env")
        )
    except MemoryError:
        return encode({"error": "memory"})
    except RecursionError:
        return encode({"error": "recursion"})
    except ScriptRefused as err:
        return encode({"error": "refused", "message": str(err)})
    except BaseException as err:  # noqa: BLE001 - whatever the script raised is its answer
        return _exception(err)
    try:
        reply = encode({"ok": value})
    except MemoryError:
        return encode({"error": "memory"})
    except RecursionError:
        return encode({"error": "recursion"})
    except (TypeError, ValueError) as err:
        return encode({"error": "not_data", "message": str(err)})
    if len(reply) > result_limit:
        return encode({"error": "too_large", "size": len(reply)})
    return reply


def _exception(err: BaseException) -> bytes:
    message = err.args[0] if len(err.args) == 1 else str(err)
    return encode({"error": "exception", "type": type(err).__name__, "message": str(message)})


def _set_limits(memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _limit_cpu(cpu_seconds: int, hard: int) -> None:
    """RLIMIT_CPU counts a process's whole life: allow this call ``cpu_seconds`` more (the
    kernel then ends the process with SIGXCPU, which no script can catch)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(usage.ru_utime + usage.ru_stime) + cpu_seconds + 1
    if hard == resource.RLIM_INFINITY or soft <= hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def main(argv: list[str]) -> None:
    from multiprocessing.connection import Connection

    fd, memory_bytes, result_limit, cpu_seconds = (int(arg) for arg in argv[1:5])
    connection = Connection(fd)
    compile_source("True", "eval")  # warm up before the limits: the first call is not slower
    helsinki_deadline("2021-01-01")
    spiffarena.names({})
    datetime.strptime("2021", "%Y")  # loads _strptime before the limits
    days_before("2021-01-08T16:15:00+02:00", 7)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    _set_limits(memory_bytes)
    connection.send_bytes(b"ready")
    while True:
        try:
            request = connection.recv_bytes()
        except (EOFError, OSError):
            return  # the parent is gone
        _limit_cpu(cpu_seconds, hard)
        connection.send_bytes(answer(request, result_limit))


if __name__ == "__main__":
    main(sys.argv)
