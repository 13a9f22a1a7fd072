"""The completeness check's own rule: a supplement must be due after now on the call's clock.

It is due at 16:15 Finnish time on the date given; the demo call runs on a rehearsal clock, so
"now" and "today" are the call's (2.6.2021 after the application deadline), not the wall
clock's."""

import html
import re
from datetime import date

from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from tests.app.tasks.helpers import post, walk_to_completeness_check
from workflows.models import HumanTask, OutboxMessage

REQUEST = {"supplement_request": "Attach the partners' letters of commitment."}
REFUSED = (
    "Choose a date after today (%s on the call's clock): the supplement is due at 16:15 "
    "Finnish time on the date given, and that time has passed."
)


def field_error(page: str, field: str) -> str | None:
    """The message shown at the field, as a person reads it."""
    found = re.search(rf'id="f-{field}-error">(.*?)</p>', page, re.S)
    if found is None:
        return None
    text = re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>', "", found.group(1))
    return html.unescape(text).strip()


def ready_tasks(app) -> list[str]:
    """The ready tasks of the case."""
    with app.app_context():
        query = select(HumanTask.spec_name).join(Case, Case.instance_id == HumanTask.instance_id)
        return sorted(db.session.scalars(query))


def supplement_emails(app) -> int:
    with app.app_context():
        payloads = db.session.scalars(select(OutboxMessage.payload))
        return sum(1 for payload in payloads if payload.get("template") == "supplement_requested")


def ask_for_a_supplement(specialist, csrf_token, task_url, due: str):
    return post(
        specialist, csrf_token, task_url("check_application"), REQUEST | {"supplement_due": due}
    )


def test_a_supplement_due_date_in_the_past_is_refused_at_the_field_and_nothing_is_sent(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)

    response = ask_for_a_supplement(signed_in("specialist"), csrf_token, task_url, "2021-05-31")

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "supplement_due") == REFUSED % "2.6.2021"
    assert 'value="2021-05-31"' in page  # what was typed is kept
    assert ready_tasks(app) == ["check_application"]
    assert supplement_emails(app) == 0


def test_today_is_refused_once_its_16_15_has_passed(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    # The call's time is 2.6.2021 16:15:01: today's 16:15 has just passed.

    response = ask_for_a_supplement(signed_in("specialist"), csrf_token, task_url, "2021-06-02")

    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "supplement_due") == REFUSED % "2.6.2021"
    assert ready_tasks(app) == ["check_application"]


def test_today_is_accepted_before_its_16_15(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    move_clock("2021-06-03T10:00:00+03:00")

    response = ask_for_a_supplement(signed_in("specialist"), csrf_token, task_url, "2021-06-03")

    assert response.status_code == 302
    assert ready_tasks(app) == ["send_supplement"]


def test_a_future_due_date_is_accepted_and_the_applicant_is_asked(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    applicant = walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)

    response = ask_for_a_supplement(signed_in("specialist"), csrf_token, task_url, "2021-06-09")

    assert response.status_code == 302
    assert ready_tasks(app) == ["send_supplement"]
    assert supplement_emails(app) == 1
    page = applicant.get(task_url("send_supplement")).get_data(as_text=True)
    assert "9.6.2021 16:15 (UTC+03:00)" in page


def test_the_calls_rehearsal_clock_counts_not_the_wall_clock(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    assert date(2021, 6, 9) < date.today()  # long past on the wall clock

    response = ask_for_a_supplement(signed_in("specialist"), csrf_token, task_url, "2021-06-09")

    assert response.status_code == 302
    assert ready_tasks(app) == ["send_supplement"]


def test_the_refusal_is_in_the_page_language(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist = signed_in("specialist")
    token = csrf_token(specialist, "/tasks")
    specialist.post("/language", data={"language": "fi", "next": "/tasks", "csrf_token": token})

    response = ask_for_a_supplement(specialist, csrf_token, task_url, "2021-05-31")

    message = field_error(response.get_data(as_text=True), "supplement_due")
    assert message is not None
    assert message.startswith(
        "Valitse päivä, joka on tämän päivän (2.6.2021 haun kellon mukaan) jälkeen"
    )


def test_only_an_object_the_reserve_is_for_may_claim_the_regional_city_share(
    signed_in, csrf_token, idea_form
):
    from tests.app.tasks.helpers import open_case

    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    growth_zone = idea_form | {"application_object": "growth_zone", "regional_city_network": "on"}

    refused = post(applicant, csrf_token, url, growth_zone)
    sent = post(applicant, csrf_token, url, growth_zone | {"application_object": "theme_network"})

    assert refused.status_code == 422
    assert field_error(refused.get_data(as_text=True), "regional_city_network") == (
        "The share reserved for networks of regional cities is not for this application "
        "object: untick this box, or choose an object the share is for."
    )
    assert sent.status_code == 302 and "/documents/" in sent.headers["Location"]
