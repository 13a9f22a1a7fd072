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


def expand(
    schema: Schema, ui_schema: Schema | None, data: dict[str, Any], language: str
) -> tuple[Schema, Schema]:
    """The schema and ui schema with every dynamic part filled from ``data``. What has no
    dynamic part is the given schema's own (shared, as a schema without any is returned
    whole): read what this returns, never change it."""
    return _expanded(schema, ui_schema or {}, data, language)


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


# The dicts and lists of form files found to hold nothing dynamic, by id, each kept here so that
# its id is given to no other object while it is: a form's long lists of choices (hundreds of
# municipalities) were walked on every view and every send. Only a form file's own parts get
# here (what is dynamic is copied, never changed in place), and the form files of a process
# version are read once and never changed; the memo starts again when it is full.
_STATIC: dict[int, Any] = {}
_STATIC_LIMIT = 50_000


def _expanded(node: Any, ui: Any, data: dict[str, Any], language: str) -> tuple[Any, Any]:
    """``node`` and its ``ui`` filled from ``data``: the same objects when nothing in them is
    dynamic, else copies of the dicts and lists on the way to what is."""
    if id(node) in _STATIC:
        return node, ui
    if isinstance(node, list):
        items = [_expanded(item, {}, data, language)[0] for item in node]
        changed = any(new is not old for new, old in zip(items, node, strict=True))
        if not changed:
            _remember_static(node)
        return (items if changed else node), ui
    if not isinstance(node, dict):
        return node, ui
    new_node, new_ui = _expanded_dict(node, ui, data, language)
    if new_node is node and new_ui is ui:
        _remember_static(node)
    return new_node, new_ui


def _remember_static(node: Any) -> None:
    if len(_STATIC) >= _STATIC_LIMIT:
        _STATIC.clear()
    _STATIC[id(node)] = node


def _expanded_dict(
    node: Schema, ui: Any, data: dict[str, Any], language: str
) -> tuple[Schema, Schema]:
    ui = ui if isinstance(ui, dict) else {}
    node, ui = _filled(node, ui, data, language) or (node, ui)
    new_node, new_ui = node, ui
    for key, value in node.items():
        if key == "properties" and isinstance(value, dict):
            properties = value
            for prop, child in value.items():
                child_ui = ui[prop] if isinstance(ui.get(prop), dict) else {}
                new_child, new_child_ui = _expanded(child, child_ui, data, language)
                properties = _put(properties, value, prop, new_child, was=child)
                new_ui = _put(new_ui, ui, prop, new_child_ui, was=child_ui)
            new_node = _put(new_node, node, key, properties, was=value)
        elif key == "items":
            items_ui = ui["items"] if isinstance(ui.get("items"), dict) else {}
            new_items, new_items_ui = _expanded(value, items_ui, data, language)
            new_node = _put(new_node, node, key, new_items, was=value)
            new_ui = _put(new_ui, ui, "items", new_items_ui, was=items_ui)
        elif isinstance(value, dict | list):
            new_value = _expanded(value, {}, data, language)[0]
            new_node = _put(new_node, node, key, new_value, was=value)
    return new_node, new_ui


def _put(current: Schema, original: Schema, key: str, value: Any, *, was: Any) -> Schema:
    """``current`` (``original``, or a copy of it already changed) with ``key`` set to
    ``value``, copying ``original`` first if need be; ``current`` as it is when ``value`` is
    ``was``, the object it was made from (nothing changed)."""
    if value is was:
        return current
    changed = dict(original) if current is original else current
    changed[key] = value
    return changed


def _filled(
    node: Schema, ui: Schema, data: dict[str, Any], language: str
) -> tuple[Schema, Schema] | None:
    """Copies of ``node`` and ``ui`` with the node's own dynamic parts filled in; None when it
    has none."""
    names = {keyword: _options_var(node.get(keyword)) for keyword in _CHOICE_KEYWORDS}
    items_var = _options_var(node.get("items"))
    properties_var = node.get(PROPERTIES_KEY)
    if not any(names.values()) and items_var is None and properties_var is None:
        return None
    node, ui = dict(node), dict(ui)
    for keyword, name in names.items():
        if name is not None:
            del node[keyword]
            node["anyOf"] = _options(data, name, language)
    if items_var is not None:
        node["items"] = {"type": "string", "anyOf": _options(data, items_var, language)}
        node.setdefault("uniqueItems", True)
    node.pop(PROPERTIES_KEY, None)
    if isinstance(properties_var, str):
        _fill_properties(node, ui, _items(data, properties_var), language)
    return node, ui


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
