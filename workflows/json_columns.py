"""How the JSON columns (a workflow's state, task data, audit data, outbox payloads) are written
and read: by orjson, which reads a state three times and writes it eight times faster than
the standard library (``python -m bench.state_costs``). A timer's firing or a task's send
reads and writes the whole state of its instance, tens of kilobytes: the standard library's
encoding was a tenth of a timer's firing.

What goes in is what the standard library would take: text keys, or numbers, booleans and
None as keys (made text, as it does); a value orjson refuses (an integer wider than 64 bits)
is written by the standard library instead, and a value it writes as no JSON (NaN, which no
step can leave: workflows/sandbox_runtime.py) was already refused before it reached a column.
Text that orjson cannot read (NaN written by an earlier version) is read by the standard
library, so nothing stored before becomes unreadable.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# Dates and dataclasses are refused, as the standard library refuses them.
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


# For create_engine (app/config.py's SQLALCHEMY_ENGINE_OPTIONS): every JSON column, both databases.
ENGINE_OPTIONS: dict[str, Any] = {"json_serializer": dumps, "json_deserializer": loads}
