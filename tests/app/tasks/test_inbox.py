"""My tasks: assigned to me and group tasks, filtered and sorted in SQL, with due dates."""

from datetime import datetime

from sqlalchemy import select

from app.calls.models import Call
from app.extensions import db
from tests.app.tasks.helpers import IDEA_DEADLINE_PASSED, claim, open_case, submit
from workflows import set_rehearsal_time


def section(page, heading_id):
    """The HTML of one section of the task list."""
    return page.split(f'id="{heading_id}"')[1].split("</section>")[0]


def set_clock(app, moment):
    """Move the rehearsal clock without firing timers (the worker has not run yet)."""
    with app.app_context():
        call = db.session.scalar(select(Call))
        set_rehearsal_time(call.clock, datetime.fromisoformat(moment))
        db.session.commit()


def two_screenings(signed_in, csrf_token, idea_form, move_clock):
    """A theme network of the City of Tampere and a growth zone of Leader Pohjoisin Lappi."""
    applicant, applicant2 = signed_in("applicant"), signed_in("applicant2")
    submit(applicant, csrf_token, open_case(applicant, csrf_token), idea_form)
    growth_zone = idea_form | {"project_name": "Arctic growth zone"}
    growth_zone["application_object"] = "growth_zone"
    submit(applicant2, csrf_token, open_case(applicant2, csrf_token), growth_zone)
    move_clock(IDEA_DEADLINE_PASSED)
    return signed_in("specialist")


def test_group_tasks_show_case_call_phase_object_and_a_claim_button(
    signed_in, csrf_token, idea_form, move_clock
):
    specialist = two_screenings(signed_in, csrf_token, idea_form, move_clock)
    page = specialist.get("/tasks").get_data(as_text=True)
    groups = section(page, "groups-heading")
    assert "Lakeland growth corridor</a>, City of Tampere" in groups
    assert "Arctic growth zone</a>, Leader Pohjoisin Lappi" in groups
    assert '<td data-label="Application object">Growth zone</td>' in groups
    assert '<td data-label="Application object">Theme network</td>' in groups
    assert groups.count(">Claim<span") == 2
    assert "Nothing is assigned to you" in section(page, "mine-heading")


def test_a_claimed_task_moves_from_group_tasks_to_assigned_to_me(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    assert "Write and send the idea proposal" in section(
        applicant.get("/tasks").get_data(as_text=True), "groups-heading"
    )
    claim(applicant, csrf_token, url)
    page = applicant.get("/tasks").get_data(as_text=True)
    assert "Write and send the idea proposal" in section(page, "mine-heading")
    assert ">Unclaim<span" in section(page, "mine-heading")
    assert "Write and send the idea proposal" not in section(page, "groups-heading")


def test_filters_narrow_the_list_by_object_task_and_phase(
    signed_in, csrf_token, idea_form, move_clock
):
    specialist = two_screenings(signed_in, csrf_token, idea_form, move_clock)
    growth = specialist.get("/tasks?application_object=growth_zone").get_data(as_text=True)
    assert "Arctic growth zone" in growth
    assert "Lakeland growth corridor" not in growth
    assert "1 task matches the filters." in growth
    by_name = specialist.get("/tasks?task=Screen+the+idea+proposal").get_data(as_text=True)
    assert by_name.count(">Screen the idea proposal</a>") == 2
    nothing = specialist.get("/tasks?phase=No+such+phase").get_data(as_text=True)
    assert "No unclaimed task of your groups matches the filters." in nothing
    assert '<option value="regional-networks-2021">' in nothing


def test_sorting_by_case_orders_the_rows_by_project_name(
    signed_in, csrf_token, idea_form, move_clock
):
    specialist = two_screenings(signed_in, csrf_token, idea_form, move_clock)
    page = specialist.get("/tasks?sort=case").get_data(as_text=True)
    assert page.index("Arctic growth zone") < page.index("Lakeland growth corridor")
    assert '<option value="case" selected>Case</option>' in page


def test_due_dates_are_in_helsinki_time_and_overdue_tasks_are_marked_and_filtered(
    app, signed_in, csrf_token
):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)
    before = applicant.get("/tasks").get_data(as_text=True)
    assert "15.4.2021 16:15 (UTC+03:00)" in before
    assert "overdue</strong>" not in before
    assert "idea proposal</a>" not in applicant.get("/tasks?overdue=1").get_data(as_text=True)

    set_clock(app, "2021-04-15T16:15:00+03:00")  # at the deadline is late
    after = applicant.get("/tasks").get_data(as_text=True)
    assert '<strong class="overdue">overdue</strong>' in after
    overdue = applicant.get("/tasks?overdue=1").get_data(as_text=True)
    assert "Write and send the idea proposal</a>" in overdue
    assert 'id="task-overdue" name="overdue" value="1" checked' in overdue


def test_every_filter_field_has_a_label(signed_in):
    page = signed_in("specialist").get("/tasks").get_data(as_text=True)
    for field_id in ("task-call", "task-name", "task-phase", "task-object", "task-sort"):
        assert f'<label for="{field_id}">' in page
        assert f'id="{field_id}"' in page
    assert '<label for="task-overdue">Overdue only</label>' in page


def test_an_unknown_sort_falls_back_to_the_due_date(signed_in):
    page = signed_in("specialist").get("/tasks?sort=drop+table").get_data(as_text=True)
    assert '<option value="due" selected>Due date</option>' in page
