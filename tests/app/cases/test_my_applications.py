"""An applicant's home: their organisation's applications and what waits for them in each."""

from tests.app.tasks.helpers import open_case, post, submit


def test_an_applicant_lands_on_their_applications_with_the_next_step_of_each(
    signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    task = open_case(applicant, csrf_token)
    post(applicant, csrf_token, task, {"project_name": "Lakeland draft"}, action="draft")

    home = applicant.get("/")
    page = applicant.get("/my-applications").get_data(as_text=True)

    assert home.status_code == 302 and home.headers["Location"] == "/my-applications"
    assert ">Lakeland draft</a></h2>" in page
    assert "Waiting for you" in page
    assert f'href="{task}">Write and send the idea proposal</a> – due 15.4.2021 16:15' in page
    assert 'href="/organisation">My organisation</a>' in page  # in the menu
    assert "My tasks" not in page  # the staff's task list is not an applicant's home
    other = signed_in("applicant2").get("/my-applications").get_data(as_text=True)
    assert "Lakeland draft" not in other
    assert "You have no applications yet." in other


def test_a_sent_application_shows_its_case_number(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    submit(applicant, csrf_token, open_case(applicant, csrf_token), idea_form)

    page = applicant.get("/my-applications").get_data(as_text=True)

    assert "<dt>Case number</dt><dd>VN/1/2021</dd>" in page


def test_staff_land_on_their_tasks(signed_in):
    response = signed_in("specialist").get("/")
    assert response.headers["Location"] == "/tasks"
