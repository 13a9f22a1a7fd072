from sqlalchemy import func, select

from app.cases.models import Case, Document, TaskDraft
from app.extensions import db
from workflows.models import HumanTask


def start_application(client, csrf_token):
    token = csrf_token(client, "/cases")
    response = client.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert response.status_code == 302
    return response.headers["Location"]


def send(client, url, form, csrf_token, action="send"):
    return client.post(url, data={**form, "action": action, "csrf_token": csrf_token(client, url)})


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_idea_form_is_rendered_with_labels_and_the_deadline(signed_in, csrf_token):
    applicant = signed_in("applicant")
    page = applicant.get(start_application(applicant, csrf_token)).get_data(as_text=True)
    assert '<label for="f-project_name">Project name' in page
    assert "Deadline: <strong>15.4.2021 16:15 (UTC+03:00)</strong>" in page
    assert "Rehearsal" in page


def test_sending_the_idea_registers_it_and_shows_the_receipt(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = send(applicant, url, idea_form, csrf_token)
    assert response.headers["Location"] == "/cases/1/documents/1"
    receipt = applicant.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Received. Case number VN/1/2021, document number VN/1/2021-1, arrived 16.3.2021 09:0"
    ) in receipt
    assert "(UTC+02:00)" in receipt
    assert "<dt>Project name</dt><dd>Lakeland growth corridor</dd>" in receipt
    case_page = applicant.get("/cases/1").get_data(as_text=True)
    assert '<dt>Case number</dt><dd class="case-number">VN/1/2021</dd>' in case_page
    assert "Completed “Write and send the idea proposal”" in case_page


def test_bad_input_is_shown_beside_the_field_and_nothing_is_stored(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = send(applicant, url, idea_form | {"requested_amount_estimate": "lots"}, csrf_token)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-requested_amount_estimate-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="Lakeland growth corridor"' in page  # what was typed is kept
    assert count(app, Document) == 0
    assert count(app, HumanTask) == 1


def test_a_draft_is_kept_but_never_sent(app, signed_in, csrf_token, idea_form, move_clock):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = send(applicant, url, {"project_name": "Half-written"}, csrf_token, action="draft")
    assert response.status_code == 302
    assert 'value="Half-written"' in applicant.get(url).get_data(as_text=True)
    assert count(app, TaskDraft) == 1
    assert ">Half-written</a>" in applicant.get("/cases").get_data(as_text=True)  # not Untitled
    move_clock("2021-04-15T16:15:01+03:00")
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case.phase == "Closed as late (idea)"
        assert case.documents == []


def test_a_task_already_completed_gives_a_notice_not_an_error(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    token = csrf_token(applicant, url)
    first = applicant.post(url, data={**idea_form, "action": "send", "csrf_token": token})
    second = applicant.post(url, data={**idea_form, "action": "send", "csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 302
    notice = applicant.get(second.headers["Location"]).get_data(as_text=True)
    assert "already completed" in notice
    assert count(app, Document) == 1


def test_a_form_without_csrf_token_is_refused(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = applicant.post(url, data={**idea_form, "action": "send"})
    assert response.status_code == 400
    assert count(app, Document) == 0


def test_a_task_of_another_lane_is_refused(signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    assert signed_in("specialist").get(url).status_code == 403


def test_another_organisations_applicant_cannot_open_the_task(signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    assert signed_in("applicant2").get(url).status_code == 403


def test_the_specialist_finds_the_screening_in_my_tasks(
    app, signed_in, csrf_token, idea_form, task_url, move_clock
):
    applicant = signed_in("applicant")
    send(applicant, start_application(applicant, csrf_token), idea_form, csrf_token)
    move_clock("2021-04-15T16:15:01+03:00")
    inbox = signed_in("specialist").get("/tasks").get_data(as_text=True)
    assert task_url("screen_idea") in inbox
    assert "Screen the idea proposal" in inbox
    case_page = applicant.get("/cases/1").get_data(as_text=True)
    assert "Webinar invitation" in case_page
    assert "20.4.2021 12:30 (UTC+03:00) – 16:00" in case_page
    assert "Screen the idea proposal" not in applicant.get("/tasks").get_data(as_text=True)


def test_unknown_fields_and_typename_never_reach_the_engine(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    response = send(
        applicant, url, idea_form | {"typename": "BpmnWorkflow", "evil": "1"}, csrf_token
    )
    assert response.status_code == 302
    page = applicant.get("/cases/1")
    assert page.status_code == 200
    with app.app_context():
        document = db.session.scalar(select(Document))
        assert "typename" not in document.data
        assert "evil" not in document.data


def test_add_another_row_keeps_what_was_typed_and_adds_an_empty_row(signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    first = {"partners.0.name": "City of Nokia", "partners.0.region": "06"}
    response = send(applicant, url, first, csrf_token, action="add-row:partners")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("#f-partners")
    page = applicant.get(url).get_data(as_text=True)
    assert 'value="City of Nokia"' in page
    assert 'name="partners.1.name"' in page
