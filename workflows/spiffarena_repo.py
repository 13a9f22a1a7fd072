"""A whole SpiffArena repository (or any subtree of it) as grantflow process models.

Every folder with a ``process_model.json`` becomes one model. Its bundle is what
workflows.interop.import_spiffarena builds (its BPMN, DMN, forms and translations, plus the
files of other models its call activities reach), and two more things so that an export gives
the folder back byte for byte:

- every other file of the folder (markdown, example data, extension ui schemas…) is kept
  unchanged as ``spiffarena/<name>``: the engine does not read it, the export writes it back;
- ``spiffarena.json`` says which bundle files came from other models (``called``: bundle path
  -> their SpiffArena path), so that the export leaves them out, keeps the scalar fields of
  the enclosing ``process_group.json`` files (``groups``: group path -> fields), the
  model's SpiffArena path (``path``), where the export puts it back, and the SpiffArena names
  of forms that the layout's naming rule would not give back (``forms``: bundle path -> file
  name, e.g. ``forms/form1_ui.json`` -> ``form1_ui.json``).

SpiffArena's ids are paths ("misc/jonjon/ham"); a grantflow model id is the same path when it
already is one (lower case letters, digits, '-' and '_', at most 200 characters), else a
normalized path with a hash of the original, so the same folder always gets the same id.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from posixpath import dirname
from typing import Any

from workflows.errors import Problem
from workflows.interop import find_models, import_spiffarena
from workflows.json_limits import load_json
from workflows.spiffarena_layout import (
    EXTRA_FOLDER,
    GROUP_FILE,
    MANIFEST,
    MODEL_FILE,
    form_spiff_name,
    is_form_path,
)

MAX_MODEL_ID = 200
_SEGMENT = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
_GROUP_LISTS = ("process_groups", "process_models")


@dataclass
class ModelImport:
    """One SpiffArena model of an upload, ready to become (or update) a grantflow model."""

    path: str  # the SpiffArena id: the folder's path in the tree
    model_id: str
    group_path: str
    display_name: str
    description: str
    primary_process_id: str | None
    metadata: dict[str, Any] | None  # process_model.json as read (None when unreadable)
    files: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]


def model_id_for(path: str, display_name: str = "") -> str:
    """The grantflow model id of the SpiffArena model at ``path`` (deterministic, unique)."""
    source = path or display_name or "process-model"
    segments = [_slug(part) for part in source.split("/")]
    candidate = "/".join(segments)
    if candidate == source and len(segments[0]) > 1 and len(candidate) <= MAX_MODEL_ID:
        return candidate
    suffix = hashlib.sha256(source.encode()).hexdigest()[:10]
    segments[-1] = f"{segments[-1][:80]}-{suffix}"
    if len(segments[0]) < 2:  # a model id's first part has two characters at least
        segments[0] = f"{segments[0]}-m"
    candidate = "/".join(segments)
    while len(candidate) > MAX_MODEL_ID and len(segments) > 1:
        segments = [segments[0][:40], *segments[2:]] if len(segments) > 2 else segments[-1:]
        candidate = "/".join(segments)
    return candidate[:MAX_MODEL_ID]


def _slug(part: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", part.lower()).strip("-_")[:100]
    return slug if _SEGMENT.fullmatch(slug) else f"m{slug}"[:100] if slug else "model"


def import_repository(
    tree: Mapping[str, bytes | str], deployed: Mapping[str, bytes | str] | None = None
) -> list[ModelImport]:
    """Every process model of ``tree``, sorted by path. ``deployed`` is the SpiffArena layout of
    models already deployed (workflows.spiffarena_export.export_tree): call activities into
    them are resolved too, models of the upload taking precedence."""
    models = find_models(tree)
    paths = {model.path for model in models}
    merged: dict[str, bytes | str] = {
        path: content
        for path, content in (deployed or {}).items()
        if not any(folder and _inside(path, folder) for folder in paths)
    }
    merged.update(tree)
    return [_import_one(tree, merged, model.path) for model in models]


def _import_one(
    tree: Mapping[str, bytes | str], merged: Mapping[str, bytes | str], path: str
) -> ModelImport:
    result = import_spiffarena(merged, path)
    meta_path = f"{path}/{MODEL_FILE}" if path else MODEL_FILE
    metadata = _json_object(tree[meta_path])
    files = dict(result.files)
    problems = list(result.problems)
    prefix = f"{path}/" if path else ""
    folder = _folder_files(tree, path)
    own = {prefix + name for name in folder}
    called = {b: s for b, s in sorted(result.sources.items()) if s not in own}
    taken = set(result.sources.values())
    for name, content in sorted(folder.items()):
        if name == MODEL_FILE or prefix + name in taken:
            continue
        text = _text(content)
        if text is None:
            problems.append(
                Problem(prefix + name, None, "kept out: not UTF-8 text", severity="warning")
            )
            continue
        files[EXTRA_FOLDER + name] = text
    forms = {
        bundle: source.removeprefix(prefix)
        for bundle, source in sorted(result.sources.items())
        if source in own
        and is_form_path(bundle)
        and form_spiff_name(bundle) != source.removeprefix(prefix)
    }
    manifest: dict[str, Any] = {
        "called": called,
        "forms": forms,
        "groups": _groups(tree, path),
        "path": path,
    }
    files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    return ModelImport(
        path=path,
        model_id=model_id_for(path, result.display_name or ""),
        group_path=dirname(path),
        display_name=result.display_name or path,
        description=result.description,
        primary_process_id=result.primary_process_id,
        metadata=metadata,
        files=files,
        problems=problems,
    )


def _inside(path: str, folder: str) -> bool:
    return not folder or path.startswith(f"{folder}/")


def _folder_files(tree: Mapping[str, bytes | str], folder: str) -> dict[str, bytes | str]:
    """The files of a model folder by relative path, without those of nested models."""
    prefix = f"{folder}/" if folder else ""
    nested = {
        dirname(p)
        for p in tree
        if p.endswith(f"/{MODEL_FILE}") and p.startswith(prefix) and dirname(p) != folder
    }
    return {
        path.removeprefix(prefix): content
        for path, content in tree.items()
        if path.startswith(prefix) and not any(_inside(path, other) for other in nested)
    }


def _groups(tree: Mapping[str, bytes | str], folder: str) -> dict[str, dict[str, Any]]:
    """The scalar fields of each enclosing process_group.json (not its lists of members)."""
    groups = {}
    parts = folder.split("/") if folder else []
    for depth in range(1, len(parts)):
        group = "/".join(parts[:depth])
        content = tree.get(f"{group}/{GROUP_FILE}")
        if content is not None:
            fields = _json_object(content) or {}
            groups[group] = {k: v for k, v in fields.items() if k not in _GROUP_LISTS}
    return groups


def _json_object(content: bytes | str) -> dict[str, Any] | None:
    try:
        value = load_json(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _text(content: bytes | str) -> str | None:
    if isinstance(content, str):
        return content
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None
