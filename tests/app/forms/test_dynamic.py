"""Form parts the task data fills in: a call's application objects as options, its evaluation
criteria as fields."""

from __future__ import annotations

import json

from app.forms.dynamic import expand
from app.forms.validate import validate_form

OBJECTS = [
    {"value": "theme_network", "label": {"fi": "Teemaverkosto", "en": "Theme network"}},
    {"value": "growth_zone", "label": "Growth zone"},
]
CRITERIA = [
    {
        "key": "relevance",
        "title": {"fi": "Relevanssi", "en": "Relevance"},
        "minimum": 1,
        "maximum": 5,
    },
    {"key": "impact", "title": "Impact", "minimum": 1, "maximum": 3},
]
SCHEMA = {
    "type": "object",
    "properties": {
        "application_object": {
            "type": "string",
            "anyOf": ["options_from_task_data_var:application_object_options"],
        },
        "scores": {"type": "object", "x-properties-from-task-data-var": "evaluation_criteria"},
    },
}
UI = {"scores": {"ui:properties": {"ui:widget": "radio"}}}
DATA = {"application_object_options": OBJECTS, "evaluation_criteria": CRITERIA}


def test_options_come_from_the_task_data_in_the_page_language():
    schema, _ui = expand(SCHEMA, UI, DATA, "fi")
    assert schema["properties"]["application_object"]["anyOf"] == [
        {"const": "theme_network", "title": "Teemaverkosto"},
        {"const": "growth_zone", "title": "Growth zone"},
    ]
    assert SCHEMA["properties"]["application_object"]["anyOf"][0].startswith("options_from")


def test_each_criterion_becomes_a_required_field_with_its_scale():
    schema, ui = expand(SCHEMA, UI, DATA, "en")
    scores = schema["properties"]["scores"]
    assert scores["required"] == ["relevance", "impact"]
    assert scores["properties"]["relevance"] == {
        "type": "integer",
        "title": "Relevance",
        "minimum": 1,
        "maximum": 5,
    }
    assert ui["scores"]["impact"] == {"ui:widget": "radio"}
    errors = validate_form(
        schema, {"application_object": "growth_zone", "scores": {"relevance": 5, "impact": 4}}
    )
    assert list(errors) == ["scores.impact"]
    assert validate_form(schema, {"application_object": "nope", "scores": {}})


def test_a_schema_without_dynamic_parts_is_returned_as_it_is():
    plain = {"type": "object", "properties": {"name": {"type": "string"}}}
    assert expand(plain, None, DATA, "fi") == (plain, {})


def test_the_parts_without_dynamic_content_are_shared_and_neither_input_is_changed():
    places = {"type": "string", "oneOf": [{"const": "020", "title": "Akaa"}]}
    schema = {"type": "object", "properties": {**SCHEMA["properties"], "place": places}}
    ui = {"scores": {"ui:properties": {"ui:widget": "radio"}}, "place": {"ui:widget": "select"}}
    before = json.dumps([schema, ui])

    expanded, expanded_ui = expand(schema, ui, DATA, "en")

    assert expanded["properties"]["place"] is places
    assert expanded_ui["place"] is ui["place"]
    assert expanded["properties"]["scores"]["required"] == ["relevance", "impact"]
    assert expanded_ui["scores"]["relevance"] == {"ui:widget": "radio"}
    assert json.dumps([schema, ui]) == before


def test_one_form_file_shows_each_call_its_own_options_every_time():
    """What has been found static is not walked again; what is dynamic is filled each time."""
    places = {"type": "string", "oneOf": [{"const": "020", "title": "Akaa"}]}
    schema = {"type": "object", "properties": {**SCHEMA["properties"], "place": places}}
    other = {"application_object_options": [{"value": "pilot", "label": "Pilot"}]}

    for _ in range(2):
        first, _ui = expand(schema, UI, DATA, "en")
        second, _ui = expand(schema, UI, other, "en")
        titles = [o["title"] for o in first["properties"]["application_object"]["anyOf"]]
        assert titles == ["Theme network", "Growth zone"]
        assert second["properties"]["application_object"]["anyOf"] == [
            {"const": "pilot", "title": "Pilot"}
        ]
        assert second["properties"]["place"] is places
        assert second["properties"]["scores"]["required"] == []
