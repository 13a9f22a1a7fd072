"""Export a bundle as a zip of a SpiffArena process model folder (see workflows.interop)."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping
from typing import Any

from workflows.bpmn_xml import BPMN_NS, parse_xml
from workflows.bundle_layout import FORMS_FOLDER
from workflows.errors import BundleRefused, Problem
from workflows.spiffarena_layout import (
    GROUP_FILE,
    MODEL_FILE,
    form_spiff_name,
    is_translations_file,
    rewrite_form_references,
)

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def export_spiffarena(
    files: Mapping[str, str],
    *,
    model_id: str,
    display_name: str,
    primary_process_id: str,
    description: str = "",
) -> bytes:
    """A zip of the bundle as a SpiffArena process model folder ``<model_id>/``.

    model_id may name enclosing process groups ('grants/funding-call'); each group folder gets
    a process_group.json. Translation catalogs go unchanged into ``<model_id>/translations/``.
    The zip is deterministic: same files, same bytes.
    """
    segments = model_id.split("/")
    if not all(_IDENTIFIER.fullmatch(segment) for segment in segments):
        raise ValueError(f"'{model_id}' is not a process model id (letters, digits, - and _)")
    if not display_name.strip():
        raise ValueError("a process model needs a display name")
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    forms = {p: form_spiff_name(p) for p in files if _is_form_path(p)}
    references = {p.removeprefix(FORMS_FOLDER): n for p, n in forms.items()}
    references = {old: new for old, new in references.items() if old != new}
    primary_file = None
    for path in sorted(files):
        if path in forms or is_translations_file(path):
            entries[forms.get(path, path)] = files[path]
        elif path.endswith((".bpmn", ".dmn")) and "/" not in path:
            text = files[path]
            if path.endswith(".bpmn"):
                text = rewrite_form_references(text, references)
                if primary_file is None and _defines_process(path, text, primary_process_id):
                    primary_file = path
            entries[path] = text
        else:
            problems.append(Problem(path, None, "is not a process file and cannot be exported"))
    if primary_file is None:
        problems.append(
            Problem(model_id, None, f"no BPMN file defines process '{primary_process_id}'")
        )
    if problems:
        raise BundleRefused(problems)
    entries[MODEL_FILE] = _spiff_json(
        {
            "description": description,
            "display_name": display_name,
            "exception_notification_addresses": [],
            "fault_or_suspend_on_exception": "fault",
            "metadata_extraction_paths": None,
            "primary_file_name": primary_file,
            "primary_process_id": primary_process_id,
        }
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for depth in range(1, len(segments)):
            group = "/".join(segments[:depth])
            meta = {"description": "", "display_name": segments[depth - 1]}
            _write(archive, f"{group}/{GROUP_FILE}", _spiff_json(meta))
        for name in sorted(entries):
            _write(archive, f"{model_id}/{name}", entries[name])
    return buffer.getvalue()


def _is_form_path(path: str) -> bool:
    name = path.removeprefix(FORMS_FOLDER)
    return path.startswith(FORMS_FOLDER) and name.endswith(".json") and "/" not in name


def _spiff_json(value: dict[str, Any]) -> str:
    """JSON as SpiffArena writes its metadata files: indent 4, sorted keys."""
    return json.dumps(value, indent=4, sort_keys=True)


def _write(archive: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    archive.writestr(info, text.encode("utf-8"))


def _defines_process(name: str, text: str, process_id: str) -> bool:
    try:
        root = parse_xml(name, text)
    except BundleRefused:
        return False
    return any(p.get("id") == process_id for p in root.iter(f"{{{BPMN_NS}}}process"))
