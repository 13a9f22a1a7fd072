"""Many instances' work in one transaction: what the worker's timer pass and its message pass
(workflows/timer_batches.py, workflows/delivery_batches.py) do alike.

A batch does all its work in one savepoint, without a savepoint per instance or per service
task (``steps_in_one_savepoint``), so that the statements of many instances go together: the
audit events nothing reads back (a timer fired, a process ended) and the emails it queues are
written in one INSERT each at its end (``written_together``). When anything in it fails, the
savepoint is rolled back and the batch done again one at a time, each in a savepoint of its
own (and its service tasks in theirs): a step that fails opens its incident there, as after
any action (workflows/engine.py), and commits with it; one whose work raises (a database
error, a broken operator) is rolled back alone, logged, and left for the worker's next pass.
The others commit either way. A rolled-back savepoint leaves the session as it found it: the
rows written without the unit of work are forgotten too (workflows/rows.py) and so are the
transaction's notes (workflows/transaction.py).

The batch holds its instances until it commits, so a request for one of them waits for the
batch: a batch stops after ``seconds`` of work (twice that, at worst, when it is done again one
by one), and what it did not reach is left (``left``) for the next.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.audit import written_together
from workflows.clock import wall_now
from workflows.engine import steps_in_one_savepoint
from workflows.models import WorkflowInstance
from workflows.transaction import savepoint

T = TypeVar("T")

# Called with the ids of the instances a batch claimed, before it works on them: the
# application reads at once what it would otherwise read for each (app/cases/sync.py: their
# cases and calls, and the people their notices go to).
before_batch: list[Callable[[Session, list[int]], None]] = []


@dataclass
class Batch:
    """What a batch did with what it was given, by id (instances for timers, deliveries for
    messages; those another transaction held are in none of the lists)."""

    done: list[int] = field(default_factory=list)  # fired, or delivered (or found not awaited)
    failed: list[int] = field(default_factory=list)  # rolled back, logged: the next pass
    left: list[int] = field(default_factory=list)  # not reached within the time allowed


def prepare_batch(session: Session, instance_ids: list[int]) -> None:
    """Let the application read at once what the batch's instances need (``before_batch``)."""
    for prepare in before_batch:
        prepare(session, instance_ids)


def claim_free(session: Session, instance_ids: Sequence[int]) -> list[WorkflowInstance]:
    """Lock and claim (as lock_instance does) those of ``instance_ids`` that no other
    transaction holds, in one statement; returns them in the order given."""
    if not instance_ids:
        return []
    free = (
        select(WorkflowInstance.id)
        .where(WorkflowInstance.id.in_(instance_ids))
        .with_for_update(skip_locked=True)
    )
    claimed = session.scalars(
        update(WorkflowInstance)
        .where(WorkflowInstance.id.in_(free))
        .values(lock_version=WorkflowInstance.lock_version + 1, updated_at=wall_now())
        .returning(WorkflowInstance)
        .execution_options(populate_existing=True, synchronize_session=False)
    ).all()
    order = {instance_id: number for number, instance_id in enumerate(instance_ids)}
    return sorted(claimed, key=lambda instance: order[instance.id])


def in_one_savepoint_else_one_by_one(
    session: Session,
    items: Sequence[T],
    work: Callable[[T], bool],
    *,
    key: Callable[[T], int],
    seconds: float = math.inf,
    log: logging.Logger,
    failure: str,
) -> Batch:
    """``work`` on each of ``items`` in that order, for about ``seconds`` at most (the first is
    always worked on): all in one savepoint first, else one at a time each in its own.
    ``work`` says whether it did something (``done``); ``key`` is an item's id in the Batch;
    ``failure`` is logged (with the key) for an item whose work raised one by one."""
    try:
        with savepoint(session), steps_in_one_savepoint(), written_together(session):
            return _each(session, items, work, key, seconds, log, failure, one_by_one=False)
    except Exception as err:  # noqa: BLE001 - what failed is found and logged one by one below
        log.info("a batch failed (%s); doing it again one at a time", err)
    return _each(session, items, work, key, seconds, log, failure, one_by_one=True)


def _each(
    session: Session,
    items: Sequence[T],
    work: Callable[[T], bool],
    key: Callable[[T], int],
    seconds: float,
    log: logging.Logger,
    failure: str,
    *,
    one_by_one: bool,
) -> Batch:
    began = time.monotonic()
    batch = Batch()
    for number, item in enumerate(items):
        if number and time.monotonic() - began > seconds:
            batch.left = [key(later) for later in items[number:]]
            break
        if not one_by_one:
            done = work(item)
        else:
            try:
                with savepoint(session):
                    done = work(item)
            except Exception:  # noqa: BLE001 - one failure must not hold up the others
                log.exception(failure, key(item))
                batch.failed.append(key(item))
                continue
        if done:
            batch.done.append(key(item))
    return batch
