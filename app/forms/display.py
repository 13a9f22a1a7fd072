"""A sent form shown read-only: labels from the JSON Schema, values as the user chose them.

`texts` translates the schema's titles (labels and option titles) into the page language; the
values people typed are shown as they are."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.forms.schema import Schema, choices, resolve, schema_type


def _value(node: Schema, value: Any, texts: Mapping[str, str]) -> Markup:
    options = {option: texts.get(title, title) for option, title in choices(node) or []}
    if isinstance(value, bool):
        return escape(_("Yes") if value else _("No"))
    if value in options:
        return escape(options[value])
    return escape(value).replace("\n", Markup("<br>"))


def render_values(
    schema: Schema,
    data: dict[str, Any],
    root: Schema | None = None,
    texts: Mapping[str, str] | None = None,
) -> Markup:
    """A definition list of every schema property that has a value, nested for objects and rows."""
    root = root or schema
    texts = texts or {}
    items = Markup("")
    for key, raw_node in (schema.get("properties") or {}).items():
        if key not in data or data[key] in (None, "", []):
            continue
        node = resolve(raw_node, root)
        title = node.get("title")
        title = escape(texts.get(title, title) if title else key.replace("_", " ").capitalize())
        value = data[key]
        kind = schema_type(node)
        if kind == "object" and isinstance(value, dict):
            shown = render_values(node, value, root, texts)
        elif kind == "array" and isinstance(value, list):
            item = resolve(node.get("items") or {}, root)
            rows = [
                render_values(item, row, root, texts)
                if isinstance(row, dict)
                else _value(item, row, texts)
                for row in value
            ]
            shown = Markup("<ol>") + Markup("").join(Markup("<li>%s</li>") % r for r in rows)
            shown += Markup("</ol>")
        else:
            shown = _value(node, value, texts)
        items += Markup("<dt>%s</dt><dd>%s</dd>") % (title, shown)
    return Markup('<dl class="values">%s</dl>') % items
