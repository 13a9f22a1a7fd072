"""The four ways past an in-process time limit, each stopped by a limit the OS enforces; the
other requests go on meanwhile; a killed worker is replaced. No timings are asserted: each bad
call ends because of the limit it names."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest

from workflows import sandbox_pool
from workflows.sandbox import (
    SandboxedEnvironment,
    ScriptLimitExceeded,
    ScriptMemoryExceeded,
    ScriptResultTooLarge,
    ScriptTimeout,
    configure_sandbox,
    sandbox_limits,
)

CATCHES_AND_LOOPS = """while True:
    try:
        while True:
            pass
    except Exception:
        pass"""


@pytest.fixture
def limits() -> Iterator[None]:
    """Let a test change the limits; the defaults are back afterwards."""
    before = sandbox_limits()
    yield
    sandbox_pool.configure(before)


def test_a_script_that_catches_the_time_limit_and_loops_again_is_stopped():
    with pytest.raises(ScriptTimeout, match="time limit of 1 s"):
        SandboxedEnvironment().execute(CATCHES_AND_LOOPS, {})


def test_one_long_c_operation_is_stopped_at_the_time_limit():
    with pytest.raises(ScriptTimeout, match="time limit of 1 s"):
        SandboxedEnvironment().execute("x = 10 ** 10 ** 7", {})


def test_a_memory_bomb_is_stopped_at_the_memory_limit():
    with pytest.raises(ScriptMemoryExceeded, match="memory limit of 256 MB"):
        SandboxedEnvironment().execute("x = [0] * 10**9", {})


def test_deep_recursion_ends_with_a_clear_error():
    script = "def down(n):\n    return down(n + 1)\nx = down(0)"
    with pytest.raises(ScriptLimitExceeded, match="recursion limit"):
        SandboxedEnvironment().execute(script, {})


def test_a_huge_result_is_refused_by_the_size_cap():
    data = {"kept": 1}
    with pytest.raises(ScriptResultTooLarge, match="over the limit of 1 MB"):
        SandboxedEnvironment().execute("x = 'a' * 10**7", data)
    assert data == {"kept": 1}


def test_a_huge_expression_value_is_refused_by_the_size_cap():
    with pytest.raises(ScriptResultTooLarge, match="over the limit of 1 MB"):
        SandboxedEnvironment().evaluate("'a' * 10**7", {})


def test_an_ordinary_call_completes_while_a_bad_script_runs_in_another_thread():
    bad_ended = threading.Event()
    errors: list[Exception] = []

    def bad() -> None:
        try:
            SandboxedEnvironment().execute(CATCHES_AND_LOOPS, {})
        except ScriptTimeout as err:
            errors.append(err)
        finally:
            bad_ended.set()

    SandboxedEnvironment().evaluate("1", {})  # the pool is up
    thread = threading.Thread(target=bad)
    thread.start()
    while sandbox_pool.pool().busy == 0 and not bad_ended.is_set():
        time.sleep(0.001)

    value = SandboxedEnvironment().evaluate("score >= 3", {"score": 4})

    assert value is True
    assert not bad_ended.is_set()  # the ordinary call did not wait for the bad one
    thread.join()
    assert len(errors) == 1


def test_a_killed_worker_is_replaced_and_the_next_call_works():
    SandboxedEnvironment().evaluate("1", {})
    before = sandbox_pool.pool().pids()
    for worker in list(sandbox_pool.pool()._idle):
        worker.process.kill()
        worker.process.wait()

    data = {"a": 2}
    SandboxedEnvironment().execute("b = a * 2", data)

    assert data == {"a": 2, "b": 4}
    assert not set(sandbox_pool.pool().pids()) & set(before)


def test_a_worker_killed_at_the_time_limit_is_replaced():
    with pytest.raises(ScriptTimeout):
        SandboxedEnvironment().execute("x = 10 ** 10 ** 7", {})

    assert SandboxedEnvironment().evaluate("len(partners)", {"partners": [1, 2]}) == 2


def test_the_limits_are_settings(limits):
    configure_sandbox(memory_bytes=128 * 1024 * 1024, result_bytes=1000)

    with pytest.raises(ScriptMemoryExceeded, match="memory limit of 128 MB"):
        SandboxedEnvironment().execute("x = [0] * (2 * 10**7)", {})
    with pytest.raises(ScriptResultTooLarge, match="over the limit of 1000 bytes"):
        SandboxedEnvironment().execute("x = 'a' * 2000", {})


def test_dates_in_task_data_come_back_as_dates():
    sent = datetime(2021, 6, 2, 13, 15, tzinfo=timezone.utc)
    data = {"sent_at": sent, "regions": ["Uusimaa"]}

    SandboxedEnvironment().execute("late = sent_at.hour > 12", data)

    assert data == {"sent_at": sent, "regions": ["Uusimaa"], "late": True}
