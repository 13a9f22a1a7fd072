"""A cap on the size of a case's task data: what a step leaves must fit in the limit.

The sandbox refuses a script whose result is too big, but data also comes from forms, service
results and decision tables. After each step the task's data (all of it: what every later step
gets and what is saved) is measured as JSON. A person's own task over the limit is refused and
nothing is saved (workflows/engine.py raises EngineStepFailed); an automatic step over it is put
back before it ran and left in error, so the engine opens an incident that can be retried once
the cause is fixed.
"""

from __future__ import annotations

import json
from contextlib import suppress
from typing import Any

import orjson
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from workflows.sandbox import size_text

DEFAULT_LIMIT_BYTES = 1024 * 1024
_limit = [DEFAULT_LIMIT_BYTES]


def set_task_data_limit(size: int) -> None:
    _limit[0] = int(size)


def task_data_limit() -> int:
    return _limit[0]


def data_size(data: dict[str, Any]) -> int:
    """The bytes of ``data`` as JSON in UTF-8, as a state column holds it (a value that is no
    JSON counted as its text). By orjson, as the columns are written (workflows/json_columns.py):
    each step of a send measures its task's data, and the standard library's encoding took
    seven times as long (timeit, on an idea proposal's data)."""
    try:
        return len(orjson.dumps(data, default=str, option=orjson.OPT_NON_STR_KEYS))
    except orjson.JSONEncodeError:  # an integer wider than 64 bits, or nesting deeper than it goes
        return len(json.dumps(data, default=str, separators=(",", ":")).encode())


def oversize_message(task: Task) -> str | None:
    """Why the task's data is too big, or None when it fits."""
    size = data_size(task.data)
    if size <= _limit[0]:
        return None
    return (
        f"the case's data would be {size_text(size)}, over the limit of "
        f"{size_text(_limit[0])} for a case's task data"
    )


def fail_if_oversized(task: Task, fitted: set[Any] | None = None) -> None:
    """After an automatic step: over the limit, the step is undone and left in error.

    ``fitted``: the ids of the tasks of this run found within the limit (added to here). A
    step that left its data as its parent, so found, left it (a gateway, an event, most steps)
    is not measured again."""
    fitted = fitted if fitted is not None else set()
    parent = task.parent
    if parent is not None and parent.id in fitted and task.data == parent.data:
        fitted.add(task.id)
        return
    message = oversize_message(task)
    if message is None:
        fitted.add(task.id)
        return
    # Its data and what it set going are gone; if its pre-script fails again, it is in error.
    with suppress(SpiffWorkflowException):
        task.reset_branch(None)
    task._set_state(TaskState.ERROR)
    raise WorkflowTaskException(message, task=task)
