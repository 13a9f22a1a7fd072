"""Process bundles: the BPMN, DMN and form files of one process version.

A bundle is read from a folder (or given as a mapping of relative path -> text), validated,
and stored once per content hash. Parsing is done once per version and cached in memory; a
case stores only its own state and points at its version.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR
from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from workflows.bpmn_xml import parse_xml, with_prefixes
from workflows.bundle_layout import FORMS_FOLDER
from workflows.contract import BoundCall, Contract, check_contract
from workflows.decisions import DecisionParser
from workflows.errors import BundleRefused, Problem
from workflows.json_limits import load_json
from workflows.lanes import is_initiators, lane_role
from workflows.lint import lint_bundle
from workflows.models import ProcessModel, ProcessVersion, WorkflowInstance
from workflows.safe_jsonschema import schema_problems
from workflows.sandbox import Mode, ScriptRefused, check_source
from workflows.translations import load_catalogs

_EXPRESSION_ATTRIBUTES = ("expression", "cardinality", "condition", "retrieval_expression")
_SCRIPT_ATTRIBUTES = ("script", "prescript", "postscript")
# What the engine's parsers raise on a file they cannot read (a DMN without a decision raises
# IndexError, one without an id KeyError): each is a refusal of that file, not a crash.
_PARSE_ERRORS = (
    SpiffWorkflowException,
    etree.LxmlError,
    ValueError,
    LookupError,
    AttributeError,
    TypeError,
)


def read_bundle(folder: Path) -> dict[str, str]:
    """The process files of a folder, by relative path: *.bpmn, *.dmn, forms/*.json and the
    translation catalogs translations/*.json."""
    paths = [
        *folder.glob("*.bpmn"),
        *folder.glob("*.dmn"),
        *folder.glob("forms/*.json"),
        *folder.glob("translations/*.json"),
    ]
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
    # language -> English text as the process files write it -> its translation
    translations: dict[str, dict[str, str]] = field(default_factory=dict)

    def form(self, filename: str | None) -> dict[str, Any] | None:
        return self.forms.get(filename) if filename else None


def parse_bundle(
    files: dict[str, str],
    *,
    known_roles: frozenset[str] | None = None,
    contract: Contract | None = None,
    bound: Sequence[BoundCall] = (),
    lint: bool = True,
    lane_roles: Mapping[str, str] | None = None,
    deployed: Mapping[str, str] | None = None,
) -> ParsedBundle:
    """Parse and check a bundle; raise BundleRefused listing every error (warnings pass).

    ``lint=False`` skips the rules of workflows/lint/ and the contract: for versions already
    deployed, which keep working even if a later rule would have refused them.
    """
    parsed_bundle, problems = examine_bundle(
        files,
        known_roles,
        contract=contract,
        bound=bound,
        lint=lint,
        lane_roles=lane_roles,
        deployed=deployed,
    )
    errors = [problem for problem in problems if problem.is_error]
    if errors or parsed_bundle is None:
        raise BundleRefused(errors)
    return parsed_bundle


def check_bundle(
    files: dict[str, str],
    known_roles: frozenset[str] | None = None,
    *,
    contract: Contract | None = None,
    bound: Sequence[BoundCall] = (),
    start_data: Mapping[str, Collection[str]] | None = None,
    lane_roles: Mapping[str, str] | None = None,
    deployed: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every problem of a bundle, errors and warnings, without raising: for a validation view.

    The engine's checks run first, then the rules of workflows/lint/ on what it read, then the
    model's contract (workflows/contract.py) when one is given. ``lane_roles`` is the model's
    mapping of lane names to roles (see workflows.lanes); ``deployed`` the BPMN files of the
    other deployed models (see deployed_elsewhere), where messages may be thrown and caught.
    """
    return examine_bundle(
        files,
        known_roles,
        contract=contract,
        bound=bound,
        start_data=start_data,
        lane_roles=lane_roles,
        deployed=deployed,
    )[1]


def examine_bundle(
    files: dict[str, str],
    known_roles: frozenset[str] | None = None,
    *,
    contract: Contract | None = None,
    bound: Sequence[BoundCall] = (),
    start_data: Mapping[str, Collection[str]] | None = None,
    lint: bool = True,
    lane_roles: Mapping[str, str] | None = None,
    deployed: Mapping[str, str] | None = None,
) -> tuple[ParsedBundle | None, list[Problem]]:
    """The parsed bundle (None when the engine refused a file) and every problem found, errors
    and warnings. With a ``contract`` (a model's: see workflows.contract) the bundle must keep
    it, for the ``bound`` calls too; its start data is what the timer rule assumes, unless
    ``start_data`` (see workflows.lint.lint_bundle) is given."""
    parser = DecisionParser(validator=VALIDATOR)
    problems: list[Problem] = []
    forms = _load_forms(files, problems)
    translations = load_catalogs(files, problems)
    documents, refused = _add_documents(parser, files, problems)
    if start_data is None and contract is not None:
        start_data = contract.start_data
    if lint:
        problems.extend(
            lint_bundle(
                documents,
                refused=refused,
                forms=forms,
                start_data=start_data,
                translations=translations,
                deployed=_parseable(deployed or {}),
            )
        )
    if refused:
        return None, problems
    specs: dict[str, tuple[BpmnProcessSpec, dict[str, BpmnProcessSpec]]] = {}
    # Taken once, before any get_spec: building a spec registers each embedded sub-process
    # with the parser as one more process id, which must not count as a process missing here.
    process_ids = parser.get_process_ids()
    for process_id in process_ids:
        try:
            specs[process_id] = (
                parser.get_spec(process_id),
                parser.get_subprocess_specs(process_id),
            )
        except SpiffWorkflowException as err:
            # A lint rule may have said it better already (a decision missing from the bundle).
            file = getattr(err, "file_name", "") or parser.get_process_parser(process_id).filename
            element = _element_of(err)
            if not any(p.is_error and (p.file, p.element) == (file, element) for p in problems):
                problems.append(Problem(file or "?", element, _readable(err)))
    for spec, _ in specs.values():
        problems.extend(_check_spec(spec, forms, known_roles, lane_roles or {}))
    if lint and contract is not None:
        problems.extend(check_contract(documents, specs, forms, contract, bound))
    if len(specs) < len(process_ids):
        return None, problems
    for spec, subprocesses in specs.values():
        for process in (spec, *subprocesses.values()):
            _connect_loop_children(process)
    return ParsedBundle(specs=specs, forms=forms, translations=translations), problems


@functools.lru_cache(maxsize=512)
def _parsed_xml(name: str, text: str) -> etree._Element:
    """A deployed BPMN file, parsed once per process: the lint rules only read it."""
    return parse_xml(name, text)


def _parseable(files: Mapping[str, str]) -> dict[str, etree._Element]:
    """The other models' BPMN files that parse (one of a batch deployed with this one may not:
    its own check says why)."""
    found = {}
    for name, text in files.items():
        try:
            found[name] = _parsed_xml(name, text)
        except BundleRefused:
            continue
    return found


def deployed_bpmn(session: Session) -> dict[str, dict[str, str]]:
    """Model id -> the BPMN files of its current version, by "<model id>/<file>"."""
    rows = session.execute(
        select(ProcessVersion.model_id, ProcessVersion.files).where(ProcessVersion.is_current)
    ).all()
    return {
        model_id: {
            f"{model_id}/{name}": text for name, text in files.items() if name.endswith(".bpmn")
        }
        for model_id, files in rows
    }


def deployed_elsewhere(
    session: Session, model_id: str, deployed: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, str]:
    """The BPMN files of the current versions of the other process models, by
    "<model id>/<file>": a message may be thrown in one model and caught in another.
    ``deployed``: deployed_bpmn's answer, read once for many checks."""
    by_model = deployed_bpmn(session) if deployed is None else deployed
    return {
        path: text
        for other, files in by_model.items()
        if other != model_id
        for path, text in files.items()
    }


def _connect_loop_children(process: BpmnProcessSpec) -> None:
    """Make each multi-instance (and standard loop) task hear its children complete.

    SpiffWorkflow connects that listener only when the task creates a child, on the spec object
    of the Python process doing it. A workflow loaded from the database into freshly parsed
    specs (after a restart, or in another worker) would never merge its children and wait at
    the loop for ever. Connecting every loop task's listener once, at parse time, closes that.
    """
    for task_spec in process.task_specs.values():
        child_name = getattr(task_spec, "task_spec", None)
        merge = getattr(task_spec, "merge_child", None)
        if not isinstance(child_name, str) or merge is None:
            continue
        child = process.task_specs[child_name]
        if not child.completed_event.is_connected(merge):
            child.completed_event.connect(merge)


def _add_documents(
    parser: DecisionParser, files: dict[str, str], problems: list[Problem]
) -> tuple[dict[str, etree._Element], set[str]]:
    """Give every BPMN and DMN file to the parser (XSD-validated) and parse each decision
    table; (the well-formed documents, the names of the files refused)."""
    documents: dict[str, etree._Element] = {}
    refused: set[str] = set()
    for name in sorted(files):
        if not name.endswith((".bpmn", ".dmn")):
            continue
        try:
            root = documents[name] = parse_xml(name, files[name])
            if name.endswith(".dmn"):
                parser.add_dmn_xml(root, filename=name)
                for dmn_parser in parser.dmn_parsers.values():
                    if dmn_parser.node is root:
                        dmn_parser.parse()
            else:
                parser.add_bpmn_xml(root, filename=name)
        except BundleRefused as refusal:
            problems.extend(refusal.problems)
            refused.add(name)
        except _PARSE_ERRORS as err:
            element = _element_of(err) or _element_at_line(documents[name], err)
            problems.append(Problem(name, element, _readable(err, name)))
            refused.add(name)
    return documents, refused


def _element_of(err: Exception) -> str | None:
    return getattr(err, "id", None) or getattr(err, "name", None)


def _element_at_line(root: etree._Element, err: Exception) -> str | None:
    """The id of the element on the line an XSD error names, or of its nearest ancestor."""
    line = getattr(err, "line_number", None)
    for element in root.iter(etree.Element) if isinstance(line, int) else []:
        if element.sourceline == line:
            return next(
                (e.get("id") for e in (element, *element.iterancestors()) if e.get("id")), None
            )
    return None


_ELEMENT_REPR = re.compile(r"<Element (?:\{[^}]*\})?([\w:.-]+) at 0x[0-9a-f]+>")


def _readable(err: Exception, name: str = "") -> str:
    """The engine's message with namespaces as prefixes; XSD errors say so, with the line."""
    message = with_prefixes(str(err).strip().rstrip(".").strip())
    # lxml's repr of an element ("<Element {ns}targetRef at 0x7f…>") says nothing to a reader.
    message = _ELEMENT_REPR.sub(lambda m: f"<{m.group(1)}>", message)
    if isinstance(err, ValidationException) and not err.tag and err.line_number:
        language = "DMN" if name.endswith(".dmn") else "BPMN"
        return f"not valid {language} (line {err.line_number}): {message}"
    return message


def _load_forms(files: dict[str, str], problems: list[Problem]) -> dict[str, dict[str, Any]]:
    forms = {}
    for name, text in files.items():
        if not (name.startswith(FORMS_FOLDER) and name.endswith(".json")):
            continue
        try:
            schema = load_json(text)
        except json.JSONDecodeError as err:
            problems.append(Problem(name, None, f"not valid JSON: {err}"))
            continue
        if not name.endswith("-uischema.json"):
            # Not valid JSON Schema, a pattern RE2 cannot run, a $ref into itself: each is
            # named by its JSON pointer (without the leading "/", as elements are written).
            found = _schema_problems(text)
            problems += [Problem(name, where.lstrip("/") or None, why) for where, why in found]
            if found:
                continue
        forms[name.removeprefix(FORMS_FOLDER)] = schema
    return forms


OPTIONS_FROM_DATA = "options_from_task_data_var:"


@functools.lru_cache(maxsize=256)
def _schema_problems(text: str) -> tuple[tuple[str, str], ...]:
    """schema_problems of a form file's text (already read as JSON): the meta-schema check is
    the slow part of a check, and a draft's forms rarely change between two checks."""
    return tuple(schema_problems(_checkable(load_json(text))))


def _checkable(schema: Any) -> Any:
    """The schema with SpiffArena's ``["options_from_task_data_var:<name>"]`` choices (filled
    from the task data when the form is shown) as a valid placeholder, for the meta-schema."""
    if isinstance(schema, list):
        return [_checkable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    found: dict[str, Any] = {}
    for key, value in schema.items():
        dynamic = (
            isinstance(value, list)
            and len(value) == 1
            and isinstance(value[0], str)
            and value[0].startswith(OPTIONS_FROM_DATA)
        )
        if dynamic and key in ("anyOf", "oneOf"):
            found[key] = [{"const": ""}]
        elif dynamic and key == "enum":
            found[key] = [""]
        elif dynamic and key == "items":
            found[key] = {"type": "string"}
        else:
            found[key] = _checkable(value)
    return found


def _check_spec(
    spec: BpmnProcessSpec,
    forms: dict[str, dict[str, Any]],
    known_roles: frozenset[str] | None,
    lane_roles: Mapping[str, str],
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
        # Outside any lane, or in 'Process Initiator': the case's starter does it.
        role = None if is_initiators(task_spec.lane) else lane_role(task_spec.lane, lane_roles)
        if role is not None and known_roles is not None and role not in known_roles:
            problems.append(
                Problem(
                    filename,
                    element,
                    f"lane '{task_spec.lane}' is not a role: map it to a role on the model's page",
                )
            )
        if not needs_form(task_spec):
            continue  # a manual or plain task: its page shows instructions and a button
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


def needs_form(task_spec: Any) -> bool:
    """A user task is completed with a form; a manual task (bpmn:manualTask) or a plain task
    (bpmn:task) is a human task too, done with a button and no data, as SpiffArena does."""
    return isinstance(task_spec, UserTask)


def _sources_of(task_spec: Any) -> list[tuple[str, Mode]]:
    """Every script ('exec') and expression ('eval') a task spec will run."""
    sources: list[tuple[str, Mode]] = []
    for attribute in _SCRIPT_ATTRIBUTES:
        value = getattr(task_spec, attribute, None)
        if isinstance(value, str) and value.strip():
            sources.append((value, "exec"))
    definition = getattr(task_spec, "event_definition", None)
    # Timer expressions are checked, with their ISO 8601 values, by workflows/lint/.
    carriers = [task_spec, None if isinstance(definition, TimerEventDefinition) else definition]
    for carrier in carriers:
        for attribute in _EXPRESSION_ATTRIBUTES:
            value = getattr(carrier, attribute, None)
            if isinstance(value, str) and value.strip():
                sources.append((value, "eval"))
    for prop in getattr(definition, "correlation_properties", None) or []:
        sources.append((prop.retrieval_expression, "eval"))
    for condition, _ in getattr(task_spec, "cond_task_specs", None) or []:
        text = condition if isinstance(condition, str) else getattr(condition, "args", [None])[0]
        if isinstance(text, str):
            sources.append((text, "eval"))
    for param in (getattr(task_spec, "operation_params", None) or {}).values():
        sources.append((param["value"], "eval"))
    # A decision table's expressions are checked, per rule, by workflows/lint/decision_cells.py.
    return sources


_PARSED: dict[str, ParsedBundle] = {}
# Per database (its engine): version id -> parsed bundle. A stored version never changes and is
# never deleted, so a request finds its instance's specs and forms without reading the files.
_BY_VERSION: WeakKeyDictionary[Any, dict[int, ParsedBundle]] = WeakKeyDictionary()


def parsed(version: ProcessVersion) -> ParsedBundle:
    """The parsed specs of a stored version, parsed once per process (versions are few)."""
    return parsed_files(version.files, version.content_hash)


def parsed_version(session: Session, version_id: int) -> ParsedBundle:
    """The parsed bundle of the stored version ``version_id``, its files read once per process."""
    bind = session.get_bind()
    known = _BY_VERSION.setdefault(getattr(bind, "engine", bind), {})
    found = known.get(version_id)
    if found is None:
        files, digest = session.execute(
            select(ProcessVersion.files, ProcessVersion.content_hash).where(
                ProcessVersion.id == version_id
            )
        ).one()
        found = known[version_id] = parsed_files(files, digest)
    return found


def parsed_of(instance: WorkflowInstance) -> ParsedBundle:
    """The parsed bundle of an instance's version (see parsed_version)."""
    session = object_session(instance)
    assert session is not None, "the instance belongs to no session"
    return parsed_version(session, instance.version_id)


def parsed_files(files: dict[str, str], digest: str | None = None) -> ParsedBundle:
    """Deployed files, parsed once per content (without the lint rules, see parse_bundle)."""
    digest = digest or content_hash(files)
    found = _PARSED.get(digest)
    if found is None:
        found = _PARSED[digest] = parse_bundle(files, lint=False)
    return found


def contract_problems(
    files: dict[str, str], contract: Contract, bound: Sequence[BoundCall] = ()
) -> list[Problem]:
    """The errors of deployed files against a contract (a contract edited after the deploy, or
    a version made current again)."""
    bundle = parsed_files(files)
    found = check_contract(bpmn_documents(files), bundle.specs, bundle.forms, contract, bound)
    return [problem for problem in found if problem.is_error]


def bpmn_documents(files: Mapping[str, str]) -> dict[str, etree._Element]:
    """The BPMN files of deployed files, parsed: for the contract check of bound calls."""
    return {name: parse_xml(name, text) for name, text in files.items() if name.endswith(".bpmn")}


def deploy_bundle(
    session: Session,
    files: dict[str, str],
    *,
    model: ProcessModel,
    deployed_by: str,
    now: datetime,
    known_roles: frozenset[str] | None = None,
    bound: Sequence[BoundCall] = (),
    make_current: bool = True,
    alongside: Mapping[str, str] | None = None,
) -> tuple[ProcessVersion, bool]:
    """Validate and store a bundle as a version of ``model``; (version, created). With
    `make_current` (the default) it becomes the version new cases get; without, it is stored
    for a rehearsal only. Either way it must keep the model's contract (for the ``bound`` calls
    too): see workflows.contract.

    Files stored before are not stored again: deploying them returns that version, and makes it
    current again if it was not (going back to an earlier version). ``alongside``: the BPMN
    files ("<model id>/<file>") of models deployed in the same batch, whose messages count as
    deployed ones (two models that answer each other's messages deploy together).
    """
    contract = Contract.of(model)
    digest = content_hash(files)
    existing = session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.model_id == model.id, ProcessVersion.content_hash == digest
        )
    )
    if existing is not None:
        if make_current and not existing.is_current:
            problems = contract_problems(existing.files, contract, bound)
            if problems:
                raise BundleRefused(problems)
            _make_current(session, existing)
        return existing, False
    parsed_bundle = parse_bundle(
        files,
        known_roles=known_roles,
        contract=contract,
        bound=bound,
        lane_roles=model.lane_roles,
        deployed={**deployed_elsewhere(session, model.id), **(alongside or {})},
    )
    version = ProcessVersion(
        model_id=model.id,
        content_hash=digest,
        files=files,
        process_ids=sorted(parsed_bundle.specs),
        deployed_by=deployed_by,
        deployed_at=now,
        is_current=False,
    )
    session.add(version)
    session.flush()
    if make_current:
        _make_current(session, version)
    return version, True


def _make_current(session: Session, version: ProcessVersion) -> None:
    session.execute(
        update(ProcessVersion)
        .where(ProcessVersion.model_id == version.model_id, ProcessVersion.id != version.id)
        .values(is_current=False)
    )
    version.is_current = True
    session.flush()


def current_version(session: Session, model_id: str) -> ProcessVersion | None:
    return session.scalar(
        select(ProcessVersion).where(ProcessVersion.model_id == model_id, ProcessVersion.is_current)
    )
