"""The worker sends the outbox over real SMTP (aiosmtpd on loopback), once, with retries."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from app import worker
from app.auth.models import User
from app.calls.models import Call
from app.cases.operations import start_case
from app.extensions import db
from app.tasks.operations import send_task
from workflows import set_rehearsal_time
from workflows.models import HumanTask, OutboxMessage


class Inbox:
    def __init__(self) -> None:
        self.messages: list = []
        self.recipients: list[list[str]] = []  # each message's envelope recipients

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(handler):  # noqa: ANN001
    """aiosmtpd on a free loopback port with ``handler``; yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


@pytest.fixture
def smtp():
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


@pytest.fixture
def mail_app(app, demo, smtp):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp[1])
    return app


@pytest.fixture
def send_idea(idea_data):
    """`send_idea(app)`: the demo applicant starts a case and sends an idea proposal."""

    def send(app) -> None:
        with app.app_context():
            user = db.session.scalar(select(User).where(User.username == "applicant"))
            call = db.session.scalar(select(Call))
            case = start_case(db.session, call, user)
            db.session.commit()
            task_id = db.session.scalar(select(HumanTask.task_id))
            send_task(db.session, call, case.instance, task_id, idea_data, user)
            db.session.commit()

    return send


def test_the_receipt_is_sent_once_over_smtp(mail_app, smtp, send_idea):
    inbox, _ = smtp
    send_idea(mail_app)
    assert worker.run_once(mail_app)["sent"] == 1
    assert worker.run_once(mail_app)["sent"] == 0
    [receipt] = inbox.messages
    assert receipt["To"] == "applicant@demo.grantflow.example"
    assert receipt["Subject"] == "Vastaanottokuittaus VN/1/2021-1"
    assert "(UTC+02:00)" in receipt.get_content()
    assert "Diaarinumero: VN/1/2021\r\nAsiakirjan numero: VN/1/2021-1\r\n" in receipt.get_content()


def test_a_failed_send_is_kept_and_retried_later(app, demo, send_idea):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing listens there
    send_idea(app)
    assert worker.run_once(app)["sent"] == 0
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert message.sent_at is None
        assert message.attempts == 1
        assert message.last_error
        assert message.next_attempt_at > message.created_at


def test_the_worker_fires_the_deadline_and_mails_the_webinar_invitation(mail_app, smtp, send_idea):
    inbox, _ = smtp
    send_idea(mail_app)
    deadline = datetime.fromisoformat("2021-04-15T16:15:00+03:00")
    grace = timedelta(seconds=mail_app.config["TIMER_GRACE_SECONDS"])
    with mail_app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        # Within the grace after the deadline (TIMER_GRACE_SECONDS) the timer waits: every form
        # that arrived before 16:15 gets through first.
        set_rehearsal_time(call.clock, deadline + grace - timedelta(seconds=1))
        db.session.commit()
    assert worker.run_once(mail_app)["timers"] == 0
    with mail_app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        set_rehearsal_time(call.clock, deadline + grace + timedelta(seconds=1))
        db.session.commit()
    assert worker.run_once(mail_app)["timers"] == 1
    [(invitation, delivered_to)] = [
        (m, to)
        for m, to in zip(inbox.messages, inbox.recipients, strict=True)
        if m["Subject"].startswith("Kutsu webinaariin")
    ]
    # the applicant's people and each partner's contact, each address once (the second
    # partner gave the applicant's own address in other letters)
    assert delivered_to == ["applicant@demo.grantflow.example", "niina@nokia.example"]
    assert invitation["To"] == "applicant@demo.grantflow.example, niina@nokia.example"
    [receipt_to] = [
        to for m, to in zip(inbox.messages, inbox.recipients, strict=True) if m is not invitation
    ]
    assert receipt_to == ["applicant@demo.grantflow.example"]  # the receipt: the applicant only
    assert invitation["Message-ID"] and invitation["Date"]
    assert abs(parsedate_to_datetime(invitation["Date"]) - datetime.now(UTC)) < timedelta(hours=1)
    [attachment] = [part for part in invitation.iter_attachments()]
    assert attachment.get_content_type() == "text/calendar"
    [event] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2021, 4, 20, 9, 30, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2021, 4, 20, 13, 0, tzinfo=UTC)
    assert str(event["summary"]).startswith("Webinaari hakijoille")  # the case's language
    assert str(event["organizer"]) == f"mailto:{mail_app.config['MAIL_FROM']}"
    assert event["organizer"].params["cn"] == "Työ- ja elinkeinoministeriö"
    # made when the invitation went out, not the webinar's own time
    assert event.decoded("dtstamp") > datetime(2026, 1, 1, tzinfo=UTC)
    assert worker.run_once(mail_app)["timers"] == 0


def test_without_a_mail_server_mails_are_written_to_the_instance_folder(
    app, demo, tmp_path, send_idea
):
    app.instance_path = str(tmp_path)
    send_idea(app)
    assert worker.run_once(app)["sent"] == 1
    [written] = (tmp_path / "mail").glob("*.eml")
    mail = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert mail["Subject"] == "Vastaanottokuittaus VN/1/2021-1"


class CountingInbox(Inbox):
    """An inbox that also counts the SMTP connections (each greets the server once)."""

    def __init__(self) -> None:
        super().__init__()
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses


def send_ideas(app, idea_data, count: int) -> None:  # noqa: ANN001
    """The demo applicant sends ``count`` idea proposals, each of a case of its own."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "applicant"))
        call = db.session.scalar(select(Call))
        for _ in range(count):
            case = start_case(db.session, call, user)
            db.session.commit()
            task_id = db.session.scalar(
                select(HumanTask.task_id).where(HumanTask.instance_id == case.instance_id)
            )
            send_task(db.session, call, case.instance, task_id, idea_data, user)
            db.session.commit()


def three_receipts_sent(app, idea_data, inbox: CountingInbox) -> list[int]:  # noqa: ANN001
    """Three idea proposals sent, then the worker's passes over ``inbox``'s SMTP server until
    one sends nothing: how many each pass sent."""
    with smtp_server(inbox) as port:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        send_ideas(app, idea_data, 3)
        passes = [worker.run_once(app)["sent"]]
        while passes[-1]:
            passes.append(worker.run_once(app)["sent"])
    return passes


def test_a_pass_sends_its_emails_over_one_connection(app, demo, idea_data):
    inbox = CountingInbox()

    assert three_receipts_sent(app, idea_data, inbox) == [3, 0]

    assert len(inbox.messages) == 3
    assert inbox.connections == 1
    with app.app_context():
        messages = db.session.scalars(select(OutboxMessage)).all()
        assert [(m.attempts, m.sending_since, m.last_error) for m in messages] == [
            (1, None, None)
        ] * 3
        assert all(m.sent_at is not None for m in messages)
        assert [m.message_id for m in messages] == [f"<outbox-{m.id}@grantflow>" for m in messages]


class RefusingSecond(CountingInbox):
    """Refuses the second email it is given (the connection then goes), takes the others."""

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.given = getattr(self, "given", 0) + 1
        if self.given == 2:
            return "554 Transaction failed"
        return await super().handle_DATA(server, session, envelope)


def test_an_email_refused_in_a_pass_is_retried_later_and_the_rest_still_go(app, demo, idea_data):
    inbox = RefusingSecond()

    assert three_receipts_sent(app, idea_data, inbox) == [2, 0]  # the refused one waits

    assert len(inbox.messages) == 2
    assert inbox.connections == 2  # a new one after the refusal
    with app.app_context():
        first, refused, third = db.session.scalars(
            select(OutboxMessage).order_by(OutboxMessage.id)
        ).all()
        assert first.sent_at is not None and third.sent_at is not None
        assert refused.sent_at is None and refused.sending_since is None
        assert "554" in (refused.last_error or "")
        assert refused.next_attempt_at > datetime.now(UTC)
