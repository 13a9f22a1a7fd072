"""Turn posted form strings into typed data, guided by the form's JSON Schema.

Only fields the schema declares are read; anything else in the post is ignored. Values that do
not parse (e.g. "abc" for a number) are kept as the typed string, so `validate_form` reports
them and the form shows back what the person wrote. Fields that are read-only in the schema
(`readOnly`) or the ui schema (`ui:readonly`) are never read from the post: the caller keeps
their existing values.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import MultiDict

from app.forms.schema import (
    HELSINKI_DATETIME,
    REMOVE_KEY,
    SUBMIT_CHOICES,
    Schema,
    choices,
    is_enum_array,
    join_path,
    resolve,
    schema_type,
    ui_for,
    value_text,
)
from app.timefmt import helsinki_to_utc

MISSING: Any = object()
TRUE_VALUES = frozenset({"true", "on", "1", "yes"})

_INTEGER = re.compile(r"[+-]?\d{1,18}")
_NUMBER = re.compile(r"[+-]?(\d{1,30}(\.\d{0,30})?|\.\d{1,30})")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_form(
    schema: Schema, formdata: MultiDict[str, str], ui_schema: Schema | None = None
) -> dict[str, Any]:
    """The typed data posted for `schema`. Empty optional fields are left out; an unticked
    checkbox is False; array rows that are blank or marked for removal are dropped."""
    parser = _Parser(schema, formdata)
    value = parser.object(resolve(schema, schema), ui_schema or {}, "", required=True)
    return value if isinstance(value, dict) else {}


class _Parser:
    def __init__(self, root: Schema, formdata: MultiDict[str, str]) -> None:
        self.root = root
        self.form = formdata
        self.lookups: dict[tuple[int, ...], dict[str, Any] | None] = {}

    def choices_by_text(self, node: Schema) -> dict[str, Any] | None:
        """The node's choices by the text a field sends for them (the first of two that send
        the same), or None when it offers none. Made once per list of choices in the schema,
        which every row of a form repeats (each partner's region and municipality)."""
        key = tuple(id(node.get(keyword)) for keyword in ("enum", "oneOf", "anyOf"))
        if key not in self.lookups:
            options = choices(node)
            by_text: dict[str, Any] = {}
            for value, _title in options or ():
                by_text.setdefault(value_text(value), value)
            self.lookups[key] = None if options is None else by_text
        return self.lookups[key]

    def value(self, node: Schema, ui: Schema, path: str, required: bool) -> Any:
        node = resolve(node, self.root)
        if ui.get("ui:readonly") or node.get("readOnly"):
            return MISSING
        kind = schema_type(node)
        if kind == "object":
            return self.object(node, ui, path, required)
        if kind == "array":
            if is_enum_array(node, self.root):
                return self.enum_list(node, path)
            return self.rows(node, ui, path)
        if kind == "boolean":
            return self.boolean(ui, path)
        if ui.get("ui:widget") == HELSINKI_DATETIME:
            return self.helsinki_datetime(path)
        raw = self.form.get(path)
        if raw is None:
            return MISSING
        raw = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        if raw == "":
            # SpiffArena's (react-jsonschema-form's) ui:emptyValue: what an empty field sends.
            return ui.get("ui:emptyValue", MISSING)
        by_text = self.choices_by_text(node)
        if by_text is not None:
            return by_text.get(raw, raw)
        if kind == "integer":
            return parse_integer(raw)
        if kind == "number":
            return parse_number(raw)
        return raw

    def object(self, node: Schema, ui: Schema, path: str, required: bool) -> Any:
        result = {}
        required_keys = set(node.get("required", []))
        for key, child in node.get("properties", {}).items():
            value = self.value(child, ui_for(ui, key), join_path(path, key), key in required_keys)
            if value is not MISSING:
                result[key] = value
        if not result and not required:
            return MISSING
        return result

    def enum_list(self, node: Schema, path: str) -> Any:
        options = choices(resolve(node["items"], self.root)) or []
        posted = set(self.form.getlist(path))
        result = [value for value, _ in options if value_text(value) in posted]
        return result or MISSING

    def rows(self, node: Schema, ui: Schema, path: str) -> Any:
        items = node.get("items")
        if not isinstance(items, dict):
            return MISSING
        item_ui = ui_for(ui, "items")
        result = []
        for index in self.row_indexes(path):
            row_path = join_path(path, index)
            if self.form.get(join_path(row_path, REMOVE_KEY), "").lower() in TRUE_VALUES:
                continue
            if self.row_is_blank(row_path):
                continue
            value = self.value(items, item_ui, row_path, required=True)
            if value is not MISSING:
                result.append(value)
        return result or MISSING

    def row_indexes(self, path: str) -> list[int]:
        prefix = path + "."
        indexes = set()
        for name in self.form:
            if name.startswith(prefix):
                part = name[len(prefix) :].split(".", 1)[0]
                if part.isdigit() and len(part) <= 6:
                    indexes.add(int(part))
        return sorted(indexes)

    def row_is_blank(self, row_path: str) -> bool:
        remove = join_path(row_path, REMOVE_KEY)
        for name, value in self.form.items(multi=True):
            in_row = name == row_path or name.startswith(row_path + ".")
            if in_row and name != remove and value.strip():
                return False
        return True

    def helsinki_datetime(self, path: str) -> Any:
        """A date and a time field in Helsinki time -> the moment in UTC (ISO 8601). What does
        not make a moment is kept as typed, for validation to refuse."""
        day = self.form.get(join_path(path, "date"), "").strip()
        clock = self.form.get(join_path(path, "time"), "").strip()
        if not day and not clock:
            return MISSING
        try:
            return helsinki_to_utc(day, clock).isoformat()
        except ValueError:
            return f"{day} {clock}".strip()

    def boolean(self, ui: Schema, path: str) -> Any:
        raw = self.form.get(path)
        if ui.get("ui:widget") in ("radio", "select", SUBMIT_CHOICES):
            if raw in ("true", "false"):
                return raw == "true"
            return raw if raw else MISSING
        return raw is not None and raw.lower() in TRUE_VALUES


def parse_integer(raw: str) -> int | str:
    text = _SPACES.sub("", raw)
    return int(text) if _INTEGER.fullmatch(text) else raw


def parse_number(raw: str) -> int | float | str:
    """A number from "1500", "1 500,50" or "1500.5"; integral values come back as int."""
    text = _SPACES.sub("", raw)
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return raw
    try:
        number = Decimal(text)
    except InvalidOperation:
        return raw
    if number == number.to_integral_value():
        return int(number)
    result = float(number)
    return result if math.isfinite(result) else raw
