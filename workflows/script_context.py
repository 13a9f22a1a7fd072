"""What SpiffArena's script helpers read, gathered by the engine for each script as plain data.

A script's helpers (``get_current_user()``, ``get_process_initiator_user()``, ...: see
workflows/sandbox_spiffarena.py) run in the sandbox worker, which has no database. So before a
script runs, the engine gathers what its helpers will read into the call's ``env``: only what
the script's text names, so a script that calls none costs no query. The values are
SpiffArena's: a user is ``{"id", "username", "email", "display_name"}`` (the application says
how a username becomes that, ``configure_scripts(describe_user=...)``), the instance is
``{"process_instance_id", "process_model_identifier"}``, a task's address is the task page.

``serving_scripts`` (entered by workflows/services.py around every engine run) says who acts on
which instance; ``running_task`` (entered by the script engine) says which task runs the script.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.models import AuditEvent, WorkflowInstance

UserDescriber = Callable[[Session, str], dict[str, Any] | None]


def _username_only(session: Session, username: str) -> dict[str, Any] | None:
    return {"id": None, "username": username, "email": None, "display_name": username}


@dataclass(frozen=True)
class ScriptSettings:
    frontend_url: str = ""  # where people reach grantflow, "https://grantflow.example"
    env_identifier: str | None = None  # what get_env() answers; None: get_env is refused
    describe_user: UserDescriber = _username_only


_settings = ScriptSettings()


def configure_scripts(
    *,
    frontend_url: str | None = None,
    env_identifier: str | None = None,
    describe_user: UserDescriber | None = None,
) -> None:
    """The application's settings for the helpers (None keeps one; env_identifier "" unsets)."""
    global _settings
    _settings = ScriptSettings(
        frontend_url=(_settings.frontend_url if frontend_url is None else frontend_url).rstrip("/"),
        env_identifier=_settings.env_identifier
        if env_identifier is None
        else (env_identifier or None),
        describe_user=describe_user or _settings.describe_user,
    )


def script_settings() -> ScriptSettings:
    return _settings


@dataclass(frozen=True)
class _Serving:
    session: Session
    instance: WorkflowInstance
    username: str | None  # None: no person acts (a timer, a message)
    now: Callable[[], datetime]


_serving: ContextVar[_Serving | None] = ContextVar("script_serving", default=None)
_task: ContextVar[Task | None] = ContextVar("script_task", default=None)


@contextmanager
def serving_scripts(
    session: Session, instance: WorkflowInstance, username: str | None, now: Callable[[], datetime]
) -> Iterator[None]:
    token = _serving.set(_Serving(session, instance, username, now))
    try:
        yield
    finally:
        _serving.reset(token)


@contextmanager
def running_task(task: Task | None) -> Iterator[None]:
    token = _task.set(task)
    try:
        yield
    finally:
        _task.reset(token)


def env_for(source: str) -> dict[str, Any]:
    """The env of one call of ``source``: the clock's now, and what the helpers it names read."""
    serving = _serving.get()
    env: dict[str, Any] = {"frontend_url": _settings.frontend_url}
    if _settings.env_identifier is not None:
        env["env_identifier"] = _settings.env_identifier
    if serving is None:
        return env
    env["now"] = serving.now()
    session, instance = serving.session, serving.instance
    if "get_current_user" in source:
        env["user"] = _user(session, serving.username)
    if "get_process_initiator_user" in source:
        env["initiator"] = _user(session, initiator_of(session, instance))
    if "get_toplevel_process_info" in source:
        env["process_info"] = {
            "process_instance_id": instance.id,
            "process_model_identifier": model_identifier(instance),
        }
    task = _task.get()
    if task is not None and "get_url_for_task_with_bpmn_identifier" in source:
        env["task_urls"] = _task_urls(task, instance)
    if task is not None and "get_last_user_completing_task" in source:
        env["completers"] = _completers(session, task, source)
    return env


def _user(session: Session, username: str | None) -> dict[str, Any] | None:
    return None if username is None else _settings.describe_user(session, username)


def initiator_of(session: Session, instance: WorkflowInstance) -> str | None:
    """Who started the instance (its "started" audit event); None for the system."""
    actor = session.scalar(
        select(AuditEvent.actor)
        .where(AuditEvent.instance_id == instance.id, AuditEvent.kind == "started")
        .order_by(AuditEvent.id)
        .limit(1)
    )
    return None if actor in (None, "system") else actor


def model_identifier(instance: WorkflowInstance) -> str:
    """SpiffArena's process model identifier: the group path and the model's id."""
    model = instance.version.model
    group = (model.group_path or "").strip("/")
    return f"{group}/{model.id}" if group else model.id


def _all_tasks(task: Task) -> Iterator[Task]:
    top = task.workflow.top_workflow
    yield from top.get_tasks_iterator()
    for sub in top.subprocesses.values():
        yield from sub.get_tasks_iterator()


def _task_urls(task: Task, instance: WorkflowInstance) -> dict[str, str]:
    """The page of each task a person completes that is not finished yet, by BPMN id (the
    first one met, as SpiffArena's lookup takes it)."""
    urls: dict[str, str] = {}
    for found in _all_tasks(task):
        spec = found.task_spec
        bpmn_id = getattr(spec, "bpmn_id", None)
        if not bpmn_id or not spec.manual or found.state & TaskState.FINISHED_MASK:
            continue
        urls.setdefault(bpmn_id, f"{_settings.frontend_url}/tasks/{instance.id}/{found.id}")
    return urls


def _completers(session: Session, task: Task, source: str) -> dict[str, Any]:
    """For each get_last_user_completing_task("process", "task") in ``source`` (identifiers
    written as text), the user who last completed that task of this instance."""
    wanted = set(_literal_pairs(source))
    if not wanted:
        return {}
    last: dict[str, Task] = {}
    for found in _all_tasks(task):
        key = f"{found.workflow.spec.name}/{getattr(found.task_spec, 'bpmn_id', None)}"
        done = found.state == TaskState.COMPLETED and found.task_spec.manual
        if key in wanted and done and (key not in last or _later(found, last[key])):
            last[key] = found
    serving = _serving.get()
    instance_id = serving.instance.id if serving else None
    users: dict[str, Any] = {}
    for key, found in last.items():
        actor = session.scalar(
            select(AuditEvent.actor)
            .where(
                AuditEvent.instance_id == instance_id,
                AuditEvent.task_id == str(found.id),
                AuditEvent.kind == "task_completed",
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        if actor is not None:
            users[key] = _user(session, actor)
    return users


def _later(one: Task, other: Task) -> bool:
    return bool(one.last_state_change > other.last_state_change)


def _literal_pairs(source: str) -> Iterator[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "get_last_user_completing_task"
        ):
            continue
        named = {keyword.arg: keyword.value for keyword in node.keywords}
        given: list[ast.expr | None] = list(node.args) or [
            named.get("bpmn_process_identifier"),
            named.get("task_bpmn_identifier"),
        ]
        texts = [
            arg.value
            for arg in given
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if len(texts) == 2:
            yield f"{texts[0]}/{texts[1]}"
