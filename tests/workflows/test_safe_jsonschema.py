"""Form schemas cannot freeze the server: patterns on RE2, refused at the check when RE2 cannot
run them; a $ref into itself and nesting past the limit refused at the check too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from workflows.bundles import check_bundle, read_bundle
from workflows.errors import Problem
from workflows.safe_jsonschema import make_validator, schema_problems

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
ROLES = frozenset({"applicant", "specialist", "decision_maker", "process_owner", "admin"})


def _messages(schema: object, instance: object) -> list[str]:
    return [error.message for error in make_validator(schema).iter_errors(instance)]


def test_a_catastrophic_pattern_answers_a_long_adversarial_string_correctly() -> None:
    schema = {"type": "string", "pattern": "^(a+)+$"}
    assert _messages(schema, "a" * 50_000 + "!") != []
    assert _messages(schema, "a" * 50_000) == []


def test_pattern_properties_and_additional_properties_match_on_re2() -> None:
    schema = {
        "type": "object",
        "patternProperties": {"^(x+)+$": {"type": "integer"}},
        "additionalProperties": False,
    }
    assert _messages(schema, {"xxxx": 1}) == []
    assert _messages(schema, {"xxxx": "one"}) == ["'one' is not of type 'integer'"]
    assert _messages(schema, {"x" * 10_000 + "y": 1}) != []


def test_a_regex_format_is_judged_by_re2() -> None:
    schema = {"type": "string", "format": "regex"}
    assert _messages(schema, "^[a-z]+$") == []
    assert _messages(schema, r"(a)\1") == [r"'(a)\\1' is not a 'regex'"]


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [(r"^(a)\1$", "invalid escape sequence"), ("^(?=a)", "invalid perl operator")],
)
def test_a_pattern_re2_cannot_run_is_a_problem_at_its_pointer(pattern: str, reason: str) -> None:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}}
    [(where, why)] = schema_problems(schema)
    assert where == "/properties/code/pattern"
    assert reason in why


def test_a_ref_back_into_itself_is_a_problem_at_the_ref() -> None:
    schema = {
        "type": "object",
        "properties": {"partner": {"$ref": "#/$defs/partner"}},
        "$defs": {
            "partner": {"type": "object", "properties": {"next": {"$ref": "#/$defs/partner"}}}
        },
    }
    problems = schema_problems(schema)
    assert problems == [
        (
            "/$defs/partner/properties/next/$ref",
            "the $ref '#/$defs/partner' leads back into itself: the form would never end",
        )
    ]


def test_a_ref_used_twice_without_a_loop_is_fine() -> None:
    schema = {
        "properties": {"a": {"$ref": "#/$defs/text"}, "b": {"$ref": "#/$defs/text"}},
        "$defs": {"text": {"type": "string", "pattern": "^[a-z]*$"}},
    }
    assert schema_problems(schema) == []


def test_a_schema_nested_past_the_limit_is_a_problem() -> None:
    schema: dict[str, object] = {"type": "object"}
    for _ in range(80):
        schema = {"type": "object", "properties": {"a": schema}}
    [(where, why)] = schema_problems(schema)
    assert (where, why) == ("", "the schema is nested deeper than the limit of 64 levels")


def _form_errors(files: dict[str, str]) -> list[Problem]:
    """The check's errors in the form file (the task naming it is then refused too)."""
    found = check_bundle(files, ROLES)
    return [p for p in found if p.is_error and p.file == "forms/screening.json"]


def _with_form(schema_text: str) -> dict[str, str]:
    return read_bundle(BPMN) | {"forms/screening.json": schema_text}


def test_the_check_refuses_a_form_pattern_re2_cannot_run_naming_file_and_pointer() -> None:
    form = json.loads(read_bundle(BPMN)["forms/screening.json"])
    form["properties"]["screening_notes"] = {"type": "string", "pattern": r"^(\w+)\s\1$"}
    problems = _form_errors(_with_form(json.dumps(form)))
    assert [(p.file, p.element) for p in problems] == [
        ("forms/screening.json", "properties/screening_notes/pattern")
    ]
    assert "cannot be used: invalid escape sequence" in problems[0].message


def test_the_check_refuses_a_recursive_ref_and_deep_json_without_crashing() -> None:
    looped = '{"type": "object", "properties": {"a": {"$ref": "#"}}}'
    deep = "[" * 5000 + "]" * 5000
    problems = [str(p) for p in _form_errors(_with_form(looped))]
    assert problems == [
        "forms/screening.json, element 'properties/a/$ref': the $ref '#' leads back into itself: "
        "the form would never end"
    ]
    problems = [str(p) for p in _form_errors(_with_form(deep))]
    assert problems == [
        "forms/screening.json: not valid JSON: nested deeper than the limit of 64 levels"
    ]


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("name@example.fi", True),
        ("first.last+call@sub.example.fi", True),
        ("name @example.fi", False),  # jsonschema's own check lets anything with an @ through
        ("example.fi", False),
        ("name@example", False),
        ("name@@example.fi", False),
        ("name@example..fi", False),
        ("Name <name@example.fi>", False),
        ("one@example.fi, two@example.fi", False),
    ],
)
def test_an_email_is_one_address_a_mail_header_can_carry(address: str, valid: bool) -> None:
    schema = {"type": "string", "format": "email"}
    assert make_validator(schema).is_valid(address) is valid


PLACES = [{"const": "020", "title": "Akaa"}, {"const": "005", "title": "Alajärvi"}]


@pytest.mark.parametrize("keyword", ["oneOf", "anyOf"])
def test_a_choice_among_string_consts_is_valid_only_for_one_of_them(keyword: str) -> None:
    schema = {"type": "string", keyword: PLACES}
    assert _messages(schema, "005") == []
    assert _messages(schema, "5") == [error.message for error in _draft(schema, "5")]
    assert _messages(schema, "5") != []
    assert _messages(schema, 5) != []


def test_one_of_with_a_value_twice_matches_neither_as_json_schema_says() -> None:
    twice = {"oneOf": [*PLACES, {"const": "020", "title": "Akaa again"}]}
    assert _messages(twice, "020") != []
    assert _messages({"anyOf": twice["oneOf"]}, "020") == []


def test_choices_with_more_than_a_const_are_validated_branch_by_branch() -> None:
    schema = {"oneOf": [{"const": "a"}, {"type": "string", "minLength": 3}]}
    assert _messages(schema, "abc") == []
    assert _messages(schema, "a") == []
    assert _messages(schema, "ab") != []


REGIONS = ["01", "02", "1"]
_FIELD = st.sampled_from(["region", "type", "name"])
_TEST = st.fixed_dictionaries(
    {},
    optional={
        "properties": st.dictionaries(
            _FIELD, st.fixed_dictionaries({"const": st.sampled_from(REGIONS)}), max_size=2
        ),
        "required": st.lists(_FIELD, max_size=2, unique=True),
    },
)
_VALUE = st.one_of(st.sampled_from(REGIONS), st.integers(0, 2), st.booleans(), st.none())
_INSTANCE = st.one_of(st.dictionaries(_FIELD, _VALUE, max_size=3), _VALUE, st.lists(_VALUE))


@settings(max_examples=300, deadline=None)
@given(test=_TEST, instance=_INSTANCE, has_else=st.booleans())
def test_a_test_of_fields_values_applies_then_and_else_as_the_draft_does(
    test: dict[str, Any], instance: Any, has_else: bool
) -> None:
    """The idea form's rules per region (if the region is "01", then the municipality is one
    of its own) are read from the row: the same errors at the same places as the draft's own
    ``if`` gives, for any row and anything that is not a row."""
    schema: dict[str, Any] = {
        "if": test,
        "then": {
            "type": "object",
            "required": ["municipality"],
            "properties": {"name": {"type": "string"}},
        },
    }
    if has_else:
        schema["else"] = {
            "type": ["object", "array"],
            "properties": {"region": {"type": "integer"}},
        }
    ours = [
        (e.message, list(e.absolute_path), list(e.schema_path)) for e in _errors(schema, instance)
    ]
    drafts = [
        (e.message, list(e.absolute_path), list(e.schema_path)) for e in _draft(schema, instance)
    ]
    assert ours == drafts


def _errors(schema: object, instance: object) -> list[Any]:
    return list(make_validator(schema).iter_errors(instance))


def _draft(schema: object, instance: object) -> list[Any]:
    """The errors of jsonschema's own validator of the draft, for comparison."""
    return list(Draft202012Validator(schema).iter_errors(instance))
