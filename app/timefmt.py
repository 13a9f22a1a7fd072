"""Times are stored in UTC and shown in Helsinki time with the offset (amounts: app/money.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def format_helsinki(
    moment: datetime | str | None, pattern: str | None = None, *, seconds: bool = False
) -> str:
    """'15.4.2021 16:15 (UTC+03:00)'; with ``pattern``, only that strftime pattern.

    Takes a datetime or an ISO 8601 string with its offset (as process data carries times).
    """
    if not moment:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    local = moment.astimezone(HELSINKI)
    if pattern:
        return local.strftime(pattern)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    offset = local.strftime("%z")
    return f"{local.day}.{local.month}.{local.year} {clock} (UTC{offset[:3]}:{offset[3:]})"


def helsinki_to_utc(day: str, clock: str) -> datetime:
    """The UTC moment of a Helsinki wall-clock date ("2021-04-15") and time ("16:15").

    Raises ValueError for text that is not a date or a time, and for a time that does not
    exist in Helsinki (the hour skipped when summer time starts). In the hour that repeats
    when it ends, the first (summer-time) one is meant.
    """
    local = datetime.combine(date.fromisoformat(day.strip()), time.fromisoformat(clock.strip()))
    moment = local.replace(tzinfo=HELSINKI)
    if moment.astimezone(timezone.utc).astimezone(HELSINKI).replace(tzinfo=None) != local:
        raise ValueError(f"{day} {clock} does not exist in Helsinki time")
    return moment.astimezone(timezone.utc)


def utc_offset(moment: datetime | str) -> str:
    """'UTC+03:00': the offset of Helsinki time at ``moment``."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    offset = moment.astimezone(HELSINKI).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def is_summer_time(moment: datetime | str) -> bool:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return bool(moment.astimezone(HELSINKI).dst())
