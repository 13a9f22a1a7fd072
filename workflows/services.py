"""Service tasks: the engine calls operators that the application registers by name.

An operator runs inside the same transaction as the engine step that reached it. It gets a
``ServiceCall`` (the session, the instance, the evaluated parameters, a copy of the task data,
the instance's clock time, the acting user and, after a boundary timer, the task it is attached
to and whether a later timer of that task is due too) and returns a JSON-serializable dict that
the engine stores in the task's result variable.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from workflows.boundary_timers import later_timer_due, timer_attached_to
from workflows.models import WorkflowInstance
from workflows.sandbox import NOT_A_LITERAL, SandboxedEnvironment, literal_value
from workflows.script_context import running_task, serving_scripts


@dataclass(frozen=True)
class Actor:
    """Who acts: a user with roles, or the system (timers, messages)."""

    username: str
    roles: frozenset[str] = frozenset()


SYSTEM = Actor("system")


@dataclass(frozen=True)
class ServiceCall:
    session: Session
    instance: WorkflowInstance
    params: dict[str, Any]
    data: dict[str, Any]
    now: datetime
    actor: Actor
    # The form a person sent in the step that set this one off (None after a timer or a
    # message): what a registry files as received.
    sent: dict[str, Any] | None = None
    # The task (its id) whose boundary timer set this step off, when one did: a reminder's
    # path knows which task it reminds of, and finds its index row and draft by it.
    timer_attached_to: str | None = None
    # After a boundary timer: whether a later timer of the same task is due now too (a clock
    # moved past both at once), so that a reminder can leave the speaking to the later one.
    later_timer_due: bool = False


Operator = Callable[[ServiceCall], dict[str, Any]]
_OPERATORS: dict[str, Operator] = {}


def register_operator(name: str) -> Callable[[Operator], Operator]:
    def decorate(function: Operator) -> Operator:
        _OPERATORS[name] = function
        return function

    return decorate


def operator_names() -> frozenset[str]:
    """The operators registered now (the http connector's and the application's)."""
    return frozenset(_OPERATORS)


@dataclass(frozen=True)
class _Run:
    session: Session
    instance: WorkflowInstance
    actor: Actor
    now: Callable[[], datetime]
    sent: dict[str, Any] | None


_current_run: ContextVar[_Run | None] = ContextVar("current_run", default=None)


@contextmanager
def serving(
    session: Session,
    instance: WorkflowInstance,
    actor: Actor,
    now: Callable[[], datetime],
    sent: dict[str, Any] | None = None,
) -> Iterator[None]:
    token = _current_run.set(_Run(session, instance, actor, now, sent))
    username = None if actor == SYSTEM else actor.username
    try:
        with serving_scripts(session, instance, username, now):
            yield
    finally:
        _current_run.reset(token)


class ScriptEngine(PythonScriptEngine):
    """The sandboxed script engine; service tasks go to the registered operators."""

    def __init__(self) -> None:
        super().__init__(environment=SandboxedEnvironment())

    def execute(self, task, script, external_context=None):
        with running_task(task):  # the helpers that find tasks look from here
            return super().execute(task, script, external_context)

    def evaluate(self, task, expression, external_context=None):
        """As the engine's, but the error says what went wrong (the engine's own message
        names only the expression), such as the sandbox limit an expression hit. A literal
        (a service's parameter ``"closed_late"``) is read here, without a trip to the sandbox."""
        literal = literal_value(expression) if isinstance(expression, str) else NOT_A_LITERAL
        if literal is not NOT_A_LITERAL:
            return timer_text(task, literal)
        try:
            with running_task(task):
                value = self.environment.evaluate(expression, task.data, external_context)
            return timer_text(task, value)
        except SpiffWorkflowException as err:
            err.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as err:
            raise WorkflowTaskException(
                f"Error evaluating expression '{expression}': {type(err).__name__}: {err}",
                task=task,
                exception=err,
            ) from err

    def call_service(self, task, operation_name, operation_params, **kwargs):
        run = _current_run.get()
        operator = _OPERATORS.get(operation_name)
        if run is None or operator is None:
            raise WorkflowTaskException(f"no service operator '{operation_name}'", task=task)
        params = {name: param["value"] for name, param in operation_params.items()}
        now = run.now()
        call = ServiceCall(
            run.session,
            run.instance,
            params,
            dict(task.data),
            now,
            run.actor,
            run.sent,
            timer_attached_to=timer_attached_to(task),
            later_timer_due=later_timer_due(task, now),
        )
        try:
            return json.dumps(operator(call))
        except DBAPIError:
            raise  # a deadlock or a lost connection: the transaction is retried, not an incident
        except Exception as err:  # the engine would hide it behind a NameError otherwise
            raise WorkflowTaskException(
                f"service '{operation_name}' failed: {err}", task=task, exception=err
            ) from err


def timer_text(task: Any, value: Any) -> Any:
    """A timer's expression may give a timedelta or a datetime, as SpiffArena's models write
    them (``timedelta(seconds=30)``); the engine reads a timer as ISO 8601 text, so they are
    given to it as such ("PT30S", "2021-06-02T16:15:00+03:00"). Other values stay as they are."""
    if not isinstance(getattr(task.task_spec, "event_definition", None), TimerEventDefinition):
        return value
    if isinstance(value, timedelta):
        seconds = max(value, timedelta(0))
        return f"P{seconds.days}DT{seconds.seconds + seconds.microseconds / 1_000_000:g}S"
    if isinstance(value, datetime):
        return value.isoformat()
    return value


SCRIPT_ENGINE = ScriptEngine()
