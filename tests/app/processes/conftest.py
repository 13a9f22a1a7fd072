from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.processes.models import ProcessDraft
from workflows.models import ProcessVersion


@pytest.fixture
def owner(signed_in: Callable[[str], FlaskClient]) -> FlaskClient:
    return signed_in("process_owner")


@pytest.fixture
def current_version_id(app: Flask, demo: None) -> int:
    with app.app_context():
        return db.session.scalar(select(ProcessVersion.id).where(ProcessVersion.is_current))


@pytest.fixture
def new_draft(
    app: Flask, owner: FlaskClient, csrf_token: Callable[..., str], current_version_id: int
) -> Callable[..., int]:
    """`new_draft(title)`: a draft of the current version made through the page; its id."""

    def create(title: str = "A change") -> int:
        token = csrf_token(owner, "/processes/")
        response = owner.post(
            f"/processes/versions/{current_version_id}/drafts",
            data={"title": title, "csrf_token": token},
        )
        assert response.status_code == 302
        return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])

    return create


@pytest.fixture
def draft_files(app: Flask) -> Callable[[int], dict[str, str]]:
    def read(draft_id: int) -> dict[str, str]:
        with app.app_context():
            return dict(db.session.get(ProcessDraft, draft_id).files)

    return read


@pytest.fixture
def save_file(owner: FlaskClient, csrf_token: Callable[..., str]) -> Callable[..., object]:
    """`save_file(draft_id, name, text)`: save through the JSON API the editors use."""

    def save(draft_id: int, name: str, text: str):  # noqa: ANN202
        token = csrf_token(owner, f"/processes/drafts/{draft_id}")
        return owner.post(
            f"/processes/drafts/{draft_id}/files/{name}",
            data=text.encode(),
            headers={"X-CSRFToken": token, "Accept": "application/json"},
            content_type="text/xml",
        )

    return save
