"""Which variables a version's remaining path reads that a running case will not have.

Used by workflows.migration to refuse a migration when the target version's remaining path
reads variables that the case data does not hold and that nothing on that path writes.

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

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable, Iterator
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent, ThrowingEvent
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff
from SpiffWorkflow.util.task import TaskState

from workflows.sandbox import HELPERS, SCRIPT_NAMES

ACTIVE = TaskState.READY | TaskState.STARTED | TaskState.WAITING
_MI_WRITES = ("input_item", "output_item", "data_output")  # multi-instance data it sets
_CELL = "_cell_"  # stands for the input value in a DMN input entry such as ">= 4"
_GLOBAL_NAMES = frozenset(dir(builtins)) | frozenset(HELPERS) | SCRIPT_NAMES | {_CELL}


def missing_data(
    workflow: BpmnWorkflow,
    diff: WorkflowDiff,
    new_spec: BpmnProcessSpec,
    old_forms: dict[str, dict[str, Any]],
    new_forms: dict[str, dict[str, Any]],
) -> list[str]:
    """Variables the new version's remaining path reads that the case will not have.

    Best-effort static name analysis, on the top-level process only; the module docstring
    says how far it goes.
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
            reads.setdefault(name, []).append(describe_element(task_spec))
    unmet = set(reads) - written - available - _GLOBAL_NAMES
    return {name: sorted(set(reads[name])) for name in unmet}


def unset_reads(
    spec: BpmnProcessSpec, forms: dict[str, dict[str, Any]], given: Iterable[str]
) -> dict[str, list[Any]]:
    """Names the process reads that nothing in it sets and ``given`` (its start data) lacks ->
    the task specs that read each. Flow-insensitive: a name set anywhere in the process counts
    as set. Timer expressions are left to the timer lint rule, which says more about them."""
    reads: dict[str, list[Any]] = {}
    written: set[str] = set()
    for task_spec in spec.task_specs.values():
        task_reads, task_writes = _data_use(task_spec, forms, timers=False)
        written |= task_writes
        for name in task_reads - task_writes:
            reads.setdefault(name, []).append(task_spec)
    unset = set(reads) - written - set(given) - _GLOBAL_NAMES
    return {name: reads[name] for name in sorted(unset)}


def _data_use(
    spec: Any, forms: dict[str, dict[str, Any]], *, timers: bool = True
) -> tuple[set[str], set[str]]:
    reads: set[str] = set()
    writes: set[str] = set()
    for source, mode in _sources(spec, timers=timers):
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


def _sources(spec: Any, *, timers: bool = True) -> Iterator[tuple[str, str]]:
    for attribute in ("script", "prescript", "postscript"):
        value = getattr(spec, attribute, None)
        if isinstance(value, str):
            yield value, "exec"
    definition = getattr(spec, "event_definition", None)
    if not timers and isinstance(definition, TimerEventDefinition):
        definition = None
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


def describe_element(spec: Any) -> str:
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
