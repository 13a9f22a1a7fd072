"""Move a running instance to another version of its process model: checked, logged, one case
per call.

SpiffWorkflow aligns the old and the new spec by BPMN id (``SpecDiff``) and swaps the task specs
of an instance's task tree (``migrate_workflow``). Whether that is safe is decided here. A
migration is refused when
- the target is the instance's own version or a version of another model, lacks the instance's
  process, or the instance is finished;
- a task that was completed, or is active (ready, started, waiting), was changed or removed in
  the target version. For a user task, a changed form file counts as a change of the task. A
  change of an activity's or event's connections alone (a step added or removed before or after
  it) does not count: the engine plans again what follows an active task, and a case does not go
  back to run what was added before the point it has passed. For gateways and the engine's own
  helper tasks (boundary-event splits and joins) every change counts: a join waits for its
  incoming branches;
- the target version's remaining path reads variables that the case data does not hold and that
  nothing on that path writes (workflows.migration_data says how far that static check goes).

Going back is the same operation with the older version as the target. The caller commits: one
transaction per case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
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
from workflows.migration_data import ACTIVE, describe_element, missing_data
from workflows.models import ProcessVersion, WorkflowInstance
from workflows.services import Actor, serving

# SpecDiff compares task specs through their serialized form: any registry of the spiff config.
_REGISTRY = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)
_CONNECTIONS = frozenset({"inputs", "outputs"})


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
    if target.model_id != source.model_id:
        return [
            f"version {target.id} belongs to the process model '{target.model_id}', "
            f"not '{source.model_id}'"
        ]
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
        missing_data(
            workflow,
            diffs[0].tasks,
            spec,
            bundles.parsed_of(instance).forms,
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
                    f"{describe_element(task.task_spec)} is active and its form '{form}' "
                    "changed in the new version"
                )
    return reasons


def _only_connections(spec: Any, changed: list[str]) -> bool:
    """A change of where an activity or event connects, and nothing else about it?"""
    is_gateway = type(spec).__name__.endswith("Gateway")
    return bool(spec.bpmn_id) and not is_gateway and set(changed) <= _CONNECTIONS


def _blocked(task: Task, what: str) -> list[str]:
    if task.has_state(ACTIVE):
        return [f"{describe_element(task.task_spec)} is active and {what} the new version"]
    if task.has_state(TaskState.COMPLETED):
        return [f"{describe_element(task.task_spec)} was completed and {what} the new version"]
    return []


def _forms_of(spec: Any) -> set[str]:
    properties = (getattr(spec, "extensions", None) or {}).get("properties", {})
    names = (properties.get("formJsonSchemaFilename"), properties.get("formUiSchemaFilename"))
    return {name for name in names if name}
