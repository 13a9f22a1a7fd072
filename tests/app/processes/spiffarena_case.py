"""A process model whose process is written the way SpiffArena writes them, deployed through
the workbench and started from "Start a case": for the tests of SpiffArena's semantics."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.extensions import db
from app.processes.models import ProcessDraft
from tests.app.processes.test_models import MODEL, create_model

PROCESS = "request_for_information"
BPMN_FILE = f"{PROCESS}.bpmn"


def deploy_model(app, owner, csrf_token, save_file: Callable[..., object], bpmn: str) -> None:
    """The model MODEL with ``bpmn`` as its only process file, deployed."""
    create_model(owner, csrf_token)
    with app.app_context():
        draft_id = db.session.scalar(select(ProcessDraft.id).where(ProcessDraft.model_id == MODEL))
    assert save_file(draft_id, BPMN_FILE, bpmn).status_code == 200
    deployed = owner.post(
        f"/processes/drafts/{draft_id}/deploy",
        data={"csrf_token": csrf_token(owner, f"/processes/drafts/{draft_id}")},
    )
    assert deployed.status_code == 302, deployed.get_data(as_text=True)


def start(client, csrf_token) -> str:
    """Start a case of MODEL as ``client``; the URL it was sent to."""
    started = client.post(
        f"/start/models/{MODEL}", data={"csrf_token": csrf_token(client, "/start")}
    )
    assert started.status_code == 302
    return started.headers["Location"]
