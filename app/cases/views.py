"""Cases: the list, starting an application, the case page, its documents and its process
diagram."""

from __future__ import annotations

import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.calls.models import Call
from app.calls.start_data import call_values
from app.cases.models import Case
from app.cases.operations import (
    CaseRefused,
    actor_of,
    case_language_for,
    standing_call,
    start_case,
)
from app.cases.queries import (
    CaseFilters,
    application_document,
    application_objects,
    countdown,
    countdown_texts,
    document_schema,
    human_tasks_of,
    is_staff,
    may_start_in,
    my_applications,
    needs_no_call,
    phases_of_cases,
    position_text,
    search_cases,
    startable_calls,
    startable_models,
    waiting_texts,
)
from app.extensions import current_session, db
from app.forms.display import render_values
from app.forms.dynamic import expand
from app.i18n import current_language
from app.i18n.process_texts import prefetch_instances, process_texts
from app.keyset import COUNT_CAP, page_url
from app.loaders import get_call, get_case
from app.requests import refuse
from app.responses import process_file
from app.timefmt import format_helsinki
from app.worker import deliver_after_commit
from workflows import clock_now, may_act, summarize, timeline
from workflows.incidents import open_incidents
from workflows.models import HumanTask, ProcessModel
from workflows.queries import diagram_marks, diagram_xml

bp = Blueprint("cases", __name__)


@bp.get("/my-applications", endpoint="mine")
@login_required
def mine() -> str:
    """An applicant's home: their organisation's applications and what waits for them."""
    return render_template(
        "cases/mine.html",
        applications=my_applications(current_session(), current_user),
        format_helsinki=format_helsinki,
    )


@bp.get("/cases", endpoint="index")
@login_required
def index() -> str:
    calls = db.session.scalars(
        select(Call)
        .where(Call.discarded_at.is_(None), Call.status != "draft")
        .order_by(Call.created_at)
    ).all()
    filters = CaseFilters.from_args(request.args)
    staff = is_staff(current_user)
    page = search_cases(current_session(), current_user, filters, after=request.args.get("after"))
    prefetch_instances(case.instance_id for case in page.rows)
    return render_template(
        "cases/index.html",
        page=page,
        page_url=page_url,
        count_cap=COUNT_CAP,
        filters=filters,
        phases=phases_of_cases(current_session(), current_user) if staff else [],
        application_objects=application_objects(calls, current_language()),
        calls=calls,
        call_now={call.id: clock_now(call.clock) for call in calls},
        staff=staff,
        format_helsinki=format_helsinki,
    )


@bp.get("/start", endpoint="start_page")
@login_required
def start_page() -> str:
    """What the person may start: open calls their role applies to, and processes that need
    no call (a request for information)."""
    session = current_session()
    return render_template(
        "cases/start.html",
        calls=startable_calls(session, current_user),
        models=startable_models(session, current_user),
        default_language=case_language_for(current_user),
        format_helsinki=format_helsinki,
    )


def _opened(case: Case) -> BaseResponse:
    """After starting a case: its first task when it is the starter's, else the case page. The
    messages its first steps sent go to their receivers right after the commit."""
    deliver_after_commit(current_app._get_current_object(), current_session())  # type: ignore[attr-defined]
    task = db.session.scalar(
        select(HumanTask).where(HumanTask.instance_id == case.instance_id).order_by(HumanTask.id)
    )
    if case.call.kind == "standing":
        flash(_("The case was opened. Nothing is sent until you press “Send”."), "success")
    else:
        flash(_("Your application was opened. Nothing is sent until you press “Send”."), "success")
    if task is None or not may_act(actor_of(current_user), task):
        return redirect(url_for("cases.show", case_id=case.id))
    return redirect(url_for("tasks.task", instance_id=task.instance_id, task_id=task.task_id))


@bp.post("/calls/<key>/applications", endpoint="start")
@login_required
def start(key: str) -> BaseResponse:
    call = get_call(key)
    if call.kind == "standing" or call.status == "draft":
        abort(404)
    if not may_start_in(current_session(), call, current_user):
        abort(403, description=_("Your role cannot start a case of this process."))
    try:
        case = start_case(current_session(), call, current_user, request.form.get("language"))
    except CaseRefused as refused:
        return refuse(url_for("public.call", key=call.key), str(refused))
    return _opened(case)


@bp.post("/start/models/<path:model_id>", endpoint="start_model")
@login_required
def start_model(model_id: str) -> BaseResponse:
    """Start a case of a model that needs no call, in the model's standing call."""
    model = db.session.get(ProcessModel, model_id)
    if model is None or not needs_no_call(model):
        abort(404)
    session = current_session()
    call = standing_call(session, model)
    try:
        case = start_case(session, call, current_user, request.form.get("language"))
    except CaseRefused as refused:
        return refuse(url_for("cases.start_page"), str(refused))
    return _opened(case)


@bp.get("/cases/<int:case_id>", endpoint="show")
@login_required
def show(case_id: int) -> str:
    case = get_case(case_id)
    assert case.instance is not None
    summary = summarize(current_session(), case.instance)
    now = clock_now(case.instance.clock)
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
        incidents=open_incidents(current_session(), [case.instance.id]),
        staff=is_staff(current_user),
        now=now,
        format_helsinki=format_helsinki,
    )


@bp.get("/cases/<int:case_id>/diagram.bpmn", endpoint="diagram")
@login_required
def diagram(case_id: int) -> BaseResponse:
    case = get_case(case_id)
    assert case.instance is not None
    return process_file(diagram_xml(case.instance, process_texts(case.instance)))


@bp.get("/cases/<int:case_id>/application", endpoint="application")
@login_required
def application(case_id: int) -> BaseResponse:
    """The document a decision is on (the application, else the idea proposal): a stable link
    for the ranking and the decision, which know the case but not its documents."""
    case = get_case(case_id)
    found = application_document(case)
    if found is None:
        return redirect(url_for("cases.show", case_id=case.id))
    return redirect(url_for("cases.document", case_id=case.id, document_id=found.id))


@bp.get("/cases/<int:case_id>/documents/<int:document_id>/letter.pdf", endpoint="letter_pdf")
@login_required
def letter_pdf(case_id: int, document_id: int) -> BaseResponse:
    """A letter's PDF as it was filed and sent."""
    case = get_case(case_id)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None or doc.pdf is None:
        abort(404)
    return send_file(
        io.BytesIO(doc.pdf),
        mimetype="application/pdf",
        download_name=doc.data.get("filename") or f"{doc.id}.pdf",
    )


@bp.get("/cases/<int:case_id>/documents/<int:document_id>", endpoint="document")
@login_required
def document(case_id: int, document_id: int) -> str:
    case = get_case(case_id)
    doc = next((d for d in case.documents if d.id == document_id), None)
    if doc is None:
        abort(404)
    assert case.instance is not None
    schema, _ui = expand(
        document_schema(case.instance, doc.kind),
        None,
        call_values(case.call.key, case.call.config),
        current_language(),
    )
    texts = process_texts(case.instance)
    values = None if doc.outgoing else render_values(schema, doc.data, texts=texts)
    return render_template(
        "cases/document.html",
        case=case,
        call=case.call,
        doc=doc,
        values=values,
        now=clock_now(case.instance.clock),
        format_helsinki=format_helsinki,
    )
