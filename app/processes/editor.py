"""The editors of a draft: the BPMN modeler and the form editor with its live preview.

Both pages only read the draft; they save through the draft file API of views.py, which
answers with the problems of the whole draft. The preview renders a form with the same
renderer the task pages use, so the owner sees what applicants and specialists will see.
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, jsonify, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response

from app.auth.decorators import role_required
from app.forms.render import render_form
from app.processes.views import OWNERS, bp, get_draft
from workflows.json_limits import JsonTooDeep, load_json
from workflows.safe_jsonschema import schema_problems

FORMS = "forms/"
UI_SUFFIX = "-uischema.json"


class PreviewRefused(ValueError):
    """A schema the preview cannot render; the message says what to correct."""


def is_form_schema(name: str) -> bool:
    return name.startswith(FORMS) and name.endswith(".json") and not name.endswith(UI_SUFFIX)


def ui_schema_name(name: str) -> str:
    """forms/screening.json -> forms/screening-uischema.json"""
    return name.removesuffix(".json") + UI_SUFFIX


def form_choices(files: dict[str, Any]) -> dict[str, list[str]]:
    """The form files a user task may name, as BPMN names them (relative to forms/)."""
    names = sorted(name.removeprefix(FORMS) for name in files if name.startswith(FORMS))
    return {
        "forms": [name for name in names if not name.endswith(UI_SUFFIX)],
        "uiForms": [name for name in names if name.endswith(UI_SUFFIX)],
    }


def read_json(text: str, what: str) -> Any:
    try:
        return load_json(text)
    except JsonTooDeep as err:
        raise PreviewRefused(f"{what}: {err.msg}.") from None
    except json.JSONDecodeError as err:
        raise PreviewRefused(f"{what}, line {err.lineno}, column {err.colno}: {err.msg}.") from None


def preview_form(schema_text: str, ui_text: str) -> Markup:
    """The form as a task page shows it, empty; PreviewRefused names what is wrong."""
    schema = read_json(schema_text, "JSON Schema")
    if not isinstance(schema, dict):
        raise PreviewRefused("not a valid JSON Schema: the schema must be a JSON object {…}.")
    for where, reason in schema_problems(schema)[:1]:
        raise PreviewRefused(
            f"not a valid JSON Schema: {reason}" + (f" (at {where[1:]})" if where else "")
        )
    ui_schema = read_json(ui_text, "UI schema") if ui_text.strip() else {}
    if not isinstance(ui_schema, dict):
        raise PreviewRefused("The UI schema must be a JSON object {…}.")
    try:
        return render_form(schema, ui_schema, {}, {})
    except (LookupError, TypeError, ValueError, AttributeError) as err:
        raise PreviewRefused(f"The form cannot be shown: {err}") from None


@bp.get("/drafts/<int:draft_id>/model/<path:name>", endpoint="modeler")
@role_required(*OWNERS)
def modeler(draft_id: int, name: str) -> str:
    found = get_draft(draft_id)
    if not name.endswith(".bpmn") or name not in found.files:
        abort(404)
    return render_template(
        "processes/modeler.html", draft=found, name=name, choices=form_choices(found.files)
    )


@bp.get("/drafts/<int:draft_id>/form/<path:name>", endpoint="form_editor")
@role_required(*OWNERS)
def form_editor(draft_id: int, name: str) -> str:
    found = get_draft(draft_id)
    if not is_form_schema(name) or name not in found.files:
        abort(404)
    ui_name = ui_schema_name(name)
    schema_text, ui_text = found.files[name], found.files.get(ui_name, "")
    try:
        preview, error = preview_form(schema_text, ui_text), None
    except PreviewRefused as refused:
        preview, error = None, str(refused)
    return render_template(
        "processes/form_editor.html",
        draft=found,
        name=name,
        ui_name=ui_name,
        ui_exists=ui_name in found.files,
        schema_text=schema_text,
        ui_text=ui_text,
        preview=preview,
        preview_error=error,
    )


@bp.post("/drafts/<int:draft_id>/form-preview", endpoint="form_preview")
@role_required(*OWNERS)
def form_preview(draft_id: int) -> Response | tuple[Response, int]:
    get_draft(draft_id)
    sent = request.get_json(silent=True)
    if not isinstance(sent, dict):
        return jsonify({"error": 'Send a JSON object: {"schema": "…", "uischema": "…"}.'}), 400
    try:
        html = preview_form(str(sent.get("schema") or ""), str(sent.get("uischema") or ""))
    except PreviewRefused as refused:
        return jsonify({"error": str(refused)}), 422
    return jsonify({"html": str(html)})
