"""Export a bundle as a zip of a SpiffArena process model folder (see workflows.interop)."""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workflows.bpmn_xml import BPMN_NS, parse_xml
from workflows.bundle_layout import FORMS_FOLDER
from workflows.errors import BundleRefused, Problem
from workflows.spiffarena_layout import (
    EXTRA_FOLDER,
    GROUP_FILE,
    MANIFEST,
    MODEL_FILE,
    form_spiff_name,
    is_form_path,
    is_translations_file,
    read_manifest,
    rewrite_form_references,
)

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class ExportedModel:
    """One model to export: its files, its SpiffArena folder and what process_model.json says.

    ``metadata`` is the process_model.json an import kept (written back as it was); without
    it one is written from the display name, description and primary process.
    """

    files: Mapping[str, str]
    folder: str
    display_name: str
    primary_process_id: str
    description: str = ""
    metadata: Mapping[str, Any] | None = None


def export_spiffarena(
    files: Mapping[str, str],
    *,
    model_id: str,
    display_name: str,
    primary_process_id: str,
    description: str = "",
    metadata: Mapping[str, Any] | None = None,
) -> bytes:
    """A zip of the bundle as a SpiffArena process model folder ``<model_id>/``.

    model_id may name enclosing process groups ('grants/funding-call'); each group folder gets
    a process_group.json. Translation catalogs go unchanged into ``<model_id>/translations/``.
    The zip is deterministic: same files, same bytes.
    """
    if not all(_IDENTIFIER.fullmatch(segment) for segment in model_id.split("/")):
        raise ValueError(f"'{model_id}' is not a process model id (letters, digits, - and _)")
    model = ExportedModel(
        files, model_id, display_name, primary_process_id, description, metadata=metadata
    )
    return zip_entries(export_tree([model]))


def export_tree(models: Sequence[ExportedModel]) -> dict[str, str]:
    """SpiffArena's layout of several models: path -> text, process_group.json files included
    (with the fields an import kept, else the folder name as display name)."""
    entries: dict[str, str] = {}
    groups: dict[str, dict[str, Any]] = {}
    for model in models:
        manifest = read_manifest(model.files)
        for name, text in model_entries(model).items():
            entries[f"{model.folder}/{name}" if model.folder else name] = text
        segments = model.folder.split("/") if model.folder else []
        for depth in range(1, len(segments)):
            group = "/".join(segments[:depth])
            kept = (manifest.get("groups") or {}).get(group)
            if isinstance(kept, dict):
                groups[group] = kept
            else:
                groups.setdefault(group, {"description": "", "display_name": segments[depth - 1]})
    for group, fields in groups.items():
        entries.setdefault(f"{group}/{GROUP_FILE}", _spiff_json(fields))
    return dict(sorted(entries.items()))


def model_entries(model: ExportedModel) -> dict[str, str]:
    """The files of one model folder by relative name; raise BundleRefused if one cannot go."""
    if not model.display_name.strip() and model.metadata is None:
        raise ValueError("a process model needs a display name")
    files = model.files
    manifest = read_manifest(files)
    called = set(manifest.get("called") or {})
    named = manifest.get("forms") or {}
    entries: dict[str, str] = {}
    problems: list[Problem] = []
    forms = {
        p: str(named.get(p) or form_spiff_name(p))
        for p in files
        if is_form_path(p) and p not in called
    }
    references = {p.removeprefix(FORMS_FOLDER): n for p, n in forms.items()}
    references = {old: new for old, new in references.items() if old != new}
    primary_file = None
    for path in sorted(files):
        if path in called or path == MANIFEST:
            continue
        if path.startswith(EXTRA_FOLDER):
            entries[path.removeprefix(EXTRA_FOLDER)] = files[path]
        elif path in forms or is_translations_file(path):
            entries[forms.get(path, path)] = files[path]
        elif path.endswith((".bpmn", ".dmn")) and "/" not in path:
            text = files[path]
            if path.endswith(".bpmn"):
                text = rewrite_form_references(text, references)
                if primary_file is None and _defines_process(path, text, model.primary_process_id):
                    primary_file = path
            entries[path] = text
        else:
            problems.append(Problem(path, None, "is not a process file and cannot be exported"))
    if primary_file is None and model.metadata is None:
        problems.append(
            Problem(
                model.folder or MODEL_FILE,
                None,
                f"no BPMN file defines process '{model.primary_process_id}'",
            )
        )
    if problems:
        raise BundleRefused(problems)
    entries[MODEL_FILE] = _spiff_json(
        dict(model.metadata)
        if model.metadata is not None
        else {
            "description": model.description,
            "display_name": model.display_name,
            "exception_notification_addresses": [],
            "fault_or_suspend_on_exception": "fault",
            "metadata_extraction_paths": None,
            "primary_file_name": primary_file,
            "primary_process_id": model.primary_process_id,
        }
    )
    return entries


def zip_entries(entries: Mapping[str, str]) -> bytes:
    """A deterministic zip of path -> text (same entries, same bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            _write(archive, name, entries[name])
    return buffer.getvalue()


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
