"""The process models of the workbench: a model's page (its contract, versions, drafts and
calls), a new model with its first draft, and changing a model's names or contract."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.auth.models import ROLES
from app.calls.queries import calls_of_model
from app.calls.start_data import CALL_DATA, CASE_DATA
from app.extensions import current_session
from app.forms.interface import adds_a_row, render_interface_form
from app.forms.parse import parse_form
from app.processes import queries
from app.processes.model_operations import (
    ModelRefused,
    create_model,
    set_lane_roles,
    update_model,
)
from app.processes.model_schema import ROLE_NAMES, model_data, model_schema, model_ui_schema
from app.processes.models import ProcessDraft
from app.processes.starter import starter_files
from app.processes.views import OWNERS, bp, get_model
from app.timefmt import format_helsinki
from workflows import wall_now
from workflows.models import ProcessModel


def _form_page(
    template_data: dict[str, object], data: dict[str, object], errors: dict[str, str], *, new: bool
) -> tuple[str, int]:
    form = render_interface_form(model_schema(new=new), model_ui_schema(new=new), data, errors)
    page = render_template("processes/model_form.html", form=form, new=new, **template_data)
    return page, 422 if errors else 200


@bp.route("/models/new", methods=["GET", "POST"], endpoint="new_model")
@role_required(*OWNERS)
def new_model() -> Response | tuple[str, int]:
    data: dict[str, object] = {"starting_role": "specialist"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = parse_form(model_schema(new=True), request.form, model_ui_schema(new=True))
        if adds_a_row(request.form.get("action")):
            return _form_page({}, data, errors, new=True)
        try:
            draft = create_model(current_session(), data, current_user)
        except ModelRefused as refused:
            errors = refused.errors
        else:
            flash(
                _("The process model was created with a first draft: change it, then deploy."),
                "success",
            )
            return redirect(url_for("processes.draft", draft_id=draft.id))
    return _form_page({}, data, errors, new=True)


@bp.get("/models/<path:model_id>", endpoint="model")
@role_required(*OWNERS)
def model(model_id: str) -> str:
    return _model_page(get_model(model_id))[0]


def _model_page(
    found: ProcessModel,
    lane_errors: dict[str, str] | None = None,
    chosen: dict[str, str] | None = None,
) -> tuple[str, int]:
    session = current_session()
    entry = queries.process_library(session, found.id)[0]
    page = render_template(
        "processes/model.html",
        model=found,
        entry=entry,
        drafts=queries.drafts(session, found.id),
        calls=calls_of_model(session, found.id),
        rehearsals=queries.rehearsal_calls(session, found.id),
        descriptions={**CALL_DATA, **CASE_DATA},
        lanes=queries.model_lanes(session, found),
        lane_roles=chosen if chosen is not None else dict(found.lane_roles or {}),
        lane_errors=lane_errors or {},
        roles=ROLES,
        lane_role_names=ROLE_NAMES,
        format_helsinki=format_helsinki,
    )
    return page, 422 if lane_errors else 200


@bp.post("/models/<path:model_id>/lanes", endpoint="model_lanes")
@role_required(*OWNERS)
def model_lanes(model_id: str) -> Response | tuple[str, int]:
    """Map the lanes of the model's files that are no role to roles (SpiffArena's 'hr')."""
    found = get_model(model_id)
    lanes = queries.model_lanes(current_session(), found)
    chosen = {lane: request.form.get(f"lane:{lane}", "").strip() for lane in lanes}
    try:
        set_lane_roles(current_session(), found, lanes, chosen, current_user)
    except ModelRefused as refused:
        return _model_page(found, refused.errors, chosen)
    flash(_("The roles of the lanes were saved."), "success")
    return redirect(url_for("processes.model", model_id=found.id) + "#lanes-heading")


@bp.route("/models/<path:model_id>/edit", methods=["GET", "POST"], endpoint="edit_model")
@role_required(*OWNERS)
def edit_model(model_id: str) -> Response | tuple[str, int]:
    found = get_model(model_id)
    data: dict[str, object] = model_data(found)
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = parse_form(model_schema(new=False), request.form, model_ui_schema(new=False))
        data["id"] = found.id
        if adds_a_row(request.form.get("action")):
            return _form_page({"model": found}, data, errors, new=False)
        try:
            update_model(current_session(), found, data, current_user)
        except ModelRefused as refused:
            errors = refused.errors
        else:
            flash(_("The process model was saved."), "success")
            return redirect(url_for("processes.model", model_id=found.id))
    return _form_page({"model": found}, data, errors, new=False)


@bp.post("/models/<path:model_id>/drafts", endpoint="new_model_draft")
@role_required(*OWNERS)
def new_model_draft(model_id: str) -> Response:
    """A draft of the starter process, for a model that has no version to start from."""
    found = get_model(model_id)
    now = wall_now()
    role = request.form.get("starting_role", "")
    role = role if role in ROLES else "specialist"
    draft = ProcessDraft(
        model=found,
        title=request.form.get("title", "").strip()[:200] or _("First version"),
        files=starter_files(found.case_process, found.name_in("en"), role),
        created_by=current_user.username,
        created_at=now,
        updated_by=current_user.username,
        updated_at=now,
    )
    current_session().add(draft)
    return redirect(url_for("processes.draft", draft_id=draft.id))
