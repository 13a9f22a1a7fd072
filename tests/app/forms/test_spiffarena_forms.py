"""SpiffArena's form conventions in the server-side renderer: choices filled from the task
data (single and multiple, validated against what was offered) and the ui schema keys its
sample models use (date widgets, ui:autofocus, ui:emptyValue).

Supported besides: ui:order, ui:help, ui:description, ui:title, ui:placeholder, ui:readonly,
ui:autocomplete, ui:options (rows, addable, removable) and the widgets radio, select, textarea,
checkboxes (an array of choices), hidden. Not supported (the field renders as without them):
ui:widget "datetime" (a text field), ui:enableMarkdownInDescription (plain text)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.forms.dynamic import expand
from app.forms.parse import parse_form
from app.forms.render import render_form
from app.forms.validate import validate_form
from tests.app.forms.test_render import tag_of

COLOURS = [{"value": "red", "label": "Red"}, {"value": "blue", "label": "Blue"}]
SCHEMA = {
    "type": "object",
    "properties": {
        "colour": {"type": "string", "title": "Colour", "anyOf": ["options_from_task_data_var:c"]},
        "colours": {
            "type": "array",
            "title": "Colours",
            "items": ["options_from_task_data_var:c"],
        },
        "day": {"type": "string", "title": "Day"},
        "note": {"type": "string", "title": "Note"},
    },
}
UI = {
    "day": {"ui:widget": "alt-date"},
    "colour": {"ui:autofocus": True},
    "note": {"ui:emptyValue": "none"},
}


def test_choices_from_the_task_data_render_and_only_those_offered_pass_validation():
    schema, ui = expand(SCHEMA, UI, {"c": COLOURS}, "en")
    html = render_form(schema, ui, {}, {})
    assert '<option value="blue">Blue</option>' in html
    assert 'type="checkbox"' in html and 'value="red"' in html
    assert validate_form(schema, {"colour": "red", "colours": ["red", "blue"]}) == {}
    assert set(validate_form(schema, {"colour": "green", "colours": ["green"]})) == {
        "colour",
        "colours.0",
    }


def test_a_date_widget_is_a_date_field_and_autofocus_focuses_the_field():
    schema, ui = expand(SCHEMA, UI, {"c": COLOURS}, "en")
    html = render_form(schema, ui, {}, {})
    assert 'type="date"' in tag_of(html, "f-day")
    assert "autofocus" in tag_of(html, "f-colour")
    assert "autofocus" not in render_form(schema, ui, {}, {"day": "wrong"})


def test_an_empty_field_sends_its_ui_empty_value():
    schema, ui = expand(SCHEMA, UI, {"c": COLOURS}, "en")
    data = parse_form(schema, MultiDict({"note": "", "day": "2026-12-05"}), ui)
    assert data == {"note": "none", "day": "2026-12-05"}
