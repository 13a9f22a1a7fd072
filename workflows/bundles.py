"""Process bundles: the BPMN, DMN and form files of one process version.

A bundle is read from a folder (or given as a mapping of relative path -> text), validated,
and stored once per content hash. Parsing is done once per version and cached in memory; a
case stores only its own state and points at its version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from lxml import etree
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflows.errors import BundleRefused, Problem
from workflows.models import ProcessVersion
from workflows.sandbox import Mode, ScriptRefused, check_source

MAX_FILE_BYTES = 2_000_000
FORMS_FOLDER = "forms/"
_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_comments=False, load_dtd=False
)
_EXPRESSION_ATTRIBUTES = ("expression", "cardinality", "condition", "retrieval_expression")
_SCRIPT_ATTRIBUTES = ("script", "prescript", "postscript")


def lane_role(lane: str | None) -> str | None:
    """The role that may act in a lane: 'Decision maker' -> 'decision_maker'."""
    return lane.strip().lower().replace(" ", "_") if lane else None


def read_bundle(folder: Path) -> dict[str, str]:
    """The process files of a folder: *.bpmn, *.dmn and forms/*.json, by relative path."""
    paths = [*folder.glob("*.bpmn"), *folder.glob("*.dmn"), *folder.glob("forms/*.json")]
    return {path.relative_to(folder).as_posix(): path.read_text("utf-8") for path in sorted(paths)}


def content_hash(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ParsedBundle:
    specs: dict[str, tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]]
    forms: dict[str, dict[str, Any]]

    def form(self, filename: str | None) -> dict[str, Any] | None:
        return self.forms.get(filename) if filename else None


def parse_xml(name: str, text: str) -> etree._Element:
    """Parse XML without entities, DTDs or network access; refuse oversized files."""
    if len(text.encode()) > MAX_FILE_BYTES:
        raise BundleRefused([Problem(name, None, f"file is larger than {MAX_FILE_BYTES} bytes")])
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise BundleRefused(
            [Problem(name, None, "DOCTYPE and entity declarations are not allowed")]
        )
    try:
        return etree.fromstring(text.encode(), parser=_XML_PARSER)
    except etree.XMLSyntaxError as err:
        raise BundleRefused([Problem(name, None, f"not well-formed XML: {err}")]) from None


def parse_bundle(
    files: dict[str, str], *, known_roles: frozenset[str] | None = None
) -> ParsedBundle:
    """Parse and check a bundle; raise BundleRefused listing every problem found."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    problems: list[Problem] = []
    forms = _load_forms(files, problems)
    for name in sorted(files):
        if not name.endswith((".bpmn", ".dmn")):
            continue
        try:
            root = parse_xml(name, files[name])
            if name.endswith(".dmn"):
                parser.add_dmn_xml(root, filename=name)
            else:
                parser.add_bpmn_xml(root, filename=name)
        except BundleRefused as refused:
            problems.extend(refused.problems)
        except (SpiffWorkflowException, etree.LxmlError, ValueError) as err:
            problems.append(Problem(name, _element_of(err), str(err).strip()))
    if problems:
        raise BundleRefused(problems)
    specs: dict[str, tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]] = {}
    for process_id in parser.get_process_ids():
        try:
            specs[process_id] = (
                parser.get_spec(process_id),
                parser.get_subprocess_specs(process_id),
            )
        except SpiffWorkflowException as err:
            problems.append(Problem(getattr(err, "file_name", "?"), _element_of(err), str(err)))
    for spec, _ in specs.values():
        problems.extend(_check_spec(spec, forms, files, known_roles))
    if problems:
        raise BundleRefused(problems)
    return ParsedBundle(specs=specs, forms=forms)


def _element_of(err: Exception) -> str | None:
    return getattr(err, "id", None) or getattr(err, "name", None)


def _load_forms(files: dict[str, str], problems: list[Problem]) -> dict[str, dict[str, Any]]:
    forms = {}
    for name, text in files.items():
        if not (name.startswith(FORMS_FOLDER) and name.endswith(".json")):
            continue
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as err:
            problems.append(Problem(name, None, f"not valid JSON: {err}"))
            continue
        if not name.endswith("-uischema.json"):
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as err:
                problems.append(Problem(name, "/".join(map(str, err.path)) or None, err.message))
                continue
        forms[name.removeprefix(FORMS_FOLDER)] = schema
    return forms


def _check_spec(
    spec: BpmnProcessSpec,
    forms: dict[str, dict[str, Any]],
    files: dict[str, str],
    known_roles: frozenset[str] | None,
) -> list[Problem]:
    problems = []
    filename = spec.file or "?"
    for task_spec in spec.task_specs.values():
        element = getattr(task_spec, "bpmn_id", None) or task_spec.name
        for source, mode in _sources_of(task_spec):
            try:
                check_source(source, mode)
            except ScriptRefused as err:
                problems.append(Problem(filename, element, f"script refused: {err}"))
        if not getattr(task_spec, "manual", False):
            continue
        role = lane_role(task_spec.lane)
        if role is None:
            problems.append(Problem(filename, element, "user task is not in a lane"))
        elif known_roles is not None and role not in known_roles:
            problems.append(Problem(filename, element, f"lane '{task_spec.lane}' is not a role"))
        properties = (getattr(task_spec, "extensions", None) or {}).get("properties", {})
        form = properties.get("formJsonSchemaFilename")
        if not form:
            problems.append(Problem(filename, element, "user task names no form"))
        elif form not in forms:
            problems.append(Problem(filename, element, f"form file '{form}' is missing or invalid"))
        ui_form = properties.get("formUiSchemaFilename")
        if ui_form and ui_form not in forms:
            problems.append(Problem(filename, element, f"ui schema '{ui_form}' is missing"))
    return problems


def _sources_of(task_spec: Any) -> list[tuple[str, Mode]]:
    """Every script ('exec') and expression ('eval') a task spec will run."""
    sources: list[tuple[str, Mode]] = []
    for attribute in _SCRIPT_ATTRIBUTES:
        value = getattr(task_spec, attribute, None)
        if isinstance(value, str) and value.strip():
            sources.append((value, "exec"))
    carriers = [task_spec, getattr(task_spec, "event_definition", None)]
    for carrier in carriers:
        for attribute in _EXPRESSION_ATTRIBUTES:
            value = getattr(carrier, attribute, None)
            if isinstance(value, str) and value.strip():
                sources.append((value, "eval"))
    definition = getattr(task_spec, "event_definition", None)
    for prop in getattr(definition, "correlation_properties", None) or []:
        sources.append((prop.retrieval_expression, "eval"))
    for condition, _ in getattr(task_spec, "cond_task_specs", None) or []:
        text = condition if isinstance(condition, str) else getattr(condition, "args", [None])[0]
        if isinstance(text, str):
            sources.append((text, "eval"))
    for param in (getattr(task_spec, "operation_params", None) or {}).values():
        sources.append((param["value"], "eval"))
    engine = getattr(task_spec, "dmnEngine", None)
    if engine is not None:
        table = engine.decision_table
        sources.extend((entry.expression, "eval") for entry in table.inputs if entry.expression)
        for rule in table.rules:
            sources.extend((entry.text, "eval") for entry in rule.outputEntries if entry.text)
    return sources


_PARSED: dict[str, ParsedBundle] = {}


def parsed(version: ProcessVersion) -> ParsedBundle:
    """The parsed specs of a stored version, parsed once per process (versions are few)."""
    found = _PARSED.get(version.content_hash)
    if found is None:
        found = _PARSED[version.content_hash] = parse_bundle(version.files)
    return found


def deploy_bundle(
    session: Session,
    files: dict[str, str],
    *,
    bundle: str,
    deployed_by: str,
    now: datetime,
    known_roles: frozenset[str] | None = None,
) -> tuple[ProcessVersion, bool]:
    """Validate and store a bundle as the current version; (version, created).

    Deploying the same files again returns the stored version and changes nothing.
    """
    digest = content_hash(files)
    existing = session.scalar(select(ProcessVersion).where(ProcessVersion.content_hash == digest))
    if existing is not None:
        return existing, False
    parsed_bundle = parse_bundle(files, known_roles=known_roles)
    session.execute(
        update(ProcessVersion).where(ProcessVersion.bundle == bundle).values(is_current=False)
    )
    version = ProcessVersion(
        bundle=bundle,
        content_hash=digest,
        files=files,
        process_ids=sorted(parsed_bundle.specs),
        deployed_by=deployed_by,
        deployed_at=now,
        is_current=True,
    )
    session.add(version)
    session.flush()
    return version, True


def current_version(session: Session, bundle: str) -> ProcessVersion | None:
    return session.scalar(
        select(ProcessVersion).where(ProcessVersion.bundle == bundle, ProcessVersion.is_current)
    )
