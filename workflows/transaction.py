"""What a transaction notes for its own later steps (the owner of an instance it looked up,
the incidents it opened, the deliveries it planned), so that nothing reads it back from the
database. The notes end with the transaction: a rollback leaves nothing noted, and a savepoint
rolled back (``savepoint``) leaves nothing of what was noted since it began."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_NOTES = "grantflow.transaction_notes"


def notes(session: Session) -> dict[str, Any]:
    """This transaction's notes: a dict the caller keys by what it keeps."""
    found: dict[str, Any] = session.info.setdefault(_NOTES, {})
    return found


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_NOTES, None)


@contextmanager
def savepoint(session: Session) -> Iterator[None]:
    """A savepoint around the block: when it raises, the writes since are undone, and so are
    the notes taken since, as if the block had never run; the transaction goes on."""
    kept = {key: copy(value) for key, value in notes(session).items()}
    try:
        with session.begin_nested():
            yield
    except BaseException:
        session.info[_NOTES] = kept
        raise
