"""Rows written at once, without the ORM's unit of work.

A task's send writes a few rows that nothing changes afterwards in the same transaction (an
audit event, the human-task index, notices) and one row it knows exactly how to change (its
instance's state). Through the session each costs a flush: the unit of work sorts, diffs and
batches objects whose only fate is one INSERT or one UPDATE. ``insert_now`` writes new objects
in one INSERT … RETURNING their keys, and then attaches them to the session as loaded rows;
``update_now`` writes columns of a loaded object and leaves it holding them as loaded. What
reads them later in the transaction (a hook, a lazy load, ``session.get``) sees them as if
they had been flushed. A rollback (of the transaction or of a savepoint it happened in)
forgets them as it would flushed ones: inserted objects leave the session, updated ones are
expired (``_forget_rolled_back``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Table, Update, bindparam, event, inspect, update
from sqlalchemy.orm import (
    Mapper,
    Session,
    SessionTransaction,
    make_transient_to_detached,
    scoped_session,
)
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

T = TypeVar("T")


def table_of(model: type[Any]) -> Table:
    """The table a model class maps (typed for Core statements)."""
    table = inspect(model).local_table
    assert isinstance(table, Table)
    return table


def insert_now(session: Session, objects: Sequence[T]) -> Sequence[T]:
    """INSERT new objects of one mapped class (with a single-column key the database
    generates) in one statement now, and attach them to ``session`` as persistent rows. An
    unset column takes its scalar default, else NULL; one with a computed default is left to
    it (and read back when asked for) when none of them set it."""
    if not objects:
        return objects
    plan = _PLANS.get(type(objects[0])) or _plan_of(type(objects[0]))
    given = [inspect(item).dict for item in objects]
    columns = [
        (attribute, column, default)
        for attribute, column, default, required in plan.columns
        if required or any(attribute in values for values in given)
    ]
    for item, values in zip(objects, given, strict=True):
        for attribute, _column, default in columns:
            if attribute not in values:
                setattr(item, attribute, default)
    rows = [{column: values[attribute] for attribute, column, _ in columns} for values in given]
    # On the session's connection: Session.execute would flush the unit of work first.
    inserted = session.connection().execute(plan.insert, rows).scalars()
    for item, generated in zip(objects, inserted, strict=True):
        setattr(item, plan.key, generated)
        make_transient_to_detached(item)
        session.add(item)
    _written(session, objects, inserted=True)
    return objects


@dataclass(frozen=True)
class _Plan:
    """How a mapped class's new objects are inserted: its columns (attribute, column key,
    scalar default, whether always written: not left to a computed or server default), its
    key's attribute, the statement."""

    columns: list[tuple[str, str, Any, bool]]
    key: str
    insert: ReturningInsert[Any]


_PLANS: dict[type, _Plan] = {}  # per mapped class, made once per process


def _plan_of(model: type[Any]) -> _Plan:
    mapper: Mapper[Any] = inspect(model)
    (key,) = mapper.primary_key
    columns = [
        (
            prop.key,
            column.key,
            column.default.arg if column.default is not None and column.default.is_scalar else None,
            column.server_default is None and (column.default is None or column.default.is_scalar),
        )
        for prop in mapper.column_attrs
        for column in prop.columns[:1]
        if column is not key
    ]
    insert = table_of(model).insert().returning(key, sort_by_parameter_order=True)
    plan = _PLANS[model] = _Plan(columns, mapper.get_property_by_column(key).key, insert)
    return plan


def update_now(session: Session, item: Any, values: dict[str, Any]) -> bool:
    """UPDATE columns (by attribute name) of one loaded object's row now, by its key, and by
    its version counter when its mapper has one (which the UPDATE then bumps); the object
    holds the values as loaded. False, and nothing changed, when the row is gone or another
    transaction moved its version on."""
    statement, key, version = _update_of(type(item), tuple(sorted(values)))
    params = {f"_{name}": value for name, value in values.items()}
    params["_key_"] = getattr(item, key)
    values = dict(values)
    if version is not None:
        getattr(item, version)  # loaded, if it was expired
        current = inspect(item).attrs[version].loaded_value
        params["_version_"] = current
        values[version] = current + 1
    done = session.connection().execute(statement, params)
    if done.rowcount != 1:
        return False
    for name, value in values.items():
        set_committed_value(item, name, value)
    _written(session, [item], inserted=False)
    return True


# session.info key: (the transaction or savepoint written in, object, whether inserted) of
# what was written here and not yet committed, which the session's unit of work cannot know.
_WRITTEN = "rows.written"


def _written(session: Session, objects: Sequence[Any], *, inserted: bool) -> None:
    own = session() if isinstance(session, scoped_session) else session  # Flask-SQLAlchemy's
    transaction = own.get_nested_transaction() or own.get_transaction()
    own.info.setdefault(_WRITTEN, []).extend((transaction, item, inserted) for item in objects)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """What was written in the transaction or savepoint just rolled back is gone: an inserted
    object leaves the session (its key may be given again), an updated one is expired."""
    kept = []
    for transaction, item, inserted in session.info.get(_WRITTEN, []):
        if not _within(transaction, previous_transaction):
            kept.append((transaction, item, inserted))
        elif inserted:
            if item in session:
                session.expunge(item)
        elif inspect(item).persistent:
            session.expire(item)
    session.info[_WRITTEN] = kept


@event.listens_for(Session, "after_commit")
def _forget_committed(session: Session) -> None:
    if not session.in_nested_transaction():  # the transaction, not a savepoint in it
        session.info.pop(_WRITTEN, None)


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


_UPDATES: dict[tuple[type, tuple[str, ...]], tuple[Update, str, str | None]] = {}


def _update_of(model: type[Any], names: tuple[str, ...]) -> tuple[Update, str, str | None]:
    """The UPDATE of these attributes of a model's row (bound parameters ``_<name>``, the
    key ``_key_``, the version ``_version_``), its key's attribute and its version's, made
    once per process."""
    found = _UPDATES.get((model, names))
    if found is not None:
        return found
    mapper: Mapper[Any] = inspect(model)
    table = table_of(model)
    (key,) = mapper.primary_key
    row: dict[Any, Any] = {
        mapper.get_property(name).columns[0]: bindparam(f"_{name}") for name in names
    }
    statement = update(table).where(key == bindparam("_key_"))
    version = mapper.version_id_col
    version_name = None
    if version is not None:
        version_name = mapper.get_property_by_column(version).key
        statement = statement.where(version == bindparam("_version_"))
        row[version] = version + 1
    found = _UPDATES[(model, names)] = (
        statement.values(row),
        mapper.get_property_by_column(key).key,
        version_name,
    )
    return found
