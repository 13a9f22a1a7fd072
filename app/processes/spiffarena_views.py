"""The SpiffArena import page: a zip of a repository or subtree becomes process models (one
draft each, checked), "Deploy all that pass the check", and the export of a group as one zip.
For process owners and admins only."""

from __future__ import annotations

import io

from flask import render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.extensions import current_session
from app.processes.files import FileRefused
from app.processes.models import ProcessDraft
from app.processes.spiffarena_operations import (
    deploy_checked_drafts,
    export_group_zip,
    import_repository_tree,
    read_repository_zip,
)
from app.processes.views import OWNERS, bp


@bp.get("/spiffarena/import", endpoint="spiffarena_import")
@role_required(*OWNERS)
def spiffarena_import() -> str:
    return render_template("processes/spiffarena_import.html", rows=None, deployed=None)


@bp.post("/spiffarena/import", endpoint="spiffarena_upload")
@role_required(*OWNERS)
def spiffarena_upload() -> tuple[str, int] | str:
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return _page(_("Choose a zip file to upload."), 422)
    try:
        tree = read_repository_zip(sent.filename, sent.read())
    except FileRefused as err:
        return _page(str(err), 422)
    rows = import_repository_tree(current_session(), tree, current_user)
    return render_template("processes/spiffarena_import.html", rows=rows, deployed=None)


@bp.post("/spiffarena/deploy", endpoint="spiffarena_deploy")
@role_required(*OWNERS)
def spiffarena_deploy() -> str:
    draft_ids = request.form.getlist("draft", type=int)
    session = current_session()
    models = {  # read before the deploy uses the drafts up
        draft_id: draft.model_id
        for draft_id in draft_ids
        if (draft := session.get(ProcessDraft, draft_id)) is not None
    }
    outcome = deploy_checked_drafts(session, draft_ids, current_user)
    return render_template(
        "processes/spiffarena_import.html", rows=None, deployed=outcome, models=models
    )


@bp.get("/spiffarena/export.zip", endpoint="spiffarena_export")
@role_required(*OWNERS)
def spiffarena_export() -> Response:
    group = request.args.get("group", "").strip("/")
    data = export_group_zip(current_session(), group)
    name = (group.replace("/", "-") or "process-models") + "-spiffarena.zip"
    return send_file(
        io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name
    )


def _page(error: str, status: int) -> tuple[str, int]:
    page = render_template(
        "processes/spiffarena_import.html", rows=None, deployed=None, error=error
    )
    return page, status
