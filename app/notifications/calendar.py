"""A calendar invitation (iCalendar, RFC 5545) for the webinar."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from app.calls.models import in_language


def _utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def webinar_ics(webinar: dict[str, Any], *, uid: str, language: str = "fi") -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//grantflow//webinar//EN",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{uid}@grantflow",
        f"DTSTAMP:{_utc(webinar['starts_at'])}",
        f"DTSTART:{_utc(webinar['starts_at'])}",
        f"DTEND:{_utc(webinar['ends_at'])}",
        f"SUMMARY:{_text(in_language(webinar.get('title'), language, 'Webinar'))}",
        f"LOCATION:{_text(webinar.get('link') or webinar.get('location', ''))}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
