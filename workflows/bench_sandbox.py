"""`make bench` (via workflows.bench): what one script or expression call costs in the sandbox's
worker processes, beside the in-process run with a trace function it replaced."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from workflows.sandbox import SandboxedEnvironment
from workflows.sandbox_runtime import BUILTINS, compile_source

# Task data of the size a case carries at a script task of the shipped process.
DATA: dict[str, Any] = {
    "project_name": "Bench network",
    "application_object": "theme_network",
    "partners": [{"name": f"Municipality {i}", "region": ("05", "06")[i % 2]} for i in range(4)],
    "summary": "x" * 2000,
    "score": 4,
}
SCRIPT = "region_count = len(set(p['region'] for p in partners))"
EXPRESSION = "score >= 3 and application_object == 'theme_network'"


def _in_process(source: str, mode: str, context: dict[str, Any]) -> Any:
    """The run before the worker processes: restricted code under a deadline tracer."""
    deadline = time.monotonic() + 1.0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise TimeoutError
        return tracer

    namespace = dict(context)
    namespace["__builtins__"] = BUILTINS
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        return eval(compile_source(source, mode), namespace)  # noqa: S307
    finally:
        sys.settrace(previous)


def _p50_us(call: Callable[[], Any], rounds: int) -> float:
    call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def report(rounds: int = 2000) -> None:
    sandbox = SandboxedEnvironment()
    script = _p50_us(lambda: sandbox.execute(SCRIPT, dict(DATA)), rounds)
    script_before = _p50_us(lambda: _in_process(SCRIPT, "exec", DATA), rounds)
    expression = _p50_us(lambda: sandbox.evaluate(EXPRESSION, DATA), rounds)
    expression_before = _p50_us(lambda: _in_process(EXPRESSION, "eval", DATA), rounds)
    print(f"script call: {script:.0f} µs p50 (in-process before: {script_before:.0f} µs)")
    print(
        f"expression call: {expression:.0f} µs p50 (in-process before: {expression_before:.0f} µs)"
    )


if __name__ == "__main__":
    report()
