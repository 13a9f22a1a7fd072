"""Times are stored in UTC and shown in Helsinki time with the offset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def format_helsinki(
    moment: datetime | None, pattern: str | None = None, *, seconds: bool = False
) -> str:
    """'15.4.2021 16:15 (UTC+03:00)'; with ``pattern``, only that strftime pattern."""
    if moment is None:
        return ""
    local = moment.astimezone(HELSINKI)
    if pattern:
        return local.strftime(pattern)
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    offset = local.strftime("%z")
    return f"{local.day}.{local.month}.{local.year} {clock} (UTC{offset[:3]}:{offset[3:]})"
