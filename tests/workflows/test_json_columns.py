import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, Table, create_engine, insert, select

from workflows.json_columns import ENGINE_OPTIONS, dumps, loads


@pytest.mark.parametrize(
    "value",
    [
        {"text": "Ähtäri – ok", "n": 3, "x": 1.5, "none": None, "yes": True, "list": [1, "a", []]},
        {"wide": 2**70, "narrow": -(2**63)},  # wider than orjson's 64 bits: the standard library
        {"nested": {"a": {"b": {"c": [{"d": 0.1}]}}}},
    ],
)
def test_what_is_written_is_read_back_as_the_standard_library_reads_it(value):
    text = dumps(value)
    assert json.loads(text) == value
    assert loads(text) == value


def test_keys_that_are_not_text_are_made_text_as_the_standard_library_does():
    value = {1: "a", 2.5: "b", False: "c", None: "d"}
    assert json.loads(dumps(value)) == json.loads(json.dumps(value))


@pytest.mark.parametrize("value", [datetime(2021, 6, 2, tzinfo=UTC), {1, 2}, object()])
def test_what_the_standard_library_refuses_is_refused(value):
    with pytest.raises(TypeError):
        dumps({"x": value})


def test_nan_written_by_an_earlier_version_is_still_read():
    assert loads('{"x": NaN}')["x"] != loads('{"x": NaN}')["x"]


def test_a_json_column_goes_through_them(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'j.db'}", **ENGINE_OPTIONS)
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("v", JSON))
    table.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(table), {"v": {"k": [1, 2**70]}})
        assert connection.scalar(select(table.c.v)) == {"k": [1, 2**70]}
        assert (
            connection.exec_driver_sql("SELECT v FROM t").scalar()
            == '{"k":[1,1180591620717411303424]}'
        )
