"""The process owners' workbench: the library of deployed versions, a version's page (heat map,
files, export), comparing two versions and migrating running cases. The draft pages are in
drafts.py, the editors in editor.py; every view is for process owners and admins only."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.extensions import current_session, db
from app.processes import queries
from app.processes.models import ProcessDraft
from app.processes.operations import make_version_current
from app.processes.spiffarena_operations import spiffarena_version_zip
from app.responses import process_file
from app.timefmt import format_helsinki
from workflows import WorkflowError, wall_now
from workflows.diff import diff_versions
from workflows.migration import check_migration, migrate_instance
from workflows.models import ProcessModel, ProcessVersion, WorkflowInstance
from workflows.queries import waiting_counts

bp = Blueprint("processes", __name__, url_prefix="/processes")
OWNERS = ("process_owner", "admin")


def get_version(version_id: int) -> ProcessVersion:
    return db.session.get(ProcessVersion, version_id) or abort(404)


def get_draft(draft_id: int) -> ProcessDraft:
    return db.session.get(ProcessDraft, draft_id) or abort(404)


@bp.get("/", endpoint="index")
@role_required(*OWNERS)
def index() -> str:
    session = current_session()
    return render_template(
        "processes/index.html",
        library=queries.process_library(session),
        drafts=queries.drafts(session),
        rehearsals=queries.rehearsal_calls(session),
        format_helsinki=format_helsinki,
    )


def get_model(model_id: str) -> ProcessModel:
    return db.session.get(ProcessModel, model_id) or abort(404)


@bp.get("/versions/<int:version_id>", endpoint="version")
@role_required(*OWNERS)
def version(version_id: int) -> str:
    found = get_version(version_id)
    session = current_session()
    shown = request.args.get("file") or _main_bpmn(found)
    if shown not in found.files:
        abort(404)
    return render_template(
        "processes/version.html",
        version=found,
        number=queries.version_number(session, found),
        others=queries.other_versions(session, found),
        running=queries.running_instances(session, found),
        waiting=waiting_counts(session, found.id, file=shown),
        bpmn_files=sorted(name for name in found.files if name.endswith(".bpmn")),
        shown=shown,
        format_helsinki=format_helsinki,
    )


def _main_bpmn(found: ProcessVersion) -> str:
    """The BPMN file the version page shows first: the one with the most elements."""
    bpmn = [name for name in found.files if name.endswith(".bpmn")]
    return max(bpmn, key=lambda name: len(found.files[name]), default="")


@bp.get("/versions/<int:version_id>/files/<path:name>", endpoint="version_file")
@role_required(*OWNERS)
def version_file(version_id: int, name: str) -> Response:
    text = get_version(version_id).files.get(name)
    if text is None:
        abort(404)
    return process_file(text, name.rsplit("/")[-1] if request.args.get("download") else None)


@bp.get("/versions/<int:version_id>/bundle.zip", endpoint="version_zip")
@role_required(*OWNERS)
def version_zip(version_id: int) -> Response:
    found = get_version(version_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(found.files):
            archive.writestr(name, found.files[name])
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{_file_stem(found)}-{found.content_hash[:12]}.zip",
    )


@bp.get("/versions/<int:version_id>/spiffarena.zip", endpoint="version_spiffarena")
@role_required(*OWNERS)
def version_spiffarena(version_id: int) -> Response:
    found = get_version(version_id)
    data = spiffarena_version_zip(found)
    return send_file(
        io.BytesIO(data),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{_file_stem(found)}-{found.content_hash[:12]}-spiffarena.zip",
    )


def _file_stem(version: ProcessVersion) -> str:
    return version.model_id.replace("/", "-")


@bp.post("/versions/<int:version_id>/current", endpoint="make_current")
@role_required(*OWNERS)
def make_current(version_id: int) -> Response:
    found = get_version(version_id)
    make_version_current(current_session(), found, current_user)
    flash(_("New cases now get version %(version)s.", version=found.content_hash[:12]), "success")
    return redirect(url_for("processes.version", version_id=found.id))


@bp.get("/compare", endpoint="compare")
@role_required(*OWNERS)
def compare() -> str:
    old = get_version(request.args.get("old", type=int) or 0)
    new = get_version(request.args.get("new", type=int) or 0)
    if old.model_id != new.model_id:
        abort(400, description=_("Compare two versions of the same process."))
    return render_template(
        "processes/compare.html",
        old=old,
        new=new,
        diff=diff_versions(dict(old.files), dict(new.files)),
        format_helsinki=format_helsinki,
    )


@bp.route("/versions/<int:version_id>/migrate", methods=["GET", "POST"], endpoint="migrate")
@role_required(*OWNERS)
def migrate(version_id: int) -> str | Response:
    """Check first (GET), then migrate the chosen cases (POST), one transaction per case."""
    source = get_version(version_id)
    session = current_session()
    targets = queries.other_versions(session, source)
    target_id = request.values.get("target", type=int) or next(
        (v.id for v in targets if v.is_current), None
    )
    target = next((v for v in targets if v.id == target_id), None)
    phase = request.values.get("phase", "")
    phases = sorted(
        {row.case.phase for row in queries.running_instances(session, source) if row.case}
    )
    running = queries.running_instances(session, source, phase=phase)
    results: dict[int, Any] = {}
    if target is not None and request.method == "POST":
        chosen = set(request.form.getlist("instance", type=int))
        for row in running:
            if row.instance.id in chosen:
                results[row.instance.id] = _migrate_one(row.instance.id, target)
        running = queries.running_instances(session, source, phase=phase)
    checks = (
        {row.instance.id: check_migration(session, row.instance, target) for row in running}
        if target is not None
        else {}
    )
    return render_template(
        "processes/migrate.html",
        source=source,
        targets=targets,
        target=target,
        phase=phase,
        phases=phases,
        running=running,
        checks=checks,
        results=results,
    )


def _migrate_one(instance_id: int, target: ProcessVersion) -> str:
    """Migrate one instance in a savepoint of its own (a refusal undoes only its own changes);
    the outcome in words."""
    session = current_session()
    instance = session.get(WorkflowInstance, instance_id)
    if instance is None:
        return _("The instance no longer exists.")
    try:
        with session.begin_nested():
            migrate_instance(session, instance, target, actor=current_user.username, now=wall_now())
    except WorkflowError as err:
        return _("Not migrated: %(reason)s", reason=str(err))
    return _("Migrated to version %(version)s.", version=target.content_hash[:12])
