"""What some automatic steps of a case's process would make of data a person is still typing,
without running the process: the idea form's live eligibility check runs the process's own
counting script and its eligibility decision table on the form as typed.

The steps are those of the instance's own process version (a case started on an older version
keeps its older rules), and they run as the engine runs them: scripts and decision cells in the
sandbox of workflows/sandbox.py, a decision table by SpiffWorkflow's DMN engine (hit policy
included). Nothing is stored and the case does not move.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.specs.base import TaskSpec
from SpiffWorkflow.util.deep_merge import DeepMerge

from workflows import bundles
from workflows.errors import WorkflowError
from workflows.models import WorkflowInstance
from workflows.services import SCRIPT_ENGINE


class StepUnavailable(WorkflowError):
    """The instance's process version has no such script or business rule task."""


class DryRunFailed(WorkflowError):
    """A step failed on the data given (a script error, a sandbox limit)."""


class _Cells:
    """Evaluates a decision table's cells in the sandbox, as the engine's script engine does
    (the DMN engine asks its task's workflow for one), without a workflow around them."""

    def validate(self, expression: str) -> None:
        SCRIPT_ENGINE.validate(expression)

    def evaluate(
        self, task: Any, expression: str, external_context: dict[str, Any] | None = None
    ) -> Any:
        return SCRIPT_ENGINE.environment.evaluate(expression, task.data, external_context)


_CELLS = SimpleNamespace(script_engine=_Cells())


def _task_specs(instance: WorkflowInstance) -> dict[str, TaskSpec]:
    spec, subprocesses = bundles.parsed_of(instance).specs[instance.process_id]
    found: dict[str, TaskSpec] = {}
    for process in (*subprocesses.values(), spec):
        found.update(process.task_specs)
    return found


def _runnable(spec: TaskSpec | None) -> bool:
    return isinstance(getattr(spec, "script", None), str) or isinstance(
        getattr(spec, "dmnEngine", None), DMNEngine
    )


def has_steps(instance: WorkflowInstance, steps: Sequence[str]) -> bool:
    """Whether every step (a BPMN id) is a script or business rule task of the instance's
    process version."""
    specs = _task_specs(instance)
    return all(_runnable(specs.get(step)) for step in steps)


def _run(spec: TaskSpec, data: dict[str, Any]) -> dict[str, Any]:
    """One step on ``data`` (changed in place for scripts): its pre-script, its script or its
    decision table, its post-script."""
    environment = SCRIPT_ENGINE.environment
    prescript, postscript = getattr(spec, "prescript", None), getattr(spec, "postscript", None)
    if prescript:
        environment.execute(prescript, data, {})
    script = getattr(spec, "script", None)
    if isinstance(script, str):
        environment.execute(script, data, {})
    else:
        engine: DMNEngine = spec.dmnEngine
        outputs = engine.result(SimpleNamespace(data=data, workflow=_CELLS))
        data = DeepMerge.merge(data, outputs)
    if postscript:
        environment.execute(postscript, data, {})
    return data


def dry_run(
    instance: WorkflowInstance, steps: Sequence[str], data: Mapping[str, Any]
) -> dict[str, Any]:
    """The data after the ``steps`` (BPMN ids of script and business rule tasks, run in this
    order) of the instance's process ran on a copy of ``data``. Raises StepUnavailable when
    its version lacks one, DryRunFailed when one fails on the data."""
    specs = _task_specs(instance)
    scratch = copy.deepcopy(dict(data))
    for step in steps:
        spec = specs.get(step)
        if spec is None or not _runnable(spec):
            raise StepUnavailable(f"the process has no script or business rule task '{step}'")
        try:
            scratch = _run(spec, scratch)
        except Exception as err:  # noqa: BLE001 - any failure of a step is the data's
            raise DryRunFailed(f"step '{step}' failed: {type(err).__name__}: {err}") from err
    return scratch
