from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from app.forms import sanitize_for_engine


def test_sanitize_keeps_plain_json_data():
    data = {"name": "Anna", "count": 3, "share": 0.5, "ok": True, "none": None, "rows": [{"a": 1}]}

    assert sanitize_for_engine(data) == data


def test_sanitize_converts_dates_decimals_and_collections():
    data = {
        "day": date(2021, 4, 15),
        "at": datetime(2021, 4, 15, 13, 15, tzinfo=timezone.utc),
        "whole": Decimal("7000000"),
        "part": Decimal("1500.50"),
        "pair": (1, 2),
        "set": {"b", "a"},
    }

    assert sanitize_for_engine(data) == {
        "day": "2021-04-15",
        "at": "2021-04-15T13:15:00+00:00",
        "whole": 7000000,
        "part": "1500.50",
        "pair": [1, 2],
        "set": ["a", "b"],
    }


@pytest.mark.parametrize("key", ["typename", "1st", "with-dash", "_private", "", "x" * 65])
def test_sanitize_refuses_bad_keys(key):
    with pytest.raises(ValueError, match="field name"):
        sanitize_for_engine({"ok": {key: 1}})


def test_sanitize_names_the_refused_key():
    with pytest.raises(ValueError, match="'typename'"):
        sanitize_for_engine({"rows": [{"typename": "BpmnWorkflow"}]})


def test_sanitize_refuses_long_text():
    sanitize_for_engine({"text": "x" * 100_000})

    with pytest.raises(ValueError, match="text: text longer than 100000"):
        sanitize_for_engine({"text": "x" * 100_001})


def test_sanitize_refuses_deep_nesting():
    nine_deep: dict = {"leaf": 1}
    for _ in range(8):
        nine_deep = {"a": nine_deep}
    sanitize_for_engine({"a": nine_deep})

    with pytest.raises(ValueError, match="nested deeper than 10"):
        sanitize_for_engine({"a": {"b": nine_deep}})


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), Decimal("NaN"), datetime(2021, 4, 15), object(), b"x"]
)
def test_sanitize_refuses_values_that_are_not_plain(value):
    with pytest.raises(ValueError):
        sanitize_for_engine({"value": value})


def test_sanitize_removes_nul_characters():
    assert sanitize_for_engine({"text": "a\x00b"}) == {"text": "ab"}
