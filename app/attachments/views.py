"""Attachments of the full application: list, upload, remove (before sending), download."""

from __future__ import annotations

from pathlib import Path

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.attachments.models import Attachment
from app.attachments.operations import FilesRefused, attach_files, remove_attachment
from app.attachments.rules import ALLOWED, FileRefused, size_text
from app.cases.models import Case
from app.extensions import current_session, db
from app.loaders import get_case
from app.requests import after_commit, refuse
from app.timefmt import format_helsinki
from workflows import clock_now
from workflows.models import HumanTask

bp = Blueprint("attachments", __name__)
UPLOAD_TASKS = ("send_application", "send_supplement")


def upload_folder() -> Path:
    return Path(
        current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    )


def may_upload(case: Case) -> bool:
    """The lead organisation's applicants, while the application or a supplement is open."""
    if (
        not current_user.has_role("applicant")
        or case.organisation_id != current_user.organisation_id
    ):
        return False
    open_task = db.session.scalar(
        select(HumanTask.id).where(
            HumanTask.instance_id == case.instance_id, HumanTask.spec_name.in_(UPLOAD_TASKS)
        )
    )
    return open_task is not None


def get_attachment(case: Case, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    return attachment


@bp.route("/cases/<int:case_id>/attachments", methods=["GET", "POST"], endpoint="index")
@login_required
def index(case_id: int) -> Response | tuple[str, int] | str:
    case = get_case(case_id)
    errors: list[str] = []
    if request.method == "POST":
        if not may_upload(case):
            abort(403)
        files = [f for f in request.files.getlist("files") if f.filename]
        if not files:
            errors.append(_("Choose at least one file."))
        for upload in files:
            upload.stream.seek(0)  # the request boundary may run this view a second time
        try:
            attach_files(
                current_session(),
                case,
                [(upload.filename or "", upload.stream) for upload in files],
                current_user,
                upload_folder(),
                current_app.config["ATTACHMENT_MAX_BYTES"],
                current_app.config["ATTACHMENT_MAX_UNPACKED_BYTES"],
            )
        except FilesRefused as refused:
            errors.extend(refused.reasons)
        if not errors:
            attached = ngettext(
                "%(num)d file attached. It is sent with the application.",
                "%(num)d files attached. They are sent with the application.",
                len(files),
            )
            flash(attached, "success")
            return redirect(url_for("attachments.index", case_id=case.id))
    attachments = db.session.scalars(
        select(Attachment).where(Attachment.case_id == case.id).order_by(Attachment.uploaded_at)
    ).all()
    page = render_template(
        "attachments/index.html",
        case=case,
        call=case.call,
        attachments=attachments,
        errors=errors,
        may_upload=may_upload(case),
        allowed=ALLOWED,
        max_size=size_text(current_app.config["ATTACHMENT_MAX_BYTES"]),
        now=clock_now(case.call.clock),
        format_helsinki=format_helsinki,
    )
    return (page, 422) if errors else page


@bp.post("/cases/<int:case_id>/attachments/<int:attachment_id>/remove", endpoint="remove")
@login_required
def remove(case_id: int, attachment_id: int) -> Response:
    case = get_case(case_id)
    attachment = get_attachment(case, attachment_id)
    if not may_upload(case):
        abort(403)
    try:
        stored_name = remove_attachment(current_session(), attachment)
    except FileRefused as refused:
        return refuse(url_for("attachments.index", case_id=case.id), str(refused))
    after_commit((upload_folder() / stored_name).unlink)
    flash(_("“%(name)s” was removed.", name=attachment.original_name), "success")
    return redirect(url_for("attachments.index", case_id=case.id))


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>", endpoint="download")
@login_required
def download(case_id: int, attachment_id: int) -> Response:
    case = get_case(case_id)
    attachment = get_attachment(case, attachment_id)

    response = send_file(
        upload_folder() / attachment.stored_name,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
