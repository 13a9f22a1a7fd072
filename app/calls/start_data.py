"""What the application gives a process when it starts one: the start data a model can ask for.

A process model's contract names the start data of its case process and of its call process
(see workflows.contract). Each name comes from here: the settings of the call, the case and its
applicant. A call can give a name only when its settings hold it (a call without evaluators
cannot give ``evaluators``); the call editor refuses, field by field, settings that lack what
the call's model asks for, and nothing starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.forms.interface import N_

PHASE_DEADLINE = re.compile(r"^(?P<phase>[a-z][a-z0-9_]{0,49})_deadline$")


@dataclass(frozen=True)
class Datum:
    """One name a process can get: what it holds, and which setting of the call gives it."""

    description: str
    setting: str | None  # the path of the call setting it comes from (None: from the case)


CALL_DATA: dict[str, Datum] = {
    "call_key": Datum(N_("the key of the call"), "key"),
    "budget_total": Datum(N_("the budget in euros"), "budget_total"),
    "reserves": Datum(N_("the reserved shares (key, name, amount, objects)"), "reserves"),
    "reserved_total": Datum(N_("the reserved shares in euros, in total"), "reserves"),
    "phases": Datum(N_("the phases with their deadlines"), "phases"),
    "webinar": Datum(N_("the webinar (title, start, end, place, link)"), "webinar"),
    "eligible_applicant_types": Datum(
        N_("the eligible applicant types"), "eligible_applicant_types"
    ),
    "application_objects": Datum(N_("the application objects"), "application_objects"),
    "application_object_options": Datum(
        N_("the application objects as options of a form (value, label)"),
        "application_objects",
    ),
    "application_object_rules": Datum(
        N_("per application object: the least municipalities and regions"),
        "application_objects",
    ),
    "evaluation_criteria": Datum(
        N_("the evaluation criteria with their weights and scale"), "evaluation_criteria"
    ),
    "evaluators": Datum(N_("the usernames of the evaluators"), "evaluators"),
    "contacts": Datum(N_("the contact persons"), "contacts"),
    "deciding_body": Datum(N_("who decides: ministry or government_plenary"), "deciding_body"),
    "decision_target": Datum(N_("the target date of the decision"), "decision_target"),
    "funding_period": Datum(N_("the funding period (start, end)"), "funding_period"),
    "reporting_deadline": Datum(N_("the date the final report is due"), "reporting_deadline"),
}
CASE_DATA: dict[str, Datum] = {
    "case_key": Datum(N_("the key of the case"), None),
    "started_by": Datum(N_("the username of the person who started the case"), None),
    "lead_organisation": Datum(
        N_("the applicant organisation (name, type, region, municipality)"), None
    ),
}


def is_known(name: str, *, case: bool) -> bool:
    """Whether the application can give ``name`` to a case process (or a call process)."""
    return name in CALL_DATA or bool(PHASE_DEADLINE.match(name)) or (case and name in CASE_DATA)


def setting_of(name: str) -> str | None:
    """The call setting a start datum comes from: its field in the call editor."""
    if PHASE_DEADLINE.match(name):
        return "phases"
    datum = CALL_DATA.get(name)
    return datum.setting if datum else None


def call_values(key: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """Every start datum a call with these settings can give; a setting left empty gives none."""
    values: dict[str, Any] = {"call_key": key, "reserves": list(settings.get("reserves") or [])}
    values["reserved_total"] = sum(int(r.get("amount") or 0) for r in values["reserves"])
    phases = list(settings.get("phases") or [])
    values["phases"] = phases
    for phase in phases:
        values[f"{phase['key']}_deadline"] = phase["deadline"]
    for name in (
        "budget_total",
        "webinar",
        "eligible_applicant_types",
        "evaluators",
        "contacts",
        "deciding_body",
        "decision_target",
        "funding_period",
        "reporting_deadline",
    ):
        value = settings.get(name)
        if value not in (None, "", [], {}):
            values[name] = value
    objects = list(settings.get("application_objects") or [])
    if objects:
        values["application_objects"] = objects
        values["application_object_options"] = [
            {"value": item["key"], "label": item.get("title") or item["key"]} for item in objects
        ]
        values["application_object_rules"] = {
            item["key"]: {
                "min_municipalities": int(item.get("min_municipalities") or 0),
                "min_regions": int(item.get("min_regions") or 0),
            }
            for item in objects
        }
    criteria = _criteria(settings)
    if criteria:
        values["evaluation_criteria"] = criteria
    return values


def _criteria(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    scale = settings.get("evaluation_scale") or {}
    low, high = int(scale.get("minimum", 1)), int(scale.get("maximum", 5))
    return [
        {
            "key": item["key"],
            "title": item.get("title") or item["key"],
            "weight": item.get("weight", 1),
            "minimum": low,
            "maximum": high,
        }
        for item in settings.get("evaluation_criteria") or []
    ]


def missing(names: Iterable[str], available: Collection[str]) -> list[str]:
    return sorted(name for name in names if name not in available)


def pick(names: Iterable[str], values: Mapping[str, Any]) -> dict[str, Any]:
    """The start data a contract asks for. A name the values lack is a programming error: the
    call editor and the start checks refuse before this."""
    return {name: values[name] for name in sorted(names)}
