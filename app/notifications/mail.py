"""Sending the outbox's emails: over SMTP when MAIL_SERVER is set, else into instance/mail/."""

from __future__ import annotations

import smtplib
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from workflows.models import OutboxMessage
from workflows.worker import message_id_for


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    payload = message.payload
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(payload["to"])
    email["Subject"] = payload["subject"]
    email["Message-ID"] = message.message_id or message_id_for(message)
    email.set_content(payload["body"])
    if payload.get("ics"):
        email.add_attachment(
            payload["ics"].encode(),
            maintype="text",
            subtype="calendar",
            filename="invitation.ics",
            params={"method": "REQUEST"},
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
