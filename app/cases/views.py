"""Cases: the list, starting an application, and the case page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.calls.models import Call
from app.cases.operations import start_case
from app.cases.queries import cases_for, document_schema, is_staff
from app.extensions import current_session, db
from app.forms.display import render_values
from app.loaders import get_call, get_case
from app.timefmt import format_helsinki
from workflows import clock_now, summarize, timeline
from workflows.models import HumanTask

bp = Blueprint("cases", __name__)


@bp.get("/cases", endpoint="index")
@login_required
def index() -> str:
    calls = db.session.scalars(select(Call).order_by(Call.created_at)).all()
    return render_template(
        "cases/index.html",
        cases=cases_for(current_session(), current_user),
        calls=calls,
        staff=is_staff(current_user),
        format_helsinki=format_helsinki,
    )


@bp.post("/calls/<key>/applications", endpoint="start")
@role_required("applicant")
def start(key: str) -> Response:
    call = get_call(key)
    if current_user.organisation is None:
        abort(403)
    if clock_now(call.clock) >= call.idea_deadline:
        flash("The idea call has closed: new applications can no longer be started.", "error")
        return redirect(url_for("cases.index"))
    case = start_case(current_session(), call, current_user)
    db.session.commit()
    task = db.session.scalar(select(HumanTask).where(HumanTask.instance_id == case.instance_id))
    flash("Your application was opened. Nothing is sent until you press “Send”.", "success")
    if task is None:
        return redirect(url_for("cases.show", case_id=case.id))
    return redirect(url_for("tasks.task", instance_id=task.instance_id, task_id=task.task_id))


@bp.get("/cases/<int:case_id>", endpoint="show")
@login_required
def show(case_id: int) -> str:
    case = get_case(case_id)
    assert case.instance is not None
    summary = summarize(current_session(), case.instance)
    tasks = db.session.scalars(
        select(HumanTask).where(HumanTask.instance_id == case.instance_id)
    ).all()
    return render_template(
        "cases/show.html",
        case=case,
        call=case.call,
        summary=summary,
        tasks=tasks,
        events=timeline(current_session(), [case.instance.id]),
        now=clock_now(case.call.clock),
        format_helsinki=format_helsinki,
    )


@bp.get("/cases/<int:case_id>/documents/<int:document_id>", endpoint="document")
@login_required
def document(case_id: int, document_id: int) -> str:
    case = get_case(case_id)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        abort(404)
    assert case.instance is not None
    schema = document_schema(case.instance, doc.kind)
    return render_template(
        "cases/document.html",
        case=case,
        call=case.call,
        doc=doc,
        values=render_values(schema, doc.data),
        now=clock_now(case.call.clock),
        format_helsinki=format_helsinki,
    )
