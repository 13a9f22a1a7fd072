"""Keyset pagination for the long lists (My tasks, cases, notices): a page is the rows after the
last one shown, found by its sort key, so page 400 costs what page 1 costs; the cursor in the
URL carries that key. Totals are counted up to COUNT_CAP and no further."""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from flask import request, url_for
from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

PAGE_SIZE = 50
COUNT_CAP = 1000

Row = TypeVar("Row")


@dataclass(frozen=True)
class Page(Generic[Row]):
    """One page of a list, and how to go on."""

    rows: list[Row]
    total: int  # how many match, counted up to COUNT_CAP + 1
    next_cursor: str | None

    @property
    def more_than_counted(self) -> bool:
        return self.total > COUNT_CAP

    @property
    def total_text(self) -> str:
        return f"{COUNT_CAP}+" if self.more_than_counted else str(self.total)


def rows_after(
    keys: list[Any], values: list[Any], *, descending: bool = False
) -> ColumnElement[bool]:
    """Rows that sort after the row whose keys were ``values`` (all keys ascending, or all
    descending). An empty value, or true for a boolean key, is the last of its key."""
    terms = []
    for index, (key, value) in enumerate(zip(keys, values, strict=True)):
        if value is None or (value is True and not descending):
            continue  # nothing sorts after an empty value within its IS NULL group, or true
        same = [
            k.is_not_distinct_from(v) for k, v in zip(keys[:index], values[:index], strict=True)
        ]
        if value is False and not descending:
            beyond = key.is_(True)
        else:
            beyond = key < value if descending else key > value
        terms.append(and_(*same, beyond))
    return or_(*terms) if terms else false()


def count_capped(session: Session, query: Select[Any], column: Any) -> int:
    """How many rows ``query`` gives, counted up to COUNT_CAP + 1 (no more is read)."""
    capped = query.with_only_columns(column).order_by(None).limit(COUNT_CAP + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(capped)) or 0)


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[Any]) -> list[Any] | None:
    """The key values a cursor carries, typed as its keys are; None for one that is not ours."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    typed: list[Any] = []
    for key, value in zip(keys, values, strict=True):
        python_type = _python_type(key.type)
        if value is None or python_type is object:
            typed.append(value)
        elif python_type is datetime and isinstance(value, str):
            try:
                typed.append(datetime.fromisoformat(value))
            except ValueError:
                return None
        elif isinstance(value, python_type) and not (
            python_type is int and isinstance(value, bool)
        ):
            typed.append(value)
        else:
            return None
    return typed


def _python_type(sql_type: Any) -> type:
    """The Python type of a column, looking through a type decorator."""
    for candidate in (sql_type, getattr(sql_type, "impl", None)):
        try:
            found = candidate.python_type  # type: ignore[union-attr]
        except (AttributeError, NotImplementedError):
            continue
        if found is not object:
            return found
    return object


def page_url(cursor: str, value: str | None) -> str:
    """This page's URL with the same filters, at the page ``value`` of the list whose cursor
    parameter is ``cursor`` (the first page when None)."""
    args: dict[str, Any] = {key: item for key, item in request.args.items() if key != cursor}
    if value:
        args[cursor] = value
    return url_for(request.endpoint or "index", **(request.view_args or {}), **args)


def distinct_values(session: Session, column: Any, *where: ColumnElement[bool]) -> list[Any]:
    """The distinct values of ``column`` among the rows ``where`` selects, in order, found by
    one index probe per value (a loose index scan: the least value above the last one found, in
    one recursive query) instead of a pass over every row. It needs an index that leads with the
    equality columns of ``where`` and then ``column``."""
    least = select(func.min(column)).where(*where).scalar_subquery()
    found = select(least.label("value")).cte("found", recursive=True)
    after = select(func.min(column)).where(*where, column > found.c.value).scalar_subquery()
    found = found.union_all(select(after.label("value")).where(found.c.value.is_not(None)))
    return list(session.scalars(select(found.c.value).where(found.c.value.is_not(None))))
