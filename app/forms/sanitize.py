"""Make data safe to put into the engine's task data.

The engine serializes task data to JSON and treats dicts with a `typename` key as serialized
objects, so such keys must never come from outside. Keys must be identifiers that BPMN
expressions can use; values must be plain JSON values of bounded size.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
RESERVED_KEYS = frozenset({"typename"})
MAX_STRING_LENGTH = 100_000
MAX_DEPTH = 10


def sanitize_for_engine(data: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-plain copy of `data`; raises ValueError naming the first offending key or path.

    Dates become ISO strings, Decimals ints (when whole) or strings, tuples and sets lists.
    """
    if not isinstance(data, Mapping):
        raise ValueError("task data must be an object")
    result = _clean(data, "", 1)
    assert isinstance(result, dict)
    return result


def _clean(value: Any, path: str, depth: int) -> Any:
    where = path or "data"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: numbers must be finite")
        return value
    if isinstance(value, str):
        if len(value) > MAX_STRING_LENGTH:
            raise ValueError(f"{where}: text longer than {MAX_STRING_LENGTH} characters")
        return value.replace("\x00", "")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{where}: numbers must be finite")
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"{where}: a date and time needs a time zone")
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, Mapping):
        result = {}
        for key, item in value.items():
            if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
                raise ValueError(f"field name not allowed: {key!r}")
            if key in RESERVED_KEYS:
                raise ValueError(f"field name is reserved: {key!r}")
            result[key] = _clean(item, f"{path}.{key}" if path else key, depth + 1)
        return result
    if isinstance(value, list | tuple | set | frozenset):
        items = list(value)
        if isinstance(value, set | frozenset):
            items.sort(key=repr)
        return [
            _clean(item, f"{path}.{i}" if path else str(i), depth + 1)
            for i, item in enumerate(items)
        ]
    raise ValueError(f"{where}: values of type {type(value).__name__} are not allowed")
