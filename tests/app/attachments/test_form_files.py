"""Files chosen on the application form itself go with what was typed: nothing is lost on the
way to a separate page, and a refused send keeps neither rows nor files."""

import io

from tests.app.attachments.helpers import PDF, stored
from tests.app.tasks.helpers import APPLICATION


def send_with_files(client, csrf_token, url, form, files, action="send"):
    data = {**form, "action": action, "csrf_token": csrf_token(client, url)}
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=data, content_type="multipart/form-data")


def test_files_chosen_on_the_form_go_with_the_application(app, invited, csrf_token, task_url):
    url = task_url("send_application")
    page = invited.get(url).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert '<input type="file" id="f-attachments" name="attachments" multiple' in page

    sent = send_with_files(invited, csrf_token, url, APPLICATION, [("plan.pdf", PDF)])

    assert sent.status_code == 302 and "/documents/" in sent.headers["Location"]
    document = invited.get(sent.headers["Location"]).get_data(as_text=True)
    assert "plan.pdf" in document
    assert stored(app)[0] == 1


def test_a_draft_keeps_its_files_and_lists_them_on_the_form(app, invited, csrf_token, task_url):
    url = task_url("send_application")
    typed = {**APPLICATION, "plan": "Half of the plan."}

    kept = send_with_files(invited, csrf_token, url, typed, [("budget.pdf", PDF)], "draft")

    assert kept.status_code == 302
    page = invited.get(url).get_data(as_text=True)
    assert "<li>budget.pdf (" in page and "Half of the plan." in page
    assert stored(app)[0] == 1


def test_a_refused_file_shows_the_form_as_typed_and_keeps_nothing(
    app, invited, csrf_token, task_url
):
    url = task_url("send_application")
    typed = {**APPLICATION, "plan": "Everything we typed."}

    refused = send_with_files(invited, csrf_token, url, typed, [("fake.pdf", b"<script>")])

    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "is not a real PDF file" in page
    assert "Everything we typed." in page  # what was typed is on the page again
    assert stored(app) == (0, [])
    assert task_url("send_application") == url  # not sent


def test_a_send_refused_after_its_files_were_kept_leaves_no_file_behind(
    app, invited, csrf_token, task_url
):
    url = task_url("send_application")
    incomplete = {key: value for key, value in APPLICATION.items() if key != "plan"}

    refused = send_with_files(invited, csrf_token, url, incomplete, [("plan.pdf", PDF)])

    assert refused.status_code == 422
    assert stored(app) == (0, [])  # the rows were undone, and so were the files
