"""The form editor and the draft's check refuse forms that would freeze or crash the server."""

from __future__ import annotations

import json


def preview(client, csrf_token, draft_id, schema):
    token = csrf_token(client, f"/processes/drafts/{draft_id}")
    return client.post(
        f"/processes/drafts/{draft_id}/form-preview",
        json={"schema": json.dumps(schema), "uischema": ""},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def test_the_preview_refuses_a_ref_into_itself_naming_it(owner, new_draft, csrf_token):
    schema = {"type": "object", "properties": {"next": {"$ref": "#"}}}
    response = preview(owner, csrf_token, new_draft(), schema)
    assert response.status_code == 422
    assert response.get_json()["error"] == (
        "not a valid JSON Schema: the $ref '#' leads back into itself: the form would never end "
        "(at properties/next/$ref)"
    )


def test_the_preview_refuses_a_pattern_re2_cannot_run(owner, new_draft, csrf_token):
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "(?<=x)y"}}}
    response = preview(owner, csrf_token, new_draft(), schema)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "the pattern '(?<=x)y' cannot be used" in error
    assert error.endswith("(at properties/code/pattern)")


def test_the_preview_refuses_a_schema_text_nested_past_the_limit(owner, new_draft, csrf_token):
    token = csrf_token(owner, "/processes/")
    response = owner.post(
        f"/processes/drafts/{new_draft()}/form-preview",
        json={"schema": "[" * 50_000 + "]" * 50_000, "uischema": ""},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.get_json()["error"] == (
        "JSON Schema: nested deeper than the limit of 64 levels."
    )


def test_saving_a_form_with_a_catastrophic_backreference_lists_it_as_a_problem(
    owner, new_draft, csrf_token, draft_files
):
    draft_id = new_draft()
    form = json.loads(draft_files(draft_id)["forms/screening.json"])
    form["properties"]["screening_notes"] = {"type": "string", "pattern": r"^(a+)\1$"}
    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    response = owner.post(
        f"/processes/drafts/{draft_id}/files/forms/screening.json",
        data=json.dumps(form),
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        content_type="text/plain",
    )
    assert response.status_code == 200
    problems = [p for p in response.get_json()["problems"] if p["file"] == "forms/screening.json"]
    assert [(p["element"], p["severity"]) for p in problems] == [
        ("properties/screening_notes/pattern", "error")
    ]


def test_a_draft_file_with_a_nul_is_not_saved(owner, new_draft, csrf_token, draft_files):
    draft_id = new_draft()
    before = draft_files(draft_id)["forms/screening.json"]
    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    response = owner.post(
        f"/processes/drafts/{draft_id}/files/forms/screening.json",
        data='{"title": "a\x00b"}',
        headers={"X-CSRFToken": token, "Accept": "application/json"},
        content_type="text/plain",
    )
    assert response.status_code == 422
    assert "a character that is not allowed" in response.get_json()["error"]
    assert draft_files(draft_id)["forms/screening.json"] == before
