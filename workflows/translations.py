"""Translation catalogs of a bundle: ``translations/fi.json`` and ``translations/sv.json``.

Applicants may deal with the ministry in Finnish or Swedish, so the texts of the process files
are shown in the page language. A catalog maps an English text, exactly as the process files
write it, to its translation; a text without an entry is shown as written. The texts that can
be keys (``process_texts``):

- BPMN: the ``name`` of flow nodes (tasks, events, gateways), of sequence flows and of lanes;
  the text of ``spiffworkflow:instructionsForEndUser``, stripped of surrounding whitespace;
- form JSON Schemas (``forms/*.json``): every ``title``, ``description`` and ``errorMessage``
  (a field's own error message, as ajv-errors has it), at any depth;
- UI schemas (``forms/*-uischema.json``): the values of ``ui:help``, ``ui:placeholder`` and
  ``ui:title``;
- DMN: the output entries of decision tables that are plain string literals (a reason such as
  ``"Too few municipalities take part."``): a page shows the value a decision gave in its
  language. A computed output (``"at least " + str(n)``) has no fixed text to translate.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator, Mapping
from typing import Any

from lxml import etree

from workflows.bpmn_xml import DMN_NAMESPACES, FLOW_NODES, SPIFF_NS, bpmn_tag, parse_xml
from workflows.bundle_layout import FORMS_FOLDER
from workflows.errors import BundleRefused, Problem
from workflows.json_limits import load_json

LANGUAGES = ("fi", "sv")
TRANSLATIONS_FOLDER = "translations/"
CATALOG_FILES = {f"{TRANSLATIONS_FOLDER}{language}.json": language for language in LANGUAGES}
_UI_SUFFIX = "-uischema.json"
_NAMED = FLOW_NODES | {"sequenceFlow", "lane"}
_SCHEMA_TEXTS = ("title", "description", "errorMessage")
_UI_TEXTS = ("ui:help", "ui:placeholder", "ui:title")
# JSON Schema keywords whose values are data, not schemas: a "title" in them is no label.
_DATA_KEYWORDS = frozenset({"const", "default", "enum", "examples"})


def is_translation_path(path: str) -> bool:
    """A path in the translations folder (a catalog or a misnamed file)."""
    return path.startswith(TRANSLATIONS_FOLDER)


def process_texts(files: Mapping[str, str]) -> set[str]:
    """Every text of a bundle that a catalog may translate (files that do not parse add none)."""
    documents = {}
    for name in sorted(files):
        if name.endswith((".bpmn", ".dmn")):
            try:
                documents[name] = parse_xml(name, files[name])
            except BundleRefused:
                continue
    forms = {}
    for name in sorted(files):
        if name.startswith(FORMS_FOLDER) and name.endswith(".json"):
            try:
                forms[name.removeprefix(FORMS_FOLDER)] = load_json(files[name])
            except json.JSONDecodeError:
                continue
    return set(texts_in(documents, forms))


def texts_in(documents: Mapping[str, etree._Element], forms: Mapping[str, Any]) -> list[str]:
    """The translatable texts of parsed BPMN documents and forms (file name without
    ``forms/``), each once, in the order of the sorted files and of each file."""
    found: dict[str, None] = {}
    for name, root in sorted(documents.items()):
        if name.endswith(".bpmn"):
            found.update(dict.fromkeys(_bpmn_texts(root)))
        elif name.endswith(".dmn"):
            found.update(dict.fromkeys(_dmn_texts(root)))
    for name, form in sorted(forms.items()):
        keys = _UI_TEXTS if name.endswith(_UI_SUFFIX) else _SCHEMA_TEXTS
        found.update(dict.fromkeys(_json_texts(form, keys)))
    return list(found)


def _bpmn_texts(root: etree._Element) -> Iterator[str]:
    for element in root.iter(etree.Element):
        if bpmn_tag(element) in _NAMED and element.get("name", "").strip():
            yield element.get("name", "")
    for instructions in root.iter(f"{{{SPIFF_NS}}}instructionsForEndUser"):
        text = "".join(instructions.itertext()).strip()
        if text:
            yield text


_OUTPUT_TEXTS = [f"{{{namespace}}}outputEntry/{{{namespace}}}text" for namespace in DMN_NAMESPACES]


def _dmn_texts(root: etree._Element) -> Iterator[str]:
    for path in _OUTPUT_TEXTS:
        for element in root.iterfind(f".//{path}"):
            try:
                value = ast.literal_eval((element.text or "").strip())
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
            if isinstance(value, str) and value.strip():
                yield value


def _json_texts(value: Any, keys: tuple[str, ...]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                if item.strip():
                    yield item
            elif key not in _DATA_KEYWORDS:
                yield from _json_texts(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from _json_texts(item, keys)


def load_catalogs(files: Mapping[str, str], problems: list[Problem]) -> dict[str, dict[str, str]]:
    """Language -> catalog of every valid catalog of the bundle; each refused file is an error
    in ``problems``, naming the file."""
    catalogs: dict[str, dict[str, str]] = {}
    for name in sorted(files):
        if not is_translation_path(name):
            continue
        language = CATALOG_FILES.get(name)
        if language is None:
            known = " or ".join(CATALOG_FILES)
            problems.append(Problem(name, None, f"not a translations file: use {known}"))
            continue
        try:
            catalog = load_json(files[name])
        except json.JSONDecodeError as err:
            problems.append(Problem(name, None, f"not valid JSON: {err}"))
            continue
        if not isinstance(catalog, dict) or not all(
            isinstance(value, str) for value in catalog.values()
        ):
            problems.append(
                Problem(
                    name,
                    None,
                    "not a translations catalog: use a JSON object mapping each English text "
                    "to its translation, both strings",
                )
            )
            continue
        catalogs[language] = catalog
    return catalogs
