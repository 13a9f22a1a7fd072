"""The call editor's form as the browser posts it, made from a call's settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
MOMENTS = {"deadline", "starts_at", "ends_at", "rehearsal_clock_start"}


def form_fields(data: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Dotted field names and values; a moment as the Helsinki date and time the page shows."""
    fields: list[tuple[str, str]] = []
    for key, value in data.items():
        name = f"{prefix}{key}"
        if key in MOMENTS and isinstance(value, str):
            local = datetime.fromisoformat(value).astimezone(HELSINKI)
            fields += [(f"{name}.date", local.strftime("%Y-%m-%d"))]
            fields += [(f"{name}.time", local.strftime("%H:%M"))]
        elif isinstance(value, dict):
            fields += form_fields(value, f"{name}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    fields += form_fields(item, f"{name}.{index}.")
                else:
                    fields.append((name, str(item)))
        elif isinstance(value, bool):
            fields.append((name, "true" if value else "false"))
        elif value is not None:
            fields.append((name, str(value)))
    return fields
