"""Sending the outbox's emails: over SMTP when MAIL_SERVER is set, else into instance/mail/."""

from __future__ import annotations

import base64
import smtplib
from collections.abc import Callable, Mapping
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


def make_sender(config: Mapping[str, Any], instance_path: str) -> Callable[[OutboxMessage], None]:
    """A function that sends one outbox message, chosen by the configuration."""
    sender = config["MAIL_FROM"]

    def send_smtp(message: OutboxMessage) -> None:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            smtp.send_message(build_email(message, sender))

    def write_file(message: OutboxMessage) -> None:
        folder = Path(instance_path) / "mail"
        folder.mkdir(exist_ok=True)
        (folder / f"{message.id:06d}.eml").write_bytes(bytes(build_email(message, sender)))

    return send_smtp if config.get("MAIL_SERVER") else write_file
