"""The app's side of the worker: its sessions, the mail sender, its settings, and what it does
on every pass besides the engine's jobs (calls close at their last deadline); and the replay of
the 2021 call (app/replay) as a job, one transaction per step, for the CLI and the call page."""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from functools import partial
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.calls.queries import get_call_by_key
from app.extensions import current_session, db
from app.heap import settle_heap
from app.notifications.mail import make_sender
from app.replay import (
    Replay,
    ReplayRefused,
    ReplaySummary,
    finish_replay,
    record_replay_failure,
    replay_of,
)
from app.requests import after_commit
from workflows import SYSTEM, Actor, worker
from workflows.messages import planned_now, planned_starts


def settings_of(app: Flask, **changes: Any) -> worker.Settings:
    config = app.config
    values: dict[str, Any] = {
        "timer_grace": timedelta(seconds=float(config["TIMER_GRACE_SECONDS"])),
        "timer_batch": int(config["WORKER_TIMER_BATCH"]),
        "timer_transaction": int(config["WORKER_TIMER_TRANSACTION"]),
        "timer_transaction_seconds": float(config["WORKER_TIMER_TRANSACTION_SECONDS"]),
        "delivery_batch": int(config["WORKER_DELIVERY_BATCH"]),
        "delivery_transaction": int(config["WORKER_DELIVERY_TRANSACTION"]),
        "delivery_transaction_seconds": float(config["WORKER_DELIVERY_TRANSACTION_SECONDS"]),
        "outbox_batch": int(config["WORKER_OUTBOX_BATCH"]),
        "send_timeout": timedelta(seconds=float(config["OUTBOX_SEND_TIMEOUT_SECONDS"])),
    }
    return worker.Settings(**(values | changes))


def sync_calls(session: Session) -> None:
    """Published calls whose last deadline passed are closed (by their clock)."""
    from app.calls.operations import sync_call_status

    for call in session.scalars(select(Call).where(Call.status.in_(("published", "closed")))):
        sync_call_status(session, call, SYSTEM)


def _parts(app: Flask) -> tuple[Any, Any]:
    with app.app_context():
        engine = db.engine
    return (lambda: Session(engine)), make_sender(app.config, app.instance_path)


def run_once(app: Flask, **changes: Any) -> dict[str, Any]:
    session_factory, send = _parts(app)
    return worker.run_once(session_factory, send, settings_of(app, **changes), sync_calls)


def deliver_after_commit(app: Flask, session: Session) -> None:
    """The messages this request's steps sent, delivered right after its commit (a batch to a
    transaction, as the worker does), and the cases they start opened, so that people see them
    at once; more than the inline limit (INLINE_DELIVERY_LIMIT) wait for the worker."""
    limit = int(app.config["INLINE_DELIVERY_LIMIT"])
    planned, starts = planned_now(session)[:limit], planned_starts(session)[:limit]
    if not (planned or starts):
        return
    session_factory, _send = _parts(app)
    if planned:
        after_commit(partial(worker.deliver_planned, session_factory, planned, settings_of(app)))
    if starts:
        after_commit(partial(worker.started_now, session_factory, starts))


def run_due_work(app: Flask) -> int:
    """What a clock move makes due, now: timers (no grace: the move was asked for) in the
    worker's batches, the messages they send and the cases those start, each in its own
    transaction; returns how many advanced."""
    session_factory, _send = _parts(app)
    settings = settings_of(app, timer_grace=timedelta(0))
    advanced = 0
    while True:
        step = worker.fire_timers(session_factory, settings)
        step += worker.start_by_messages(session_factory, settings)
        step += worker.deliver_messages(session_factory, settings)
        advanced += step
        if step == 0:
            break
    with session_factory() as session:
        sync_calls(session)
        session.commit()
    return advanced


log = logging.getLogger(__name__)


def yield_to_web(niceness: int) -> int:
    """Lower this process's priority to ``niceness`` (WORKER_NICENESS), unless it was started
    at that priority or a lower one (a higher niceness, e.g. systemd's Nice=); returns the
    niceness it runs at."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
    return os.getpriority(os.PRIO_PROCESS, 0)


def run_until_stopped(app: Flask, stop: threading.Event) -> int:
    """The worker in the foreground, for a process of its own (`flask grantflow worker`, under
    systemd): a pass every WORKER_INTERVAL_SECONDS until ``stop`` is set (the CLI sets it on
    SIGTERM or SIGINT). A pass under way is finished first, so an email is never left
    "sending" by a stop. A failed pass is logged and the next one tried. Returns the passes."""
    session_factory, send = _parts(app)
    settle_heap()
    settings = settings_of(app)
    interval = float(app.config["WORKER_INTERVAL_SECONDS"])
    passes = 0
    while not stop.is_set():
        try:
            worker.run_once(session_factory, send, settings, sync_calls)
        except Exception:  # noqa: BLE001 - keep the worker alive, log the failure
            log.exception("worker pass failed")
        passes += 1
        stop.wait(interval)
    return passes


def start(app: Flask) -> threading.Event:
    session_factory, send = _parts(app)
    return worker.start_thread(
        session_factory,
        send,
        settings_of(app),
        sync_calls,
        interval=app.config["WORKER_INTERVAL_SECONDS"],
    )


# The replay of the 2021 call


def run_replay(session: Session, replay: Replay, actor: Actor) -> ReplaySummary:
    """Every step of ``replay``, each committed as its request or job would be; the summary.
    A failing step is rolled back and written into the call's history (the steps before it
    stay done), then raised again."""
    try:
        for _step in replay.steps():
            session.commit()
    except Exception as error:
        session.rollback()
        record_replay_failure(session, replay.call, actor, error)
        session.commit()
        raise
    summary = finish_replay(session, replay, actor)
    session.commit()
    return summary


_replays: dict[str, threading.Thread] = {}
_replays_lock = threading.Lock()


def replay_in_background(app: Flask, call_key: str, actor: Actor) -> threading.Thread:
    """Run the replay prepared in the call ``call_key`` in a thread of this process, with a
    session of its own: the call page's button, which must not wait the half minute it takes.
    A failure is logged and written into the call's history."""

    def replay() -> None:
        with app.app_context():
            session = current_session()
            try:
                call = get_call_by_key(session, call_key)
                assert call is not None
                try:
                    steps = replay_of(session, call)
                except ReplayRefused as refused:
                    record_replay_failure(session, call, actor, refused)
                    session.commit()
                    raise
                run_replay(session, steps, actor)
            except Exception:  # noqa: BLE001 - the thread's end: log it
                log.exception("the replay in %s failed", call_key)
            finally:
                db.session.remove()

    with _replays_lock:
        running = _replays.get(call_key)
        if running is not None and running.is_alive():
            return running  # one replay at a time in a call
        thread = threading.Thread(target=replay, name=f"replay-{call_key}")
        _replays[call_key] = thread
        thread.start()
    return thread


def replay_running(call_key: str) -> bool:
    """Whether this process is replaying in the call now."""
    thread = _replays.get(call_key)
    return thread is not None and thread.is_alive()


def wait_for_replays(timeout: float | None = None) -> None:
    """Until the replays this process started have ended (tests; a clean shutdown)."""
    for thread in list(_replays.values()):
        thread.join(timeout)
