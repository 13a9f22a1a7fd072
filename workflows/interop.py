"""Import and export process models: SpiffArena folder trees and single BPMN files.

A grantflow bundle is flat: ``*.bpmn`` and ``*.dmn`` at the top, forms as ``forms/<name>.json``
(JSON Schema) and ``forms/<name>-uischema.json``. A SpiffArena process model is a folder with
``process_model.json``, its BPMN and DMN files, and forms beside them named
``<name>-schema.json`` and ``<name>-uischema.json``; process groups are folders with
``process_group.json``. User tasks name forms by bare file name in both layouts. Translation
catalogs are ``translations/<lang>.json`` in both: a model's own catalogs are imported with it
(those of a model it calls are not: the catalogs are the imported model's).

Form names map one to one, so that import(export(bundle)) gives back the bundle byte for byte;
workflows.spiffarena_layout holds that mapping and the rewrite of form references in the BPMN.

Importing one model also brings in, transitively, the BPMN files of other models of the upload
that define the processes its call activities call, with their forms and the DMN files their
business rule tasks use. Two different files that would get the same bundle name are not
refused: the file that comes later (a called model's) is renamed ``<model-slug>--<name>`` and,
for forms, the references in that model's BPMN are rewritten to match; ``ImportResult.renamed``
lists every rename so the page can show it. Identical files are taken once. Two different
files defining the same process or decision id are a Problem: ids cannot be renamed safely.

Uploaded zips are unpacked by workflows.uploads and Camunda Modeler files are checked by
workflows.camunda; the export lives in workflows.spiffarena_export. zip_tree, check_camunda,
export_spiffarena and the form-name helpers are re-exported here for callers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from posixpath import basename, dirname
from typing import Any

from lxml import etree

from workflows.bpmn_xml import BPMN_NS, MAX_FILE_BYTES, SPIFF_NS, parse_xml
from workflows.bundle_layout import FORMS_FOLDER
from workflows.camunda import camunda_problems, check_camunda, owner_id
from workflows.errors import BundleRefused, Problem
from workflows.json_limits import load_json
from workflows.spiffarena_export import export_spiffarena
from workflows.spiffarena_layout import (
    FORM_PROPERTIES,
    GROUP_FILE,
    MODEL_FILE,
    SCHEMA_SUFFIX,
    UI_SUFFIX,
    form_bundle_name,
    form_spiff_name,
    is_translations_file,
    rewrite_form_references,
)
from workflows.uploads import clean_path, zip_tree

__all__ = [
    "ImportResult",
    "ModelInfo",
    "check_camunda",
    "export_spiffarena",
    "find_models",
    "form_bundle_name",
    "form_spiff_name",
    "import_bpmn_file",
    "import_spiffarena",
    "rewrite_form_references",
    "zip_tree",
]


@dataclass(frozen=True)
class ModelInfo:
    """One SpiffArena process model of an uploaded tree ('' is a model at the top)."""

    path: str
    display_name: str
    primary_process_id: str | None
    primary_file_name: str | None
    description: str = ""
    groups: tuple[str, ...] = ()  # display names of the enclosing process groups


@dataclass
class ImportResult:
    """A bundle built from uploaded files, with every finding (errors and warnings)."""

    files: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    display_name: str | None = None
    primary_process_id: str | None = None
    description: str = ""
    sources: dict[str, str] = field(default_factory=dict)  # bundle path -> uploaded path
    renamed: dict[str, str] = field(default_factory=dict)  # uploaded path -> bundle path
    skipped: list[str] = field(default_factory=list)  # model files that are no process files

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import (warnings may remain)."""
        return not self.errors


# --- SpiffArena trees ----------------------------------------------------------------------


def find_models(tree: Mapping[str, bytes | str]) -> list[ModelInfo]:
    """Every process model of a tree (a folder with process_model.json), sorted by path."""
    models = []
    for path in sorted(tree):
        if basename(path) != MODEL_FILE:
            continue
        folder = dirname(path)
        meta = _json_object(tree[path])
        display = meta.get("display_name")
        models.append(
            ModelInfo(
                path=folder,
                display_name=_str_or_none(display) or basename(folder) or "process model",
                primary_process_id=_str_or_none(meta.get("primary_process_id")),
                primary_file_name=_str_or_none(meta.get("primary_file_name")),
                description=_str_or_none(meta.get("description")) or "",
                groups=_groups_of(tree, folder),
            )
        )
    return models


def _groups_of(tree: Mapping[str, bytes | str], folder: str) -> tuple[str, ...]:
    groups = []
    parts = folder.split("/") if folder else []
    for depth in range(1, len(parts)):
        group = "/".join(parts[:depth])
        meta_path = f"{group}/{GROUP_FILE}"
        if meta_path in tree:
            display = _json_object(tree[meta_path]).get("display_name")
            groups.append(display if isinstance(display, str) and display else parts[depth - 1])
    return tuple(groups)


def _json_object(content: bytes | str) -> dict[str, Any]:
    try:
        value = load_json(content)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _json_problem(content: bytes | str | None) -> str | None:
    """Why a model's process_model.json cannot be read (None when it can)."""
    try:
        load_json(content or "{}")
    except json.JSONDecodeError as err:
        return f"not valid JSON: {err}"
    except UnicodeDecodeError:
        return "not UTF-8 text"
    return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def import_spiffarena(tree: Mapping[str, bytes | str], model_path: str) -> ImportResult:
    """Build a bundle from the process model at model_path and the processes it calls."""
    model_path = model_path.strip("/")
    models = {model.path: model for model in find_models(tree)}
    model = models.get(model_path)
    if model is None:
        where = f"{model_path}/{MODEL_FILE}" if model_path else MODEL_FILE
        return ImportResult(files={}, problems=[Problem(where, None, "no process model here")])
    builder = _Builder(tree, set(models))
    builder.add_model(model_path)
    builder.resolve_calls()
    result = builder.result()
    result.display_name = model.display_name
    result.primary_process_id = model.primary_process_id
    result.description = model.description
    _check_primary(model, builder, result)
    return result


def _check_primary(model: ModelInfo, builder: _Builder, result: ImportResult) -> None:
    meta = f"{model.path}/{MODEL_FILE}" if model.path else MODEL_FILE
    if unreadable := _json_problem(builder.tree.get(meta)):
        result.problems.append(Problem(meta, None, unreadable))
    primary_file = (
        f"{model.path}/{model.primary_file_name}" if model.path else model.primary_file_name
    )
    if primary_file and primary_file not in builder.tree:
        message = f"primary file '{model.primary_file_name}' is missing"
        result.problems.append(Problem(meta, None, message))
    process = model.primary_process_id
    if process and process not in builder.processes:
        message = f"primary process '{process}' is defined by no BPMN file"
        result.problems.append(Problem(meta, None, message))


@dataclass
class _Parsed:
    """What the import needs to know of one BPMN or DMN file."""

    processes: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)  # (callActivity id, process)
    decision_calls: list[tuple[str, str]] = field(default_factory=list)  # (task id, decision)
    forms: list[tuple[str, str]] = field(default_factory=list)  # (task id, form file name)


class _Builder:
    """Collects the bundle of one import; one instance per call of import_spiffarena."""

    def __init__(self, tree: Mapping[str, bytes | str], model_paths: set[str]) -> None:
        self.tree = tree
        self.model_paths = model_paths
        self.files: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.renamed: dict[str, str] = {}
        self.skipped: list[str] = []
        self.problems: list[Problem] = []
        self.processes: dict[str, str] = {}  # process id -> uploaded path
        self.decisions: dict[str, str] = {}
        self.taken: set[str] = set()  # uploaded paths already in the bundle
        self.pending: list[str] = []  # uploaded BPMN paths whose calls are not resolved yet
        self._parsed: dict[str, _Parsed | None] = {}
        self._texts: dict[str, str | None] = {}
        self._errors: dict[str, list[Problem]] = {}  # per uploaded path, reported if needed
        self._needed: dict[str, None] = {}  # uploaded paths the bundle uses, in order
        self._index: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None

    # files of the tree

    def text(self, path: str) -> str | None:
        if path not in self._texts:
            content = self.tree[path]
            try:
                text = content if isinstance(content, str) else content.decode("utf-8")
            except UnicodeDecodeError:
                text = None
                self._errors.setdefault(path, []).append(Problem(path, None, "not UTF-8 text"))
            self._texts[path] = text
        return self._texts[path]

    def parsed(self, path: str, *, report: bool = True) -> _Parsed | None:
        """The file's ids and references; its errors count only once the bundle uses it."""
        if report:
            self._needed[path] = None
        if path not in self._parsed:
            text = self.text(path)
            root = None
            try:
                root = parse_xml(path, text) if text is not None else None
            except BundleRefused as refused:
                self._errors.setdefault(path, []).extend(refused.problems)
            self._parsed[path] = _parse(root) if root is not None else None
        return self._parsed[path]

    # adding files

    def add_model(self, model_path: str) -> None:
        prefix = f"{model_path}/" if model_path else ""
        own = sorted(p for p in self.tree if dirname(p) == model_path)
        bpmns = [p for p in own if p.endswith(".bpmn")]
        referenced = {form for path in bpmns for _, form in self._forms_of(path)}
        mapping: dict[str, str] = {}
        for path in own:
            name = path.removeprefix(prefix)
            if path.endswith(".dmn"):
                self.add_decisions(path)
            elif path.endswith(".json") and (
                name.endswith((SCHEMA_SUFFIX, UI_SUFFIX)) or name in referenced
            ):
                added = self.add_file(path, form_bundle_name(name))
                if added:
                    mapping[name] = added.removeprefix(FORMS_FOLDER)
            elif not path.endswith(".bpmn") and name != MODEL_FILE:
                self.skipped.append(path)
        for path in bpmns:
            self.add_bpmn(path, mapping)
        for path in sorted(p for p in self.tree if p.startswith(prefix)):
            name = path.removeprefix(prefix)
            if is_translations_file(name):
                self.add_file(path, name)

    def add_called(self, path: str) -> None:
        """A BPMN file of another model, with the forms its user tasks name."""
        if path in self.taken:
            return
        folder = dirname(path)
        prefix = f"{folder}/" if folder else ""
        mapping: dict[str, str] = {}
        for _, form in self._forms_of(path):
            source = prefix + form
            if form in mapping or "/" in form or source not in self.tree:
                continue  # add_bpmn reports the form as missing
            added = self.add_file(source, form_bundle_name(form))
            if added:
                mapping[form] = added.removeprefix(FORMS_FOLDER)
        self.add_bpmn(path, mapping)

    def _forms_of(self, path: str) -> list[tuple[str, str]]:
        parsed = self.parsed(path)
        return parsed.forms if parsed else []

    def add_bpmn(self, path: str, forms: dict[str, str]) -> None:
        if path in self.taken:
            return
        text = self.text(path)
        parsed = self.parsed(path)
        if text is None or parsed is None:
            return
        folder = dirname(path)
        for element, form in parsed.forms:
            if form not in forms:
                where = f"{folder}/{form}" if folder else form
                self.problems.append(
                    Problem(path, element, f"form file '{form}' is not in the model ({where})")
                )
        self.problems.extend(check_camunda(path, text))
        renamed = rewrite_form_references(text, {k: v for k, v in forms.items() if k != v})
        if self.add_file(path, basename(path), renamed):
            self._define(parsed.processes, path, self.processes, "process")
            self.pending.append(path)

    def add_decisions(self, path: str) -> None:
        if path in self.taken:
            return
        parsed = self.parsed(path)
        if parsed is not None and self.add_file(path, basename(path)):
            self._define(parsed.decisions, path, self.decisions, "decision")

    def _define(self, ids: list[str], path: str, defined: dict[str, str], kind: str) -> None:
        for identifier in ids:
            other = defined.get(identifier)
            if other is not None and self.text(other) != self.text(path):
                self.problems.append(
                    Problem(path, identifier, f"{kind} '{identifier}' is also defined in {other}")
                )
            defined.setdefault(identifier, path)

    def add_file(self, source: str, name: str, text: str | None = None) -> str | None:
        """Put one uploaded file into the bundle; its bundle path, or None if it failed."""
        self.taken.add(source)
        self._needed[source] = None
        text = self.text(source) if text is None else text
        if text is None:
            return None
        if len(text.encode()) > MAX_FILE_BYTES:
            self.problems.append(Problem(source, None, f"larger than {MAX_FILE_BYTES} bytes"))
            return None
        target = name
        if target in self.files and self.files[target] != text:
            target = _renamed(name, dirname(source))
            if target in self.files and self.files[target] != text:
                first = self.sources[name]
                self.problems.append(
                    Problem(source, None, f"{first} and {source} both become '{name}'")
                )
                return None
            self.renamed[source] = target
        self.files[target] = text
        self.sources.setdefault(target, source)
        return target

    # call activities and business rule tasks

    def resolve_calls(self) -> None:
        while self.pending:
            path = self.pending.pop(0)
            parsed = self.parsed(path)
            if parsed is None:
                continue
            for element, process in parsed.calls:
                if process not in self.processes:
                    self._bring(path, element, process, kind="process")
            for element, decision in parsed.decision_calls:
                if decision not in self.decisions:
                    self._bring(path, element, decision, kind="decision")

    def _bring(self, path: str, element: str, identifier: str, *, kind: str) -> None:
        processes, decisions = self.index()
        candidates = (processes if kind == "process" else decisions).get(identifier, [])
        here = [c for c in candidates if dirname(c) == dirname(path)]
        distinct = {self.text(c) for c in candidates}
        if not candidates:
            noun = "BPMN file" if kind == "process" else "DMN file"
            self.problems.append(
                Problem(
                    path,
                    element,
                    f"calls {kind} '{identifier}', which no {noun} of a process model"
                    " in the upload defines",
                )
            )
            return
        if len(distinct) > 1 and not here:
            self.problems.append(
                Problem(
                    path,
                    element,
                    f"{kind} '{identifier}' is defined in several files: {', '.join(candidates)}",
                )
            )
            return
        chosen = (here or candidates)[0]
        if kind == "process":
            self.add_called(chosen)
        else:
            self.add_decisions(chosen)

    def index(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Process and decision ids of every BPMN and DMN file in a process model folder."""
        if self._index is None:
            processes: dict[str, list[str]] = {}
            decisions: dict[str, list[str]] = {}
            for path in sorted(self.tree):
                if dirname(path) not in self.model_paths or not path.endswith((".bpmn", ".dmn")):
                    continue
                parsed = self.parsed(path, report=False)
                for process in parsed.processes if parsed else []:
                    processes.setdefault(process, []).append(path)
                for decision in parsed.decisions if parsed else []:
                    decisions.setdefault(decision, []).append(path)
            self._index = (processes, decisions)
        return self._index

    def result(self) -> ImportResult:
        errors = [problem for path in self._needed for problem in self._errors.get(path, [])]
        return ImportResult(
            files=dict(sorted(self.files.items())),
            problems=errors + self.problems,
            sources=self.sources,
            renamed=self.renamed,
            skipped=self.skipped,
        )


def _renamed(name: str, model_path: str) -> str:
    slug = model_path.replace("/", "-") or "model"
    if name.startswith(FORMS_FOLDER):
        return f"{FORMS_FOLDER}{slug}--{name.removeprefix(FORMS_FOLDER)}"
    return f"{slug}--{name}"


def _parse(root: etree._Element) -> _Parsed:
    parsed = _Parsed()
    if etree.QName(root).localname == "definitions" and etree.QName(root).namespace != BPMN_NS:
        parsed.decisions = [
            d.get("id", "")
            for d in root
            if isinstance(d.tag, str) and etree.QName(d).localname == "decision"
        ]
        return parsed
    parsed.processes = [p.get("id", "") for p in root.iter(f"{{{BPMN_NS}}}process")]
    for call in root.iter(f"{{{BPMN_NS}}}callActivity"):
        if call.get("calledElement"):
            parsed.calls.append((call.get("id", ""), call.get("calledElement", "")))
    for called in root.iter(f"{{{SPIFF_NS}}}calledDecisionId"):
        if called.text and called.text.strip():
            parsed.decision_calls.append((owner_id(called) or "", called.text.strip()))
    for prop in root.iter(f"{{{SPIFF_NS}}}property"):
        if prop.get("name") in FORM_PROPERTIES and prop.get("value"):
            parsed.forms.append((owner_id(prop) or "", prop.get("value", "")))
    return parsed


# --- single BPMN files ---------------------------------------------------------------------


def import_bpmn_file(name: str, text: str) -> ImportResult:
    """A bundle of one uploaded BPMN file (Camunda Modeler or SpiffArena), checked."""
    clean, reason = clean_path(name)
    if clean is None or "/" in clean or not clean.endswith(".bpmn"):
        return ImportResult(files={}, problems=[Problem(name, None, reason or "not a .bpmn file")])
    result = ImportResult(files={clean: text}, sources={clean: name})
    try:
        root = parse_xml(clean, text)
    except BundleRefused as refused:
        return ImportResult(files={}, problems=refused.problems)
    result.problems.extend(camunda_problems(clean, root))
    parsed = _parse(root)
    for element, process in parsed.calls:
        if process not in parsed.processes:
            result.problems.append(
                Problem(
                    clean, element, f"calls process '{process}', which this file does not define"
                )
            )
    processes = list(root.iter(f"{{{BPMN_NS}}}process"))
    executable = [p for p in processes if p.get("isExecutable") == "true"] or processes
    if executable:
        result.primary_process_id = executable[0].get("id")
        result.display_name = executable[0].get("name") or result.primary_process_id
    return result
