"""Validate form data with jsonschema and say what is wrong in plain language, per field."""

from __future__ import annotations

import math
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import validator_for

from app.forms.schema import Schema, choices, is_enum_array, join_path, resolve, subschema_at

FORMAT_MESSAGES = {
    "date": "Enter a date as YYYY-MM-DD.",
    "date-time": "Enter a date and time, like 2021-04-15T16:15:00+03:00.",
    "time": "Enter a time, like 16:15:00+03:00.",
    "email": "Enter an email address, like name@example.fi.",
    "uri": "Enter a web address, like https://example.fi.",
}


def validate_form(schema: Schema, data: Any) -> dict[str, str]:
    """{field path: message} for every field in error, in form order; {} means valid.

    The draft follows the schema's `$schema` (2020-12 when absent); formats are checked.
    The first message found for a field is kept.
    """
    cls = validator_for(schema, default=Draft202012Validator)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(data):
        for path, message in describe_error(schema, error):
            errors.setdefault(path, message)
    return dict(sorted(errors.items(), key=lambda item: _form_order(schema, item[0])))


def describe_error(root: Schema, error: ValidationError) -> list[tuple[str, str]]:
    path = ".".join(str(part) for part in error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    if keyword == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        return [
            (join_path(path, key), _custom(root, join_path(path, key)) or "This field is required.")
            for key in error.validator_value
            if key not in present
        ]
    field = subschema_at(root, path) or node
    message = _custom(root, path) or _message(root, keyword, error.validator_value, field)
    return [(path, message)]


def _custom(root: Schema, path: str) -> str | None:
    """A message the form author wrote for this field (`errorMessage`, as ajv-errors has it)."""
    node = subschema_at(root, path) if path else None
    message = (node or {}).get("errorMessage")
    return message if isinstance(message, str) else None


def _message(root: Schema, keyword: Any, value: Any, field: Schema) -> str:
    kind = field.get("type")
    if isinstance(kind, list):
        kind = next((t for t in kind if t != "null"), None)
    if keyword in ("type", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if kind in ("integer", "number"):
            return _number_message(field, whole=kind == "integer")
        if kind == "boolean":
            return "Choose yes or no."
        if keyword == "type" and kind == "string":
            return "Enter text."
    if keyword == "minLength":
        return "This field is required." if value == 1 else f"Must be at least {value} characters."
    if keyword == "maxLength":
        return f"Must be at most {value} characters."
    if keyword == "format":
        return FORMAT_MESSAGES.get(value, "Enter a value in the right format.")
    if keyword == "pattern":
        return "Enter a value in the expected format."
    if keyword == "multipleOf":
        return f"Must be a multiple of {_number(value)}."
    if keyword == "const" and value is True:
        return "You must tick this box."
    if keyword in ("enum", "oneOf", "anyOf", "const") and choices(field) is not None:
        return "Choose one of the options."
    if keyword in ("minItems", "maxItems"):
        return _items_message(keyword, value, is_enum_array(field, root))
    if keyword == "uniqueItems":
        return "Each entry must be different."
    if keyword == "additionalProperties":
        return "Contains fields this form does not have."
    return "This value is not valid."


def _number_message(node: Schema, whole: bool) -> str:
    noun = "a whole number" if whole else "a number"
    low, high = node.get("minimum"), node.get("maximum")
    low_ex, high_ex = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if whole and isinstance(low_ex, int | float) and low is None:
        low, low_ex = math.floor(low_ex) + 1, None
    if whole and isinstance(high_ex, int | float) and high is None:
        high, high_ex = math.ceil(high_ex) - 1, None
    if low is not None and high is not None:
        return f"Must be {noun} between {_number(low)} and {_number(high)}."
    if low is not None:
        return f"Must be {noun} of at least {_number(low)}."
    if high is not None:
        return f"Must be {noun} of at most {_number(high)}."
    if isinstance(low_ex, int | float):
        return f"Must be {noun} greater than {_number(low_ex)}."
    if isinstance(high_ex, int | float):
        return f"Must be {noun} less than {_number(high_ex)}."
    return f"Must be {noun}."


def _items_message(keyword: str, value: int, is_choice_list: bool) -> str:
    bound = "at least" if keyword == "minItems" else "at most"
    if is_choice_list:
        return f"Choose {bound} {'one' if value == 1 else value}."
    return f"Add {bound} {'one row' if value == 1 else f'{value} rows'}."


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _form_order(root: Schema, path: str) -> tuple[int, ...]:
    """Sort key putting paths in the order the schema declares its properties."""
    key: list[int] = []
    node: Schema | None = resolve(root, root)
    for part in path.split(".") if path else []:
        if part.isdigit():
            key.append(int(part))
            items = (node or {}).get("items")
            node = resolve(items, root) if isinstance(items, dict) else None
            continue
        names = list((node or {}).get("properties", {}))
        key.append(names.index(part) if part in names else len(names))
        child = (node or {}).get("properties", {}).get(part)
        node = resolve(child, root) if isinstance(child, dict) else None
    return tuple(key)
