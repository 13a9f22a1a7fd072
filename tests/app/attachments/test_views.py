import pytest

from tests.app.attachments.helpers import PDF, post, stored, upload

APPLICATION = {
    "plan": "Shared services.",
    "budget_2021": "100000",
    "budget_2022": "100000",
    "budget_2023": "100000",
    "cofunding": "10000",
    "contact_person": "Anna",
    "contact_email": "anna@tampere.example",
}


def test_an_attachment_is_stored_and_downloaded_as_an_attachment(app, invited, csrf_token):
    assert upload(invited, csrf_token, "plan.pdf", PDF).status_code == 302
    rows, files = stored(app)
    assert rows == 1
    assert [path.read_bytes() for path in files] == [PDF]
    assert files[0].name != "plan.pdf"  # a generated name, outside the web root
    download = invited.get("/cases/1/attachments/1")
    assert download.data == PDF
    download.close()
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "is not an allowed type"),
        ("fake.pdf", b"<script>alert(1)</script>", "is not a real PDF file"),
        ("big.pdf", PDF + b"0" * 2048, "is too large; the limit is 2 KB"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_a_refused_file_gets_a_clear_message_and_nothing_is_stored(
    app, invited, csrf_token, name, content, message
):
    app.config["ATTACHMENT_MAX_BYTES"] = 2048
    response = upload(invited, csrf_token, name, content)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert stored(app) == (0, [])


def test_attachments_go_with_the_application_and_can_no_longer_be_removed(
    app, invited, csrf_token, task_url
):
    upload(invited, csrf_token, "plan.pdf", PDF)
    application = task_url("send_application")
    assert (
        post(invited, csrf_token, application, {**APPLICATION, "action": "send"}).status_code == 302
    )
    page = invited.get("/cases/1/attachments").get_data(as_text=True)
    assert "Sent with VN/1/2021-3" in page  # VN/1/2021-2 is the webinar invitation sent to them
    removed = post(invited, csrf_token, "/cases/1/attachments/1/remove", {})
    assert removed.status_code == 403  # the application is sent: no more changes
    assert stored(app)[0] == 1
    document = invited.get("/cases/1/documents/3").get_data(as_text=True)
    assert "plan.pdf" in document


def test_another_organisation_can_neither_upload_nor_download(app, invited, signed_in, csrf_token):
    upload(invited, csrf_token, "plan.pdf", PDF)
    other = signed_in("applicant2")
    assert other.get("/cases/1/attachments/1").status_code == 403
    assert upload(other, csrf_token, "x.pdf", PDF).status_code == 403


def test_nothing_can_be_attached_before_the_application_phase(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    applicant.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(applicant, "/cases")},
    )
    assert upload(applicant, csrf_token, "plan.pdf", PDF).status_code == 403


def test_a_name_with_bidirectional_controls_is_stored_and_shown_without_them(
    app, invited, csrf_token
):
    assert upload(invited, csrf_token, "\u202eplan\u2066\u200f.pdf", PDF).status_code == 302
    page = invited.get("/cases/1/attachments").get_data(as_text=True)
    assert "plan.pdf" in page
    assert not any(mark in page for mark in "\u202e\u2066\u200f")
    download = invited.get("/cases/1/attachments/1")
    download.close()
    assert "plan.pdf" in download.headers["Content-Disposition"]
