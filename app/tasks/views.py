"""My tasks, and the task page: load, authorize, validate, one operation, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.auth.views import safe_next_url
from app.cases.operations import actor_of
from app.cases.queries import application_objects, is_staff
from app.extensions import current_session, db
from app.forms.dynamic import expand
from app.forms.parse import parse_form
from app.forms.render import ADD_ROW_ACTION, field_id, render_error_summary, render_form
from app.forms.sanitize import sanitize_for_engine
from app.forms.validate import validate_form
from app.i18n import current_language
from app.i18n.process_texts import prefetch_instances, process_texts, translate
from app.i18n.refusals import translate_refusal
from app.loaders import get_case, get_instance
from app.requests import arrived_at
from app.tasks import hooks
from app.tasks.evaluations import EVALUATION_TASK, evaluation_status, may_see_evaluations
from app.tasks.instructions import render_instructions
from app.tasks.operations import claim_user_task, save_draft, send_task, unclaim_user_task
from app.tasks.queries import (
    SORTS,
    InboxFilters,
    Owner,
    draft_of,
    inbox,
    inbox_choices,
    may_work_on,
)
from app.timefmt import format_helsinki
from app.worker import deliver_now
from workflows import (
    DeadlinePassed,
    EngineStepFailed,
    InstanceChanged,
    NotAllowed,
    TaskAlreadyCompleted,
    TaskNotFound,
    TaskView,
    clock_at,
    clock_now,
    may_act,
    may_claim,
    may_unclaim,
    task_view,
)
from workflows.incidents import open_incidents
from workflows.models import HumanTask, WorkflowInstance

bp = Blueprint("tasks", __name__)
ALREADY_DONE = _l(
    "This task was already completed, possibly by someone else. Nothing you sent was saved."
)


@bp.get("/tasks", endpoint="inbox")
@login_required
def inbox_page() -> str:
    filters = InboxFilters.from_args(request.args)
    rows = inbox(current_session(), current_user, filters)
    prefetch_instances(row.task.instance_id for row in rows)
    choices = inbox_choices(current_session(), current_user)
    return render_template(
        "tasks/inbox.html",
        mine=[row for row in rows if row.task.assignee == current_user.username],
        groups=[row for row in rows if row.task.assignee is None],
        filters=filters,
        choices=choices,
        application_objects=application_objects(choices.calls, current_language()),
        sorts=SORTS,
        format_helsinki=format_helsinki,
    )


def _change_claim(
    instance_id: int,
    task_id: str,
    change: Callable[..., HumanTask],
    done: object,
) -> Response:
    """Claim or unclaim, then go back where the form came from (a path of this site)."""
    instance, _owner = get_instance(instance_id)
    try:
        row = change(current_session(), instance, task_id, current_user)
        db.session.commit()
    except TaskAlreadyCompleted:
        db.session.rollback()
        flash(str(ALREADY_DONE), "warning")
    except NotAllowed as refused:
        db.session.rollback()
        flash(translate_refusal(str(refused)), "error")
    else:
        flash(str(done) % {"title": translate(row.title, instance)}, "success")
    return redirect(safe_next_url(request.form.get("next")) or url_for("tasks.inbox"))


@bp.post("/tasks/<int:instance_id>/<task_id>/claim", endpoint="claim")
@login_required
def claim(instance_id: int, task_id: str) -> Response:
    return _change_claim(
        instance_id,
        task_id,
        claim_user_task,
        _l("You claimed “%(title)s”: only you can send it until you unclaim it."),
    )


@bp.post("/tasks/<int:instance_id>/<task_id>/unclaim", endpoint="unclaim")
@login_required
def unclaim(instance_id: int, task_id: str) -> Response:
    return _change_claim(
        instance_id,
        task_id,
        unclaim_user_task,
        _l("“%(title)s” is back with its group: anyone of the group can claim it."),
    )


def _claimed_by_another(row: HumanTask, owner: Owner) -> tuple[str, int]:
    """A clear refusal: who holds the task, and what to do about it."""
    page = render_template(
        "tasks/claimed.html",
        row=row,
        owner=owner,
        can_unclaim=may_unclaim(actor_of(current_user), row),
    )
    return page, 403


@bp.get("/cases/<int:case_id>/evaluations", endpoint="evaluations")
@login_required
def evaluations_page(case_id: int) -> str:
    case = get_case(case_id)
    if not is_staff(current_user):
        abort(403)
    status = evaluation_status(current_session(), case)
    return render_template(
        "tasks/evaluations.html",
        case=case,
        status=status,
        visible=may_see_evaluations(current_user, status),
    )


def _back(owner: Owner) -> str:
    return url_for("cases.show", case_id=owner.case.id) if owner.case else url_for("tasks.inbox")


def _form_data(view: TaskView, saved: dict[str, Any] | None) -> dict[str, Any]:
    properties = (view.schema or {}).get("properties", {})
    data = {key: value for key, value in view.data.items() if key in properties}
    return data | (saved or {})


def _send(
    owner: Owner,
    instance: WorkflowInstance,
    view: TaskView,
    data: dict[str, Any],
    errors: dict[str, str],
) -> Response | tuple[str, int] | None:
    """Send the task; a redirect when it went through, else None with the reason in ``errors``."""
    row = view.row
    received_before = {doc.id for doc in owner.case.documents} if owner.case else set()
    arrival = arrived_at()
    try:
        send_task(
            current_session(),
            owner.call,
            instance,
            row.task_id,
            data,
            current_user,
            arrived_at=arrival,
        )
        db.session.commit()
    except TaskAlreadyCompleted:
        db.session.rollback()
        flash(str(ALREADY_DONE), "warning")
        return redirect(_back(owner))
    except NotAllowed:
        db.session.rollback()
        holder = current_session().get(HumanTask, row.id)
        if holder is not None and holder.claimed:
            return _claimed_by_another(holder, owner)
        abort(403)
    except DeadlinePassed as late:
        db.session.rollback()
        errors[""] = _(
            "The deadline passed at %(time)s: the form can no longer be sent.",
            time=format_helsinki(late.deadline, seconds=True),
        )
        return None
    except (EngineStepFailed, InstanceChanged) as err:
        db.session.rollback()
        errors[""] = translate_refusal(str(err))
        return None
    deliver_now(current_app._get_current_object())  # type: ignore[attr-defined]
    return _receipt(owner, instance, translate(row.title, instance), received_before, arrival)


def _receipt(
    owner: Owner,
    instance: WorkflowInstance,
    title: str,
    received_before: set[int],
    arrival: datetime,
) -> Response:
    """After a send: the receipt page of the document the registry just received, if any.
    When a step after the send failed, the send is kept: say so, and that the rest follows."""
    received = (
        [d for d in owner.case.documents if d.id not in received_before and not d.outgoing]
        if owner.case
        else []
    )
    if open_incidents(current_session(), [instance.id]):
        flash(
            _(
                "“%(title)s” was sent and saved; it arrived %(time)s. Processing it is delayed: "
                "the ministry has been told and no more is needed from you.",
                title=title,
                time=format_helsinki(clock_at(instance.clock, arrival), seconds=True),
            ),
            "warning",
        )
    if owner.case is None or not received:
        flash(_("“%(title)s” was sent.", title=title), "success")
        return redirect(_back(owner))
    document = received[-1]
    received_text = _(
        "Received. Registry number %(number)s, arrived %(time)s. A receipt was emailed to you.",
        number=document.registry_number,
        time=format_helsinki(document.received_at, seconds=True),
    )
    flash(received_text, "success")
    return redirect(url_for("cases.document", case_id=owner.case.id, document_id=document.id))


@bp.route("/tasks/<int:instance_id>/<task_id>", methods=["GET", "POST"], endpoint="task")
@login_required
def task_page(instance_id: int, task_id: str) -> Response | tuple[str, int] | str:
    instance, owner = get_instance(instance_id)
    try:
        view = task_view(current_session(), instance, task_id)
    except TaskAlreadyCompleted:
        flash(str(ALREADY_DONE), "warning")
        return redirect(_back(owner))
    except TaskNotFound:
        abort(404)
    row = view.row
    if row.claimed and row.assignee != current_user.username:
        return _claimed_by_another(row, owner)
    actor = actor_of(current_user)
    if not may_act(actor, row) or not may_work_on(current_user, owner, row):
        abort(403)
    schema, ui_schema = expand(
        view.schema or {"type": "object", "properties": {}},
        view.ui_schema,
        view.data,
        current_language(),
    )
    texts = process_texts(instance)
    draft = draft_of(current_session(), instance.id, task_id)
    data = hooks.prefill(
        current_session(),
        view.row.spec_name,
        owner.call,
        _form_data(view, draft.data if draft else None),
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = parse_form(schema, request.form, ui_schema)
        action = request.form.get("action", "send")
        if action == "draft" or action.startswith(ADD_ROW_ACTION):
            try:
                save_draft(
                    current_session(), instance, task_id, sanitize_for_engine(data), current_user
                )
            except TaskAlreadyCompleted:
                db.session.rollback()
                flash(str(ALREADY_DONE), "warning")
                return redirect(_back(owner))
            db.session.commit()
            saved = _("Draft saved. A draft is not sent: press “Send” when you are ready.")
            flash(saved, "success")
            anchor = "#" + field_id(action.partition(":")[2]) if ":" in action else ""
            return redirect(request.path + anchor)
        data, errors = hooks.check(current_session(), view.row.spec_name, owner.call, data)
        errors = validate_form(schema, data) | errors
        if not errors:
            sent = _send(owner, instance, view, sanitize_for_engine(data), errors)
            if sent is not None:
                return sent
    page = render_template(
        "tasks/task.html",
        view=view,
        owner=owner,
        instance=instance,
        form_html=render_form(
            hooks.displayed_schema(row.spec_name, schema), ui_schema, data, errors, texts
        ),
        data=data,
        call=owner.call,
        error_summary=render_error_summary(schema, errors, texts),
        errors=errors,
        instructions=render_instructions(view.instructions, view.data, texts),
        draft=draft,
        can_claim=may_claim(actor, row),
        can_unclaim=may_unclaim(actor, row),
        is_evaluation=row.spec_name == EVALUATION_TASK,
        now=clock_now(instance.clock),
        format_helsinki=format_helsinki,
    )
    return (page, 422) if errors else page
