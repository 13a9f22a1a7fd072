"""Files sent with a task's own form (the application, a supplement): kept as the case's
unsent attachments in the same request as the form, so nothing typed is lost on the way to a
separate page; the send then takes them with it (app/cases/registry.bind_unsent_attachments)."""

from __future__ import annotations

from functools import partial

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.attachments.models import Attachment
from app.attachments.operations import FilesRefused, attach_files
from app.attachments.views import UPLOAD_TASKS, may_upload, upload_folder
from app.extensions import current_session
from app.owners import Owner
from app.requests import after_rollback
from workflows.models import HumanTask

FILES_FIELD = "attachments"


def takes_files(owner: Owner, spec_name: str) -> bool:
    return owner.case is not None and spec_name in UPLOAD_TASKS


def unsent_attachments(owner: Owner) -> list[Attachment]:
    """The case's files not yet sent with a document, as the form lists them."""
    if owner.case is None:
        return []
    return list(
        current_session().scalars(
            select(Attachment)
            .where(Attachment.case_id == owner.case.id, Attachment.document_id.is_(None))
            .order_by(Attachment.uploaded_at, Attachment.id)
        )
    )


def attach_posted_files(owner: Owner, instance_id: int, task_id: str) -> list[str]:
    """Keep the files posted with the form; the reasons they were refused ([] when none were
    posted or all were kept). Kept files are deleted again if the request is rolled back (a
    send refused after them)."""
    files = [upload for upload in request.files.getlist(FILES_FIELD) if upload.filename]
    if not files:
        return []
    session = current_session()
    spec_name = session.scalar(
        select(HumanTask.spec_name).where(
            HumanTask.instance_id == instance_id, HumanTask.task_id == task_id
        )
    )
    if owner.case is None or spec_name is None or not takes_files(owner, spec_name):
        return [_("Files cannot be attached to this task.")]
    if not may_upload(owner.case):
        return [_("Only the applicant organisation can attach files, while the task is open.")]
    for upload in files:
        upload.stream.seek(0)  # the request boundary may run this view a second time
    try:
        kept = attach_files(
            session,
            owner.case,
            [(upload.filename or "", upload.stream) for upload in files],
            current_user,
            upload_folder(),
            current_app.config["ATTACHMENT_MAX_BYTES"],
            current_app.config["ATTACHMENT_MAX_UNPACKED_BYTES"],
        )
    except FilesRefused as refused:
        return refused.reasons
    folder = upload_folder()
    for attachment in kept:
        after_rollback(partial((folder / attachment.stored_name).unlink, missing_ok=True))
    return []
