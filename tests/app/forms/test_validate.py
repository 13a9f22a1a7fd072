from __future__ import annotations

from app.forms import validate_form

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["name", "partners"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "plan": {"type": "string", "maxLength": 5000},
        "towns": {"type": "integer", "minimum": 0},
        "share": {"type": "number", "minimum": 0, "maximum": 100},
        "start": {"type": "string", "format": "date"},
        "email": {"type": "string", "format": "email"},
        "kind": {"type": "string", "enum": ["theme_network", "growth_zone"]},
        "accept": {"type": "boolean", "const": True},
        "partners": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["name", "municipality"],
                "properties": {"name": {"type": "string"}, "municipality": {"type": "string"}},
            },
        },
    },
}

VALID = {
    "name": "Network",
    "partners": [
        {"name": "Tampere", "municipality": "Tampere"},
        {"name": "Vaasa", "municipality": "Vaasa"},
    ],
}


def test_validate_valid_data_gives_no_errors():
    assert validate_form(SCHEMA, VALID) == {}


def test_validate_missing_required_fields():
    errors = validate_form(SCHEMA, {})

    assert errors == {
        "name": "This field is required.",
        "partners": "This field is required.",
    }


def test_validate_maps_errors_to_row_fields():
    data = {**VALID, "partners": [{"name": "Tampere"}, {"name": "Vaasa", "municipality": "Vaasa"}]}

    assert validate_form(SCHEMA, data) == {"partners.0.municipality": "This field is required."}


def test_validate_plain_messages():
    data = {
        **VALID,
        "name": "",
        "plan": "x" * 5001,
        "towns": -1,
        "share": 101,
        "start": "15.4.2021",
        "email": "not an address",
        "kind": "other",
        "accept": False,
    }

    errors = validate_form(SCHEMA, data)

    assert errors == {
        "name": "This field is required.",
        "plan": "Must be at most 5000 characters.",
        "towns": "Must be a whole number of at least 0.",
        "share": "Must be a number between 0 and 100.",
        "start": "Enter a date as YYYY-MM-DD.",
        "email": "Enter an email address, like name@example.fi.",
        "kind": "Choose one of the options.",
        "accept": "You must tick this box.",
    }


def test_validate_text_left_in_number_field():
    errors = validate_form(SCHEMA, {**VALID, "towns": "four", "share": "lots"})

    assert errors == {
        "towns": "Must be a whole number of at least 0.",
        "share": "Must be a number between 0 and 100.",
    }


def test_validate_too_few_rows():
    errors = validate_form(SCHEMA, {**VALID, "partners": VALID["partners"][:1]})

    assert errors == {"partners": "Add at least 2 rows."}


def test_validate_impossible_date():
    assert validate_form(SCHEMA, {**VALID, "start": "2021-02-30"}) == {
        "start": "Enter a date as YYYY-MM-DD."
    }


def test_validate_draft_07_schema_with_definitions():
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"deadline": {"$ref": "#/definitions/day"}},
        "definitions": {"day": {"type": "string", "format": "date"}},
    }

    assert validate_form(schema, {"deadline": "2021-06-02"}) == {}
    assert validate_form(schema, {"deadline": "2.6.2021"}) == {
        "deadline": "Enter a date as YYYY-MM-DD."
    }


def test_validate_uses_author_message():
    schema = {
        "type": "object",
        "properties": {
            "code": {
                "type": "string",
                "pattern": "^[0-9]{7}-[0-9]$",
                "errorMessage": "Enter a business ID like 1234567-8.",
            }
        },
    }

    assert validate_form(schema, {"code": "123"}) == {"code": "Enter a business ID like 1234567-8."}


def test_validate_lists_errors_in_form_order():
    errors = validate_form(SCHEMA, {"accept": False, "towns": -1})

    assert list(errors) == ["name", "towns", "accept", "partners"]
