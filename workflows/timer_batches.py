"""Due timers fired many instances to a transaction: the worker's timer pass.

A batch takes its instances with one statement (an UPDATE that claims those no other
transaction holds, SKIP LOCKED, and bumps their version as lock_instance does) and their
timers with one query, then fires them all in one savepoint, else one instance at a time each
in a savepoint of its own, as every batch of the worker does (workflows/batches.py): a step
that fails opens its incident and that instance commits with it; an instance whose firing
raises (a database error, a broken operator) is rolled back alone, logged, and tried again on
the worker's next pass. The others commit either way.

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
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.batches import (
    Batch,
    claim_free,
    in_one_savepoint_else_one_by_one,
    prepare_batch,
)
from workflows.engine import fire_locked
from workflows.models import Timer

log = logging.getLogger(__name__)


def fire_batch(
    session: Session,
    instance_ids: Sequence[int],
    *,
    grace: timedelta = timedelta(0),
    seconds: float = math.inf,
) -> Batch:
    """Fire the timers due more than ``grace`` ago of those of ``instance_ids`` no other
    transaction holds, in this transaction and in that order, for about ``seconds`` at most
    (the first instance is always fired); the Batch's ``done`` are the instances fired.

    All at once first, in one savepoint (no savepoint per instance or per service task: the
    statements of many instances go together). When anything in it fails, it is rolled back
    and the batch is fired again one instance at a time, each in a savepoint of its own, so
    that the one that fails is rolled back alone (or, a failed step, opens its incident)."""
    instances = claim_free(session, instance_ids)
    claimed = [instance.id for instance in instances]
    prepare_batch(session, claimed)
    timers = timers_of(session, claimed)  # plain rows: a rolled-back savepoint leaves them true
    return in_one_savepoint_else_one_by_one(
        session,
        instances,
        lambda instance: fire_locked(session, instance, timers[instance.id], grace=grace),
        key=lambda instance: instance.id,
        seconds=seconds,
        log=log,
        failure="the timers of instance %s failed; tried again next pass",
    )


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
