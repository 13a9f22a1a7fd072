"""JSON read with a nesting limit, so a hostile document is a refusal and not a crash.

Python's ``json`` recurses once per level: ``[[[[…`` a thousand deep raises ``RecursionError``,
which nothing expects (a 500), and a document just under that depth makes every later walk of
it (jsonschema, the form renderer) recurse as deep. ``load_json`` refuses both with
``JsonTooDeep`` — a ``json.JSONDecodeError``, so every caller that already answers bad JSON
answers this too, with a message that names the limit.
"""

from __future__ import annotations

import json
from typing import Any

# Forms, settings and process files nest a dozen levels at most; 64 leaves room and is far below
# the interpreter's recursion limit (and jsonschema's, which recurses per level too).
MAX_DEPTH = 64


class JsonTooDeep(json.JSONDecodeError):
    """A JSON document nested deeper than the limit."""

    def __init__(self, msg: str, doc: str, pos: int) -> None:
        super().__init__(msg, doc, pos)
        self.args = (msg,)  # the limit, without json's "line 1 column 1"


def too_deep_message(max_depth: int = MAX_DEPTH) -> str:
    return f"nested deeper than the limit of {max_depth} levels"


def load_json(text: str | bytes, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` that refuses (JsonTooDeep) a document deeper than ``max_depth``."""
    if isinstance(text, bytes | bytearray):
        text = bytes(text).decode("utf-8-sig")
    try:
        value = json.loads(text)
    except RecursionError:
        raise JsonTooDeep(too_deep_message(max_depth), text, 0) from None
    if value_depth(value, max_depth) > max_depth:
        raise JsonTooDeep(too_deep_message(max_depth), text, 0)
    return value


def value_depth(value: Any, max_depth: int = MAX_DEPTH) -> int:
    """How deep a parsed value nests (lists and objects), counted up to ``max_depth + 1``;
    without recursion, so a value too deep to walk recursively is measured too."""
    deepest = 0
    level: list[Any] = [value]
    while deepest <= max_depth:
        containers = [item for item in level if isinstance(item, dict | list)]
        if not containers:
            break
        deepest += 1
        level = [
            child
            for item in containers
            for child in (item.values() if isinstance(item, dict) else item)
        ]
    return deepest
