"""Times are stored in UTC and shown in Helsinki time with the offset; amounts in euros."""

from __future__ import annotations

from datetime import datetime
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


def format_euros(amount: float | int | None) -> str:
    """'EUR 7 000 000', the thousands grouped with spaces as Finnish texts write them."""
    if amount is None:
        return ""
    return "EUR " + f"{amount:,.0f}".replace(",", "\u00a0")
