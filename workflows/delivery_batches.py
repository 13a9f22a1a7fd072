"""Planned messages delivered many to a transaction: the worker's message pass.

A batch reads its pending deliveries with one query, claims their instances with one statement
(those no other transaction holds, SKIP LOCKED, as the timer pass does: a delivery whose
instance a request holds is left pending for the next pass), locks the deliveries of those
instances with one more (SKIP LOCKED too), and reads at once which of them wait for which
message. It then delivers them all in one savepoint, else one at a time each in a savepoint of
its own, as every batch of the worker does (workflows/batches.py): a delivery whose step fails
opens its incident and is delivered; one that raises is rolled back alone, logged, and left
pending for the next pass. The others commit either way.

Two deliveries to one instance in a batch are delivered in the order given, the second to the
instance as the first left it (what it waits for then is read again).

The batch holds its instances until it commits: it stops after ``seconds`` of work, and the
deliveries it did not reach are left pending (``left``) for the next.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.batches import (
    Batch,
    claim_free,
    in_one_savepoint_else_one_by_one,
    prepare_batch,
)
from workflows.engine import deliver_locked, waits_for
from workflows.models import MessageDelivery, MessageWait, WorkflowInstance

log = logging.getLogger(__name__)


def deliver_batch(
    session: Session, delivery_ids: Sequence[int], *, seconds: float = math.inf
) -> Batch:
    """Deliver those of ``delivery_ids`` still pending whose instance no other transaction
    holds, in this transaction and in that order, for about ``seconds`` at most (the first is
    always delivered); the Batch's ``done`` are the deliveries done with (delivered, or found
    not awaited), by id."""
    planned = session.execute(
        select(MessageDelivery.id, MessageDelivery.instance_id).where(
            MessageDelivery.id.in_(delivery_ids), MessageDelivery.status == "pending"
        )
    )
    instance_of = {delivery_id: instance_id for delivery_id, instance_id in planned}
    in_order = [d for d in dict.fromkeys(delivery_ids) if d in instance_of]
    # The instances first, then their rows, as everywhere (workflows/engine.py).
    instances = {
        instance.id: instance
        for instance in claim_free(session, list(dict.fromkeys(instance_of[d] for d in in_order)))
    }
    deliveries = _lock_pending(session, [d for d in in_order if instance_of[d] in instances])
    pairs = [(instances[instance_of[d]], deliveries[d]) for d in in_order if d in deliveries]
    claimed = list(dict.fromkeys(instance.id for instance, _ in pairs))
    prepare_batch(session, claimed)
    awaited = _awaited(session, claimed)
    # What an instance waits for after a delivery of this batch is read again (and, after a
    # failed savepoint, for the instances it had reached: more reads, still true ones).
    reached: set[int] = set()

    def deliver(pair: tuple[WorkflowInstance, MessageDelivery]) -> bool:
        instance, delivery = pair
        name = delivery.message.name
        if instance.id in reached:
            waiting = waits_for(session, instance.id, name)
        else:
            waiting = (instance.id, name) in awaited
            reached.add(instance.id)
        return deliver_locked(session, instance, delivery, waiting=waiting)

    return in_one_savepoint_else_one_by_one(
        session,
        pairs,
        deliver,
        key=lambda pair: pair[1].id,
        seconds=seconds,
        log=log,
        failure="the delivery %s failed; it is tried again on the next pass",
    )


def _lock_pending(session: Session, delivery_ids: list[int]) -> dict[int, MessageDelivery]:
    """Lock those of the deliveries that are pending and that no other transaction holds."""
    if not delivery_ids:
        return {}
    locked = session.scalars(
        select(MessageDelivery)
        .where(MessageDelivery.id.in_(delivery_ids), MessageDelivery.status == "pending")
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return {delivery.id: delivery for delivery in locked}


def _awaited(session: Session, instance_ids: list[int]) -> set[tuple[int, str]]:
    """The messages the instances wait for, as (instance id, message name)."""
    if not instance_ids:
        return set()
    rows = session.execute(
        select(MessageWait.instance_id, MessageWait.message).where(
            MessageWait.instance_id.in_(instance_ids)
        )
    )
    return {(instance_id, name) for instance_id, name in rows}
