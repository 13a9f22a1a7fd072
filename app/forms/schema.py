"""Walking a form's JSON Schema: shared by rendering, parsing and validation messages."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

# Name suffix of the "Remove" checkbox of an array row; property names start with a letter.
REMOVE_KEY = "_remove"
# The ui widget of a date-time entered as a Helsinki date and time (stored as UTC ISO 8601).
HELSINKI_DATETIME = "helsinki-datetime"


# A choice made by the button that sends the form ("Approve", "Return"): one submit button per
# option, named after the field, in place of the form's own Send button.
SUBMIT_CHOICES = "submit-choices"


def sends_by_choice(schema: Schema, ui_schema: Schema | None) -> bool:
    """Whether the form is sent by the buttons of a choice (SUBMIT_CHOICES) of its top level."""
    return any(
        ui_for(ui_schema or {}, key).get("ui:widget") == SUBMIT_CHOICES
        for key in schema.get("properties", {})
    )


def value_text(value: Any) -> str:
    """How a value appears in an HTML form field (and how parse_form matches choices)."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolve(node: Schema, root: Schema) -> Schema:
    """`node` with a local `$ref` ("#/definitions/x") followed; other keys of `node` win."""
    seen = 0
    while isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
        seen += 1
        if seen > 20:
            raise ValueError("$ref chain too long or circular")
        target: Any = root
        for part in node["$ref"][1:].split("/"):
            if not part:
                continue
            part = part.replace("~1", "/").replace("~0", "~")
            target = target[int(part)] if isinstance(target, list) else target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        node = {**target, **rest}
    return node


def schema_type(node: Schema) -> str | None:
    """The node's type; for ["string", "null"] the non-null one."""
    value = node.get("type")
    if isinstance(value, list):
        types = [t for t in value if t != "null"]
        return types[0] if types else None
    if value is None:
        if "properties" in node:
            return "object"
        if "enum" in node or "oneOf" in node or "anyOf" in node:
            return "string"
    return value


def choices(node: Schema) -> list[tuple[Any, str]] | None:
    """(value, title) pairs of an enum or a oneOf/anyOf of consts, else None."""
    if "enum" in node:
        names = node.get("enumNames") or []
        return [
            (value, str(names[i]) if i < len(names) else str(value))
            for i, value in enumerate(node["enum"])
        ]
    for keyword in ("oneOf", "anyOf"):
        options = node.get(keyword)
        if isinstance(options, list) and options and all("const" in o for o in options):
            return [(o["const"], str(o.get("title", o["const"]))) for o in options]
    return None


def ordered_properties(node: Schema, ui: Schema) -> list[str]:
    """Property names in `ui:order` order; "*" stands for the rest in schema order."""
    names = list(node.get("properties", {}))
    order = ui.get("ui:order")
    if not isinstance(order, list):
        return names
    listed = [n for n in order if n != "*" and n in names]
    rest = [n for n in names if n not in listed]
    if "*" not in order:
        return listed + rest
    result: list[str] = []
    for name in order:
        if name == "*":
            result.extend(rest)
        elif name in names:
            result.append(name)
    return result


def ui_for(ui: Schema | None, key: str) -> Schema:
    """The ui schema of a child; a read-only parent makes its children read-only too."""
    value = (ui or {}).get(key)
    child = value if isinstance(value, dict) else {}
    if (ui or {}).get("ui:readonly") and not key.startswith("ui:"):
        child = {**child, "ui:readonly": True}
    return child


def join_path(prefix: str, key: str | int) -> str:
    return f"{prefix}.{key}" if prefix else str(key)


def is_enum_array(node: Schema, root: Schema) -> bool:
    if schema_type(node) != "array" or not isinstance(node.get("items"), dict):
        return False
    return choices(resolve(node["items"], root)) is not None


def subschema_at(root: Schema, path: str) -> Schema | None:
    """The (resolved) schema of the field at a dotted path like "partners.0.name"."""
    node: Schema = resolve(root, root)
    for part in path.split(".") if path else []:
        kind = schema_type(node)
        if kind == "object" and part in node.get("properties", {}):
            node = resolve(node["properties"][part], root)
        elif kind == "array" and part.isdigit() and isinstance(node.get("items"), dict):
            node = resolve(node["items"], root)
        else:
            return None
    return node
