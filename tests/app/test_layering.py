"""The application's side of the layering: the engine owns its tables, one place commits."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# The engine's bookkeeping (what waits for a timer or a message, messages kept or on their
# way) is written and read by workflows/ alone; the application asks it (workflows.queries).
ENGINE_ONLY = {"Timer", "MessageWait", "ThrownMessage", "MessageDelivery"}
# The request boundary (app/requests.py, installed in app/__init__.py), the worker's jobs and
# the command line end transactions; views and operations never do.
ENDS_TRANSACTIONS = {"__init__.py", "worker.py", "cli.py"}


def _sources() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def test_the_application_never_touches_the_engines_bookkeeping_tables() -> None:
    found = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "workflows.models":
                found += [
                    f"{path.relative_to(APP)}: {alias.name}"
                    for alias in node.names
                    if alias.name in ENGINE_ONLY
                ]
    assert found == []


def test_only_the_request_boundary_the_worker_and_the_cli_end_a_transaction() -> None:
    found = []
    for path in _sources():
        if path.relative_to(APP).as_posix() in ENDS_TRANSACTIONS:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"commit", "rollback"}
                and not _is_savepoint(node.func.value)
            ):
                found.append(f"{path.relative_to(APP)}:{node.lineno}")
    assert found == []


def _is_savepoint(target: ast.expr) -> bool:
    return isinstance(target, ast.Name) and target.id == "savepoint"
