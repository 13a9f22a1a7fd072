"""Form parts that come from the task data: the options of a choice, the fields of an object.

A process's form file is fixed per version, but some of what it asks depends on the call: the
application objects a call offers, the criteria its evaluators score. Two conventions say where
the task data fills a form in, before it is rendered and validated:

- SpiffArena's ``"anyOf": ["options_from_task_data_var:<name>"]`` (also ``oneOf``/``enum``):
  the options are the list ``<name>`` of the task data, each ``{"value", "label"}`` (or
  ``{"key", "title"}``); on an array, ``"items": ["options_from_task_data_var:<name>"]`` (as
  SpiffArena's backend also reads it) is a multiple choice among them;
- ``"x-properties-from-task-data-var": "<name>"`` on an object: one required field per item of
  the list ``<name>`` (``key``, ``title``, optional ``description``, ``type`` (default integer),
  ``minimum``, ``maximum``). Its ui schema's ``"ui:properties"`` is the ui of each such field.

A label or title may be a {language: text} mapping: the page's (or the case's) language wins.
"""

from __future__ import annotations

import copy
from typing import Any

from app.forms.schema import Schema

OPTIONS_PREFIX = "options_from_task_data_var:"
PROPERTIES_KEY = "x-properties-from-task-data-var"
_CHOICE_KEYWORDS = ("anyOf", "oneOf", "enum")


def text_in(value: Any, language: str) -> str:
    """A text that may be given per language: the one for ``language``, else another."""
    if isinstance(value, dict):
        for code in (language, "en", "fi", "sv"):
            if value.get(code):
                return str(value[code])
        return ""
    return "" if value is None else str(value)


def is_dynamic(schema: Any) -> bool:
    """Whether the schema has a part that the task data fills in."""
    if isinstance(schema, dict):
        keywords = (*_CHOICE_KEYWORDS, "items")
        if PROPERTIES_KEY in schema or any(_options_var(schema.get(k)) for k in keywords):
            return True
        return any(is_dynamic(value) for value in schema.values())
    if isinstance(schema, list):
        return any(is_dynamic(item) for item in schema)
    return False


def expand(
    schema: Schema, ui_schema: Schema | None, data: dict[str, Any], language: str
) -> tuple[Schema, Schema]:
    """The schema and ui schema with every dynamic part filled from ``data``."""
    if not is_dynamic(schema):
        return schema, ui_schema or {}
    schema = copy.deepcopy(schema)
    ui = copy.deepcopy(ui_schema or {})
    _expand(schema, ui, data, language)
    return schema, ui


def _options_var(value: Any) -> str | None:
    if (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], str)
        and value[0].startswith(OPTIONS_PREFIX)
    ):
        return value[0].removeprefix(OPTIONS_PREFIX).strip()
    return None


def _items(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    value = data.get(name)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _expand(node: Any, ui: Any, data: dict[str, Any], language: str) -> None:
    if isinstance(node, list):
        for item in node:
            _expand(item, {}, data, language)
        return
    if not isinstance(node, dict):
        return
    ui = ui if isinstance(ui, dict) else {}
    for keyword in _CHOICE_KEYWORDS:
        name = _options_var(node.get(keyword))
        if name is not None:
            del node[keyword]
            node["anyOf"] = _options(data, name, language)
    name = _options_var(node.get("items"))
    if name is not None:
        node["items"] = {"type": "string", "anyOf": _options(data, name, language)}
        node.setdefault("uniqueItems", True)
    name = node.pop(PROPERTIES_KEY, None)
    if isinstance(name, str):
        _fill_properties(node, ui, _items(data, name), language)
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            for prop, child in value.items():
                child_ui = ui.get(prop) if isinstance(ui.get(prop), dict) else {}
                _expand(child, child_ui, data, language)
        elif key == "items":
            _expand(value, ui.get("items", {}), data, language)
        elif isinstance(value, dict | list):
            _expand(value, {}, data, language)


def _options(data: dict[str, Any], name: str, language: str) -> list[Schema]:
    """The choices the task data's list ``name`` offers, as ``const``/``title`` pairs."""
    return [
        {
            "const": item.get("value", item.get("key")),
            "title": text_in(item.get("label", item.get("title")), language),
        }
        for item in _items(data, name)
    ] or [{"const": "", "title": "–"}]


def _fill_properties(node: Schema, ui: Schema, items: list[dict[str, Any]], language: str) -> None:
    properties = dict(node.get("properties") or {})
    required = list(node.get("required") or [])
    field_ui = ui.get("ui:properties") if isinstance(ui.get("ui:properties"), dict) else {}
    for item in items:
        key = str(item.get("key") or "")
        if not key.isidentifier():
            continue
        field: Schema = {
            "type": item.get("type", "integer"),
            "title": text_in(item.get("title"), language) or key,
        }
        if item.get("description"):
            field["description"] = text_in(item["description"], language)
        for bound in ("minimum", "maximum"):
            if isinstance(item.get(bound), int | float):
                field[bound] = item[bound]
        properties[key] = field
        if key not in required:
            required.append(key)
        if field_ui:
            ui.setdefault(key, copy.deepcopy(field_ui))
    node["type"] = "object"
    node["properties"] = properties
    node["required"] = required
