"""Sending the outbox's emails: over SMTP when MAIL_SERVER is set, else into instance/mail/."""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from app.notifications.calendar import webinar_ics
from workflows import wall_now
from workflows.models import OutboxMessage
from workflows.worker import message_id_for


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    payload = message.payload
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(payload["to"])
    email["Subject"] = payload["subject"]
    email["Message-ID"] = message.message_id or message_id_for(message)
    email["Date"] = format_datetime(wall_now())
    email.set_content(payload["body"])
    ics = payload.get("ics")  # an email queued before invitations were made at sending
    if payload.get("calendar"):
        calendar = payload["calendar"]
        ics = webinar_ics(
            calendar["webinar"],
            uid=calendar["uid"],
            language=calendar["language"],
            organizer=(calendar["organizer"], sender),
            stamp=wall_now(),
        )
    if ics:
        email.add_attachment(
            ics,
            subtype="calendar",
            charset="utf-8",
            filename="invitation.ics",
            params={"method": "REQUEST"},
        )
    for attached in payload.get("attachments", []):
        maintype, subtype = attached["content_type"].split("/", 1)
        email.add_attachment(
            base64.b64decode(attached["base64"]),
            maintype=maintype,
            subtype=subtype,
            filename=attached["filename"],
        )
    return email


class SmtpSender:
    """Sends an outbox message over SMTP: on a connection of its own, or within
    ``connected()`` (the worker's pass) on one connection for all, opened at the first message.
    A connection that fails is dropped: the message is retried later, the next one connects
    again."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server, self.port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        self.sender = config["MAIL_FROM"]
        self._kept: smtplib.SMTP | None = None
        self._keeping = False

    def __call__(self, message: OutboxMessage) -> None:
        email = build_email(message, self.sender)
        if not self._keeping:
            with smtplib.SMTP(self.server, self.port, timeout=10) as smtp:
                smtp.send_message(email)
            return
        if self._kept is None:
            self._kept = smtplib.SMTP(self.server, self.port, timeout=10)
        try:
            self._kept.send_message(email)
        except Exception:
            self._close()
            raise

    @contextmanager
    def connected(self) -> Iterator[None]:
        self._keeping = True
        try:
            yield
        finally:
            self._keeping = False
            self._close()

    def _close(self) -> None:
        kept, self._kept = self._kept, None
        if kept is not None:
            with suppress(smtplib.SMTPException, OSError):
                kept.quit()
            kept.close()


def make_sender(config: Mapping[str, Any], instance_path: str) -> Callable[[OutboxMessage], None]:
    """What sends one outbox message, chosen by the configuration."""
    if config.get("MAIL_SERVER"):
        return SmtpSender(config)
    sender = config["MAIL_FROM"]

    def write_file(message: OutboxMessage) -> None:
        folder = Path(instance_path) / "mail"
        folder.mkdir(exist_ok=True)
        (folder / f"{message.id:06d}.eml").write_bytes(bytes(build_email(message, sender)))

    return write_file
