"""A moment entered as a Helsinki date and time: stored in UTC, shown back with its offset."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.forms.parse import parse_form
from app.forms.render import render_form
from app.timefmt import helsinki_to_utc

SCHEMA = {"type": "object", "properties": {"deadline": {"type": "string", "format": "date-time"}}}
UI = {"deadline": {"ui:widget": "helsinki-datetime"}}


def parse(day: str, clock: str) -> object:
    return parse_form(SCHEMA, MultiDict({"deadline.date": day, "deadline.time": clock}), UI).get(
        "deadline"
    )


def test_summer_and_winter_times_are_stored_in_utc():
    assert parse("2021-04-15", "16:15") == "2021-04-15T13:15:00+00:00"  # EEST, UTC+3
    assert parse("2021-12-15", "16:15") == "2021-12-15T14:15:00+00:00"  # EET, UTC+2


def test_a_time_that_does_not_exist_in_helsinki_is_kept_as_typed_for_validation_to_refuse():
    assert parse("2021-03-28", "03:30") == "2021-03-28 03:30"  # the hour skipped in spring
    assert parse("2021-13-01", "10:00") == "2021-13-01 10:00"
    with pytest.raises(ValueError):
        helsinki_to_utc("2021-03-28", "03:30")


def test_the_field_shows_the_local_date_time_and_the_offset_of_that_day(app):
    with app.test_request_context():
        html = str(render_form(SCHEMA, UI, {"deadline": "2021-06-02T13:15:00+00:00"}, {}))
    assert 'type="date" id="f-deadline" name="deadline.date" value="2021-06-02"' in html
    assert 'name="deadline.time" value="16:15"' in html
    assert "UTC+03:00 (summer time)" in html
