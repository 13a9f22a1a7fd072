"""The SpiffArena process-model layout that import and export share: file names and form names.

Form names map one to one between a grantflow bundle and a SpiffArena process model, so that
import(export(bundle)) gives back the bundle byte for byte:

    forms/<name>.json           <->  <name>-schema.json
    forms/<name>-uischema.json  <->  <name>-uischema.json
    translations/<lang>.json    <->  translations/<lang>.json

and the ``formJsonSchemaFilename`` references inside the BPMN are rewritten in the text (never
by re-serializing the XML), so nothing else in the file changes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape, unescape
from typing import Any

from workflows.bundles import FORMS_FOLDER
from workflows.translations import TRANSLATIONS_FOLDER

MODEL_FILE = "process_model.json"
GROUP_FILE = "process_group.json"
SCHEMA_SUFFIX = "-schema.json"
UI_SUFFIX = "-uischema.json"
FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")
# What an import of a SpiffArena tree adds to a bundle (workflows.spiffarena_repo): the files
# of the model folder the engine does not read, and the import's record of the bundle.
EXTRA_FOLDER = "spiffarena/"
MANIFEST = "spiffarena.json"


def read_manifest(files: Mapping[str, str]) -> dict[str, Any]:
    """The import's record of a bundle (``called`` and ``groups``); empty when there is none."""
    try:
        found = json.loads(files[MANIFEST]) if MANIFEST in files else None
    except json.JSONDecodeError:
        return {}
    return found if isinstance(found, dict) else {}


def is_translations_file(path: str) -> bool:
    """A translation catalog's path in a bundle, and in a model folder: translations/x.json."""
    name = path.removeprefix(TRANSLATIONS_FOLDER)
    return path.startswith(TRANSLATIONS_FOLDER) and name.endswith(".json") and "/" not in name


def form_bundle_name(spiff_name: str) -> str:
    """SpiffArena form file name -> bundle path: x-schema.json -> forms/x.json."""
    if spiff_name.endswith(UI_SUFFIX) or not spiff_name.endswith(SCHEMA_SUFFIX):
        return FORMS_FOLDER + spiff_name
    return FORMS_FOLDER + spiff_name.removesuffix(SCHEMA_SUFFIX) + ".json"


def is_form_path(path: str) -> bool:
    """A form's path in a bundle: forms/<name>.json."""
    name = path.removeprefix(FORMS_FOLDER)
    return path.startswith(FORMS_FOLDER) and name.endswith(".json") and "/" not in name


def form_spiff_name(bundle_path: str) -> str:
    """Bundle path -> SpiffArena form file name: forms/x.json -> x-schema.json."""
    name = bundle_path.removeprefix(FORMS_FOLDER)
    if name.endswith(UI_SUFFIX):
        return name
    return name.removesuffix(".json") + SCHEMA_SUFFIX


_PROPERTY_TAG = re.compile(r"<(?:[\w.-]+:)?property\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ATTRIBUTE = re.compile(r"([\w.:-]+)\s*=\s*(\"([^\"]*)\"|'([^']*)')")


def rewrite_form_references(text: str, mapping: Mapping[str, str]) -> str:
    """Replace form file names in formJsonSchemaFilename/formUiSchemaFilename values.

    Works on the text, so every other byte of the file stays as it was.
    """
    if not mapping:
        return text

    def tag(match: re.Match[str]) -> str:
        source = match.group(0)
        attributes = {m.group(1): m for m in _ATTRIBUTE.finditer(source)}
        name, value = attributes.get("name"), attributes.get("value")
        if name is None or value is None or unescape(_value(name)) not in FORM_PROPERTIES:
            return source
        new = mapping.get(unescape(_value(value)))
        if new is None:
            return source
        quote = value.group(2)[0]
        start, end = value.span(2)
        return source[:start] + quote + escape(new, quote=True) + quote + source[end:]

    return _PROPERTY_TAG.sub(tag, text)


def _value(attribute: re.Match[str]) -> str:
    return attribute.group(3) if attribute.group(3) is not None else attribute.group(4)
