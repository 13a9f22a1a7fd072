import json
from pathlib import Path

import pytest
from marshmallow import ValidationError

from app.calls.schemas import load_call_config

DEMO = Path(__file__).resolve().parents[3] / "bpmn" / "calls" / "regional_networks_2021.json"


@pytest.fixture
def config() -> dict:
    return json.loads(DEMO.read_text("utf-8"))


def test_the_demo_call_carries_the_published_facts(config):
    checked = load_call_config(config)
    assert checked["budget_total"] == 7_000_000
    assert checked["idea_deadline"] == "2021-04-15T16:15:00+03:00"
    assert checked["application_deadline"] == "2021-06-02T16:15:00+03:00"
    assert checked["webinar"]["starts_at"] == "2021-04-20T12:30:00+03:00"
    assert checked["webinar"]["ends_at"] == "2021-04-20T16:00:00+03:00"
    assert checked["rehearsal_clock_start"] == "2021-03-16T09:00:00+02:00"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"idea_deadline": "2021-04-15T16:15:00"}, "idea_deadline", "UTC offset"),
        ({"budget_total": "7M"}, "budget_total", "Not a valid integer."),
        ({"regional_city_reserve": 8_000_000}, "regional_city_reserve", "More than the whole"),
        (
            {"application_deadline": "2021-04-01T16:15:00+03:00"},
            "application_deadline",
            "after the idea deadline",
        ),
        ({"evaluators": []}, "evaluators", "Shorter than minimum length 1."),
    ],
)
def test_a_bad_call_configuration_is_refused_per_field(config, change, field, message):
    with pytest.raises(ValidationError) as refused:
        load_call_config(config | change)
    assert message in " ".join(refused.value.messages[field])
