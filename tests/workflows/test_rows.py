"""Rows written without the unit of work (workflows/rows.py) are forgotten by a rollback as
flushed ones are: an inserted object leaves the session, an updated one is read again."""

from __future__ import annotations

from sqlalchemy import select

from workflows.clock import wall_now
from workflows.models import AuditEvent, Clock
from workflows.rows import insert_now, update_now


def event(summary: str) -> AuditEvent:
    return AuditEvent(at=wall_now(), actor="system", kind="note", summary=summary, data={})


def test_a_row_inserted_in_a_savepoint_rolled_back_leaves_the_session(session):
    kept = insert_now(session, [event("kept")])[0]
    savepoint = session.begin_nested()
    (gone,) = insert_now(session, [event("gone")])
    savepoint.rollback()

    assert gone not in session and kept in session
    # SQLite gives the rolled-back key again: the session must not hold it still.
    (again,) = insert_now(session, [event("again")])
    session.commit()
    assert session.scalars(select(AuditEvent.summary).order_by(AuditEvent.id)).all() == [
        "kept",
        "again",
    ]
    assert again.summary == "again"


def test_a_row_inserted_in_a_released_savepoint_leaves_the_session_when_the_transaction_rolls_back(
    session,
):
    (first,) = insert_now(session, [event("first")])  # pysqlite begins at the first write
    with session.begin_nested():
        (gone,) = insert_now(session, [event("gone")])
    session.rollback()

    assert first not in session and gone not in session
    insert_now(session, [event("after")])
    session.commit()
    assert session.scalars(select(AuditEvent.summary)).all() == ["after"]


def test_a_row_updated_in_a_savepoint_rolled_back_is_read_again(session):
    clock = Clock(name="rehearsal", rehearsal=True)
    session.add(clock)
    session.commit()
    savepoint = session.begin_nested()
    assert update_now(session, clock, {"name": "moved"})
    assert clock.name == "moved"
    savepoint.rollback()

    assert clock.name == "rehearsal"
