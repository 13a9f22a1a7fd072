"""The timer and outbox worker: each job in its own transaction, safe with several workers.

Timers are taken with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite serializes writers), so
every due timer fires once. Outbox messages are sent after the transaction that wrote them
committed; a failed send is retried later with back-off, a sent one is never sent again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.audit import retry_delay
from workflows.clock import wall_now
from workflows.engine import fire_due_timers
from workflows.errors import WorkflowError
from workflows.models import Clock, OutboxMessage

log = logging.getLogger(__name__)
Sender = Callable[[OutboxMessage], None]


ClockHook = Callable[[Session, Clock], None]


def fire_timers(session_factory: Callable[[], Session], on_change: ClockHook | None = None) -> int:
    """One pass over every clock; each instance advanced in its own transaction.

    ``on_change`` runs in that transaction after each step, so the application can update
    what it derives from engine state before the commit.
    """
    fired = 0
    with session_factory() as session:
        clock_ids = session.scalars(select(Clock.id)).all()
    for clock_id in clock_ids:
        while True:
            with session_factory() as session:
                clock = session.get(Clock, clock_id)
                assert clock is not None
                try:
                    count = fire_due_timers(session, clock, limit=1)
                    if count and on_change is not None:
                        on_change(session, clock)
                    session.commit()
                except WorkflowError:
                    session.rollback()
                    log.exception("timer job failed on clock %s", clock_id)
                    count = 0
            fired += count
            if count == 0:
                break
    return fired


def send_outbox(session_factory: Callable[[], Session], send: Sender, *, batch: int = 50) -> int:
    """Send due messages, one per transaction, so a message is locked while it is sent."""
    sent = 0
    for _ in range(batch):
        with session_factory() as session:
            message = session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= wall_now())
                .order_by(OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if message is None:
                break
            message.attempts += 1
            try:
                send(message)
            except Exception as err:  # noqa: BLE001 - any failure is retried later
                message.last_error = str(err)[:1000]
                message.next_attempt_at = wall_now() + retry_delay(message.attempts)
                log.warning("sending outbox message %s failed: %s", message.id, err)
            else:
                message.sent_at = wall_now()
                message.last_error = None
                sent += 1
            session.commit()
    return sent


def run_once(
    session_factory: Callable[[], Session], send: Sender, on_change: ClockHook | None = None
) -> dict[str, Any]:
    fired = fire_timers(session_factory, on_change)
    return {"timers": fired, "sent": send_outbox(session_factory, send)}


def start_thread(
    session_factory: Callable[[], Session],
    send: Sender,
    on_change: ClockHook | None = None,
    *,
    interval: float = 2.0,
) -> threading.Event:
    """Run the worker beside the web app; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                run_once(session_factory, send, on_change)
            except Exception:  # noqa: BLE001 - keep the worker alive, log the failure
                log.exception("worker pass failed")

    threading.Thread(target=loop, name="grantflow-worker", daemon=True).start()
    return stop
