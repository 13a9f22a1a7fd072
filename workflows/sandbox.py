"""Scripts and expressions from process files run here, never with plain exec/eval.

Every script task, pre/post script, gateway condition, timer expression, DMN cell and message
expression is compiled with RestrictedPython's ``compile_restricted`` (here, cached, so a refused
one never leaves this process) and run with its guards, a short list of builtins and a few helper
functions (never modules) in a separate worker process (workflows/sandbox_pool.py) under limits
the OS enforces: wall time (the worker is killed), CPU time, memory, and the size of the data it
returns. Only data crosses to the worker (task data is JSON-like), never a function or a module.
``check_source`` refuses at deploy time what would only fail, or do harm, at run time: imports,
dunder access, and calls to dangerous builtins.
"""

from __future__ import annotations

import ast
import builtins
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any

from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from workflows import sandbox_pool
from workflows.sandbox_pool import Limits, WorkerDied, WorkerTimedOut
from workflows.sandbox_runtime import (
    BUILTINS,
    FORBIDDEN_NAMES,
    HELPERS,
    RESERVED,
    Mode,
    ScriptRefused,
    compile_source,
    days_before,
    decode,
    encode,
    helsinki_deadline,
)
from workflows.sandbox_spiffarena import NEEDS_SETTING, NOT_OFFERED, OFFERED, SCRIPT_NAMES
from workflows.script_context import env_for, script_settings

__all__ = [
    "BUILTINS",
    "FORBIDDEN_NAMES",
    "HELPERS",
    "Limits",
    "Mode",
    "SandboxedEnvironment",
    "ScriptFailed",
    "ScriptLimitExceeded",
    "ScriptMemoryExceeded",
    "ScriptRefused",
    "ScriptResultTooLarge",
    "ScriptTimeout",
    "SCRIPT_NAMES",
    "check_source",
    "configure_sandbox",
    "days_before",
    "helsinki_deadline",
    "sandbox_limits",
]

TIME_LIMIT_SECONDS = Limits.time_seconds
_SIGXCPU = 24


class ScriptLimitExceeded(Exception):
    """A script hit one of the sandbox's limits; the message names the limit."""


class ScriptTimeout(ScriptLimitExceeded):
    pass


class ScriptMemoryExceeded(ScriptLimitExceeded):
    pass


class ScriptResultTooLarge(ScriptLimitExceeded):
    pass


class ScriptFailed(Exception):
    """A script raised an error that is not a built-in exception, or its process ended."""


def configure_sandbox(
    *,
    time_seconds: float | None = None,
    memory_bytes: int | None = None,
    result_bytes: int | None = None,
    workers: int | None = None,
) -> None:
    """Set the sandbox's limits (the app passes its settings at startup); None keeps one."""
    now = sandbox_pool.current_limits()
    wanted = Limits(
        time_seconds=now.time_seconds if time_seconds is None else float(time_seconds),
        memory_bytes=now.memory_bytes if memory_bytes is None else int(memory_bytes),
        result_bytes=now.result_bytes if result_bytes is None else int(result_bytes),
        workers=now.workers if workers is None else max(1, int(workers)),
    )
    if wanted != now:
        sandbox_pool.configure(wanted)


def sandbox_limits() -> Limits:
    return sandbox_pool.current_limits()


def check_source(source: str, mode: Mode = "exec") -> None:
    """Refuse a script or expression before it is deployed or run (raises ScriptRefused):
    what the sandbox will not compile, and a call of a helper grantflow does not offer."""
    compile_source(source, mode)
    _check_calls(source, mode, script_settings().env_identifier is not None)


# A literal no longer than this is its own value; a longer one goes to the sandbox, which
# measures what it returns against the result limit.
LITERAL_MAX_LENGTH = 1000
NOT_A_LITERAL = object()


@lru_cache(maxsize=2048)
def literal_value(expression: str) -> Any:
    """The value of an expression that is a single short literal (a string, a number, True,
    False or None, as a service parameter usually is), or NOT_A_LITERAL. Such a value is the
    same in the sandbox and here, so it need not be sent to a worker process."""
    if len(expression) > LITERAL_MAX_LENGTH:
        return NOT_A_LITERAL
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return NOT_A_LITERAL
    body = tree.body
    if isinstance(body, ast.Constant) and isinstance(body.value, str | int | float | bool | None):
        return body.value
    return NOT_A_LITERAL


@lru_cache(maxsize=2048)
def _check_calls(source: str, mode: Mode, env_configured: bool) -> None:
    tree = ast.parse(source, mode=mode)
    defined: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        name = node.func.id
        reason = None if name in defined else _not_offered(name, env_configured)
        if reason is not None:
            raise ScriptRefused(
                f"line {node.lineno}: calls {name}, which grantflow does not offer ({reason})"
            )


def _not_offered(name: str, env_configured: bool) -> str | None:
    """Why a script may not call ``name``, or None when it may (or it is no helper's name)."""
    if name in NOT_OFFERED:
        return NOT_OFFERED[name]
    if name in NEEDS_SETTING and not env_configured:
        return f"an administrator has not set {NEEDS_SETTING[name]}"
    if name.startswith("get_") and name not in OFFERED and name not in BUILTINS:
        return "it is not one of the helpers process scripts can call"
    return None


def size_text(size: int) -> str:
    """1048576 -> '1 MB', 2048 -> '2 KB', 1000 -> '1000 bytes'."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def _run(mode: Mode, source: str, context: dict[str, Any], external: dict[str, Any]) -> Any:
    check_source(source, mode)  # refused here, before anything is sent
    env = env_for(source)
    try:
        request = encode(
            {"mode": mode, "source": source, "context": context, "external": external, "env": env}
        )
    except (TypeError, ValueError) as err:
        raise ScriptRefused(f"the task data cannot be given to a script: {err}") from None
    limits = sandbox_pool.current_limits()
    try:
        reply = decode(sandbox_pool.pool().call(request))
    except WorkerTimedOut:
        raise ScriptTimeout(
            f"the script ran longer than the time limit of {limits.time_seconds:g} s"
        ) from None
    except WorkerDied as died:
        if died.signal == _SIGXCPU:
            raise ScriptTimeout(
                f"the script used more CPU time than the limit of {limits.time_seconds:g} s"
            ) from None
        raise ScriptFailed(f"the script's process ended unexpectedly ({died})") from None
    if "ok" in reply:
        return reply["ok"]
    raise _error_of(reply, limits)


def _error_of(reply: dict[str, Any], limits: Limits) -> Exception:
    kind = reply.get("error")
    if kind == "memory":
        return ScriptMemoryExceeded(
            f"the script needed more than the memory limit of {size_text(limits.memory_bytes)}"
        )
    if kind == "recursion":
        return ScriptLimitExceeded("the script's calls nested too deeply (the recursion limit)")
    if kind == "too_large":
        return ScriptResultTooLarge(
            f"the script's result is {size_text(reply['size'])}, over the limit of "
            f"{size_text(limits.result_bytes)} for the data a script returns"
        )
    if kind == "refused":
        return ScriptRefused(str(reply.get("message")))
    if kind == "not_data":
        return ScriptRefused(f"the script left a value that is not data: {reply.get('message')}")
    name, message = str(reply.get("type")), str(reply.get("message"))
    found = getattr(builtins, name, None)
    if isinstance(found, type) and issubclass(found, Exception):
        try:
            return found(message)
        except Exception:  # noqa: BLE001, S110 - an exception that needs other arguments
            pass
    return ScriptFailed(f"{name}: {message}")


def _unstorable(value: Any) -> str | None:
    """The kind of a value in ``value`` that the engine's serializer cannot save as JSON
    (it keeps datetime, timedelta and UUID), or None."""
    if isinstance(value, Decimal | date | time) and not isinstance(value, datetime):
        return type(value).__name__
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found = _unstorable(item)
            if found is not None:
                return found
    return None


def _kept(key: str) -> bool:
    """Task data a script neither sees as a name nor may change (it stays as it is)."""
    return key in RESERVED or key.startswith("_")


class SandboxedEnvironment(BasePythonScriptEngineEnvironment):
    """SpiffWorkflow's script environment, restricted and out of process."""

    def evaluate(self, expression: str, context: dict[str, Any], external_context=None):
        return _run("eval", expression, context, external_context or {})

    def execute(self, script: str, context: dict[str, Any], external_context=None):
        external = external_context or {}
        left = _run("exec", script, context, external)
        for key, value in left.items():
            kind = _unstorable(value)
            if kind is not None:
                raise ScriptRefused(
                    f"the script left a {kind} in '{key}', which the case's data cannot keep "
                    "(SpiffArena cannot either): keep str() or float() of it"
                )
        for key in list(context):
            if key not in left and not _kept(key) and key not in external:
                del context[key]
        context.update(left)
        return True
