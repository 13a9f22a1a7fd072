"""Validate form data with jsonschema and say what is wrong in plain language, per field."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from jsonschema import ValidationError

from app.forms.schema import Schema, choices, is_enum_array, join_path, resolve, subschema_at
from app.input_checks import has_control_character
from workflows.safe_jsonschema import make_validator

# No field holds more text than this, whatever its schema says (drafts included): a limit on
# what a form may ask the database and the engine to keep.
MAX_FIELD_CHARS = 100_000

FORMAT_MESSAGES = {
    "date": _l("Enter a date as YYYY-MM-DD."),
    "date-time": _l("Enter a date and time, like 2021-04-15T16:15:00+03:00."),
    "time": _l("Enter a time, like 16:15:00+03:00."),
    "email": _l("Enter an email address, like name@example.fi."),
    "uri": _l("Enter a web address, like https://example.fi."),
}


def validate_form(schema: Schema, data: Any) -> dict[str, str]:
    """{field path: message} for every field in error, in form order; {} means valid.

    The draft follows the schema's `$schema` (2020-12 when absent); formats are checked;
    patterns run on RE2 (linear time, whatever is sent). The first message found for a field
    is kept.
    """
    validator = make_validator(schema)
    errors: dict[str, str] = {}
    for error in validator.iter_errors(data):
        for path, message in describe_error(schema, error):
            errors.setdefault(path, message)
    for path, message in input_errors(data).items():
        errors.setdefault(path, message)
    return dict(sorted(errors.items(), key=lambda item: _form_order(schema, item[0])))


def input_errors(data: Any) -> dict[str, str]:
    """{field path: message} for text no form may hold: longer than MAX_FIELD_CHARS, or with a
    control character (NUL and the like; tab and line breaks are text). Checked for drafts too,
    which the schema does not judge."""
    errors: dict[str, str] = {}
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack += [(join_path(path, str(key)), item) for key, item in value.items()]
        elif isinstance(value, list):
            stack += [(join_path(path, str(index)), item) for index, item in enumerate(value)]
        elif isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            errors[path] = _("Must be at most %(count)s characters.", count=MAX_FIELD_CHARS)
        elif isinstance(value, str) and has_control_character(value):
            errors[path] = _(
                "Contains a character that is not allowed (a control character such as NUL)."
            )
    return errors


def describe_error(root: Schema, error: ValidationError) -> list[tuple[str, str]]:
    path = ".".join(str(part) for part in error.absolute_path)
    node = error.schema if isinstance(error.schema, dict) else {}
    keyword = error.validator
    if keyword == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        required = _("This field is required.")
        return [
            (join_path(path, key), _custom(root, join_path(path, key)) or required)
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
            return _("Choose yes or no.")
        if keyword == "type" and kind == "string":
            return _("Enter text.")
    if keyword == "minLength":
        if value == 1:
            return _("This field is required.")
        return _("Must be at least %(count)s characters.", count=value)
    if keyword == "maxLength":
        return _("Must be at most %(count)s characters.", count=value)
    if keyword == "format":
        return str(FORMAT_MESSAGES.get(value) or _("Enter a value in the right format."))
    if keyword == "pattern":
        return _("Enter a value in the expected format.")
    if keyword == "multipleOf":
        return _("Must be a multiple of %(number)s.", number=_number(value))
    if keyword == "const" and value is True:
        return _("You must tick this box.")
    if keyword in ("enum", "oneOf", "anyOf", "const") and choices(field) is not None:
        return _("Choose one of the options.")
    if keyword in ("minItems", "maxItems"):
        return _items_message(keyword, value, is_enum_array(field, root))
    if keyword == "uniqueItems":
        return _("Each entry must be different.")
    if keyword == "additionalProperties":
        return _("Contains fields this form does not have.")
    return _("This value is not valid.")


def _number_message(node: Schema, whole: bool) -> str:
    low, high = node.get("minimum"), node.get("maximum")
    low_ex, high_ex = node.get("exclusiveMinimum"), node.get("exclusiveMaximum")
    if whole and isinstance(low_ex, int | float) and low is None:
        low, low_ex = math.floor(low_ex) + 1, None
    if whole and isinstance(high_ex, int | float) and high is None:
        high, high_ex = math.ceil(high_ex) - 1, None
    if low is not None and high is not None:
        low, high = _number(low), _number(high)
        if whole:
            return _("Must be a whole number between %(low)s and %(high)s.", low=low, high=high)
        return _("Must be a number between %(low)s and %(high)s.", low=low, high=high)
    if low is not None:
        if whole:
            return _("Must be a whole number of at least %(low)s.", low=_number(low))
        return _("Must be a number of at least %(low)s.", low=_number(low))
    if high is not None:
        if whole:
            return _("Must be a whole number of at most %(high)s.", high=_number(high))
        return _("Must be a number of at most %(high)s.", high=_number(high))
    if isinstance(low_ex, int | float):
        if whole:
            return _("Must be a whole number greater than %(low)s.", low=_number(low_ex))
        return _("Must be a number greater than %(low)s.", low=_number(low_ex))
    if isinstance(high_ex, int | float):
        if whole:
            return _("Must be a whole number less than %(high)s.", high=_number(high_ex))
        return _("Must be a number less than %(high)s.", high=_number(high_ex))
    return _("Must be a whole number.") if whole else _("Must be a number.")


def _items_message(keyword: str, value: int, is_choice_list: bool) -> str:
    if is_choice_list:
        if keyword == "minItems":
            return ngettext("Choose at least one.", "Choose at least %(num)d.", value)
        return ngettext("Choose at most one.", "Choose at most %(num)d.", value)
    if keyword == "minItems":
        return ngettext("Add at least one row.", "Add at least %(num)d rows.", value)
    return ngettext("Add at most one row.", "Add at most %(num)d rows.", value)


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
