"""A calendar invitation (iCalendar, RFC 5545) for the webinar, built with `icalendar`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from app.calls.models import in_language


def webinar_ics(
    webinar: dict[str, Any],
    *,
    uid: str,
    language: str,
    organizer: tuple[str, str],
    stamp: datetime,
) -> str:
    """The webinar as an invitation (METHOD:REQUEST) in ``language``: its title, times (UTC),
    meeting link or place, and the organizer (name, email) the answers go to. ``stamp`` is when
    the invitation was made (DTSTAMP)."""
    calendar = Calendar()
    calendar.add("prodid", "-//grantflow//webinar//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"{uid}@grantflow")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", _utc(webinar["starts_at"]))
    event.add("dtend", _utc(webinar["ends_at"]))
    event.add("summary", in_language(webinar.get("title"), language, "Webinar"))
    link = webinar.get("link") or ""
    if link:
        event.add("url", link)
    event.add("location", link or in_language(webinar.get("location"), language))
    name, email = organizer
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    event.add("organizer", address)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _utc(moment: str) -> datetime:
    """Times in UTC (``...Z``): a calendar needs no time zone definition for them."""
    return datetime.fromisoformat(moment).astimezone(UTC)
