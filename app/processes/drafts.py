"""The draft pages of the workbench: a draft's files, their check, upload, deploy, rehearsal.

A draft may hold broken files: saving never refuses a file for what it says, only for its name,
size or encoding; the answer lists the problems of the whole draft, each with file and element.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.calls.models import Call
from app.cases.queries import needs_no_call
from app.extensions import current_session, db
from app.loaders import get_call
from app.processes import queries
from app.processes.checks import check_draft
from app.processes.files import FileRefused
from app.processes.models import ProcessDraft
from app.processes.operations import (
    apply_upload,
    create_draft,
    deploy_draft,
    discard_rehearsal,
    read_upload,
    remove_draft_file,
    save_draft_file,
    start_rehearsal,
)
from app.processes.views import OWNERS, bp, get_draft, get_version
from app.requests import refuse
from app.responses import process_file
from app.timefmt import format_helsinki
from workflows import BundleRefused

TITLE_LENGTH = 200  # process_drafts.title


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/versions/<int:version_id>/drafts", endpoint="new_draft")
@role_required(*OWNERS)
def new_draft(version_id: int) -> Response:
    version, title = get_version(version_id), request.form.get("title", "")
    if len(title.strip()) > TITLE_LENGTH:
        message = _("Must be at most %(count)s characters.", count=TITLE_LENGTH)
        return refuse(
            url_for("processes.version", version_id=version_id), f"{_('Title')}: {message}"
        )
    draft = create_draft(current_session(), version, current_user, title)
    return redirect(url_for("processes.draft", draft_id=draft.id))


@bp.get("/drafts/<int:draft_id>", endpoint="draft")
@role_required(*OWNERS)
def draft(draft_id: int) -> tuple[str, int]:
    return _draft_page(get_draft(draft_id))


@bp.get("/drafts/<int:draft_id>/problems", endpoint="draft_problems")
@role_required(*OWNERS)
def draft_problems(draft_id: int) -> Response:
    found = get_draft(draft_id)
    problems = check_draft(current_session(), found)
    return jsonify([asdict(p) for p in problems])


@bp.get("/drafts/<int:draft_id>/files/<path:name>", endpoint="draft_file")
@role_required(*OWNERS)
def draft_file(draft_id: int, name: str) -> Response:
    text = get_draft(draft_id).files.get(name)
    if text is None:
        abort(404)
    return process_file(text)


@bp.post("/drafts/<int:draft_id>/files/<path:name>", endpoint="save_file")
@role_required(*OWNERS)
def save_file(draft_id: int, name: str) -> Response | tuple[Response | str, int]:
    """Save one file of the draft (the modeler and the editors post here). The answer lists the
    problems of the whole draft, each naming its file and element."""
    found = get_draft(draft_id)
    text = request.form.get("content")
    if text is None:
        text = request.get_data(as_text=True)
    try:
        save_draft_file(found, name, text, current_user)
    except FileRefused as err:
        if not wants_json():  # the text editor: keep what was typed, say what is wrong
            page = render_template(
                "processes/edit_text.html", draft=found, name=name, text=text, error=str(err)
            )
            return page, 422
        return jsonify({"saved": False, "error": str(err)}), 422
    problems = check_draft(current_session(), found)
    if not wants_json():
        flash(_("%(name)s saved.", name=name), "success")
        return redirect(url_for("processes.draft", draft_id=draft_id))
    return jsonify({"saved": True, "problems": [asdict(p) for p in problems]})


@bp.post("/drafts/<int:draft_id>/files/<path:name>/delete", endpoint="delete_file")
@role_required(*OWNERS)
def delete_file(draft_id: int, name: str) -> Response:
    found = get_draft(draft_id)
    try:
        remove_draft_file(found, name, current_user)
    except FileRefused as err:
        abort(404, description=str(err))
    flash(_("%(name)s removed from the draft.", name=name), "success")
    return redirect(url_for("processes.draft", draft_id=draft_id))


@bp.post("/drafts/<int:draft_id>/upload", endpoint="upload")
@role_required(*OWNERS)
def upload(draft_id: int) -> Response | tuple[str, int]:
    found = get_draft(draft_id)
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _draft_page(found, _("Choose a file to upload."), 422)
    try:
        uploaded = read_upload(sent.filename, sent.read(), request.form.get("model") or None)
    except FileRefused as err:
        message = _("%(name)s was not stored.", name=sent.filename)
        return _draft_page(found, f"{message} {err}", 422)
    apply_upload(found, uploaded, current_user)
    flash(
        ngettext(
            "%(name)s: %(num)d file stored in the draft.",
            "%(name)s: %(num)d files stored in the draft.",
            len(uploaded.files),
            name=sent.filename,
        ),
        "success",
    )
    for remark in uploaded.remarks:
        flash(str(remark), "warning")
    return redirect(url_for("processes.draft", draft_id=found.id))


def _draft_page(found: ProcessDraft, error: str = "", status: int = 200) -> tuple[str, int]:
    page = render_template(
        "processes/draft.html",
        draft=found,
        problems=check_draft(current_session(), found),
        calls=queries.real_calls(current_session(), found.model_id),
        needs_call=not needs_no_call(found.model),
        error=error,
        format_helsinki=format_helsinki,
    )
    return page, status


@bp.post("/drafts/<int:draft_id>/deploy", endpoint="deploy")
@role_required(*OWNERS)
def deploy(draft_id: int) -> Response | tuple[str, int]:
    found = get_draft(draft_id)
    try:
        deployed, created = deploy_draft(current_session(), found, current_user)
    except BundleRefused as refused:
        return _draft_page(found, str(refused), 422)
    version = deployed.content_hash[:12]
    flash(
        _(
            "Deployed: new cases get version %(version)s; running cases stay on their version "
            "until you migrate them.",
            version=version,
        )
        if created
        else _(
            "These files were deployed before: version %(version)s is current.", version=version
        ),
        "success",
    )
    return redirect(url_for("processes.version", version_id=deployed.id))


@bp.post("/drafts/<int:draft_id>/delete", endpoint="delete_draft")
@role_required(*OWNERS)
def delete_draft(draft_id: int) -> Response:
    found = get_draft(draft_id)
    current_session().delete(found)
    flash(_("The draft “%(title)s” was deleted.", title=found.title), "success")
    return redirect(url_for("processes.index"))


@bp.post("/drafts/<int:draft_id>/rehearsals", endpoint="rehearse")
@role_required(*OWNERS)
def rehearse(draft_id: int) -> Response | tuple[str, int]:
    found = get_draft(draft_id)
    source = db.session.get(Call, request.form.get("call", type=int) or 0)
    if source is not None and source.kind != "call":
        source = None
    if source is None and not needs_no_call(found.model):
        message = _("Choose the call whose settings the rehearsal copies.")
        return _draft_page(found, message, 422)
    try:
        call = start_rehearsal(current_session(), found, source, current_user)
    except BundleRefused as refused:
        return _draft_page(found, str(refused), 422)
    flash(
        _(
            "Rehearsal call “%(title)s” started on its own clock; real calls are untouched.",
            title=call.title,
        ),
        "success",
    )
    return redirect(url_for("calls.clock", key=call.key))


@bp.post("/rehearsals/<key>/discard", endpoint="discard")
@role_required(*OWNERS)
def discard(key: str) -> Response:
    call = get_call(key)
    try:
        discard_rehearsal(current_session(), call, current_user)
    except ValueError as err:
        return refuse(url_for("processes.index"), str(err))
    flash(_("The rehearsal “%(title)s” was discarded.", title=call.title), "success")
    return redirect(url_for("processes.index"))


@bp.get("/drafts/<int:draft_id>/edit/<path:name>", endpoint="edit_text")
@role_required(*OWNERS)
def edit_text(draft_id: int, name: str) -> str:
    found = get_draft(draft_id)
    if name not in found.files:
        abort(404)
    return render_template(
        "processes/edit_text.html", draft=found, name=name, text=found.files[name]
    )
