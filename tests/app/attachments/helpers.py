"""Helpers to upload attachments and to look at what was stored (rows and files)."""

import io
from pathlib import Path

from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def post(client, csrf_token, url, form, **kwargs):
    return client.post(url, data={**form, "csrf_token": csrf_token(client, url)}, **kwargs)


def upload(client, csrf_token, name, content):
    url = "/cases/1/attachments"
    return client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "files": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def stored(app) -> tuple[int, list[Path]]:
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(Attachment))
    folder = Path(app.config["UPLOAD_FOLDER"])
    return rows, sorted(folder.iterdir()) if folder.exists() else []
