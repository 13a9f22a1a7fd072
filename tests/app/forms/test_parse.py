from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.forms import parse_form

SCHEMA = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "note": {"type": "string"},
        "start": {"type": "string", "format": "date"},
        "count": {"type": "integer"},
        "amount": {"type": "number"},
        "public": {"type": "boolean"},
        "size": {"type": "integer", "enum": [1, 2, 3]},
    },
}


def test_parse_types_values_by_schema():
    form = MultiDict(
        {
            "name": "  Anna ",
            "start": "2021-04-15",
            "count": "4",
            "amount": "1 500,50",
            "public": "true",
            "size": "2",
        }
    )

    data = parse_form(SCHEMA, form)

    assert data == {
        "name": "Anna",
        "start": "2021-04-15",
        "count": 4,
        "amount": 1500.5,
        "public": True,
        "size": 2,
    }


def test_parse_whole_number_comes_back_as_int():
    assert parse_form(SCHEMA, MultiDict({"amount": "7000000"}))["amount"] == 7000000


def test_parse_unchecked_checkbox_is_false_and_empty_strings_are_omitted():
    data = parse_form(SCHEMA, MultiDict({"name": "", "note": "   ", "count": ""}))

    assert data == {"public": False}


def test_parse_keeps_unreadable_numbers_as_text_for_validation():
    data = parse_form(SCHEMA, MultiDict({"count": "four", "amount": "1e999"}))

    assert data["count"] == "four"
    assert data["amount"] == "1e999"


def test_parse_normalises_newlines():
    assert parse_form(SCHEMA, MultiDict({"note": "a\r\nb\r\n"}))["note"] == "a\nb"


def test_parse_drops_keys_not_in_schema():
    data = parse_form(SCHEMA, MultiDict({"name": "Anna", "is_admin": "true", "typename": "x"}))

    assert data == {"name": "Anna", "public": False}


PARTNERS = {
    "type": "object",
    "properties": {
        "partners": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "towns": {"type": "integer"},
                    "lead": {"type": "boolean"},
                },
            },
        },
        "tags": {"type": "array", "items": {"type": "string"}},
    },
}


def test_parse_array_rows_in_index_order_dropping_blank_and_removed_rows():
    form = MultiDict(
        [
            ("partners.10.name", "Vaasa"),
            ("partners.2.name", "Tampere"),
            ("partners.2.towns", "3"),
            ("partners.2.lead", "true"),
            ("partners.3.name", "Oulu"),
            ("partners.3._remove", "true"),
            ("partners.4.name", " "),
            ("partners.4.towns", ""),
            ("partners.2.secret", "x"),
        ]
    )

    data = parse_form(PARTNERS, form)

    assert data == {
        "partners": [
            {"name": "Tampere", "towns": 3, "lead": True},
            {"name": "Vaasa", "lead": False},
        ]
    }


def test_parse_array_of_strings():
    form = MultiDict({"tags.0": "energy", "tags.1": "", "tags.2": "mobility"})

    assert parse_form(PARTNERS, form) == {"tags": ["energy", "mobility"]}


def test_parse_ignores_absurd_row_indexes():
    form = MultiDict({"tags.99999999": "x", "tags.1": "ok"})

    assert parse_form(PARTNERS, form) == {"tags": ["ok"]}


def test_parse_all_rows_removed_leaves_the_array_out():
    form = MultiDict({"partners.0.name": "Tampere", "partners.0._remove": "true"})

    assert parse_form(PARTNERS, form) == {}


NESTED = {
    "type": "object",
    "required": ["scores"],
    "properties": {
        "scores": {
            "type": "object",
            "properties": {"relevance": {"type": "integer"}, "quality": {"type": "integer"}},
        },
        "contact": {"type": "object", "properties": {"phone": {"type": "string"}}},
        "regions": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "enum": ["Pirkanmaa", "Uusimaa", "Lappi"]},
        },
        "webinar": {"type": "boolean"},
        "number": {"type": "string", "readOnly": True},
        "title": {"type": "string"},
    },
}


def test_parse_nested_objects_by_dotted_names():
    form = MultiDict({"scores.relevance": "4", "contact.phone": ""})

    data = parse_form(NESTED, form)

    assert data["scores"] == {"relevance": 4}
    assert "contact" not in data


def test_parse_required_empty_object_is_kept_for_validation():
    assert parse_form(NESTED, MultiDict())["scores"] == {}


def test_parse_checkbox_group_keeps_known_choices_in_order():
    form = MultiDict([("regions", "Lappi"), ("regions", "Pirkanmaa"), ("regions", "Mars")])

    assert parse_form(NESTED, form)["regions"] == ["Pirkanmaa", "Lappi"]


def test_parse_yes_no_radio_left_unanswered_is_omitted():
    ui = {"webinar": {"ui:widget": "radio"}}

    unanswered = parse_form(NESTED, MultiDict(), ui)
    answered = parse_form(NESTED, MultiDict({"webinar": "false"}), ui)

    assert "webinar" not in unanswered
    assert answered["webinar"] is False


def test_parse_never_reads_readonly_fields():
    ui = {"title": {"ui:readonly": True}}
    form = MultiDict({"number": "forged", "title": "forged"})

    data = parse_form(NESTED, form, ui)

    assert "number" not in data
    assert "title" not in data


def test_parse_reads_the_choice_of_the_button_that_sent_the_form():
    schema = {"type": "object", "properties": {"approved": {"type": "boolean"}}}
    ui = {"approved": {"ui:widget": "submit-choices"}}

    assert parse_form(schema, MultiDict({"approved": "false"}), ui) == {"approved": False}
    assert parse_form(schema, MultiDict({"approved": "true"}), ui) == {"approved": True}
    assert parse_form(schema, MultiDict({"action": "send"}), ui) == {}  # Enter: no choice made
