"""INSERT ... ON CONFLICT ... DO UPDATE on PostgreSQL and SQLite alike: one statement, so two
requests racing to create the same row cannot both insert it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert


def upsert(
    session: Session,
    target: type[Any],
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Mapping[str, Any],
) -> Insert:
    """The statement that inserts ``values`` into the table of the mapped class ``target``
    or, when a row with the same ``key`` columns exists, sets ``update`` on it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(target).values(**values)
    return statement.on_conflict_do_update(index_elements=list(key), set_=dict(update))
