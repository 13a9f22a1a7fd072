"""Move a running instance to another version of its bundle: checked, logged, one case per call.

SpiffWorkflow aligns the old and the new spec by BPMN id (``SpecDiff``) and swaps the task specs
of an instance's task tree (``migrate_workflow``). Whether that is safe is decided here. A
migration is refused when
- the target is the instance's own version or a version of another bundle, lacks the instance's
  process, or the instance is finished;
- a task that was completed, or is active (ready, started, waiting), was changed or removed in
  the target version. For a user task, a changed form file counts as a change of the task. A
  change of an activity's or event's connections alone (a step added or removed before or after
  it) does not count: the engine plans again what follows an active task, and a case does not go
  back to run what was added before the point it has passed. For gateways and the engine's own
  helper tasks (boundary-event splits and joins) every change counts: a join waits for its
  incoming branches;
- the target version's remaining path reads variables that the case data does not hold and that
  nothing on that path writes (``_missing_data`` says how far that static check goes).

Going back is the same operation with the older version as the target. The caller commits: one
transaction per case.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from workflows import bundles
from workflows.audit import record_event
from workflows.clock import clock_now, running_on
from workflows.engine import advance_instance, load_workflow, lock_instance
from workflows.errors import MigrationRefused
from workflows.models import ProcessVersion, WorkflowInstance
from workflows.sandbox import HELPERS
from workflows.services import Actor, serving

# SpecDiff compares task specs through their serialized form: any registry of the spiff config.
_REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
ACTIVE = TaskState.READY | TaskState.STARTED | TaskState.WAITING
_CONNECTIONS = frozenset({"inputs", "outputs"})
_MI_WRITES = ("input_item", "output_item", "data_output")  # multi-instance data it sets
_CELL = "_cell_"  # stands for the input value in a DMN input entry such as ">= 4"
_GLOBAL_NAMES = frozenset(dir(builtins)) | frozenset(HELPERS) | {_CELL}


@dataclass(frozen=True)
class MigrationCheck:
    """Whether an instance may move to a version; each reason names the element concerned."""

    ok: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Diff:
    """One (sub)workflow against its new spec: SpiffWorkflow's WorkflowDiff and its SpecDiff."""

    workflow: Any  # BpmnWorkflow or BpmnSubWorkflow
    spec: BpmnProcessSpec
    specs: SpecDiff
    tasks: WorkflowDiff

    @classmethod
    def of(cls, workflow: Any, spec: BpmnProcessSpec) -> _Diff:
        specs = SpecDiff(_REGISTRY, workflow.spec, spec)
        return cls(workflow, spec, specs, WorkflowDiff(workflow, specs))


@dataclass
class _Plan:
    workflow: BpmnWorkflow
    subprocess_specs: dict[str, BpmnProcessSpec]
    diffs: list[_Diff]
    reasons: list[str]


def check_migration(
    session: Session, instance: WorkflowInstance, target_version: ProcessVersion
) -> MigrationCheck:
    """May ``instance`` move to ``target_version``? Changes nothing and takes no lock.

    ``session`` is the caller's, as for every engine call; the check itself reads only the
    instance, its state and the two versions' files.
    """
    reasons = _version_refusals(instance, target_version)
    if not reasons:
        reasons = _plan(instance, target_version).reasons
    return MigrationCheck(ok=not reasons, reasons=reasons)


def migrate_instance(
    session: Session,
    instance: WorkflowInstance,
    target_version: ProcessVersion,
    *,
    actor: str,
    now: datetime,
) -> MigrationCheck:
    """Move one instance to ``target_version``, or raise MigrationRefused; the caller commits.

    The instance is locked and checked again under the lock. The workflow is migrated, its
    automatic steps run, and it is saved through the engine's save path, which rebuilds the
    human-task index (rows of tasks still ready are kept, with their claims), the timers and the
    message waits. ``now`` is the wall time of the request, kept in the audit event.
    """
    locked = lock_instance(session, instance.id)
    reasons = _version_refusals(locked, target_version)
    plan = _plan(locked, target_version) if not reasons else None
    if plan is None or plan.reasons:
        raise MigrationRefused(plan.reasons if plan else reasons)
    source = locked.version
    acting = Actor(actor)
    with (
        running_on(locked.clock),
        serving(session, locked, acting, lambda: clock_now(locked.clock)),
    ):
        for diff in plan.diffs:
            _migrate(diff)
        plan.workflow.subprocess_specs = plan.subprocess_specs
    locked.version = target_version
    record_event(
        session,
        actor=actor,
        kind="instance_migrated",
        instance=locked,
        summary=f"Moved from process version {source.id} to version {target_version.id}",
        data={
            "from_version_id": source.id,
            "from_content_hash": source.content_hash,
            "to_version_id": target_version.id,
            "to_content_hash": target_version.content_hash,
            "requested_at": now.isoformat(),
        },
        clock_at=clock_now(locked.clock),
    )
    advance_instance(session, locked, plan.workflow, acting)
    return MigrationCheck(ok=True, reasons=[])


def _version_refusals(instance: WorkflowInstance, target: ProcessVersion) -> list[str]:
    source = instance.version
    if target.id == source.id:
        return [f"the case already runs version {target.id}"]
    if target.bundle != source.bundle:
        return [f"version {target.id} belongs to bundle '{target.bundle}', not '{source.bundle}'"]
    if instance.status != "running":
        return [f"the case is {instance.status}, not running"]
    if instance.process_id not in target.process_ids:
        return [f"version {target.id} has no process '{instance.process_id}'"]
    return []


def _plan(instance: WorkflowInstance, target: ProcessVersion) -> _Plan:
    """Diff the workflow and each running subprocess against the target (as diff_workflow)."""
    workflow = load_workflow(instance)
    spec, subprocess_specs = bundles.parsed(target).specs[instance.process_id]
    diffs = [_Diff.of(workflow, spec)]
    reasons = []
    for subprocess in workflow.subprocesses.values():
        if subprocess.spec.name in subprocess_specs:
            diffs.append(_Diff.of(subprocess, subprocess_specs[subprocess.spec.name]))
        else:
            reasons.append(
                f"subprocess '{subprocess.spec.name}' is running and removed from the new version"
            )
    forms = _changed_forms(instance.version.files, target.files)
    for diff in diffs:
        reasons.extend(_task_refusals(diff, forms))
    reasons.extend(
        _missing_data(
            workflow,
            diffs[0].tasks,
            spec,
            bundles.parsed(instance.version).forms,
            bundles.parsed(target).forms,
        )
    )
    return _Plan(workflow, subprocess_specs, diffs, list(dict.fromkeys(reasons)))


def _migrate(diff: _Diff) -> None:
    """``migrate_workflow``, plus the repairs it needs.

    It resets every ready and waiting task: a ready task gets a fresh plan of what follows, a
    waiting event is armed again. The reset also replaces the task's own data with its parent's
    (a multi-instance child would lose its item, the evaluator) and clears its internal data (a
    waiting timer would compute its due time again: a duration would start over). Both are put
    back; migration refuses to touch a task whose element changed, so they still fit. Tasks of
    removed elements that were never going to run (predicted or cancelled ones) would keep a spec
    the new version lacks and could not be loaded again: they are dropped.
    """
    workflow, spec = diff.workflow, diff.spec
    kept = {
        task.id: (task.state, task.data, task.internal_data)
        for task in workflow.get_tasks(
            state=TaskState.READY | TaskState.WAITING, skip_subprocesses=True
        )
    }
    migrate_workflow(diff.tasks, workflow, spec)
    for task_id, (state, data, internal_data) in kept.items():
        task = workflow.tasks.get(task_id)
        if task is not None and task.state == state:
            task.data, task.internal_data = data, internal_data
    for task in list(workflow.tasks.values()):
        stray = spec.task_specs.get(task.task_spec.name) is not task.task_spec
        if stray and task.id in workflow.tasks:
            workflow._remove_task(task.id)
    for task in workflow.get_tasks(state=TaskState.STARTED, skip_subprocesses=True):
        _connect_multi_instance(task.task_spec, spec)


def _connect_multi_instance(loop_spec: Any, spec: BpmnProcessSpec) -> None:
    """Let a running multi-instance task of the new spec hear its children complete.

    A multi-instance spec connects its child spec's completed event to itself only when it
    creates children (``MultiInstanceTask.create_child``); the children of a migrated instance
    were created under the old spec, so the new spec is connected here, as create_child would.
    """
    merge = getattr(loop_spec, "merge_child", None)
    child = spec.task_specs.get(getattr(loop_spec, "task_spec", None) or "")
    if merge is not None and child is not None and not child.completed_event.is_connected(merge):
        child.completed_event.connect(merge)


# -- which tasks block a migration -------------------------------------------------------------


def _changed_forms(old: dict[str, Any], new: dict[str, Any]) -> set[str]:
    """Form files (named as tasks name them, without 'forms/') whose text differs."""
    names = {n for n in old.keys() | new.keys() if n.startswith(bundles.FORMS_FOLDER)}
    return {n.removeprefix(bundles.FORMS_FOLDER) for n in names if old.get(n) != new.get(n)}


def _task_refusals(diff: _Diff, changed_forms: set[str]) -> list[str]:
    reasons = []
    for task in diff.tasks.changed:
        if not _only_connections(task.task_spec, diff.specs.changed[task.task_spec]):
            reasons.extend(_blocked(task, "changed in"))
    for task in diff.tasks.removed:
        reasons.extend(_blocked(task, "removed from"))
    for task in diff.tasks.alignment:
        if task.has_state(ACTIVE):
            for form in sorted(_forms_of(task.task_spec) & changed_forms):
                reasons.append(
                    f"{_element(task.task_spec)} is active and its form '{form}' "
                    "changed in the new version"
                )
    return reasons


def _only_connections(spec: Any, changed: list[str]) -> bool:
    """A change of where an activity or event connects, and nothing else about it?"""
    is_gateway = type(spec).__name__.endswith("Gateway")
    return bool(spec.bpmn_id) and not is_gateway and set(changed) <= _CONNECTIONS


def _blocked(task: Task, what: str) -> list[str]:
    if task.has_state(ACTIVE):
        return [f"{_element(task.task_spec)} is active and {what} the new version"]
    if task.has_state(TaskState.COMPLETED):
        return [f"{_element(task.task_spec)} was completed and {what} the new version"]
    return []


def _forms_of(spec: Any) -> set[str]:
    properties = (getattr(spec, "extensions", None) or {}).get("properties", {})
    names = (properties.get("formJsonSchemaFilename"), properties.get("formUiSchemaFilename"))
    return {name for name in names if name}


def _element(spec: Any) -> str:
    """E.g. "task 'screen_idea' (Screen the idea proposal)"; helper tasks named by their owner."""
    bpmn_id = getattr(spec, "bpmn_id", None)
    if not bpmn_id:
        owner, _, helper = spec.name.rpartition(".")
        if helper in ("BoundaryEventSplit", "BoundaryEventJoin"):
            return f"the boundary events of task '{owner}'"
        return f"'{spec.name}'"
    if isinstance(spec, CatchingEvent | ThrowingEvent):
        kind = "event"
    elif type(spec).__name__.endswith("Gateway"):
        kind = "gateway"
    else:
        kind = "task"
    name = getattr(spec, "bpmn_name", None)
    child = getattr(spec, "task_spec", None)  # a multi-instance task's name is on its child
    if name is None and isinstance(child, str) and child in spec._wf_spec.task_specs:
        name = spec._wf_spec.task_specs[child].bpmn_name
    return f"{kind} '{bpmn_id}'" + (f" ({name})" if name else "")


# -- data the remaining path needs -------------------------------------------------------------


def _missing_data(
    workflow: BpmnWorkflow,
    diff: WorkflowDiff,
    new_spec: BpmnProcessSpec,
    old_forms: dict[str, dict[str, Any]],
    new_forms: dict[str, dict[str, Any]],
) -> list[str]:
    """Variables the new version's remaining path reads that the case will not have.

    Best-effort static name analysis, on the top-level process only:
    - the remaining path is every element reachable along sequence flows from the active tasks
      (their own scripts included, as they still run); subprocesses and call activities are not
      entered;
    - reads are the free names of scripts, pre/post scripts, gateway conditions, timer, message
      payload, multi-instance and service-parameter expressions and DMN cells; writes are their
      assigned names, form fields, service results, DMN outputs, message variables and
      multi-instance items. The order along the path is not checked, and a name a script both
      reads and assigns (``x = x + 1``) counts as the script's own;
    - attribute and key access (``decision.get("granted")``, ``e["scores"]``) is not followed,
      nor are the Jinja instructions of user tasks;
    - a need the old version has as well is not the migration's doing and is not reported.
    """
    active = [task for task in workflow.get_tasks(skip_subprocesses=True, state=ACTIVE)]
    available = set(workflow.data)
    for task in active:
        available.update(task.data)
    new_start = [diff.alignment[t] for t in active if diff.alignment.get(t) is not None]
    old_start = [t.task_spec for t in active]
    new_needs = _unmet_reads(_reachable(new_spec, new_start), new_forms, available)
    old_needs = _unmet_reads(_reachable(workflow.spec, old_start), old_forms, available)
    return [
        f"variable '{name}' read by {', '.join(readers)} is not in the case data, "
        "and nothing on the remaining path of the new version sets it"
        for name, readers in sorted(new_needs.items())
        if name not in old_needs
    ]


def _reachable(spec: BpmnProcessSpec, start: Iterable[Any]) -> list[Any]:
    seen: dict[str, Any] = {}
    stack = list(start)
    while stack:
        task_spec = stack.pop()
        if task_spec.name in seen:
            continue
        seen[task_spec.name] = task_spec
        stack.extend(task_spec.outputs)
        child = getattr(task_spec, "task_spec", None)
        if isinstance(child, str) and child in spec.task_specs:
            stack.append(spec.task_specs[child])
    return list(seen.values())


def _unmet_reads(
    specs: list[Any], forms: dict[str, dict[str, Any]], available: set[str]
) -> dict[str, list[str]]:
    """name -> the elements that read it, for names neither available nor written on the path."""
    reads: dict[str, list[str]] = {}
    written: set[str] = set()
    for task_spec in specs:
        task_reads, task_writes = _data_use(task_spec, forms)
        written |= task_writes
        for name in task_reads - task_writes:
            reads.setdefault(name, []).append(_element(task_spec))
    unmet = set(reads) - written - available - _GLOBAL_NAMES
    return {name: sorted(set(reads[name])) for name in unmet}


def _data_use(spec: Any, forms: dict[str, dict[str, Any]]) -> tuple[set[str], set[str]]:
    reads: set[str] = set()
    writes: set[str] = set()
    for source, mode in _sources(spec):
        source_reads, source_writes = _names(source, mode)
        reads |= source_reads
        writes |= source_writes
    definition = getattr(spec, "event_definition", None)
    for target in (
        getattr(spec, "result_variable", None),
        getattr(definition, "message_var", None),
        *(getattr(getattr(spec, a, None), "bpmn_id", None) for a in _MI_WRITES),
    ):
        if target:
            writes.add(target)
    data_input = getattr(getattr(spec, "data_input", None), "bpmn_id", None)
    if data_input:
        reads.add(data_input)
    engine = getattr(spec, "dmnEngine", None)
    if engine is not None:
        writes.update(output.name for output in engine.decision_table.outputs if output.name)
    properties = (getattr(spec, "extensions", None) or {}).get("properties", {})
    form_name = properties.get("formJsonSchemaFilename")
    if form_name:
        writes |= _form_fields(forms.get(form_name) or {})
    return reads, writes


def _sources(spec: Any) -> Iterator[tuple[str, str]]:
    for attribute in ("script", "prescript", "postscript"):
        value = getattr(spec, attribute, None)
        if isinstance(value, str):
            yield value, "exec"
    definition = getattr(spec, "event_definition", None)
    for value in (
        getattr(definition, "expression", None),
        getattr(spec, "cardinality", None),
        getattr(spec, "condition", None),
    ):
        if isinstance(value, str):
            yield value, "eval"
    for condition, _ in getattr(spec, "cond_task_specs", None) or []:
        text = condition if isinstance(condition, str) else getattr(condition, "args", [None])[0]
        if isinstance(text, str):
            yield text, "eval"
    for param in (getattr(spec, "operation_params", None) or {}).values():
        yield str(param.get("value", "")), "eval"
    engine = getattr(spec, "dmnEngine", None)
    if engine is not None:
        table = engine.decision_table
        yield from ((entry.expression, "eval") for entry in table.inputs if entry.expression)
        for rule in table.rules:
            for input_entry in rule.inputEntries:
                yield from ((lhs, "cell") for lhs in input_entry.lhs if lhs)
            yield from ((entry.text, "eval") for entry in rule.outputEntries if entry.text)


def _names(source: str, mode: str) -> tuple[set[str], set[str]]:
    """(free names read, names assigned) of a script or expression; nothing if it won't parse."""
    tree = _parse(source, mode)
    if tree is None:
        return set(), set()
    loaded: set[str] = set()
    stored: set[str] = set()
    local: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, ast.comprehension):
            local.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
        elif isinstance(node, ast.arg):
            local.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            stored.add(node.name)
    return loaded - stored - local, stored - local


def _parse(source: str, mode: str) -> ast.AST | None:
    text = source.strip()
    attempts = [(text, "exec" if mode == "exec" else "eval")]
    if mode == "cell":  # a DMN input entry: "-", a value, or a test such as ">= 4"
        attempts.append((f"{_CELL} {text}", "eval"))
    for attempt, parse_mode in attempts:
        try:
            return ast.parse(attempt, mode=parse_mode)
        except SyntaxError:
            continue
    return None


def _form_fields(schema: dict[str, Any]) -> set[str]:
    """The top-level field names a form can submit, conditional parts included."""
    fields = set((schema.get("properties") or {}).keys())
    for key in ("then", "else"):
        part = schema.get(key)
        if isinstance(part, dict):
            fields |= _form_fields(part)
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key) or []:
            if isinstance(part, dict):
                fields |= _form_fields(part)
    return fields
