"""The modeler and the form editor of a draft: who may open them, and the live form preview."""

from __future__ import annotations

import json

import pytest

SCHEMA = {
    "type": "object",
    "properties": {"project_title": {"type": "string", "title": "Title of the project"}},
    "required": ["project_title"],
}
UI_SCHEMA = {"project_title": {"ui:help": "As in the idea proposal."}}


def preview(client, csrf_token, draft_id, schema_text, ui_text="", token=None):
    token = token or csrf_token(client, f"/processes/drafts/{draft_id}")
    return client.post(
        f"/processes/drafts/{draft_id}/form-preview",
        json={"schema": schema_text, "uischema": ui_text},
        headers={"X-CSRFToken": token, "Accept": "application/json"},
    )


def test_the_modeler_page_opens_the_file_with_the_draft_forms(owner, new_draft):
    draft_id = new_draft()
    response = owner.get(f"/processes/drafts/{draft_id}/model/funding_application.bpmn")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "modeler.js" in page
    assert f"/processes/drafts/{draft_id}/files/funding_application.bpmn" in page
    assert '"screening.json"' in page
    assert '"screening-uischema.json"' in page


def test_the_draft_page_links_to_both_editors(owner, new_draft):
    draft_id = new_draft()
    page = owner.get(f"/processes/drafts/{draft_id}").get_data(as_text=True)
    assert f"/processes/drafts/{draft_id}/model/funding_application.bpmn" in page
    assert f"/processes/drafts/{draft_id}/form/forms/screening.json" in page
    assert f"/processes/drafts/{draft_id}/form/forms/screening-uischema.json" not in page


@pytest.mark.parametrize(
    "path",
    [
        "model/no_such.bpmn",
        "model/forms/screening.json",
        "form/forms/no_such.json",
        "form/forms/screening-uischema.json",
        "form/funding_application.bpmn",
    ],
)
def test_an_editor_for_a_file_the_draft_lacks_or_of_the_wrong_kind_is_not_found(
    owner, new_draft, path
):
    draft_id = new_draft()
    assert owner.get(f"/processes/drafts/{draft_id}/{path}").status_code == 404


def test_an_editor_of_a_draft_that_does_not_exist_is_not_found(owner):
    assert owner.get("/processes/drafts/999/model/funding_application.bpmn").status_code == 404
    assert owner.get("/processes/drafts/999/form/forms/screening.json").status_code == 404


@pytest.mark.parametrize("path", ["model/funding_application.bpmn", "form/forms/screening.json"])
def test_the_editors_are_for_process_owners_and_admins_only(app, signed_in, new_draft, path):
    draft_id = new_draft()
    url = f"/processes/drafts/{draft_id}/{path}"
    assert signed_in("admin").get(url).status_code == 200
    assert signed_in("specialist").get(url).status_code == 403
    signed_out = app.test_client().get(url)
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"].startswith("/login")


def test_the_form_editor_shows_both_files_and_the_rendered_form(owner, new_draft, draft_files):
    draft_id = new_draft()
    files = draft_files(draft_id)
    page = owner.get(f"/processes/drafts/{draft_id}/form/forms/screening.json").get_data(
        as_text=True
    )
    schema = json.loads(files["forms/screening.json"])
    assert '<label for="schema-text">' in page
    assert '<label for="uischema-text">' in page
    assert "forms/screening-uischema.json" in page
    first_title = next(iter(schema["properties"].values()))["title"]
    assert first_title in page  # the preview, rendered on the server


def test_the_form_editor_offers_to_create_a_missing_ui_schema(
    owner, new_draft, save_file, csrf_token
):
    draft_id = new_draft()
    assert save_file(draft_id, "forms/extra.json", json.dumps(SCHEMA)).status_code == 200
    page = owner.get(f"/processes/drafts/{draft_id}/form/forms/extra.json").get_data(as_text=True)
    assert "forms/extra-uischema.json" in page
    assert "The draft has no UI schema for this form yet" in page
    assert "Title of the project" in page


def test_the_preview_renders_the_fields_of_the_schema(owner, new_draft, csrf_token):
    draft_id = new_draft()
    response = preview(owner, csrf_token, draft_id, json.dumps(SCHEMA), json.dumps(UI_SCHEMA))
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "Title of the project" in html
    assert "As in the idea proposal." in html
    assert 'name="project_title"' in html


def test_the_preview_without_a_ui_schema_renders_the_schema_alone(owner, new_draft, csrf_token):
    draft_id = new_draft()
    response = preview(owner, csrf_token, draft_id, json.dumps(SCHEMA), "  ")
    assert response.status_code == 200
    assert "Title of the project" in response.get_json()["html"]


def test_the_preview_refuses_invalid_json_naming_the_line(owner, new_draft, csrf_token):
    draft_id = new_draft()
    broken = '{\n  "type": "object",\n  "properties": {}\n  "required": []\n}'
    response = preview(owner, csrf_token, draft_id, broken)
    assert response.status_code == 422
    assert response.get_json() == {
        "error": "JSON Schema, line 4, column 3: Expecting ',' delimiter."
    }


def test_the_preview_refuses_an_invalid_ui_schema(owner, new_draft, csrf_token):
    draft_id = new_draft()
    response = preview(owner, csrf_token, draft_id, json.dumps(SCHEMA), "{oops")
    assert response.status_code == 422
    assert response.get_json()["error"].startswith("UI schema, line 1, column 2:")


def test_the_preview_refuses_an_invalid_json_schema(owner, new_draft, csrf_token):
    draft_id = new_draft()
    response = preview(owner, csrf_token, draft_id, json.dumps({"type": "objekt"}))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error.startswith("not a valid JSON Schema: 'objekt' is not valid")
    assert error.endswith("(at type)")


def test_the_preview_refuses_a_schema_that_is_not_an_object(owner, new_draft, csrf_token):
    draft_id = new_draft()
    response = preview(owner, csrf_token, draft_id, "[1, 2]")
    assert response.status_code == 422
    assert response.get_json()["error"].startswith("not a valid JSON Schema:")


def test_the_preview_needs_the_csrf_token(owner, new_draft):
    draft_id = new_draft()
    response = owner.post(
        f"/processes/drafts/{draft_id}/form-preview",
        json={"schema": json.dumps(SCHEMA), "uischema": ""},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400


def test_the_preview_is_for_process_owners_only(signed_in, new_draft, csrf_token):
    draft_id = new_draft()
    specialist = signed_in("specialist")
    token = csrf_token(specialist, "/account")
    response = preview(specialist, csrf_token, draft_id, json.dumps(SCHEMA), token=token)
    assert response.status_code == 403


def test_the_preview_wants_a_json_object(owner, new_draft, csrf_token):
    draft_id = new_draft()
    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    response = owner.post(
        f"/processes/drafts/{draft_id}/form-preview",
        data="schema",
        headers={"X-CSRFToken": token},
        content_type="text/plain",
    )
    assert response.status_code == 400
    assert "error" in response.get_json()
