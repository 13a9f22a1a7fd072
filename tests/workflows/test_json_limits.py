"""Deep JSON is refused with the limit named, never a RecursionError."""

from __future__ import annotations

import json

import pytest

from workflows.json_limits import MAX_DEPTH, JsonTooDeep, load_json, value_depth


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000, "[" * 65 + "]" * 65])
def test_json_deeper_than_the_limit_is_refused_naming_it(text: str) -> None:
    with pytest.raises(JsonTooDeep) as refused:
        load_json(text)
    assert str(refused.value) == "nested deeper than the limit of 64 levels"
    assert isinstance(refused.value, json.JSONDecodeError)


def test_json_at_the_limit_is_read() -> None:
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert value_depth(load_json(text)) == MAX_DEPTH


def test_bytes_with_a_byte_order_mark_are_read() -> None:
    assert load_json('\ufeff{"a": [1, {"b": 2}]}'.encode()) == {"a": [1, {"b": 2}]}
