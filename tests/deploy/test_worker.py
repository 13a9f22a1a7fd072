"""`flask grantflow worker` as a process of its own (deploy/grantflow-worker.service): it sends
the outbox over SMTP and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.extensions import db
from tests.deploy.processes import PYTHON, ROOT, environment, free_port
from workflows import wall_now
from workflows.models import OutboxMessage


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def queue_email(app) -> None:
    with app.app_context():
        now = wall_now()
        db.session.add(
            OutboxMessage(
                kind="email",
                payload={"to": ["anna@tampere.example"], "subject": "Kuittaus", "body": "Kiitos."},
                created_at=now,
                next_attempt_at=now,
            )
        )
        db.session.commit()


def test_the_worker_process_sends_the_outbox_at_a_lower_priority_and_stops_on_sigterm(
    app, database_url, tmp_path
):
    queue_email(app)
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = environment(
        database_url,
        tmp_path,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp.port),
        WORKER_INTERVAL_SECONDS="0.2",
    )
    worker = subprocess.Popen(
        [PYTHON, "-m", "flask", "--app", "app", "grantflow", "worker"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        waited_until = time.monotonic() + 60
        while not inbox.messages and worker.poll() is None and time.monotonic() < waited_until:
            time.sleep(0.1)
        # The web processes come first when both want the cores (WORKER_NICENESS).
        niceness = os.getpriority(os.PRIO_PROCESS, worker.pid)
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=60)
    finally:
        if worker.poll() is None:
            worker.kill()
        smtp.stop()

    assert worker.returncode == 0, errors
    assert niceness == max(os.getpriority(os.PRIO_PROCESS, 0), 10)
    assert f"started at niceness {niceness}" in errors
    assert "stopped after" in errors
    [email] = inbox.messages
    assert (email["To"], email["Subject"]) == ("anna@tampere.example", "Kuittaus")
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.sent_at is not None
        assert message.sending_since is None
