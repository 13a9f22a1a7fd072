"""The app's side of the timer/outbox worker: sessions, the mail sender, case syncing."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.operations import sync_changed_cases
from app.extensions import db
from app.notifications.mail import make_sender
from workflows import worker
from workflows.models import Clock


def sync_call_of_clock(session: Session, clock: Clock) -> None:
    for call in session.scalars(select(Call).where(Call.clock_id == clock.id)):
        sync_changed_cases(session, call)


def _parts(app: Flask) -> tuple[Any, Any]:
    with app.app_context():
        engine = db.engine
    return (lambda: Session(engine)), make_sender(app.config, app.instance_path)


def run_once(app: Flask) -> dict[str, Any]:
    session_factory, send = _parts(app)
    return worker.run_once(session_factory, send, sync_call_of_clock)


def start(app: Flask) -> threading.Event:
    session_factory, send = _parts(app)
    return worker.start_thread(
        session_factory, send, sync_call_of_clock, interval=app.config["WORKER_INTERVAL_SECONDS"]
    )
