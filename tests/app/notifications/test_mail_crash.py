"""A worker killed between the SMTP server's acceptance of an email and its own commit: the
email is delivered once. The attempt was recorded before sending, so after the crash the email
is put in doubt (never sent again by itself) and a person decides: mark it sent, or resend it
with the same Message-ID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select

from app import worker
from app.extensions import db
from tests.app.notifications.test_mail import send_idea, smtp_server  # noqa: F401 - fixture
from workflows.models import AuditEvent, OutboxMessage

ROOT = Path(__file__).resolve().parents[3]


class KillingInbox:
    """Keeps each email, then kills the worker that sent it before it can record the send."""

    def __init__(self) -> None:
        self.messages: list = []
        self.worker: subprocess.Popen | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.worker is not None:
            os.kill(self.worker.pid, signal.SIGKILL)
            self.worker = None
        return "250 OK"


@pytest.fixture
def killing_smtp():
    inbox = KillingInbox()
    with smtp_server(inbox) as port:
        yield inbox, port


def run_worker_process(database_url: str, port: int, inbox: KillingInbox) -> int:
    """`flask grantflow worker --once` in its own process; returns its exit status."""
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "GRANTFLOW_MAIL_SERVER": "127.0.0.1",
        "GRANTFLOW_MAIL_PORT": str(port),
        "GRANTFLOW_SECRET_KEY": "test",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "grantflow", "worker", "--once"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    inbox.worker = process
    process.communicate(timeout=120)
    return process.returncode


@pytest.fixture
def crashed(app, demo, database_url, killing_smtp, send_idea):  # noqa: F811 - fixture
    """The receipt of an idea proposal, accepted by the SMTP server from a worker killed before
    it committed the send."""
    inbox, port = killing_smtp
    send_idea(app)
    assert run_worker_process(database_url, port, inbox) == -signal.SIGKILL
    assert len(inbox.messages) == 1
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return inbox


def outbox_message(app) -> OutboxMessage:
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        db.session.expunge(message)
        return message


def test_the_email_is_not_sent_again_after_the_worker_died_sending_it(app, crashed):
    message = outbox_message(app)
    assert message.sending_since is not None and message.sent_at is None
    assert crashed.messages[0]["Message-ID"] == message.message_id

    # A pass while the send might still be running elsewhere leaves the message alone...
    assert worker.run_once(app) | {"timers": 0} == {
        "timers": 0,
        "started": 0,
        "messages": 0,
        "in_doubt": 0,
        "sent": 0,
    }
    # ...and once no send can still be running, the message is put in doubt, not resent.
    assert worker.run_once(app, send_timeout=timedelta(0))["in_doubt"] == 1
    for _ in range(3):
        assert worker.run_once(app, send_timeout=timedelta(0))["sent"] == 0
    assert len(crashed.messages) == 1
    assert outbox_message(app).in_doubt_since is not None


def doubt_page(signed_in, csrf_token):
    owner = signed_in("process_owner")
    return owner, csrf_token(owner, "/incidents")


def test_an_operator_marks_the_email_in_doubt_as_sent_and_it_never_goes_again(
    app, crashed, signed_in, csrf_token
):
    worker.run_once(app, send_timeout=timedelta(0))
    message = outbox_message(app)
    owner, token = doubt_page(signed_in, csrf_token)
    page = owner.get("/incidents").get_data(as_text=True)
    assert "Vastaanottokuittaus VN/1/2021-1" in page
    assert "applicant@demo.grantflow.example" in page

    response = owner.post(f"/outbox/{message.id}/sent", data={"csrf_token": token})
    assert response.status_code == 302
    assert worker.run_once(app)["sent"] == 0
    assert len(crashed.messages) == 1
    assert "Vastaanottokuittaus VN/1/2021-1" not in owner.get("/incidents").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.kind == "email_marked_sent"))
        assert event.actor == "process_owner"
    again = owner.post(
        f"/outbox/{message.id}/resend", data={"csrf_token": token}, follow_redirects=True
    )
    assert "The email is not in doubt." in again.get_data(as_text=True)
    assert worker.run_once(app)["sent"] == 0


def test_an_operator_resends_the_email_in_doubt_with_the_same_message_id(
    app, crashed, signed_in, csrf_token
):
    worker.run_once(app, send_timeout=timedelta(0))
    message = outbox_message(app)
    owner, token = doubt_page(signed_in, csrf_token)
    assert owner.post(f"/outbox/{message.id}/resend", data={"csrf_token": token}).status_code == 302
    assert worker.run_once(app)["sent"] == 1
    first, second = crashed.messages
    assert first["Message-ID"] == second["Message-ID"] == message.message_id
    assert worker.run_once(app)["sent"] == 0


def test_only_process_owners_and_admins_decide_on_emails_in_doubt(
    app, crashed, signed_in, csrf_token
):
    worker.run_once(app, send_timeout=timedelta(0))
    message = outbox_message(app)
    for username in ("applicant", "specialist"):
        client = signed_in(username)
        token = csrf_token(client, "/cases")
        for action in ("sent", "resend"):
            refused = client.post(f"/outbox/{message.id}/{action}", data={"csrf_token": token})
            assert refused.status_code == 403
    assert outbox_message(app).in_doubt_since is not None
