"""Cases: the list, starting an application, the case page and its process diagram."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.auth.decorators import role_required
from app.calls.models import Call
from app.calls.schemas import APPLICATION_OBJECTS
from app.cases.operations import start_case
from app.cases.queries import (
    CaseFilters,
    countdown,
    countdown_texts,
    document_schema,
    human_tasks_of,
    is_staff,
    phases_of_cases,
    position_text,
    search_cases,
    waiting_texts,
)
from app.extensions import current_session, db
from app.forms.display import render_values
from app.i18n.process_texts import prefetch_instances, process_texts
from app.loaders import get_call, get_case
from app.responses import process_file
from app.timefmt import format_helsinki
from workflows import clock_now, summarize, timeline
from workflows.models import HumanTask
from workflows.queries import diagram_marks, diagram_xml

bp = Blueprint("cases", __name__)


@bp.get("/cases", endpoint="index")
@login_required
def index() -> str:
    calls = db.session.scalars(
        select(Call).where(Call.discarded_at.is_(None)).order_by(Call.created_at)
    ).all()
    filters = CaseFilters.from_args(request.args)
    staff = is_staff(current_user)
    cases = search_cases(current_session(), current_user, filters)
    prefetch_instances(case.instance_id for case in cases)
    return render_template(
        "cases/index.html",
        cases=cases,
        filters=filters,
        phases=phases_of_cases(current_session(), current_user) if staff else [],
        application_objects=APPLICATION_OBJECTS,
        calls=calls,
        call_now={call.id: clock_now(call.clock) for call in calls},
        staff=staff,
        format_helsinki=format_helsinki,
    )


@bp.post("/calls/<key>/applications", endpoint="start")
@role_required("applicant")
def start(key: str) -> BaseResponse:
    call = get_call(key)
    if current_user.organisation is None:
        abort(403)
    if clock_now(call.clock) >= call.idea_deadline:
        flash(_("The idea call has closed: new applications can no longer be started."), "error")
        return redirect(url_for("cases.index"))
    case = start_case(current_session(), call, current_user)
    db.session.commit()
    task = db.session.scalar(select(HumanTask).where(HumanTask.instance_id == case.instance_id))
    flash(_("Your application was opened. Nothing is sent until you press “Send”."), "success")
    if task is None:
        return redirect(url_for("cases.show", case_id=case.id))
    return redirect(url_for("tasks.task", instance_id=task.instance_id, task_id=task.task_id))


@bp.get("/cases/<int:case_id>", endpoint="show")
@login_required
def show(case_id: int) -> str:
    case = get_case(case_id)
    assert case.instance is not None
    summary = summarize(current_session(), case.instance)
    now = clock_now(case.call.clock)
    return render_template(
        "cases/show.html",
        case=case,
        call=case.call,
        summary=summary,
        tasks=human_tasks_of(current_session(), case),
        waiting=waiting_texts(summary, case.instance),
        position=position_text(case, summary),
        marks=diagram_marks(summary),
        deadline_in=countdown(summary.next_timer, now) if summary.next_timer else None,
        countdown_texts=countdown_texts(),
        events=timeline(current_session(), [case.instance.id]),
        staff=is_staff(current_user),
        now=now,
        format_helsinki=format_helsinki,
    )


@bp.get("/cases/<int:case_id>/diagram.bpmn", endpoint="diagram")
@login_required
def diagram(case_id: int) -> BaseResponse:
    case = get_case(case_id)
    assert case.instance is not None
    return process_file(diagram_xml(case.instance))


@bp.get("/cases/<int:case_id>/documents/<int:document_id>", endpoint="document")
@login_required
def document(case_id: int, document_id: int) -> str:
    case = get_case(case_id)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        abort(404)
    assert case.instance is not None
    schema = document_schema(case.instance, doc.kind)
    texts = process_texts(case.instance)
    values = None if doc.outgoing else render_values(schema, doc.data, texts=texts)
    return render_template(
        "cases/document.html",
        case=case,
        call=case.call,
        doc=doc,
        values=values,
        now=clock_now(case.call.clock),
        format_helsinki=format_helsinki,
    )
