"""Preview the email before it goes: the task page again with the form as typed and, below
it, the email its send would queue; for a decision, the letter of one case as a PDF. Only who
may act on the task previews it; a preview sends, files and saves nothing."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from flask import Blueprint, abort, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from app.cases.operations import actor_of
from app.cases.queries import is_staff
from app.extensions import current_session
from app.i18n import current_language
from app.loaders import get_owner
from app.owners import Owner
from app.refusals import refused
from app.tasks.operations import TaskForm, read_task_form
from app.tasks.previews import decision_letter_pdf, preview_email, previews_email, stands_for
from app.tasks.queries import may_work_on
from app.tasks.views import page_of_task
from workflows import TaskAlreadyCompleted, TaskNotFound, TaskView, may_act, task_view
from workflows.models import WorkflowInstance

bp = Blueprint("task_previews", __name__)
NOT_FORM_FIELDS = ("csrf_token", "action", "preview_case")


def _previewed(
    instance_id: int, task_id: str, fields: MultiDict[str, str]
) -> tuple[Owner, WorkflowInstance, TaskView, TaskForm]:
    """The task whose send is previewed, if the person may send it (404: it emails nobody),
    and its form read from ``fields`` as a send reads it."""
    owner = get_owner(instance_id)
    instance = current_session().get_one(WorkflowInstance, instance_id)
    try:
        view = task_view(current_session(), instance, task_id)
    except TaskAlreadyCompleted as refusal:
        abort(refused(url_for("tasks.task", instance_id=instance_id, task_id=task_id), refusal))
    except TaskNotFound:
        abort(404)
    row = view.row
    if not previews_email(row.spec_name):
        abort(404)
    mine = not row.claimed or row.assignee == current_user.username
    if not (is_staff(current_user) and mine and may_act(actor_of(current_user), row)):
        abort(403)
    if not may_work_on(current_user, owner, row):
        abort(403)
    form = read_task_form(
        current_session(),
        owner.call,
        view,
        fields=fields,
        language=current_language(),
        fixed=stands_for(row.spec_name),
    )
    return owner, instance, view, form


@bp.post("/tasks/<int:instance_id>/<task_id>/preview", endpoint="email")
@login_required
def email_preview(instance_id: int, task_id: str) -> tuple[str, int] | str:
    owner, instance, view, form = _previewed(instance_id, task_id, request.form)
    if form.errors:
        return page_of_task(owner, instance, view, form.sent, form.errors)
    case_id = request.form.get("preview_case", type=int)
    preview = preview_email(current_session(), owner, instance, view, form.sent, case_id)
    typed = [(k, v) for k, v in request.form.items(multi=True) if k not in NOT_FORM_FIELDS]
    letter_url = None
    if preview.shown_case is not None:
        letter_url = url_for(
            "task_previews.letter",
            instance_id=instance_id,
            task_id=task_id,
            case_id=preview.shown_case,
        )
        letter_url += "?" + urlencode(typed)
    return page_of_task(
        owner, instance, view, form.sent, {}, preview=preview, letter_url=letter_url
    )


@bp.get("/tasks/<int:instance_id>/<task_id>/preview/<int:case_id>/letter.pdf", endpoint="letter")
@login_required
def letter_preview(instance_id: int, task_id: str, case_id: int) -> Response:
    """The decision letter to one case of the ranking, drawn as the send would draw it from
    the form's values in the query (checked as a send checks them); nothing is filed."""
    owner, instance, view, form = _previewed(instance_id, task_id, request.args)
    if form.errors:
        abort(404)
    try:
        pdf, filename = decision_letter_pdf(current_session(), instance, view, form.sent, case_id)
    except LookupError:
        abort(404)
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", download_name=f"preview-{filename}"
    )
