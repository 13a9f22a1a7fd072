"""Storing and removing attachments. The file is written under a random name outside the web
root (instance/uploads by default) before its row; a refused file leaves nothing behind. If the
request fails after the file was written, the file stays without a row: harmless, and found by
comparing the folder with the table."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import IO

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.attachments.archives import MAX_UNPACKED_BYTES, check_archive
from app.attachments.models import Attachment
from app.attachments.rules import (
    MAX_BYTES,
    MAX_FILES_PER_CASE,
    FileRefused,
    check_file,
    clean_name,
    extension_of,
)
from app.auth.models import User
from app.cases.models import Case, Document
from workflows import lock_instance, wall_now

CHUNK = 64 * 1024


def store_attachment(
    session: Session,
    case: Case,
    name: str,
    stream: IO[bytes],
    user: User,
    folder: Path,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> Attachment:
    """Keep one file of the case. The caller holds the case's instance lock (attach_files), so
    the count below cannot be overtaken by another upload before this row is inserted."""
    count = session.scalar(select(func.count()).where(Attachment.case_id == case.id)) or 0
    if count >= MAX_FILES_PER_CASE:
        raise FileRefused(
            _("A case can have at most %(count)d attachments.", count=MAX_FILES_PER_CASE)
        )
    name = clean_name(name)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = secrets.token_hex(16)
    path = folder / stored_name
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with path.open("xb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    break
                head = head or chunk[:16]
                digest.update(chunk)
                out.write(chunk)
        file_type = check_file(name, head, size, max_bytes)
        check_archive(path, name, extension_of(name), max_unpacked)
        attachment = Attachment(
            case=case,
            original_name=name,
            stored_name=stored_name,
            content_type=file_type.content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=user.username,
            uploaded_at=wall_now(),
        )
        session.add(attachment)
        session.flush()
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return attachment


class FilesRefused(Exception):
    """Some of the files sent together were refused: none of them was kept."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def attach_files(
    session: Session,
    case: Case,
    files: list[tuple[str, IO[bytes]]],
    user: User,
    folder: Path,
    max_bytes: int = MAX_BYTES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
) -> list[Attachment]:
    """Keep the files sent together, all or none: when one is refused, the others are undone
    too (rows and files) and FilesRefused says why, file by file.

    The case's instance row is locked first (the project's lock order: instance first, as a
    send takes it), until the request commits: uploads to one case at once take turns, so
    each counts the files the one before it kept and the per-case limit holds. The claim is a
    write, so on SQLite too the count and the insert are one serialized transaction."""
    if case.instance_id is not None:
        lock_instance(session, case.instance_id)
    else:  # a case without a process yet: its own row
        session.execute(select(Case.id).where(Case.id == case.id).with_for_update())
    reasons: list[str] = []
    kept: list[Attachment] = []
    savepoint = session.begin_nested()
    try:
        for name, stream in files:
            try:
                kept.append(
                    store_attachment(
                        session, case, name, stream, user, folder, max_bytes, max_unpacked
                    )
                )
            except FileRefused as refused:
                reasons.append(str(refused))
        if reasons:
            raise FilesRefused(reasons)
    except BaseException:
        # Refused, or the database failed (the request may then run again): no file stays.
        if savepoint.is_active:
            savepoint.rollback()
        for attachment in kept:
            (folder / attachment.stored_name).unlink(missing_ok=True)
        raise
    savepoint.commit()
    return kept


def remove_attachment(session: Session, attachment: Attachment) -> str:
    """Remove an attachment not yet sent. Returns the stored file's name: the caller deletes the
    file after the commit, so a failed commit never leaves a row without its file."""
    if attachment.sent:
        raise FileRefused(_("This attachment was sent with the application and cannot be removed."))
    session.delete(attachment)
    session.flush()
    return attachment.stored_name


def bind_unsent_attachments(session: Session, case: Case, document: Document) -> list[str]:
    """Make the case's unsent attachments part of a registered document; their names."""
    unsent = session.scalars(
        select(Attachment).where(Attachment.case_id == case.id, Attachment.document_id.is_(None))
    ).all()
    for attachment in unsent:
        attachment.document = document
    return [attachment.original_name for attachment in unsent]
