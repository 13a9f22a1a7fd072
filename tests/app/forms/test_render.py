from __future__ import annotations

import re

from app.forms import field_id, render_error_summary, render_form
from app.forms.schema import sends_by_choice

PERSON = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "title": "Name", "maxLength": 100},
        "email": {"type": "string", "format": "email", "title": "Email"},
        "born": {"type": "string", "format": "date", "title": "Date of birth"},
        "age": {"type": "integer", "title": "Age", "minimum": 0},
        "share": {"type": "number", "title": "Share"},
    },
}


def tag_of(html: str, element_id: str) -> str:
    match = re.search(rf'<[a-z]+ [^>]*id="{element_id}"[^>]*>', html)
    assert match, f"no element with id {element_id}"
    return match.group(0)


def test_render_text_field_has_label_name_and_value():
    html = render_form(PERSON, None, {"name": "Anna"}, {})

    assert '<label for="f-name">Name <span class="required">(required)</span></label>' in html
    tag = tag_of(html, "f-name")
    assert 'name="name"' in tag
    assert 'value="Anna"' in tag
    assert 'aria-required="true"' in tag
    assert "aria-invalid" not in tag


def test_render_chooses_input_types_by_schema():
    html = render_form(PERSON, None, {}, {})

    assert 'type="email"' in tag_of(html, "f-email")
    assert 'type="date"' in tag_of(html, "f-born")
    age = tag_of(html, "f-age")
    assert 'type="number"' in age
    assert 'step="1"' in age
    assert 'inputmode="numeric"' in age
    assert 'min="0"' in age
    assert 'step="any"' in tag_of(html, "f-share")


def test_render_escapes_values_and_titles():
    schema = {"type": "object", "properties": {"x": {"type": "string", "title": "<b>X</b>"}}}

    html = render_form(schema, None, {"x": '"><script>alert(1)</script>'}, {})

    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_render_error_is_next_to_field_and_described():
    html = render_form(PERSON, None, {}, {"name": "This field is required."})

    tag = tag_of(html, "f-name")
    assert 'aria-invalid="true"' in tag
    assert 'aria-describedby="f-name-error"' in tag
    assert (
        '<p class="field-error" id="f-name-error"><span class="visually-hidden">Error:</span> '
        "This field is required.</p>"
    ) in html


def test_render_help_and_description_form_the_hint():
    schema = {"type": "object", "properties": {"plan": {"type": "string", "description": "D"}}}
    ui = {"plan": {"ui:widget": "textarea", "ui:help": "H"}}

    html = render_form(schema, ui, {"plan": "line 1\nline 2"}, {"plan": "Too long."})

    assert '<div class="hint" id="f-plan-hint"><p>D</p><p>H</p></div>' in html
    assert 'aria-describedby="f-plan-hint f-plan-error"' in tag_of(html, "f-plan")
    assert ">line 1\nline 2</textarea>" in html


def test_render_ui_order_with_wildcard():
    ui = {"ui:order": ["age", "*", "name"]}

    html = render_form(PERSON, ui, {}, {})

    names = re.findall(r' name="([a-z]+)"', html)
    assert names == ["age", "email", "born", "share", "name"]


def test_render_boolean_checkbox_and_required_const():
    schema = {
        "type": "object",
        "properties": {
            "public": {"type": "boolean", "title": "Public"},
            "accept": {"type": "boolean", "const": True, "title": "I accept the terms"},
        },
    }

    html = render_form(schema, None, {"public": True}, {})

    public = tag_of(html, "f-public")
    assert 'type="checkbox"' in public
    assert 'value="true"' in public
    assert "checked" in public
    accept = tag_of(html, "f-accept")
    assert "checked" not in accept
    assert 'aria-required="true"' in accept
    assert 'I accept the terms <span class="required">(required)</span>' in html


def test_render_enum_as_select_with_enum_names():
    schema = {
        "type": "object",
        "properties": {
            "region": {
                "type": "string",
                "enum": ["pir", "uus"],
                "enumNames": ["Pirkanmaa", "Uusimaa"],
            }
        },
    }

    html = render_form(schema, None, {"region": "uus"}, {})

    assert '<select id="f-region" name="region">' in html
    assert '<option value="">Choose…</option>' in html
    assert '<option value="pir">Pirkanmaa</option>' in html
    assert '<option value="uus" selected>Uusimaa</option>' in html


def test_render_one_of_as_radio_group():
    schema = {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {
                "type": "string",
                "title": "Application object",
                "oneOf": [
                    {"const": "theme_network", "title": "Theme network"},
                    {"const": "growth_zone", "title": "Growth zone"},
                ],
            }
        },
    }

    html = render_form(schema, {"kind": {"ui:widget": "radio"}}, {"kind": "growth_zone"}, {})

    assert "<legend>Application object <span" in html
    assert '<input type="radio" id="f-kind" name="kind" value="theme_network">' in html
    assert '<input type="radio" id="f-kind-2" name="kind" value="growth_zone" checked>' in html
    assert '<label for="f-kind-2">Growth zone</label>' in html


def test_render_nested_object_as_fieldset_with_dotted_names():
    schema = {
        "type": "object",
        "properties": {
            "scores": {
                "type": "object",
                "title": "Scores",
                "properties": {"relevance": {"type": "integer", "title": "Relevance"}},
            }
        },
    }

    html = render_form(schema, None, {"scores": {"relevance": 4}}, {})

    assert '<fieldset class="group" id="f-scores"><legend>Scores</legend>' in html
    relevance = tag_of(html, "f-scores-relevance")
    assert 'name="scores.relevance"' in relevance
    assert 'value="4"' in relevance


PARTNERS = {
    "type": "object",
    "properties": {
        "partners": {
            "type": "array",
            "title": "Partners",
            "items": {"$ref": "#/definitions/partner"},
        }
    },
    "definitions": {
        "partner": {
            "type": "object",
            "title": "Partner",
            "required": ["name"],
            "properties": {"name": {"type": "string", "title": "Name"}},
        }
    },
}


def test_render_array_rows_plus_one_empty_row():
    html = render_form(PARTNERS, None, {"partners": [{"name": "Tampere"}, {"name": "Vaasa"}]}, {})

    assert re.findall(r'name="(partners\.\d\.name)"', html) == [
        "partners.0.name",
        "partners.1.name",
        "partners.2.name",
    ]
    assert "<legend>Partner 1</legend>" in html
    assert "<legend>Partner 3</legend>" in html
    assert 'value="Vaasa"' in tag_of(html, "f-partners-1-name")
    assert 'value=""' in tag_of(html, "f-partners-2-name")
    assert re.findall(r'name="(partners\.\d\._remove)"', html) == [
        "partners.0._remove",
        "partners.1._remove",
    ]
    assert '<label for="f-partners-1-_remove">Remove Partner 2</label>' in html


def test_render_array_shows_min_items_rows_and_stops_at_max_items():
    schema = {
        "type": "object",
        "properties": {
            "towns": {"type": "array", "minItems": 3, "maxItems": 3, "items": {"type": "string"}}
        },
    }

    empty = render_form(schema, None, {}, {})
    full = render_form(schema, None, {"towns": ["A", "B", "C"]}, {})

    assert re.findall(r'name="(towns\.\d)"', empty) == ["towns.0", "towns.1", "towns.2"]
    assert re.findall(r'name="(towns\.\d)"', full) == ["towns.0", "towns.1", "towns.2"]


def test_render_hidden_and_readonly_widgets():
    schema = {
        "type": "object",
        "properties": {"ref": {"type": "string"}, "number": {"type": "string", "title": "No"}},
    }
    ui = {"ref": {"ui:widget": "hidden"}, "number": {"ui:readonly": True}}

    html = render_form(schema, ui, {"ref": "abc", "number": "TEM/1/2021"}, {})

    assert '<input type="hidden" name="ref" value="abc">' in html
    assert "readonly" in tag_of(html, "f-number")


def test_render_error_summary_links_to_fields():
    errors = {"partners.1.name": "This field is required."}

    html = render_error_summary(PARTNERS, errors)

    assert 'role="alert"' in html
    assert '<a href="#f-partners-1-name">Partners, row 2, Name: This field is required.</a>' in html
    assert render_error_summary(PARTNERS, {}) == ""


def test_field_id_of_dotted_path():
    assert field_id("partners.0.name") == "f-partners-0-name"


def test_a_small_integer_range_is_offered_as_radio_buttons_when_asked():
    schema = {
        "type": "object",
        "properties": {"score": {"type": "integer", "title": "Score", "minimum": 1, "maximum": 5}},
    }
    html = str(render_form(schema, {"score": {"ui:widget": "radio"}}, {"score": 4}, {}))
    assert html.count('type="radio"') == 5
    assert 'value="4" checked' in html


DECISION = {
    "type": "object",
    "required": ["approved"],
    "properties": {
        "comment": {"type": "string", "title": "Comment"},
        "approved": {
            "type": "boolean",
            "title": "Your decision",
            "oneOf": [
                {"const": True, "title": "Approve and send"},
                {"const": False, "title": "Return"},
            ],
        },
    },
}


def test_a_submit_choice_is_one_send_button_per_option_named_after_the_field():
    ui = {"approved": {"ui:widget": "submit-choices"}}
    html = render_form(DECISION, ui, {}, {"approved": "Choose one."})

    buttons = re.findall(r"<button [^>]*>[^<]*</button>", html)
    assert buttons == [
        '<button type="submit" name="approved" value="true" class="button">'
        "Approve and send</button>",
        '<button type="submit" name="approved" value="false" class="button button-secondary">'
        "Return</button>",
    ]
    assert 'name="approved" type' not in html and "<input" in html  # no field besides them
    assert "Choose one." in html  # the error beside the buttons
    assert sends_by_choice(DECISION, ui) and not sends_by_choice(DECISION, {})


def test_a_message_the_form_wrote_is_shown_in_the_page_language():
    """A field's errorMessage is a text of the process files: its catalog translates it, beside
    the field and in the summary; a message the application wrote is shown as it is."""
    schema = {
        "type": "object",
        "properties": {
            "municipality": {"type": "string", "title": "Municipality", "errorMessage": "Wrong."},
            "name": {"type": "string", "title": "Name"},
        },
    }
    texts = {"Municipality": "Kunta", "Wrong.": "Väärin."}
    errors = {"municipality": "Wrong.", "name": "Pakollinen tieto."}
    html = render_form(schema, None, {}, errors, texts)
    summary = render_error_summary(schema, errors, texts)
    assert "</span> Väärin.</p>" in html
    assert "</span> Pakollinen tieto.</p>" in html
    assert "Kunta: Väärin." in summary
