"""A few pre-started worker processes that run scripts under limits the OS enforces.

Each worker is a fresh interpreter running workflows/sandbox_runtime.py (nothing of this process
is inherited: no database connection, no open file, an empty environment). A call takes an idle
worker, sends the request over a socket and waits at most the time limit; a worker that does not
answer in time is killed (SIGKILL) and replaced, so no script can hold a request thread longer
than the limit, whatever it catches or however long one C operation takes. The worker limits its
own address space and CPU time (the kernel ends it on SIGXCPU). Calls from many threads share
the pool; when every worker is busy a call waits for one. The pool starts on first use, is
started anew in a forked child, and its workers are killed at interpreter exit (and end by
themselves when their parent's socket closes).
"""

from __future__ import annotations

import atexit
import math
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent / "sandbox_runtime.py"
STARTUP_SECONDS = 30.0  # a cold interpreter on a loaded machine; not part of any script's time


@dataclass(frozen=True)
class Limits:
    time_seconds: float = 1.0
    memory_bytes: int = 256 * 1024 * 1024
    result_bytes: int = 1024 * 1024
    workers: int = 2


class WorkerTimedOut(Exception):
    """The worker did not answer within the time limit; it was killed."""


class WorkerDied(Exception):
    """The worker ended without answering (``signal``: the signal that ended it, if any)."""

    def __init__(self, signal: int | None) -> None:
        super().__init__(f"the sandbox process ended (signal {signal})")
        self.signal = signal


class WorkerGone(WorkerDied):
    """The worker was dead before it got the request (nothing ran): another may take it."""


class _Worker:
    def __init__(self, limits: Limits) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and file
                [
                    sys.executable,
                    "-I",
                    str(RUNTIME),
                    str(theirs.fileno()),
                    str(limits.memory_bytes),
                    str(limits.result_bytes),
                    str(max(1, math.ceil(limits.time_seconds))),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={},
            )
        self.connection = Connection(ours.detach())
        self.ready = False

    def ask(self, request: bytes, limits: Limits) -> bytes:
        if not self.ready:
            self._wait_ready()
        try:
            self.connection.send_bytes(request)
        except OSError:
            raise WorkerGone(self._signal()) from None
        if not self.connection.poll(limits.time_seconds):
            raise WorkerTimedOut()
        try:
            # A little over the result limit: the worker refuses bigger results itself.
            return self.connection.recv_bytes(limits.result_bytes + 4096)
        except (EOFError, OSError):
            raise WorkerDied(self._signal()) from None

    def _wait_ready(self) -> None:
        try:
            if self.connection.poll(STARTUP_SECONDS) and self.connection.recv_bytes() == b"ready":
                self.ready = True
                return
        except (EOFError, OSError):
            pass
        raise WorkerDied(self._signal())

    def _signal(self) -> int | None:
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None
        return -code if code < 0 else None

    def kill(self) -> None:
        self.connection.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class WorkerPool:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(limits.workers)
        self._closed = False
        self.busy = 0  # workers running a call now (tests wait on it)
        with self._lock:
            self._idle.extend(_Worker(limits) for _ in range(limits.workers))

    def call(self, request: bytes) -> bytes:
        """The worker's reply; WorkerTimedOut or WorkerDied when there is none (the worker is
        then killed and a new one started in its place)."""
        with self._slots:
            try:
                return self._call_once(request)
            except WorkerGone:
                return self._call_once(request)

    def _call_once(self, request: bytes) -> bytes:
        worker = self._take()
        try:
            reply = worker.ask(request, self.limits)
        except BaseException:
            self._replace(worker)
            raise
        finally:
            with self._lock:
                self.busy -= 1
        self._give_back(worker)
        return reply

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the sandbox pool is closed")
            self.busy += 1
            while self._idle:
                worker = self._idle.pop()
                if worker.process.poll() is None:
                    return worker
                worker.connection.close()  # ended while idle (the kernel's OOM killer)
        try:
            return _Worker(self.limits)
        except BaseException:
            with self._lock:
                self.busy -= 1
            raise

    def _give_back(self, worker: _Worker) -> None:
        if worker.process.poll() is not None:
            self._replace(worker)
            return
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if self._closed or len(self._idle) >= self.limits.workers:
                return
        fresh = _Worker(self.limits)
        with self._lock:
            if not self._closed:
                self._idle.append(fresh)
                return
        fresh.kill()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()

    def pids(self) -> list[int]:
        """The idle workers' process ids (for tests)."""
        with self._lock:
            return [worker.process.pid for worker in self._idle]


_limits = Limits()
_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def configure(limits: Limits) -> None:
    """Use these limits from now on (the running workers are replaced)."""
    global _limits, _pool
    with _pool_lock:
        _limits = limits
        old, _pool = _pool, None
    if old is not None:
        old.close()


def current_limits() -> Limits:
    return _limits


def pool() -> WorkerPool:
    global _pool
    found = _pool
    if found is not None:
        return found
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool(_limits)
        return _pool


def shutdown() -> None:
    global _pool
    with _pool_lock:
        old, _pool = _pool, None
    if old is not None:
        old.close()


def _forget_in_child() -> None:
    """A forked process (gunicorn's workers) starts its own pool; the parent's stays its own."""
    global _pool, _pool_lock
    _pool = None
    _pool_lock = threading.Lock()


atexit.register(shutdown)
os.register_at_fork(after_in_child=_forget_in_child)
