"""What a transaction notes for its own later steps (the owner of an instance it looked up,
the incidents it opened, the deliveries it planned), so that nothing reads it back from the
database. The notes end with the transaction: a rollback leaves nothing noted."""

from __future__ import annotations

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
