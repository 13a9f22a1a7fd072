"""Due timers fired many instances to a transaction: the worker's timer pass.

A batch takes its instances with one statement (an UPDATE that claims those no other
transaction holds, SKIP LOCKED, and bumps their version as lock_instance does) and their
timers with one query, then fires them all in one savepoint, without a savepoint per instance
or per service task, so that the statements of many instances go together. When anything in
it fails, the savepoint is rolled back and the batch fired again one instance at a time, each
in a savepoint of its own (and its service tasks in theirs): a step that fails opens its
incident there, as after any action (workflows/engine.py), and that instance commits with it;
an instance whose firing raises (a database error, a broken operator) is rolled back alone,
logged, and tried again on the worker's next pass. The others commit either way.

What is the same for every instance is read once per batch: the session's identity map keeps
the clock and what the application loads per call, the bundle cache the parsed spec; what the
application reads for each instance it reads for the batch at once (``before_batch``).

The batch holds its instances until it commits, so a request for one of them waits for the
batch: a batch stops after ``seconds`` of work (twice that, at worst, when it is fired again
one by one), and the instances it did not reach are left unfired (``left``) for the next.
"""

from __future__ import annotations

import logging
import math
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.clock import wall_now
from workflows.engine import fire_locked, steps_in_one_savepoint
from workflows.models import Timer, WorkflowInstance
from workflows.transaction import savepoint

log = logging.getLogger(__name__)
# Called with the ids of the instances a batch claimed, before it fires them: the application
# reads at once what it would otherwise read for each (app/owners.py: their cases and calls).
before_batch: list[Callable[[Session, list[int]], None]] = []


@dataclass
class Batch:
    """What a batch did with the instances it was given (those another transaction held are
    in none of the lists)."""

    fired: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # rolled back, logged: the next pass
    left: list[int] = field(default_factory=list)  # not reached within the time allowed


def fire_batch(
    session: Session,
    instance_ids: Sequence[int],
    *,
    grace: timedelta = timedelta(0),
    seconds: float = math.inf,
) -> Batch:
    """Fire the timers due more than ``grace`` ago of those of ``instance_ids`` no other
    transaction holds, in this transaction and in that order, for about ``seconds`` at most
    (the first instance is always fired).

    All at once first, in one savepoint (no savepoint per instance or per service task: the
    statements of many instances go together). When anything in it fails, it is rolled back
    and the batch is fired again one instance at a time, each in a savepoint of its own, so
    that the one that fails is rolled back alone (or, a failed step, opens its incident)."""
    instances = claim_free(session, instance_ids)
    claimed = [instance.id for instance in instances]
    for prepare in before_batch:
        prepare(session, claimed)
    try:
        with savepoint(session), steps_in_one_savepoint():
            return _fire_each(session, instances, claimed, grace, seconds, one_by_one=False)
    except Exception as err:  # noqa: BLE001 - what failed is found and logged one by one below
        log.info("a batch of timers failed (%s); firing it one instance at a time", err)
    return _fire_each(session, instances, claimed, grace, seconds, one_by_one=True)


def _fire_each(
    session: Session,
    instances: list[WorkflowInstance],
    claimed: list[int],
    grace: timedelta,
    seconds: float,
    *,
    one_by_one: bool,
) -> Batch:
    began = time.monotonic()
    timers = timers_of(session, claimed)
    batch = Batch()
    for number, instance in enumerate(instances):
        if number and time.monotonic() - began > seconds:
            batch.left = [later.id for later in instances[number:]]
            break
        if not one_by_one:
            fired = fire_locked(session, instance, timers[instance.id], grace=grace)
        else:
            try:
                with savepoint(session):
                    fired = fire_locked(session, instance, timers[instance.id], grace=grace)
            except Exception:  # noqa: BLE001 - one instance's failure must not hold up the others
                log.exception(
                    "the timers of instance %s failed; tried again next pass", instance.id
                )
                batch.failed.append(instance.id)
                continue
        if fired:
            batch.fired.append(instance.id)
    return batch


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


def timers_of(
    session: Session, instance_ids: Sequence[int]
) -> dict[int, list[tuple[str, datetime]]]:
    """The waiting timers (name, due time) of the instances, by instance (read after they were
    locked; as plain rows, which the instances' saves delete without looking for them)."""
    found: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    if instance_ids:
        rows = session.execute(
            select(Timer.instance_id, Timer.name, Timer.due_at)
            .where(Timer.instance_id.in_(instance_ids))
            .order_by(Timer.id)
        )
        for instance_id, name, due_at in rows:
            found[instance_id].append((name, due_at))
    return found
