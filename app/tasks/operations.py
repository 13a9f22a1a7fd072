"""Writes on tasks: claim or release, keep a draft, or send the form and let the engine go on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import TaskDraft
from app.cases.operations import actor_of
from app.forms.dynamic import expand
from app.forms.parse import parse_form
from app.forms.sanitize import sanitize_for_engine
from app.forms.validate import validate_form
from app.notifications.operations import create_notices
from app.owners import owner_of
from app.tasks import hooks
from app.tasks.evaluations import EVALUATION_TASK, substitute_evaluator
from app.tasks.queries import may_work_on
from app.tasks.screening import SCREENING_TASK, record_override
from app.upsert import upsert
from workflows import (
    NotAllowed,
    TaskAlreadyCompleted,
    TaskView,
    claim_task,
    complete_task,
    lock_instance,
    reassign_task,
    unclaim_task,
    wall_now,
)
from workflows.models import HumanTask, WorkflowInstance

EMPTY_FORM: dict[str, Any] = {"type": "object", "properties": {}}


def check_organisation(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> None:
    """The engine checks lane and assignee; a case's applicant tasks also need its organisation."""
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    owner = owner_of(session, instance)
    if row is not None and owner is not None and not may_work_on(user, owner, row):
        raise NotAllowed("Only the people of the applicant organisation may work on this task.")


def save_draft(
    session: Session, instance: WorkflowInstance, task_id: str, data: dict[str, Any], user: User
) -> None:
    """Keep the form data of a ready task, not sent. The instance is locked first (as a send
    locks it), so a draft never lands on a task a send just completed; one statement inserts
    or replaces it, so two first saves of one task cannot both insert."""
    lock_instance(session, instance.id, claim=False)
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    check_organisation(session, instance, task_id, user)
    now = wall_now()
    session.execute(
        upsert(
            session,
            TaskDraft,
            {
                "instance_id": instance.id,
                "task_id": task_id,
                "data": data,
                "saved_by": user.username,
                "saved_at": now,
            },
            key=("instance_id", "task_id"),
            update={"data": data, "saved_by": user.username, "saved_at": now},
        )
    )
    case = owner.case if (owner := owner_of(session, instance.id)) is not None else None
    named = data.get("project_name")
    if case is not None and not case.project_name and isinstance(named, str) and named.strip():
        case.project_name = named.strip()[:300]  # lists name the draft, not "Untitled"


@dataclass(frozen=True)
class Sent:
    view: TaskView  # the task as it was when sent
    instance: WorkflowInstance


class FormRefused(Exception):
    """The task's form was not accepted; nothing was saved. ``errors`` by field path; what the
    page needs to show the form again with them."""

    def __init__(
        self,
        view: TaskView,
        schema: dict[str, Any],
        ui_schema: dict[str, Any],
        data: dict[str, Any],
        errors: dict[str, str],
    ) -> None:
        super().__init__("; ".join(f"{path}: {said}" for path, said in errors.items()))
        self.view, self.schema, self.ui_schema = view, schema, ui_schema
        self.data, self.errors = data, errors


@dataclass(frozen=True)
class TaskForm:
    """A task's form as sent: its schemas, the data read from it (with the task's server-side
    values) and what is wrong with it, by field ({}: it may be sent)."""

    schema: dict[str, Any]
    ui_schema: dict[str, Any]
    sent: dict[str, Any]
    errors: dict[str, str]


def read_task_form(
    session: Session,
    call: Call,
    view: TaskView,
    *,
    fields: MultiDict[str, str] | None = None,
    data: dict[str, Any] | None = None,
    language: str = "en",
    fixed: dict[str, Any] | None = None,
) -> TaskForm:
    """Read and check a task's form as a send does (the posted ``fields``, or the typed
    ``data``; ``fixed``: values a button stands for, e.g. the approval a preview is of): the
    task's own checks, then its schema. Writes nothing."""
    schema, ui_schema = expand(view.schema or EMPTY_FORM, view.ui_schema, view.data, language)
    sent = parse_form(schema, fields, ui_schema) if fields is not None else dict(data or {})
    sent |= fixed or {}
    sent, errors = hooks.check(session, view.row.spec_name, call, sent, view.data)
    return TaskForm(schema, ui_schema, sent, validate_form(schema, sent) | errors)


def send_task(
    session: Session,
    call: Call,
    instance: WorkflowInstance | int,
    task_id: str,
    data: dict[str, Any] | None,
    user: User,
    *,
    arrived_at: datetime | None = None,
    fields: MultiDict[str, str] | None = None,
    language: str = "en",
) -> Sent:
    """One person's sending of a task, every rule in one place: the applicant organisation,
    the form read from the posted ``fields`` (or the typed ``data``), the task's own checks
    (the ranking's budget), the form's schema, then the engine (who may act, the deadline at
    ``arrived_at``). Raises FormRefused with the errors, or the engine's refusals (which
    change nothing but the instance's version counter, so that the caller may still keep what
    was typed as a draft: a send after the deadline). A screening that invites an idea against
    the eligibility rules is audited once sent (app/tasks/screening.py). Returns the task as it
    was sent, and its instance."""
    instance_id = instance if isinstance(instance, int) else instance.id
    owner = owner_of(session, instance_id)
    shown: list[TaskView] = []
    kept: list[dict[str, Any]] = []

    def prepare(view: TaskView) -> dict[str, Any]:
        shown.append(view)
        if owner is not None and not may_work_on(user, owner, view.row):
            raise NotAllowed("Only the people of the applicant organisation may work on this task.")
        form = read_task_form(session, call, view, fields=fields, data=data, language=language)
        if form.errors:
            raise FormRefused(view, form.schema, form.ui_schema, form.sent, form.errors)
        kept.append(sanitize_for_engine(form.sent))
        return kept[-1]

    actor = actor_of(user)
    sent = complete_task(
        session, instance_id, task_id, actor=actor, arrived_at=arrived_at, prepare=prepare
    )
    view = shown[0]
    if view.row.spec_name == SCREENING_TASK:
        record_override(session, sent, view.row.task_id, view.data, kept[0], actor.username)
    return Sent(view, sent)  # its draft went with its task row (a cascade)


def claim_user_task(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> HumanTask:
    """Take a group task: until it is released, only ``user`` can complete it."""
    check_organisation(session, instance, task_id, user)
    return claim_task(session, instance.id, task_id, actor_of(user))


def unclaim_user_task(
    session: Session, instance: WorkflowInstance, task_id: str, user: User
) -> HumanTask:
    """Give a claimed task back to its group."""
    return unclaim_task(session, instance.id, task_id, actor_of(user))


def declare_conflict_of_interest(
    session: Session, instance: WorkflowInstance, task_id: str, user: User, reason: str
) -> HumanTask:
    """The evaluator has a conflict of interest with the application: their evaluation goes to
    another evaluator of the call (substitute_evaluator), who is told; the audit log records
    it with the reason. Refused when nobody is free to take it."""
    owner = owner_of(session, instance.id)
    lock_instance(session, instance.id, claim=False)  # the choice below sees settled rows
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    if owner is None or owner.case is None or row.spec_name != EVALUATION_TASK:
        raise NotAllowed("Only an evaluation can be passed on for a conflict of interest.")
    substitute = substitute_evaluator(session, owner.case, owner.call, user.username)
    if substitute is None:
        raise NotAllowed(
            "No other evaluator of the call is free to take this evaluation: ask the "
            "specialist to add a reserve evaluator to the call."
        )
    row = reassign_task(session, instance.id, task_id, actor_of(user), substitute, reason)
    create_notices(session, owner.case, owner.call, [row])
    return row
