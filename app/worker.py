"""The app's side of the worker: its sessions, the mail sender, its settings, and what it does
on every pass besides the engine's jobs (calls close at their last deadline)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from functools import partial
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.extensions import db
from app.notifications.mail import make_sender
from app.requests import after_commit
from workflows import SYSTEM, worker
from workflows.messages import planned_now


def settings_of(app: Flask, **changes: Any) -> worker.Settings:
    config = app.config
    values: dict[str, Any] = {
        "timer_grace": timedelta(seconds=float(config["TIMER_GRACE_SECONDS"])),
        "timer_batch": int(config["WORKER_TIMER_BATCH"]),
        "delivery_batch": int(config["WORKER_DELIVERY_BATCH"]),
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
    """The messages this request's steps sent, delivered right after its commit (each in its
    own transaction), so that people see them at once; more than the inline limit
    (INLINE_DELIVERY_LIMIT) wait for the worker."""
    planned = planned_now(session)[: int(app.config["INLINE_DELIVERY_LIMIT"])]
    if planned:
        session_factory, _send = _parts(app)
        after_commit(partial(worker.deliver_planned, session_factory, planned))


def run_due_work(app: Flask) -> int:
    """What a clock move makes due, now: timers (no grace: the move was asked for) and the
    messages they send, each instance in its own transaction; returns how many advanced."""
    session_factory, _send = _parts(app)
    settings = settings_of(app, timer_grace=timedelta(0))
    advanced = 0
    while True:
        step = worker.fire_timers(session_factory, settings)
        step += worker.deliver_messages(session_factory, settings)
        advanced += step
        if step == 0:
            break
    with session_factory() as session:
        sync_calls(session)
        session.commit()
    return advanced


log = logging.getLogger(__name__)


def run_until_stopped(app: Flask, stop: threading.Event) -> int:
    """The worker in the foreground, for a process of its own (`flask grantflow worker`, under
    systemd): a pass every WORKER_INTERVAL_SECONDS until ``stop`` is set (the CLI sets it on
    SIGTERM or SIGINT). A pass under way is finished first, so an email is never left
    "sending" by a stop. A failed pass is logged and the next one tried. Returns the passes."""
    session_factory, send = _parts(app)
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
