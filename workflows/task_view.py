"""What a person sees of a ready user task: its indexed row, the task data, its form and
instructions. Built from the loaded workflow, so a request that shows or completes a task
deserializes the workflow once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.task import Task

from workflows import bundles
from workflows.models import HumanTask, WorkflowInstance


@dataclass(frozen=True)
class TaskView:
    row: HumanTask
    data: dict[str, Any]
    instructions: str
    schema: dict[str, Any] | None
    ui_schema: dict[str, Any] | None
    # False for a manual or plain task: no form, its page has one button that completes it.
    needs_form: bool = True


def view_of(instance: WorkflowInstance, row: HumanTask, task: Task) -> TaskView:
    parsed = bundles.parsed_of(instance)
    spec = task.task_spec
    instructions = (spec.extensions or {}).get("instructionsForEndUser") or spec.documentation or ""
    return TaskView(
        row=row,
        data=dict(task.data),
        instructions=instructions,
        schema=parsed.form(row.form),
        ui_schema=parsed.form(row.ui_form),
        needs_form=bundles.needs_form(spec),
    )
