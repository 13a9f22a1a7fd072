import io
import zipfile

FORM_MISSING = 'value="screening.json"'


def test_a_draft_starts_as_a_copy_of_the_version(new_draft, draft_files, current_version_id, app):
    from app.extensions import db
    from workflows.models import ProcessVersion

    draft_id = new_draft("Rename screening")
    with app.app_context():
        version_files = dict(db.session.get(ProcessVersion, current_version_id).files)
    assert draft_files(draft_id) == version_files


def test_saving_a_file_answers_with_the_problems_naming_file_and_element(
    new_draft, draft_files, save_file
):
    draft_id = new_draft()
    text = draft_files(draft_id)["funding_application.bpmn"]
    broken = text.replace(FORM_MISSING, 'value="no_such_form.json"')
    response = save_file(draft_id, "funding_application.bpmn", broken)
    assert response.status_code == 200
    body = response.get_json()
    assert body["saved"] is True
    assert {
        "file": "funding_application.bpmn",
        "element": "screen_idea",
        "message": "form file 'no_such_form.json' is missing or invalid",
        "severity": "error",
    } in body["problems"]
    assert draft_files(draft_id)["funding_application.bpmn"] == broken  # a draft may be broken


def test_a_file_name_outside_the_bundle_layout_is_refused(new_draft, draft_files, save_file):
    draft_id = new_draft()
    before = draft_files(draft_id)
    response = save_file(draft_id, "../secret.bpmn", "<x/>")
    assert response.status_code in (404, 422)
    response = save_file(draft_id, "notes.txt", "hello")
    assert response.status_code == 422
    assert "is not a process file name" in response.get_json()["error"]
    assert draft_files(draft_id) == before


def test_saving_needs_the_csrf_token(owner, new_draft):
    draft_id = new_draft()
    response = owner.post(
        f"/processes/drafts/{draft_id}/files/x.bpmn",
        data=b"<x/>",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400


def upload(owner, csrf_token, draft_id, filename, data, **fields):
    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    return owner.post(
        f"/processes/drafts/{draft_id}/upload",
        data={"csrf_token": token, "file": (io.BytesIO(data), filename), **fields},
        content_type="multipart/form-data",
    )


def test_an_uploaded_form_file_goes_into_forms(owner, csrf_token, new_draft, draft_files):
    draft_id = new_draft()
    response = upload(owner, csrf_token, draft_id, "extra.json", b'{"type": "object"}')
    assert response.status_code == 302
    assert draft_files(draft_id)["forms/extra.json"] == '{"type": "object"}'


def test_a_refused_upload_says_why_and_stores_nothing(owner, csrf_token, new_draft, draft_files):
    draft_id = new_draft()
    before = draft_files(draft_id)
    response = upload(owner, csrf_token, draft_id, "notes.txt", b"hello")
    assert response.status_code == 422
    assert "upload a .bpmn, .dmn, .json or .zip file" in response.get_data(as_text=True)
    response = upload(owner, csrf_token, draft_id, "broken.json", b'{"type": ')
    assert response.status_code == 422
    assert "not valid JSON" in response.get_data(as_text=True)
    response = upload(owner, csrf_token, draft_id, "latin.dmn", "<ä/>".encode("latin-1"))
    assert response.status_code == 422
    assert "not UTF-8" in response.get_data(as_text=True)
    assert draft_files(draft_id) == before


def test_a_zip_bundle_replaces_every_file_of_the_draft(owner, csrf_token, new_draft, draft_files):
    draft_id = new_draft()
    files = draft_files(draft_id)
    kept = {name: text for name, text in files.items() if name != "eligibility.dmn"}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in kept.items():
            archive.writestr(f"bundle/{name}", text)
    response = upload(owner, csrf_token, draft_id, "bundle.zip", buffer.getvalue())
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    assert draft_files(draft_id) == kept
    page = owner.get(f"/processes/drafts/{draft_id}").get_data(as_text=True)
    assert "eligibility" in page  # the business rule task now names a missing decision


def test_the_text_editor_keeps_what_was_typed_when_the_file_is_refused(
    owner, csrf_token, new_draft, draft_files
):
    draft_id = new_draft()
    before = draft_files(draft_id)
    url = f"/processes/drafts/{draft_id}/edit/forms/screening.json"
    typed = '{"type": "object", "properties": {'
    response = owner.post(
        f"/processes/drafts/{draft_id}/files/forms/screening.json",
        data={"content": typed, "csrf_token": csrf_token(owner, url)},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "forms/screening.json: not valid JSON" in page
    assert "{&#34;type&#34;: &#34;object&#34;, &#34;properties&#34;: {</textarea>" in page
    assert draft_files(draft_id) == before
