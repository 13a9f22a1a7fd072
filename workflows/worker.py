"""The worker's jobs: timers, message deliveries and the outbox, each in a transaction of its own.

- Timers: the instances with a timer due more than ``grace`` ago, up to ``timer_batch`` per
  clock per pass, taken in turns across the clocks (so one call's rush does not starve
  another's) and fired up to ``timer_transaction`` instances (or ``timer_transaction_seconds``
  of work) to a transaction, each instance in a savepoint of its own
  (workflows/timer_batches.py): one that fails is rolled back alone and tried again on the
  next pass. The grace lets every form sent before a deadline through first: a request that
  arrived in time is judged at its arrival, and only then does the deadline's timer close
  the task.
- Messages: the pending deliveries, up to ``delivery_batch`` per pass, delivered up to
  ``delivery_transaction`` (or ``delivery_transaction_seconds`` of work) to a transaction,
  as the timers are fired (workflows/delivery_batches.py): the invitation to 1,000 cases is
  a few dozen short transactions, not one that locks them all nor a thousand; a delivery whose
  instance a request holds, or whose delivery fails, is left pending for the next pass. Every
  pass first plans the deliveries a race left unplanned
  (workflows.messages.plan_missed_deliveries).
- Message starts: a message that starts a case of another model (its message start event)
  opens that case in a transaction of its own, claimed once (workflows.engine.start_by_message).
- Outbox: at most once. The attempt is committed before the message goes out and the result
  after, with the next message's attempt (one transaction a message); a message found still
  "sending" after ``send_timeout`` (the worker died in between) is put in doubt, for a person
  to resend or mark sent, never sent again by itself.

Any number of workers can run against one PostgreSQL: instances are taken with SKIP LOCKED,
outbox rows likewise. On SQLite one writer at a time does the same work.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from itertools import zip_longest
from typing import Any

from sqlalchemy import String, bindparam, cast, func, literal, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from workflows.audit import retry_delay
from workflows.batches import Batch
from workflows.clock import wall_now
from workflows.delivery_batches import deliver_batch
from workflows.engine import due_instances, start_by_message
from workflows.errors import WorkflowError
from workflows.messages import pending_deliveries, pending_starts, plan_missed_deliveries
from workflows.models import Clock, OutboxMessage
from workflows.timer_batches import fire_batch

log = logging.getLogger(__name__)
Sender = Callable[[OutboxMessage], None]
SessionFactory = Callable[[], Session]
PassHook = Callable[[Session], None]


@dataclass(frozen=True)
class Settings:
    """How much a pass does, and how long it waits."""

    timer_grace: timedelta = timedelta(seconds=0)
    timer_batch: int = 200  # instances per clock per pass
    timer_transaction: int = 50  # instances fired in one transaction, at most
    timer_transaction_seconds: float = 0.5  # and about this long: the batch's locks are held
    delivery_batch: int = 500  # deliveries per pass
    delivery_transaction: int = 50  # deliveries made in one transaction, at most
    delivery_transaction_seconds: float = 0.5  # and about this long, as for timers
    outbox_batch: int = 50
    send_timeout: timedelta = timedelta(minutes=5)


def _job(session_factory: SessionFactory, work: Callable[[Session], bool]) -> bool:
    """One job in its own transaction: committed when it did something, rolled back on error."""
    with session_factory() as session:
        try:
            done = work(session)
        except (WorkflowError, DBAPIError):
            session.rollback()
            log.exception("a worker job failed; it is tried again on the next pass")
            return False
        if done:
            session.commit()
        else:
            session.rollback()
        return done


def fire_timers(session_factory: SessionFactory, settings: Settings = Settings()) -> int:
    """One pass over every clock: a batch of due instances each, taken in turns across the
    clocks so that a call with a thousand due timers does not hold up the one due timer of
    another call, and fired a transaction's worth at a time; returns how many fired."""
    with session_factory() as session:
        batches = [
            due_instances(session, clock, limit=settings.timer_batch, grace=settings.timer_grace)
            for clock in session.scalars(select(Clock)).all()
        ]
    waiting = [i for turn in zip_longest(*batches) for i in turn if i is not None]
    fire = partial(
        fire_batch, grace=settings.timer_grace, seconds=settings.timer_transaction_seconds
    )
    return _in_transactions(session_factory, waiting, settings.timer_transaction, fire, "timers")


BatchWork = Callable[[Session, list[int]], Batch]


def _in_transactions(
    session_factory: SessionFactory, ids: list[int], size: int, work: BatchWork, what: str
) -> int:
    """``work`` on ``ids`` (instances, deliveries), ``size`` of them (or what it leaves for
    the next) to a transaction; returns how many it did."""
    waiting = deque(ids)
    done = 0
    while waiting:
        taken = [waiting.popleft() for _ in range(min(max(1, size), len(waiting)))]
        batch = _in_transaction(session_factory, taken, work, what)
        done += len(batch.done)
        waiting.extendleft(reversed(batch.left))
    return done


def _in_transaction(
    session_factory: SessionFactory, ids: list[int], work: BatchWork, what: str
) -> Batch:
    """One transaction of a pass, committed when it did something; a failure of the batch as
    a whole (its claim, a savepoint that could not be rolled back) leaves all of it to the
    next pass."""
    with session_factory() as session:
        try:
            batch = work(session, ids)
        except (WorkflowError, DBAPIError):
            session.rollback()
            log.exception("a batch of %s failed; it is tried again on the next pass", what)
            return Batch()
        if batch.done:
            session.commit()
        else:
            session.rollback()
        return batch


def start_by_messages(session_factory: SessionFactory, settings: Settings = Settings()) -> int:
    """Open the cases thrown messages start (message start events of other models), each in
    its own transaction."""
    with session_factory() as session:
        planned = pending_starts(session, settings.delivery_batch)
    return started_now(session_factory, planned)


def started_now(session_factory: SessionFactory, start_ids: list[int]) -> int:
    return sum(_job(session_factory, partial(start_by_message, start_id=s)) for s in start_ids)


def deliver_messages(session_factory: SessionFactory, settings: Settings = Settings()) -> int:
    """One pass over the pending deliveries (planning first those a race left unplanned),
    delivered a transaction's worth at a time; returns how many are done with."""
    _job(session_factory, lambda session: plan_missed_deliveries(session) > 0)
    with session_factory() as session:
        planned = pending_deliveries(session, settings.delivery_batch)
    return deliver_planned(session_factory, planned, settings)


def deliver_planned(
    session_factory: SessionFactory, delivery_ids: list[int], settings: Settings = Settings()
) -> int:
    """Make these planned deliveries now, in batches of ``delivery_transaction`` to a
    transaction (one whose instance is busy, or that fails, is left for the worker's next
    pass); returns how many are done with."""
    deliver = partial(deliver_batch, seconds=settings.delivery_transaction_seconds)
    return _in_transactions(
        session_factory, delivery_ids, settings.delivery_transaction, deliver, "deliveries"
    )


_MESSAGE_ID = ("<outbox-", "@grantflow>")


def message_id_for(message: OutboxMessage) -> str:
    return f"{_MESSAGE_ID[0]}{message.id}{_MESSAGE_ID[1]}"


# The next message due, marked as being sent, in one statement (committed before it is sent).
_DUE = (
    select(OutboxMessage.id)
    .where(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.sending_since.is_(None),
        OutboxMessage.in_doubt_since.is_(None),
        OutboxMessage.next_attempt_at <= bindparam("now"),
    )
    .order_by(OutboxMessage.id)
    .limit(1)
    .with_for_update(skip_locked=True)
)
_TAKE = (
    update(OutboxMessage)
    .where(OutboxMessage.id == _DUE.scalar_subquery())
    .values(
        attempts=OutboxMessage.attempts + 1,
        sending_since=bindparam("now"),
        message_id=func.coalesce(
            OutboxMessage.message_id,
            literal(_MESSAGE_ID[0]) + cast(OutboxMessage.id, String) + literal(_MESSAGE_ID[1]),
        ),
    )
    .returning(OutboxMessage)
    .execution_options(populate_existing=True, synchronize_session=False)
)


Outcome = tuple[OutboxMessage, Exception | None]  # a message sent (or not: why)


def _take(session_factory: SessionFactory, outcome: Outcome | None = None) -> OutboxMessage | None:
    """The next message due, marked as being sent and committed (the attempt is on record
    before the message goes out); detached, as it was marked. ``outcome``, the message sent
    just before (or refused), is recorded in the same transaction: one transaction a message."""
    with session_factory() as session:
        if outcome is not None:
            _record(session, *outcome)
        message = session.scalar(_TAKE, {"now": wall_now()})
        if message is not None:
            session.expunge(message)
        session.commit()
    return message


def _record(session: Session, message: OutboxMessage, error: Exception | None) -> None:
    now = wall_now()
    result: dict[str, Any]
    if error is None:
        result = {"sent_at": now, "last_error": None}
    else:
        result = {
            "last_error": str(error)[:1000],
            "next_attempt_at": now + retry_delay(message.attempts),
        }
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(sending_since=None, **result)
        .execution_options(synchronize_session=False)
    )


def send_outbox(
    session_factory: SessionFactory, send: Sender, settings: Settings = Settings()
) -> int:
    """Send due messages, each attempt recorded before it goes out; returns how many went.
    A sender that can keep its connection for a pass (``connected()``, a context manager) sends
    the pass's messages over one."""
    sent = 0
    outcome: Outcome | None = None
    connected = getattr(send, "connected", nullcontext)
    try:
        with connected():
            for _ in range(settings.outbox_batch):
                message = _take(session_factory, outcome)
                outcome = None
                if message is None:
                    break
                try:
                    send(message)
                except Exception as err:  # noqa: BLE001 - any failure is retried later
                    log.warning("sending outbox message %s failed: %s", message.id, err)
                    outcome = (message, err)
                else:
                    outcome = (message, None)
                    sent += 1
    finally:
        if outcome is not None:  # the pass's last message, or taking the next one failed
            with session_factory() as session:
                _record(session, *outcome)
                session.commit()
    return sent


def reconcile_outbox(session_factory: SessionFactory, settings: Settings = Settings()) -> int:
    """Messages left "sending" longer than a send can take: the worker died between sending
    and recording it. Whether they went out is unknown; they are put in doubt."""
    with session_factory() as session:
        now = wall_now()
        doubted = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.sending_since < now - settings.send_timeout,
            )
            .values(in_doubt_since=now, sending_since=None)
        )
        session.commit()
        count = int(getattr(doubted, "rowcount", 0) or 0)
    if count:
        log.warning("%d outbox message(s) in doubt: a worker stopped while sending", count)
    return count


def run_once(
    session_factory: SessionFactory,
    send: Sender,
    settings: Settings = Settings(),
    on_pass: PassHook | None = None,
) -> dict[str, Any]:
    result = {
        "timers": fire_timers(session_factory, settings),
        "started": start_by_messages(session_factory, settings),
        "messages": deliver_messages(session_factory, settings),
        "in_doubt": reconcile_outbox(session_factory, settings),
        "sent": send_outbox(session_factory, send, settings),
    }
    if on_pass is not None:
        _job(session_factory, lambda session: bool(on_pass(session)) or True)
    return result


def start_thread(
    session_factory: SessionFactory,
    send: Sender,
    settings: Settings = Settings(),
    on_pass: PassHook | None = None,
    *,
    interval: float = 2.0,
) -> threading.Event:
    """Run the worker beside the web app; set the returned event to stop it."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                run_once(session_factory, send, settings, on_pass)
            except Exception:  # noqa: BLE001 - keep the worker alive, log the failure
                log.exception("worker pass failed")

    threading.Thread(target=loop, name="grantflow-worker", daemon=True).start()
    return stop
