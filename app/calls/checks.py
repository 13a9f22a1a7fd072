"""What the call editor checks beyond the JSON Schema of the settings, field by field.

Each check answers {field path: message} in the page language, the same shape as
app.forms.validate, so that the editor shows every message next to its field.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from app.calls.start_data import PHASE_DEADLINE, call_values, missing, setting_of
from app.money import format_money
from app.timefmt import format_helsinki

RESERVED_KEYS = frozenset({"new", "manage", "import", "export", "start"})


@dataclass(frozen=True)
class Context:
    """What the settings are checked against."""

    now: datetime  # on the call's clock: deadlines before it are refused
    taken_keys: Collection[str] = ()  # keys of other calls
    needs: Collection[str] = ()  # the start data the model's contract asks for
    passed_locked: bool = False  # a published call: its passed deadlines are not checked


def check_settings(data: Mapping[str, Any], context: Context) -> dict[str, str]:
    errors: dict[str, str] = {}
    key = str(data.get("key") or "")
    if key in RESERVED_KEYS:
        errors["key"] = _("“%(key)s” is a word of the web addresses: choose another key.", key=key)
    elif key in context.taken_keys:
        errors["key"] = _("Another call has the key “%(key)s”.", key=key)
    for path, message in (
        *_check_phases(data, context),
        *_check_money(data),
        *_check_webinar(data, context),
        *_check_unique_keys(data),
        *_check_dates(data),
        *_check_needs(data, context),
    ):
        errors.setdefault(path, message)
    return errors


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
    return moment if moment is not None and moment.tzinfo is not None else None


def _check_phases(data: Mapping[str, Any], context: Context) -> list[tuple[str, str]]:
    found = []
    before: datetime | None = None
    for index, phase in enumerate(data.get("phases") or []):
        deadline = _moment(phase.get("deadline"))
        if deadline is None:
            continue
        path = f"phases.{index}.deadline"
        if before is not None and deadline <= before:
            found.append(
                (
                    path,
                    _(
                        "Must be after the deadline of the phase before it (%(time)s).",
                        time=format_helsinki(before),
                    ),
                )
            )
        elif deadline <= context.now and not context.passed_locked:
            found.append(
                (
                    path,
                    _(
                        "This deadline is in the past: the call's time is now %(time)s.",
                        time=format_helsinki(context.now),
                    ),
                )
            )
        before = deadline
    return found


def _check_money(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    reserves = data.get("reserves") or []
    reserved = sum(int(item.get("amount") or 0) for item in reserves)
    budget = data.get("budget_total")
    found = []
    if reserves and isinstance(budget, int) and reserved > budget:
        found.append(
            (
                "reserves",
                _(
                    "The reserved shares (%(reserved)s) are more than the budget (%(budget)s).",
                    reserved=format_money(reserved),
                    budget=format_money(budget),
                ),
            )
        )
    objects = {item.get("key") for item in data.get("application_objects") or []}
    for index, reserve in enumerate(reserves):
        unknown = [key for key in reserve.get("application_objects") or [] if key not in objects]
        if unknown:
            found.append(
                (
                    f"reserves.{index}.application_objects",
                    _("Choose among the application objects of this call."),
                )
            )
    return found


def _check_webinar(data: Mapping[str, Any], context: Context) -> list[tuple[str, str]]:
    webinar = data.get("webinar") or {}
    if not webinar:
        return []
    found = []
    starts, ends = _moment(webinar.get("starts_at")), _moment(webinar.get("ends_at"))
    for name in ("starts_at", "ends_at"):
        if not webinar.get(name):
            found.append((f"webinar.{name}", _("Give the time, or leave the webinar empty.")))
    if starts and ends and ends <= starts:
        found.append(("webinar.ends_at", _("The webinar must end after it starts.")))
    if starts and starts <= context.now and not context.passed_locked:
        found.append(("webinar.starts_at", _("The webinar would be in the past.")))
    return found


def _check_unique_keys(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    for name in ("phases", "reserves", "application_objects", "evaluation_criteria"):
        seen: set[str] = set()
        for index, item in enumerate(data.get(name) or []):
            key = item.get("key")
            if key in seen:
                found.append(
                    (f"{name}.{index}.key", _("Another row has the key “%(key)s”.", key=key))
                )
            seen.add(key)
    return found


def _check_dates(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    found = []
    period = data.get("funding_period") or {}
    if period.get("start") and period.get("end") and period["end"] < period["start"]:
        found.append(("funding_period.end", _("The period must end after it starts.")))
    scale = data.get("evaluation_scale") or {}
    low, high = scale.get("minimum"), scale.get("maximum")
    if isinstance(low, int) and isinstance(high, int) and high <= low:
        found.append(("evaluation_scale.maximum", _("Must be more than the lowest score.")))
    return found


def _check_needs(data: Mapping[str, Any], context: Context) -> list[tuple[str, str]]:
    """The settings give every start datum the process model asks for."""
    available = call_values(str(data.get("key") or ""), data)
    found = []
    for name in missing(context.needs, available):
        phase = PHASE_DEADLINE.match(name)
        if phase:
            message = _(
                "The process model needs a phase with the key “%(phase)s” and its deadline.",
                phase=phase["phase"],
            )
        else:
            message = _("The process model needs this: its processes read “%(name)s”.", name=name)
        found.append((setting_of(name) or "process_model", message))
    return found
