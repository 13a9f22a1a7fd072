"""What changed between two versions of a bundle, element by element, for a page to show.

The files are compared as process owners wrote them (BPMN and DMN XML, JSON Schema forms), not
as the engine parsed them: every element is matched by its id, and the diagram layout (BPMN DI)
is left out. Each difference is an ``ElementChange``: what kind of element, where, its id and
name, whether it was added, removed or changed, and for a change each field as before -> after.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from workflows.bpmn_xml import BPMN_NS, SPIFF_NS, parse_xml
from workflows.bundle_layout import FORMS_FOLDER
from workflows.json_limits import load_json
from workflows.translations import TRANSLATIONS_FOLDER

BPMN = f"{{{BPMN_NS}}}"
SPIFF = f"{{{SPIFF_NS}}}"
TASKS = frozenset(
    {
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "serviceTask",
        "businessRuleTask",
        "sendTask",
        "receiveTask",
        "callActivity",
        "subProcess",
        "transaction",
    }
)
KIND_ORDER = (
    "process",
    "task",
    "event",
    "gateway",
    "sequence flow",
    "decision",
    "decision input",
    "decision output",
    "decision rule",
    "form",
    "form field",
    "translation",
)
_SPIFF_FIELDS = {
    "instructionsForEndUser": "instructions",
    "preScript": "pre-script",
    "postScript": "post-script",
    "calledDecisionId": "decision",
    "messagePayload": "message payload",
    "messageVariable": "message variable",
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ElementChange:
    """One element added, removed or changed.

    ``process`` is the BPMN process id, the DMN decision id, for a form field the form file, or
    for a translation its language; ``element_id`` is the BPMN or DMN id, the form file, a form
    field's JSON pointer, or for a translation the English text (its one field: "translation").
    """

    kind: str
    status: str  # "added", "removed" or "changed"
    file: str
    process: str
    element_id: str
    element_name: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class VersionDiff:
    elements: tuple[ElementChange, ...]

    @property
    def empty(self) -> bool:
        return not self.elements

    def of_kind(self, *kinds: str) -> list[ElementChange]:
        return [element for element in self.elements if element.kind in kinds]

    def find(self, element_id: str, process: str | None = None) -> ElementChange | None:
        return next(
            (
                e
                for e in self.elements
                if e.element_id == element_id and (process is None or e.process == process)
            ),
            None,
        )


def diff_versions(old_files: dict[str, str], new_files: dict[str, str]) -> VersionDiff:
    """The differences of two bundles' files, by file, process, kind of element and id."""
    old, new = _Elements.of(old_files), _Elements.of(new_files)
    found: list[ElementChange] = []
    for key in sorted(old.items.keys() | new.items.keys()):
        change = _compare(old.items.get(key), new.items.get(key))
        if change is not None:
            found.append(change)
    kinds = {kind: n for n, kind in enumerate(KIND_ORDER)}
    found.sort(key=lambda e: (e.file, e.process, kinds.get(e.kind, len(kinds)), e.element_id))
    return VersionDiff(tuple(found))


@dataclass(frozen=True)
class _Item:
    kind: str
    file: str
    process: str
    element_id: str
    name: str
    fields: dict[str, str]


def _compare(old: _Item | None, new: _Item | None) -> ElementChange | None:
    item = new or old
    assert item is not None
    if old is None or new is None:  # an added element's fields show as after; removed: before
        status = "added" if old is None else "removed"
        shown = tuple(
            Change(name, None, value) if old is None else Change(name, value, None)
            for name, value in sorted(item.fields.items())
        )
        return ElementChange(
            item.kind, status, item.file, item.process, item.element_id, item.name, shown
        )
    changes = tuple(
        Change(name, old.fields.get(name), new.fields.get(name))
        for name in sorted(old.fields.keys() | new.fields.keys())
        if old.fields.get(name) != new.fields.get(name)
    )
    if not changes:
        return None
    return ElementChange(
        new.kind, "changed", new.file, new.process, new.element_id, new.name, changes
    )


class _Elements:
    """Every comparable element of a bundle, keyed by (kind group, process, id)."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str, str], _Item] = {}

    @classmethod
    def of(cls, files: dict[str, str]) -> _Elements:
        elements = cls()
        for name in sorted(files):
            if name.endswith(".bpmn"):
                elements._add_bpmn(name, parse_xml(name, files[name]))
            elif name.endswith(".dmn"):
                elements._add_dmn(name, parse_xml(name, files[name]))
            elif name.startswith(FORMS_FOLDER) and name.endswith(".json"):
                elements._add_form(name, files[name])
            elif name.startswith(TRANSLATIONS_FOLDER) and name.endswith(".json"):
                elements._add_translations(name, files[name])
        return elements

    def _add(self, item: _Item, group: str) -> None:
        """Items of one group share their ids: a task turned into an event is a change of type."""
        self.items[(group, item.process, item.element_id)] = item

    # -- BPMN --------------------------------------------------------------------------------

    def _add_bpmn(self, file: str, root: etree._Element) -> None:
        messages = {m.get("id"): m.get("name") or m.get("id") for m in root.iter(f"{BPMN}message")}
        for process in root.iter(f"{BPMN}process"):
            process_id = process.get("id", "")
            name = process.get("name") or process_id
            fields = _clean({"name": name, "executable": process.get("isExecutable")})
            self._add(_Item("process", file, process_id, process_id, name, fields), "bpmn")
            lanes = {
                ref.text.strip(): lane.get("name") or lane.get("id")
                for lane in process.iter(f"{BPMN}lane")
                for ref in lane.findall(f"{BPMN}flowNodeRef")
                if ref.text
            }
            for element in process.iter():
                kind = _bpmn_kind(element)
                if kind is None or not element.get("id"):
                    continue
                fields = _bpmn_fields(element, lanes, messages)
                element_id = element.get("id", "")
                label = element.get("name") or element_id
                self._add(_Item(kind, file, process_id, element_id, label, fields), "bpmn")

    # -- DMN ---------------------------------------------------------------------------------

    def _add_dmn(self, file: str, root: etree._Element) -> None:
        for decision in _local(root, "decision"):
            decision_id = decision.get("id", "")
            name = decision.get("name") or decision_id
            table = next(_local(decision, "decisionTable"), None)
            fields = {"name": name}
            if table is not None:
                fields["hit policy"] = table.get("hitPolicy", "UNIQUE")
            self._add(_Item("decision", file, decision_id, decision_id, name, fields), "dmn")
            if table is None:
                continue
            inputs = [i for i in table if _localname(i) == "input"]
            outputs = [o for o in table if _localname(o) == "output"]
            for column in inputs:
                expression = next(_local(column, "inputExpression"), None)
                fields = _clean(
                    {
                        "label": column.get("label"),
                        "expression": _text(expression, "text"),
                        "type": expression.get("typeRef") if expression is not None else None,
                    }
                )
                label = column.get("label") or column.get("id", "")
                self._add(
                    _Item("decision input", file, decision_id, column.get("id", ""), label, fields),
                    "dmn",
                )
            for column in outputs:
                fields = _clean(
                    {
                        "label": column.get("label"),
                        "name": column.get("name"),
                        "type": column.get("typeRef"),
                    }
                )
                label = column.get("label") or column.get("name") or column.get("id", "")
                self._add(
                    _Item(
                        "decision output", file, decision_id, column.get("id", ""), label, fields
                    ),
                    "dmn",
                )
            in_labels = [c.get("label") or c.get("id") for c in inputs]
            out_labels = [c.get("label") or c.get("name") or c.get("id") for c in outputs]
            rules = [r for r in table if _localname(r) == "rule"]
            for position, rule in enumerate(rules, start=1):
                fields = {"position": str(position)}
                description = _text(rule, "description")
                if description:
                    fields["description"] = description
                cells = [c for c in rule if _localname(c) in ("inputEntry", "outputEntry")]
                entries = [c for c in cells if _localname(c) == "inputEntry"]
                results = [c for c in cells if _localname(c) == "outputEntry"]
                for label, cell in zip(in_labels, entries, strict=False):
                    fields[f"if {label}"] = _text(cell, "text") or "-"
                for label, cell in zip(out_labels, results, strict=False):
                    fields[f"then {label}"] = _text(cell, "text") or ""
                rule_id = rule.get("id", f"rule {position}")
                self._add(
                    _Item(
                        "decision rule", file, decision_id, rule_id, description or rule_id, fields
                    ),
                    "dmn",
                )

    # -- forms -------------------------------------------------------------------------------

    def _add_form(self, file: str, text: str) -> None:
        form = file.removeprefix(FORMS_FOLDER)
        try:
            schema = load_json(text)
        except json.JSONDecodeError:
            schema = {}
        if not isinstance(schema, dict):
            schema = {}
        title = str(schema.get("title") or form)
        rest = {k: _json(v) for k, v in schema.items() if k not in ("properties", "required")}
        self._add(_Item("form", file, "", form, title, rest), "form")
        if form.endswith("-uischema.json"):
            return
        for pointer, key, field, required in _form_fields(schema, ""):
            fields = _clean(
                {
                    "title": field.get("title"),
                    "type": _type_of(field),
                    "required": "yes" if required else "no",
                    "options": _options(field),
                }
            )
            label = str(field.get("title") or key)
            self._add(_Item("form field", file, form, pointer, label, fields), "form")

    # -- translations --------------------------------------------------------------------------

    def _add_translations(self, file: str, text: str) -> None:
        """One item per key of a catalog: English text -> its translation."""
        language = file.removeprefix(TRANSLATIONS_FOLDER).removesuffix(".json")
        try:
            catalog = load_json(text)
        except json.JSONDecodeError:
            catalog = {}
        for english, translated in catalog.items() if isinstance(catalog, dict) else ():
            value = translated if isinstance(translated, str) else _json(translated)
            item = _Item("translation", file, language, english, english, {"translation": value})
            self._add(item, "translation")


def _bpmn_kind(element: etree._Element) -> str | None:
    if not isinstance(element.tag, str) or not element.tag.startswith(BPMN):
        return None
    tag = element.tag.removeprefix(BPMN)
    if tag in TASKS:
        return "task"
    if tag == "sequenceFlow":
        return "sequence flow"
    if tag.endswith("Gateway"):
        return "gateway"
    if tag.endswith("Event"):
        return "event"
    return None


def _bpmn_fields(
    element: etree._Element, lanes: dict[str, str], messages: dict[str | None, str | None]
) -> dict[str, str]:
    tag = element.tag.removeprefix(BPMN)
    fields: dict[str, str | None] = {"type": tag, "name": element.get("name")}
    if tag == "sequenceFlow":
        fields |= {
            "source": element.get("sourceRef"),
            "target": element.get("targetRef"),
            "condition": _text(element, f"{BPMN}conditionExpression"),
        }
        return _clean(fields)
    fields |= {
        "lane": lanes.get(element.get("id", "")),
        "documentation": _text(element, f"{BPMN}documentation"),
        "default flow": element.get("default"),
        "attached to": element.get("attachedToRef"),
        # BPMN's default is interrupting; bpmn-js leaves cancelActivity="true" out on save
        "interrupting": element.get("cancelActivity", "true") if tag == "boundaryEvent" else None,
        "script": _text(element, f"{BPMN}script"),
        "message": messages.get(element.get("messageRef")) if element.get("messageRef") else None,
    }
    extensions = element.find(f"{BPMN}extensionElements")
    if extensions is not None:
        for prop in extensions.iter(f"{SPIFF}property"):
            fields[_property_label(prop.get("name", ""))] = prop.get("value")
        for tag_name, label in _SPIFF_FIELDS.items():
            fields[label] = _text(extensions, f"{SPIFF}{tag_name}")
        operator = extensions.find(f"{SPIFF}serviceTaskOperator")
        if operator is not None:
            fields["service"] = _service(operator)
    for definition in element:
        if not isinstance(definition.tag, str) or not definition.tag.endswith("EventDefinition"):
            continue
        kind = definition.tag.removeprefix(BPMN).removesuffix("EventDefinition")
        if kind == "timer":
            for timer in definition:
                if isinstance(timer.tag, str) and timer.tag.startswith(BPMN):
                    fields["timer"] = (
                        f"{timer.tag.removeprefix(BPMN)}: {(timer.text or '').strip()}"
                    )
        elif kind == "message":
            fields["message"] = messages.get(definition.get("messageRef")) or "(no message)"
            for tag_name, label in _SPIFF_FIELDS.items():
                fields[label] = fields.get(label) or _text_deep(definition, f"{SPIFF}{tag_name}")
        else:
            fields["event"] = kind + _ref(definition)
    loop = element.find(f"{BPMN}multiInstanceLoopCharacteristics")
    if loop is not None:
        fields["multi-instance"] = _multi_instance(loop)
    if element.find(f"{BPMN}standardLoopCharacteristics") is not None:
        fields["loop"] = "standard"
    return _clean(fields)


def _property_label(name: str) -> str:
    return {"formJsonSchemaFilename": "form", "formUiSchemaFilename": "ui form"}.get(
        name, f"property {name}"
    )


def _service(operator: etree._Element) -> str:
    params = ", ".join(
        f"{p.get('id')}={p.get('value')}" for p in operator.iter(f"{SPIFF}parameter")
    )
    result = operator.get("resultVariable")
    return f"{operator.get('id')}({params})" + (f" -> {result}" if result else "")


def _multi_instance(loop: etree._Element) -> str:
    parts = ["sequential" if loop.get("isSequential") == "true" else "parallel"]
    for child in loop:
        if not isinstance(child.tag, str):
            continue
        label = etree.QName(child).localname
        value = child.get("name") or child.get("id") or (child.text or "").strip()
        if value:
            parts.append(f"{label}={value}")
    return ", ".join(parts)


def _ref(definition: etree._Element) -> str:
    for attribute, value in definition.attrib.items():
        if attribute.endswith("Ref"):
            return f" {value}"
    return ""


def _text(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path) if path.startswith("{") else next(_local(element, path), None)
    if found is None:
        return None
    text = "".join(found.itertext()).strip()
    return text or None


def _text_deep(element: etree._Element, tag: str) -> str | None:
    found = next(element.iter(tag), None)
    return ("".join(found.itertext()).strip() or None) if found is not None else None


def _localname(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _local(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """Children named ``name`` in whatever namespace (DMN 1.1 to 1.3 all occur)."""
    return (child for child in element if _localname(child) == name)


def _clean(fields: dict[str, str | None]) -> dict[str, str]:
    return {key: value for key, value in fields.items() if value not in (None, "")}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _form_fields(
    schema: dict[str, Any], pointer: str
) -> Iterator[tuple[str, str, dict[str, Any], bool]]:
    """(JSON pointer, key, field schema, required) of every field, nested objects included."""
    required = set(schema.get("required") or [])
    for key, field in (schema.get("properties") or {}).items():
        if not isinstance(field, dict):
            continue
        here = f"{pointer}/properties/{_escape(key)}"
        yield here, key, field, key in required
        yield from _form_fields(field, here)
        items = field.get("items")
        if isinstance(items, dict):
            yield from _form_fields(items, f"{here}/items")


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _type_of(field: dict[str, Any]) -> str | None:
    kind = field.get("type")
    if isinstance(kind, list):
        return " or ".join(str(k) for k in kind)
    return str(kind) if kind is not None else None


def _options(field: dict[str, Any]) -> str | None:
    if isinstance(field.get("enum"), list):
        return ", ".join(_json(v) for v in field["enum"])
    for key in ("oneOf", "anyOf"):
        choices = field.get(key)
        if isinstance(choices, list) and all(isinstance(c, dict) and "const" in c for c in choices):
            return ", ".join(_json(c["const"]) for c in choices)
    return None
