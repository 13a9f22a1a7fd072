"""A process model's settings as a JSON Schema, for the same form renderer as every other form:
its id, its names and descriptions in fi/sv/en, and its contract with the application."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from app.auth.models import ROLES
from app.calls.start_data import CALL_DATA, CASE_DATA, PHASE_DEADLINE
from app.forms.interface import N_
from app.forms.schema import Schema
from workflows.models import ProcessModel

MODEL_ID_PATTERN = "^[a-z0-9][a-z0-9_-]{1,99}(/[a-z0-9][a-z0-9_-]{0,99})*$"
PROCESS_ID_PATTERN = "^[A-Za-z_][A-Za-z0-9_.-]{0,99}$"
ROLE_NAMES = {
    "applicant": N_("Applicants"),
    "specialist": N_("Specialists"),
    "decision_maker": N_("Decision makers"),
    "process_owner": N_("Process owners"),
    "admin": N_("Admins"),
}


def _texts(title: str, *, required: tuple[str, ...] = (), max_length: int = 300) -> Schema:
    return {
        "type": "object",
        "title": title,
        "required": list(required),
        "properties": {
            code: {"type": "string", "title": language, "maxLength": max_length}
            for code, language in (
                ("fi", N_("In Finnish")),
                ("sv", N_("In Swedish")),
                ("en", N_("In English")),
            )
        },
    }


def model_schema(*, new: bool) -> Schema:
    """``new``: the form that creates a model (and its first draft) asks who starts a case."""
    schema: Schema = {
        "type": "object",
        "required": ["id", "names", "case_process"],
        "properties": {
            "id": {
                "type": "string",
                "title": N_("Id"),
                "description": N_(
                    "Lower-case letters, digits, '-' and '_', e.g. request-for-information; "
                    "'/' separates groups, as SpiffArena's paths do. It cannot change later."
                ),
                "pattern": MODEL_ID_PATTERN,
                "maxLength": 200,
                "errorMessage": N_("Use 2 to 100 lower-case letters, digits, '-' and '_'."),
            },
            "names": _texts(N_("Name"), required=("fi", "sv")),
            "descriptions": _texts(N_("Description"), max_length=2000),
            "case_process": _process_id(
                N_("Case process"),
                N_("The id of the process that runs once per case (a <bpmn:process id=...>)."),
            ),
            "call_process": _process_id(
                N_("Call process"),
                N_(
                    "The id of the process that runs once per call, if the model has one: it "
                    "is started when a call is published and sends messages to the cases."
                ),
            ),
            "case_start_data": _start_data(N_("Start data of the case process"), case=True),
            "call_start_data": _start_data(N_("Start data of the call process"), case=False),
            "phase_deadlines": {
                "type": "array",
                "title": N_("Deadlines the processes read"),
                "description": N_(
                    "Phase keys: the processes get the deadline of each phase under a name "
                    "ending in _deadline (idea gives idea_deadline). A call of the model must "
                    "have these phases."
                ),
                "items": {
                    "type": "string",
                    "title": N_("Phase key"),
                    "pattern": "^[a-z][a-z0-9_]{0,49}$",
                    "errorMessage": N_("Use lower-case letters, digits and underscores."),
                },
            },
            "messages": {
                "type": "array",
                "title": N_("Messages the call process sends to the cases"),
                "items": {"type": "string", "title": N_("Message name"), "maxLength": 200},
            },
        },
    }
    if new:
        schema["properties"]["starting_role"] = {
            "type": "string",
            "title": N_("Who starts a case"),
            "description": N_(
                "The lane of the first draft's start event and its first task. Change the "
                "process files later as you like."
            ),
            "anyOf": [{"const": role, "title": ROLE_NAMES[role]} for role in ROLES],
        }
        schema["required"].append("starting_role")
    return schema


def _process_id(title: str, description: str) -> Schema:
    return {
        "type": "string",
        "title": title,
        "description": description,
        "pattern": PROCESS_ID_PATTERN,
        "errorMessage": N_(
            "A process id: letters, digits, '_', '-' and '.', starting with a letter."
        ),
    }


def _start_data(title: str, *, case: bool) -> Schema:
    names = {**CALL_DATA, **(CASE_DATA if case else {})}
    return {
        "type": "array",
        "title": title,
        "uniqueItems": True,
        "items": {
            "type": "string",
            "anyOf": [
                {"const": name, "title": f"{name} – {gettext(datum.description)}"}
                for name, datum in names.items()
            ],
        },
    }


def model_ui_schema(*, new: bool) -> Schema:
    ui: Schema = {
        "ui:order": [
            "id",
            "names",
            "descriptions",
            "starting_role",
            "case_process",
            "call_process",
            "case_start_data",
            "call_start_data",
            "phase_deadlines",
            "messages",
        ],
        "descriptions": {
            code: {"ui:widget": "textarea", "ui:options": {"rows": 3}}
            for code in ("fi", "sv", "en")
        },
        "starting_role": {"ui:widget": "radio"},
    }
    if not new:
        ui["id"] = {"ui:readonly": True}
    return ui


def model_data(model: ProcessModel) -> dict[str, Any]:
    """A model as the form holds it: phase deadlines apart from the other start data."""
    start = set(model.case_start_data) | set(model.call_start_data)
    return {
        "id": model.id,
        "names": dict(model.names),
        "descriptions": dict(model.descriptions),
        "case_process": model.case_process,
        "call_process": model.call_process or "",
        "case_start_data": [n for n in model.case_start_data if not PHASE_DEADLINE.match(n)],
        "call_start_data": [n for n in model.call_start_data if not PHASE_DEADLINE.match(n)],
        "phase_deadlines": sorted(
            match["phase"] for name in start if (match := PHASE_DEADLINE.match(name))
        ),
        "messages": list(model.messages),
    }
