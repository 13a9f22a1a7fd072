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
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.views import safe_next_url
from app.cases.operations import actor_of
from app.cases.queries import application_objects, is_staff
from app.cases.registry import received_now
from app.extensions import current_session
from app.forms.display import render_values
from app.forms.dynamic import expand
from app.forms.parse import parse_form
from app.forms.render import ADD_ROW_ACTION, field_id, render_error_summary, render_form
from app.forms.sanitize import sanitize_for_engine
from app.forms.schema import sends_by_choice
from app.forms.validate import input_errors
from app.i18n import current_language
from app.i18n.process_texts import prefetch_instances, process_texts, translate
from app.keyset import page_url
from app.loaders import get_case, get_instance, get_owner
from app.owners import Owner
from app.refusals import message_for, refused
from app.requests import arrived_at, refuse
from app.tasks import hooks
from app.tasks.eligibility import check_eligibility, offers_check
from app.tasks.evaluations import EVALUATION_TASK, evaluation_status, may_see_evaluations
from app.tasks.form_files import attach_posted_files, takes_files, unsent_attachments
from app.tasks.instructions import render_instructions
from app.tasks.operations import (
    EMPTY_FORM,
    FormRefused,
    claim_user_task,
    declare_conflict_of_interest,
    save_draft,
    send_task,
    unclaim_user_task,
)
from app.tasks.previews import EmailPreview, preview_cases, previews_email
from app.tasks.queries import (
    SORTS,
    InboxFilters,
    draft_of,
    inbox_choices,
    inbox_pages,
    may_work_on,
)
from app.timefmt import format_helsinki
from app.worker import deliver_after_commit
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
    closed_by_deadline,
    may_act,
    may_claim,
    may_unclaim,
    task_view,
)
from workflows.incidents import opened_now
from workflows.models import HumanTask, WorkflowInstance

bp = Blueprint("tasks", __name__)


@bp.get("/tasks", endpoint="inbox")
@login_required
def inbox_page() -> str:
    filters = InboxFilters.from_args(request.args)
    session = current_session()
    mine, groups = inbox_pages(
        session,
        current_user,
        filters,
        mine_after=request.args.get("mine_after"),
        groups_after=request.args.get("groups_after"),
    )
    prefetch_instances(row.task.instance_id for page in (mine, groups) for row in page.rows)
    choices = inbox_choices(session, current_user)
    return render_template(
        "tasks/inbox.html",
        mine=mine,
        groups=groups,
        page_url=page_url,
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
    back = safe_next_url(request.form.get("next")) or url_for("tasks.inbox")
    try:
        row = change(current_session(), instance, task_id, current_user)
    except (TaskAlreadyCompleted, NotAllowed) as refusal:
        return refused(back, refusal)
    flash(str(done) % {"title": translate(row.title, instance)}, "success")
    return redirect(back)


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


CONFLICT_REASON_MAX = 2000


@bp.post("/tasks/<int:instance_id>/<task_id>/conflict", endpoint="conflict")
@login_required
def conflict(instance_id: int, task_id: str) -> Response:
    """An evaluator declares a conflict of interest: the evaluation goes to someone else."""
    instance, _owner = get_instance(instance_id)
    back = url_for("tasks.task", instance_id=instance_id, task_id=task_id)
    reason = " ".join((request.form.get("reason") or "").split())
    if not reason or len(reason) > CONFLICT_REASON_MAX:
        return refuse(
            back,
            _(
                "Say what the conflict of interest is, in at most %(count)s characters.",
                count=CONFLICT_REASON_MAX,
            ),
        )
    try:
        row = declare_conflict_of_interest(
            current_session(), instance, task_id, current_user, reason
        )
    except (TaskAlreadyCompleted, NotAllowed) as refusal:
        return refused(back, refusal)
    flash(
        _(
            "The conflict of interest is recorded and the evaluation went to %(name)s.",
            name=row.assignee,
        ),
        "success",
    )
    return redirect(url_for("tasks.inbox"))


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


def _send(owner: Owner, instance_id: int, task_id: str) -> Response | tuple[str, int] | str:
    """Send the task as posted: the receipt when it went through, else the form again with
    what is wrong (nothing sent; after the deadline, what was typed is kept as a draft, or
    shown back once the deadline closed the task)."""
    arrival = arrived_at()
    try:
        sent = send_task(
            current_session(),
            owner.call,
            instance_id,
            task_id,
            None,
            current_user,
            arrived_at=arrival,
            fields=request.form,
            language=current_language(),
        )
    except FormRefused as refusal:
        return page_of_task(
            owner, _instance(instance_id), refusal.view, refusal.data, refusal.errors
        )
    except TaskAlreadyCompleted as refusal:
        return _gone(owner, _instance(instance_id), task_id, refusal)
    except NotAllowed:
        holder = current_session().scalar(
            select(HumanTask).where(
                HumanTask.instance_id == instance_id, HumanTask.task_id == task_id
            )
        )
        if holder is not None and holder.claimed:
            return _claimed_by_another(holder, owner)
        abort(403)
    except DeadlinePassed as late:
        return _keep_late(owner, _instance(instance_id), task_id, late)
    except (EngineStepFailed, InstanceChanged) as refusal:
        instance = _instance(instance_id)
        shown = _view(owner, instance, task_id)
        if not isinstance(shown, TaskView):
            return shown
        schema, ui_schema = _schemas(shown)
        data = parse_form(schema, request.form, ui_schema)
        return page_of_task(owner, instance, shown, data, {"": message_for(refusal)})
    deliver_after_commit(current_app._get_current_object(), current_session())  # type: ignore[attr-defined]
    title = translate(sent.view.row.title, sent.instance)
    return _receipt(owner, sent.instance, title, arrival)


def _files_refused(
    owner: Owner, instance_id: int, task_id: str, reasons: list[str]
) -> Response | tuple[str, int] | str:
    """The form again as typed, with why its files were refused; nothing sent or kept."""
    instance = _instance(instance_id)
    shown = _view(owner, instance, task_id)
    if not isinstance(shown, TaskView):
        return shown
    schema, ui_schema = _schemas(shown)
    data = parse_form(schema, request.form, ui_schema)
    return page_of_task(owner, instance, shown, data, {"": " ".join(reasons)})


def _instance(instance_id: int) -> WorkflowInstance:
    return current_session().get_one(WorkflowInstance, instance_id)


def _receipt(owner: Owner, instance: WorkflowInstance, title: str, arrival: datetime) -> Response:
    """After a send: the receipt page of the document the registry received with it, if any.
    When a step after the send failed, the send is kept: say so, and that the rest follows."""
    arrived = clock_at(instance.clock, arrival)
    received = received_now(current_session(), owner.case) if owner.case else None
    if opened_now(current_session(), instance.id):
        flash(
            _(
                "“%(title)s” was sent and saved; it arrived %(time)s. Processing it is delayed: "
                "the ministry has been told and no more is needed from you.",
                title=title,
                time=format_helsinki(arrived, seconds=True),
            ),
            "warning",
        )
    if owner.case is None or received is None:
        flash(_("“%(title)s” was sent.", title=title), "success")
        return redirect(_back(owner))
    received_text = _(
        "Received. Case number %(case)s, document number %(number)s, arrived %(time)s. A "
        "receipt was emailed to you.",
        case=owner.case.case_number,
        number=received.registry_number,
        time=format_helsinki(received.received_at, seconds=True),
    )
    flash(received_text, "success")
    return redirect(url_for("cases.document", case_id=owner.case.id, document_id=received.id))


def _keep_late(
    owner: Owner, instance: WorkflowInstance, task_id: str, late: DeadlinePassed
) -> Response | tuple[str, int] | str:
    """Sent after the deadline, before its timer closed the task: nothing is sent (the send
    left nothing behind), and what was typed is kept as the task's draft. The answer is the
    task page again (a redirect, so the request commits the draft) with the reason."""
    shown = _view(owner, instance, task_id)
    if not isinstance(shown, TaskView):
        return shown
    if not may_work_on(current_user, owner, shown.row):
        abort(403)
    schema, ui_schema = _schemas(shown)
    data = parse_form(schema, request.form, ui_schema)
    if too_much := input_errors(data):  # too much to keep: shown again, not kept
        return page_of_task(owner, instance, shown, data, too_much | {"": message_for(late)})
    try:
        save_draft(current_session(), instance, task_id, sanitize_for_engine(data), current_user)
    except TaskAlreadyCompleted as refusal:  # its deadline timer closed it meanwhile
        return _gone(owner, instance, task_id, refusal)
    flash(
        _(
            "The deadline passed at %(time)s: the form was not sent. What you typed is kept "
            "here as a draft, but a draft is not an application. The task closes shortly, and "
            "its draft with it: copy your text if you need it.",
            time=format_helsinki(late.deadline, seconds=True),
        ),
        "error",
    )
    return redirect(request.path)


def _gone(
    owner: Owner, instance: WorkflowInstance, task_id: str, refusal: TaskAlreadyCompleted
) -> Response | tuple[str, int]:
    """A form posted to a task that is no longer ready. When the timer of its deadline closed
    it, and that deadline had passed when the request arrived, the person sees what they typed
    (nothing was sent or kept) and when the deadline passed; otherwise the refusal."""
    closed = closed_by_deadline(instance, task_id)
    if closed is None or clock_at(instance.clock, arrived_at()) < closed.deadline:
        return refused(_back(owner), refusal)
    row = closed.view.row
    if not may_act(actor_of(current_user), row) or not may_work_on(current_user, owner, row):
        return refused(_back(owner), refusal)
    schema, ui_schema = _schemas(closed.view)
    page = render_template(
        "tasks/closed.html",
        owner=owner,
        instance=instance,
        row=row,
        deadline=closed.deadline,
        values=render_values(
            schema,
            parse_form(schema, request.form, ui_schema),
            texts=process_texts(instance),
        ),
        now=clock_now(instance.clock),
        format_helsinki=format_helsinki,
    )
    return page, 422


def _view(
    owner: Owner, instance: WorkflowInstance, task_id: str
) -> TaskView | Response | tuple[str, int]:
    """The task as its page shows it, or what to answer instead: it is gone (a form posted
    to it after its deadline closed it: what was typed, shown back)."""
    try:
        return task_view(current_session(), instance, task_id)
    except TaskAlreadyCompleted as refusal:
        if request.method == "POST":
            return _gone(owner, instance, task_id, refusal)
        return refused(_back(owner), refusal)
    except TaskNotFound:
        abort(404)


def _schemas(view: TaskView) -> tuple[dict[str, Any], dict[str, Any]]:
    return expand(view.schema or EMPTY_FORM, view.ui_schema, view.data, current_language())


# Saves a draft and shows the idea's eligibility (app/tasks/eligibility.py) above "Send".
CHECK_ACTION = "check"


@bp.route("/tasks/<int:instance_id>/<task_id>", methods=["GET", "POST"], endpoint="task")
@login_required
def task_page(instance_id: int, task_id: str) -> Response | tuple[str, int] | str:
    owner = get_owner(instance_id)
    action = request.form.get("action", "send") if request.method == "POST" else ""
    keeps_a_draft = action in ("draft", CHECK_ACTION) or action.startswith(ADD_ROW_ACTION)
    if request.method == "POST" and (
        refused_files := attach_posted_files(owner, instance_id, task_id)
    ):
        return _files_refused(owner, instance_id, task_id, refused_files)
    if request.method == "POST" and not keeps_a_draft:
        return _send(owner, instance_id, task_id)
    instance = _instance(instance_id)
    view = _view(owner, instance, task_id)
    if not isinstance(view, TaskView):
        return view
    row = view.row
    if row.claimed and row.assignee != current_user.username:
        return _claimed_by_another(row, owner)
    if not may_act(actor_of(current_user), row) or not may_work_on(current_user, owner, row):
        abort(403)
    if request.method == "POST":  # a draft, or a row added to a table (kept as a draft)
        schema, ui_schema = _schemas(view)
        data = parse_form(schema, request.form, ui_schema)
        if too_much := input_errors(data):  # a draft need not be valid, but must be storable
            return page_of_task(owner, instance, view, data, too_much)
        try:
            save_draft(
                current_session(), instance, task_id, sanitize_for_engine(data), current_user
            )
        except TaskAlreadyCompleted as refusal:
            return refused(_back(owner), refusal)
        if action == CHECK_ACTION:
            flash(
                _(
                    "Draft saved and its eligibility checked: see the result above “Send”. "
                    "A draft is not sent."
                ),
                "success",
            )
            return redirect(request.path + "#eligibility")
        flash(_("Draft saved. A draft is not sent: press “Send” when you are ready."), "success")
        anchor = "#" + field_id(action.partition(":")[2]) if ":" in action else ""
        return redirect(request.path + anchor)
    draft = draft_of(current_session(), instance.id, task_id)
    data = hooks.prefill(
        current_session(),
        row.spec_name,
        owner.call,
        _form_data(view, draft.data if draft else None),
    )
    return page_of_task(owner, instance, view, data, {})


def page_of_task(
    owner: Owner,
    instance: WorkflowInstance,
    view: TaskView,
    data: dict[str, Any],
    errors: dict[str, str],
    *,
    preview: EmailPreview | None = None,
    letter_url: str | None = None,
) -> tuple[str, int] | str:
    """The task page: its form with ``data`` (and ``errors``, then with status 422); below it
    a ``preview`` of the email its send would queue (app/tasks/preview_views.py). The idea
    form shows its eligibility once there is something to check: a draft, or a form sent back."""
    row = view.row
    schema, ui_schema = _schemas(view)
    texts = process_texts(instance)
    actor = actor_of(current_user)
    draft = draft_of(current_session(), instance.id, row.task_id)
    checks_eligibility = offers_check(instance, view)
    typed = draft is not None or bool(errors)  # something to check: not an empty new form
    eligibility = check_eligibility(instance, view, data) if checks_eligibility and typed else None
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
        takes_files=takes_files(owner, row.spec_name),
        attachments=unsent_attachments(owner) if takes_files(owner, row.spec_name) else [],
        sends_by_choice=sends_by_choice(schema, ui_schema),
        errors=errors,
        instructions=render_instructions(view.instructions, view.data, texts),
        draft=draft,
        checks_eligibility=checks_eligibility,
        eligibility=eligibility,
        can_claim=may_claim(actor, row),
        can_unclaim=may_unclaim(actor, row),
        is_evaluation=row.spec_name == EVALUATION_TASK,
        previews_email=previews_email(row.spec_name) and is_staff(current_user),
        preview_cases=preview_cases(view),
        preview=preview,
        letter_url=letter_url,
        now=clock_now(instance.clock),
        format_helsinki=format_helsinki,
    )
    return (page, 422) if errors else page
