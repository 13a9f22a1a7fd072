"""Render a JSON Schema form as accessible HTML fields (the caller writes the <form> tag).

Every field has a visible label tied to it, its hint and error tied with `aria-describedby`,
`aria-invalid` when in error, and "(required)" in its label. Fields carry `aria-required`
rather than `required`: drafts may be saved half-filled, and the server's messages (next to each
field and in the summary) are the ones people see. Give the <form> a `novalidate` attribute.
Names are dotted paths ("partners.0.name"); `parse_form` reads them back.

`texts` translates the schema's own texts (titles, descriptions, option titles, `ui:title`,
`ui:help`, `ui:placeholder`): English as written in the process files to the page language.
Values are shown as they are: what people typed is never translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.forms.schema import (
    HELSINKI_DATETIME,
    REMOVE_KEY,
    SUBMIT_CHOICES,
    Schema,
    choices,
    is_enum_array,
    join_path,
    ordered_properties,
    resolve,
    schema_type,
    subschema_at,
    ui_for,
    value_text,
)
from app.timefmt import HELSINKI, is_summer_time

Texts = Mapping[str, str]


def render_form(
    schema: Schema,
    ui_schema: Schema | None,
    data: dict[str, Any],
    errors: dict[str, str],
    texts: Texts | None = None,
    *,
    rows_save: bool = True,
) -> Markup:
    """The fields of `schema` filled with `data`, each with its message from `errors`.
    ``rows_save``: the "add another row" button keeps what was typed as a draft (a task form);
    otherwise it only shows the form again with one more row (the caller does not save)."""
    renderer = _Renderer(schema, errors, texts if texts is not None else {}, rows_save=rows_save)
    root = resolve(schema, schema)
    return renderer.properties(root, ui_schema or {}, data or {}, "")


def render_error_summary(
    schema: Schema, errors: dict[str, str], texts: Texts | None = None
) -> Markup:
    """A summary box linking to each field in error; empty when there are no errors."""
    if not errors:
        return Markup("")
    items = []
    for path, message in errors.items():
        message = _text(texts or {}, message)  # the form's own message (errorMessage) translated
        text = f"{field_label(schema, path, texts)}: {message}" if path else message
        link = _tag("a", {"href": "#" + field_id(path)}, text) if path else escape(text)
        items.append(_tag("li", {}, link))
    return _tag(
        "div",
        {
            "class": "error-summary",
            "role": "alert",
            "tabindex": "-1",
            "aria-labelledby": "error-summary-title",
        },
        _tag("h2", {"id": "error-summary-title"}, _("There is a problem"))
        + _tag("ul", {}, Markup("").join(items)),
    )


ADD_ROW_ACTION = "add-row"


def add_row_button(path: str, item_title: str, *, saves: bool = True) -> Markup:
    """Shows the form again with one more empty row (keeping what was typed as a draft when
    ``saves``)."""
    item = item_title.lower()
    return _tag(
        "button",
        {
            "type": "submit",
            "name": "action",
            "value": f"{ADD_ROW_ACTION}:{path}",
            "class": "button button-secondary row-add",
        },
        _("Save and add another %(item)s", item=item)
        if saves
        else _("Add another %(item)s", item=item),
    )


def field_id(path: str) -> str:
    """The HTML id of the field (or first option, or fieldset) at `path`."""
    return "f-" + path.replace(".", "-") if path else "f-form"


def field_label(schema: Schema, path: str, texts: Texts | None = None) -> str:
    """A readable name for a path: "Partners, row 2, Name"."""
    parts = path.split(".")
    labels = []
    for i, part in enumerate(parts):
        if part.isdigit():
            labels.append(_("row %(number)d", number=int(part) + 1))
            continue
        node = subschema_at(schema, ".".join(parts[: i + 1]))
        labels.append(_title(node or {}, {}, part, texts if texts is not None else {}))
    return ", ".join(labels)


def offset_texts() -> dict[str, str]:
    return {
        "summer": _("Helsinki time on that day: UTC+03:00 (summer time)."),
        "winter": _("Helsinki time on that day: UTC+02:00 (winter time)."),
        "unknown": _("Helsinki time: UTC+02:00 in winter, UTC+03:00 in summer."),
    }


def offset_text(moment: datetime | None) -> str:
    """Which UTC offset Helsinki time has at ``moment``, in words."""
    texts = offset_texts()
    if moment is None:
        return texts["unknown"]
    return texts["summer"] if is_summer_time(moment) else texts["winter"]


def _helsinki_parts(value: Any) -> tuple[str, str, datetime | None]:
    """(date, time, moment) of a stored UTC value; a value typed wrong is shown back as typed."""
    if not isinstance(value, str) or not value:
        return "", "", None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        day, _space, clock = value.partition(" ")
        return day, clock, None
    if moment.tzinfo is None:
        return "", "", None
    local = moment.astimezone(HELSINKI)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M"), moment


def _with_range_choices(node: Schema) -> Schema:
    """A small integer range (a 1–5 score) offered as radio buttons when the ui schema asks."""
    low, high = node.get("minimum"), node.get("maximum")
    if isinstance(low, int) and isinstance(high, int) and 0 <= high - low <= 10:
        return {**node, "enum": list(range(low, high + 1))}
    return node


def _text(texts: Texts, text: Any) -> str:
    """A text of the schema in the page language (as written when it has no translation)."""
    return texts.get(str(text), str(text))


def _title(node: Schema, ui: Schema, key: str, texts: Texts) -> str:
    title = ui.get("ui:title") or node.get("title")
    if title:
        return _text(texts, title)
    return key.replace("_", " ").strip().capitalize() or key


# SpiffArena's (react-jsonschema-form's) date widgets on a string: the browser's date field.
DATE_WIDGETS = ("date", "alt-date")


def _tag(name: str, attrs: dict[str, Any], content: Any = None) -> Markup:
    parts = [name]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        parts.append(key if value is True else f'{key}="{escape(str(value))}"')
    opening = Markup("<" + " ".join(parts) + ">")
    if content is None:
        return opening
    return opening + escape(content) + Markup(f"</{name}>")


class _Renderer:
    def __init__(
        self, root: Schema, errors: dict[str, str], texts: Texts, *, rows_save: bool = True
    ) -> None:
        self.root = root
        self.errors = errors
        self.texts = texts
        self.rows_save = rows_save

    def text(self, text: Any) -> str:
        return _text(self.texts, text)

    def title(self, node: Schema, ui: Schema, key: str) -> str:
        return _title(node, ui, key, self.texts)

    def choices(self, node: Schema) -> list[tuple[Any, str]]:
        """The options of a choice with their titles in the page language."""
        return [(value, self.text(title)) for value, title in choices(node) or []]

    # Containers

    def properties(self, node: Schema, ui: Schema, value: Any, path: str) -> Markup:
        value = value if isinstance(value, dict) else {}
        required = set(node.get("required", []))
        return Markup("").join(
            self.node(
                node["properties"][key],
                ui_for(ui, key),
                value.get(key),
                join_path(path, key),
                key,
                key in required,
            )
            for key in ordered_properties(node, ui)
        )

    def node(
        self, node: Schema, ui: Schema, value: Any, path: str, key: str, required: bool
    ) -> Markup:
        node = resolve(node, self.root)
        widget = ui.get("ui:widget")
        kind = schema_type(node)
        if widget == "hidden":
            return _tag("input", {"type": "hidden", "name": path, "value": value_text(value)})
        if widget == HELSINKI_DATETIME:
            return self.helsinki_datetime(node, ui, value, path, key, required)
        if widget == SUBMIT_CHOICES:
            return self.submit_choices(node, ui, path, key, required)
        if kind == "object":
            return self.group(node, ui, value, path, key)
        if kind == "array":
            if is_enum_array(node, self.root):
                return self.choice_group(node, ui, value, path, key, required, multiple=True)
            return self.rows(node, ui, value, path, key)
        if kind == "boolean":
            if widget in ("radio", "select"):
                return self.choice_group(node, ui, value, path, key, required, multiple=False)
            return self.checkbox(node, ui, value, path, key, required)
        if kind == "integer" and widget == "radio" and choices(node) is None:
            node = _with_range_choices(node)
        if choices(node) is not None:
            if widget == "radio":
                return self.choice_group(node, ui, value, path, key, required, multiple=False)
            return self.field(node, ui, value, path, key, required, self.select)
        return self.field(node, ui, value, path, key, required, self.input)

    def group(self, node: Schema, ui: Schema, value: Any, path: str, key: str) -> Markup:
        fid = field_id(path)
        hint, error, described = self.notes(node, ui, path)
        return _tag(
            "fieldset",
            {
                "class": "group group--error" if error else "group",
                "id": fid,
                "aria-describedby": described,
            },
            _tag("legend", {}, self.title(node, ui, key))
            + hint
            + error
            + self.properties(node, ui, value, path),
        )

    def rows(self, node: Schema, ui: Schema, value: Any, path: str, key: str) -> Markup:
        items = resolve(node.get("items", {}), self.root)
        item_ui = ui_for(ui, "items")
        options = ui_for(ui, "ui:options")
        rows = value if isinstance(value, list) else []
        max_items = node.get("maxItems")
        addable = options.get("addable", True) and (max_items is None or len(rows) < max_items)
        count = max(len(rows) + (1 if addable else 0), node.get("minItems", 0))
        item_title = item_ui.get("ui:title") or items.get("title")
        item_title = self.text(item_title) if item_title else _("Row")
        body = Markup("")
        for index in range(count):
            row_path = join_path(path, index)
            row_value = rows[index] if index < len(rows) else None
            label = f"{item_title} {index + 1}"
            if schema_type(items) == "object":
                content = self.properties(items, item_ui, row_value, row_path)
            else:
                row_ui = {**item_ui, "ui:title": label}
                content = self.node(items, row_ui, row_value, row_path, label, False)
            if index < len(rows) and options.get("removable", True):
                content += self.remove_box(row_path, label)
            body += _tag(
                "fieldset",
                {"class": "row", "id": field_id(row_path)},
                _tag("legend", {}, label) + content,
            )
        if addable:
            body += add_row_button(path, item_title, saves=self.rows_save)
        hint, error, described = self.notes(node, ui, path)
        return _tag(
            "fieldset",
            {
                "class": "group group--array group--error" if error else "group group--array",
                "id": field_id(path),
                "aria-describedby": described,
            },
            _tag("legend", {}, self.title(node, ui, key)) + hint + error + body,
        )

    def remove_box(self, row_path: str, label: str) -> Markup:
        box_id = field_id(join_path(row_path, REMOVE_KEY))
        return _tag(
            "div",
            {"class": "choice row-remove"},
            _tag(
                "input",
                {
                    "type": "checkbox",
                    "id": box_id,
                    "name": join_path(row_path, REMOVE_KEY),
                    "value": "true",
                },
            )
            + _tag("label", {"for": box_id}, _("Remove %(row)s", row=label)),
        )

    # Fields

    def notes(self, node: Schema, ui: Schema, path: str) -> tuple[Markup, Markup, str | None]:
        """The hint and error paragraphs of a field, and the ids for aria-describedby."""
        fid = field_id(path)
        texts = [
            self.text(t)
            for t in (ui.get("ui:description") or node.get("description"), ui.get("ui:help"))
            if t
        ]
        if ui.get("ui:widget") == "textarea" and node.get("maxLength"):
            texts.append(_("At most %(count)s characters.", count=node["maxLength"]))
        hint = Markup("")
        ids = []
        if texts:
            body = Markup("").join(_tag("p", {}, t) for t in texts)
            hint = _tag("div", {"class": "hint", "id": f"{fid}-hint"}, body)
            ids.append(f"{fid}-hint")
        error = Markup("")
        if path in self.errors:
            error = _tag(
                "p",
                {"class": "field-error", "id": f"{fid}-error"},
                _tag("span", {"class": "visually-hidden"}, _("Error:"))
                + " "
                + self.text(self.errors[path]),
            )
            ids.append(f"{fid}-error")
        return hint, error, " ".join(ids) or None

    def label_text(self, node: Schema, ui: Schema, key: str, required: bool) -> Markup:
        text = escape(self.title(node, ui, key))
        if required:
            text += Markup(' <span class="required">%s</span>') % _("(required)")
        return text

    def common_attrs(
        self, node: Schema, ui: Schema, path: str, required: bool, described: str | None
    ) -> dict[str, Any]:
        return {
            "id": field_id(path),
            "name": path,
            "aria-describedby": described,
            "aria-invalid": "true" if path in self.errors else None,
            "aria-required": "true" if required else None,
            # SpiffArena's ui schemas write it both ways; only where nothing is wrong yet (a
            # form sent back with errors focuses its error summary instead).
            "autofocus": bool(ui.get("ui:autofocus") or ui.get("ui:autoFocus")) and not self.errors,
        }

    def field(
        self,
        node: Schema,
        ui: Schema,
        value: Any,
        path: str,
        key: str,
        required: bool,
        control: Any,
    ) -> Markup:
        hint, error, described = self.notes(node, ui, path)
        attrs = self.common_attrs(node, ui, path, required, described)
        return _tag(
            "div",
            {"class": "field field--error" if error else "field"},
            _tag("label", {"for": field_id(path)}, self.label_text(node, ui, key, required))
            + hint
            + error
            + control(node, ui, value, attrs),
        )

    def input(self, node: Schema, ui: Schema, value: Any, attrs: dict[str, Any]) -> Markup:
        readonly = bool(ui.get("ui:readonly") or node.get("readOnly"))
        placeholder = ui.get("ui:placeholder")
        if ui.get("ui:widget") == "textarea":
            rows = ui_for(ui, "ui:options").get("rows", 6)
            return _tag(
                "textarea", {**attrs, "rows": rows, "readonly": readonly}, value_text(value)
            )
        kind = schema_type(node)
        extra: dict[str, Any] = {"type": "text"}
        if kind in ("integer", "number"):
            extra = {
                "type": "number",
                "step": "1" if kind == "integer" else "any",
                "inputmode": "numeric" if kind == "integer" else "decimal",
                "min": node.get("minimum"),
                "max": node.get("maximum"),
            }
        elif node.get("format") in ("date", "email"):
            extra = {"type": node["format"]}
        elif ui.get("ui:widget") in DATE_WIDGETS:
            extra = {"type": "date"}
        elif node.get("format") == "uri":
            extra = {"type": "url"}
        elif node.get("maxLength"):
            extra["maxlength"] = node["maxLength"]
        return _tag(
            "input",
            {
                **extra,
                **attrs,
                "value": value_text(value),
                "placeholder": self.text(placeholder) if placeholder else None,
                "autocomplete": ui.get("ui:autocomplete"),
                "readonly": readonly,
            },
        )

    def select(self, node: Schema, ui: Schema, value: Any, attrs: dict[str, Any]) -> Markup:
        current = value_text(value) if value is not None else None
        options: list[str] = [_tag("option", {"value": ""}, _("Choose…"))]
        # One string per option, not a tag built from attributes: a list of municipalities is
        # hundreds of options, and this was most of a form's rendering.
        for option, title in self.choices(node):
            text = value_text(option)
            selected = " selected" if text == current else ""
            options.append(f'<option value="{escape(text)}"{selected}>{escape(title)}</option>')
        disabled = bool(ui.get("ui:readonly") or node.get("readOnly"))
        return _tag("select", {**attrs, "disabled": disabled}, Markup("".join(options)))

    def checkbox(
        self, node: Schema, ui: Schema, value: Any, path: str, key: str, required: bool
    ) -> Markup:
        required = required or node.get("const") is True
        hint, error, described = self.notes(node, ui, path)
        attrs = self.common_attrs(node, ui, path, required, described)
        box = _tag(
            "input",
            {
                "type": "checkbox",
                **attrs,
                "value": "true",
                "checked": value is True,
                "disabled": bool(ui.get("ui:readonly") or node.get("readOnly")),
            },
        )
        label = _tag("label", {"for": field_id(path)}, self.label_text(node, ui, key, required))
        return _tag(
            "div",
            {"class": "field field--checkbox field--error" if error else "field field--checkbox"},
            error + _tag("div", {"class": "choice"}, box + label) + hint,
        )

    def helsinki_datetime(
        self, node: Schema, ui: Schema, value: Any, path: str, key: str, required: bool
    ) -> Markup:
        """A date and a time field in Helsinki time, and the UTC offset that applies on that
        day (static/helsinki_time.js keeps it right while the person types)."""
        day, clock, moment = _helsinki_parts(value)
        hint, error, described = self.notes(node, ui, path)
        fid = field_id(path)
        offset_id = f"{fid}-offset"
        described = " ".join(filter(None, [described, offset_id]))
        common = {
            "aria-describedby": described,
            "aria-invalid": "true" if path in self.errors else None,
            "aria-required": "true" if required else None,
            "readonly": bool(ui.get("ui:readonly") or node.get("readOnly")),
        }
        date_input = _tag(
            "input",
            {"type": "date", "id": fid, "name": join_path(path, "date"), "value": day, **common},
        )
        time_input = _tag(
            "input",
            {
                "type": "time",
                "id": f"{fid}-time",
                "name": join_path(path, "time"),
                "value": clock,
                "step": "60",
                **common,
            },
        )
        texts = offset_texts()
        offset = _tag(
            "p",
            {
                "class": "hint datetime-offset",
                "id": offset_id,
                "aria-live": "polite",
                "data-helsinki-offset": "",
                "data-summer": texts["summer"],
                "data-winter": texts["winter"],
                "data-unknown": texts["unknown"],
            },
            offset_text(moment),
        )
        inputs = _tag(
            "div",
            {"class": "datetime-inputs"},
            _tag("div", {}, _tag("label", {"for": fid}, _("Date")) + date_input)
            + _tag(
                "div",
                {},
                _tag("label", {"for": f"{fid}-time"}, _("Time (Helsinki)")) + time_input,
            ),
        )
        return _tag(
            "fieldset",
            {"class": "field field--datetime field--error" if error else "field field--datetime"},
            _tag("legend", {}, self.label_text(node, ui, key, required))
            + hint
            + error
            + inputs
            + offset,
        )

    def submit_choices(
        self, node: Schema, ui: Schema, path: str, key: str, required: bool
    ) -> Markup:
        """One submit button per option, each sending the form with its value (the form's
        Send button is left out: sends_by_choice)."""
        if schema_type(node) == "boolean" and choices(node) is None:
            options = [(True, _("Yes")), (False, _("No"))]
        else:
            options = self.choices(node)
        hint, error, described = self.notes(node, ui, path)
        buttons = Markup("").join(
            _tag(
                "button",
                {
                    "type": "submit",
                    "name": path,
                    "value": value_text(option),
                    "class": "button" if index == 0 else "button button-secondary",
                },
                title,
            )
            for index, (option, title) in enumerate(options)
        )
        return _tag(
            "fieldset",
            {
                "class": "field field--actions field--error" if error else "field field--actions",
                "id": field_id(path),
                "aria-describedby": described,
            },
            _tag("legend", {}, self.label_text(node, ui, key, required))
            + hint
            + error
            + _tag("div", {"class": "form-actions"}, buttons),
        )

    def choice_group(
        self,
        node: Schema,
        ui: Schema,
        value: Any,
        path: str,
        key: str,
        required: bool,
        multiple: bool,
    ) -> Markup:
        if multiple:
            options = self.choices(resolve(node["items"], self.root))
            selected = {value_text(v) for v in value} if isinstance(value, list) else set()
        elif schema_type(node) == "boolean":
            options = [(True, _("Yes")), (False, _("No"))]
            selected = {value_text(value)} if isinstance(value, bool) else set()
        else:
            options = self.choices(node)
            selected = {value_text(value)} if value is not None else set()
        hint, error, described = self.notes(node, ui, path)
        disabled = bool(ui.get("ui:readonly") or node.get("readOnly"))
        body = Markup("")
        for index, (option, title) in enumerate(options):
            option_id = field_id(path) if index == 0 else f"{field_id(path)}-{index + 1}"
            box = _tag(
                "input",
                {
                    "type": "checkbox" if multiple else "radio",
                    "id": option_id,
                    "name": path,
                    "value": value_text(option),
                    "checked": value_text(option) in selected,
                    "aria-invalid": "true" if error else None,
                    "disabled": disabled,
                },
            )
            body += _tag("div", {"class": "choice"}, box + _tag("label", {"for": option_id}, title))
        return _tag(
            "fieldset",
            {
                "class": "field field--error" if error else "field",
                "aria-describedby": described,
            },
            _tag("legend", {}, self.label_text(node, ui, key, required)) + hint + error + body,
        )
