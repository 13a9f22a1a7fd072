"""In-app notices: new tasks for the people who may do them, messages received by a case."""

import re

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.notifications.models import Notice
from app.notifications.queries import notices_of
from tests.app.cases.helpers import open_case, send_idea
from workflows import wall_now

CLOCK = "/calls/regional-networks-2021/clock"


def notices_by_user(app):
    """(username, text) of every notice each person sees, oldest first."""
    with app.app_context():
        seen = [
            (notice.id, user.username, notice.text)
            for user in db.session.scalars(select(User).order_by(User.id))
            for notice in notices_of(db.session, user, limit=1000).notices
        ]
        return [(username, text) for _id, username, text in sorted(seen)]


def past_idea_deadline(signed_in, csrf_token):
    owner = signed_in("process_owner")
    token = csrf_token(owner, CLOCK)
    response = owner.post(
        CLOCK, data={"action": "moment", "moment": "2021-04-15T16:16", "csrf_token": token}
    )
    assert response.status_code == 302


def test_applicant_tasks_are_noticed_only_by_the_case_organisation(app, signed_in, csrf_token):
    open_case(signed_in("applicant"), csrf_token)  # starting the case notices its first task
    assert notices_by_user(app) == [
        ("applicant", "New task: Write and send the idea proposal – Untitled application (case-1)")
    ]
    open_case(signed_in("applicant2"), csrf_token)  # another case: nothing new for the first
    assert [n for n in notices_by_user(app) if n[0] == "applicant"] == [
        ("applicant", "New task: Write and send the idea proposal – Untitled application (case-1)")
    ]


def test_specialists_get_a_notice_when_the_screening_task_appears(
    app, signed_in, csrf_token, idea_form
):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    past_idea_deadline(signed_in, csrf_token)
    notices = notices_by_user(app)
    screening = "New task: Screen the idea proposal – Lakeland growth corridor"
    assert ("specialist", screening) in notices
    assert ("evaluator", screening) in notices  # the other specialist
    assert not any(
        user in ("applicant", "decision_maker") for user, text in notices if text == screening
    )
    page = signed_in("specialist").get("/notices").get_data(as_text=True)
    assert screening in page
    assert re.search(r'href="/tasks/\d+/[0-9a-f-]+">New task: Screen the idea proposal', page)


def test_the_applicant_gets_a_notice_when_the_webinar_invitation_arrives(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    past_idea_deadline(signed_in, csrf_token)
    invitation = "The webinar invitation arrived – Lakeland growth corridor"
    assert ("applicant", invitation) in notices_by_user(app)
    assert ("applicant2", invitation) not in notices_by_user(app)
    page = applicant.get("/notices").get_data(as_text=True)
    assert f'<a href="/cases/1">{invitation}</a>' in page
    assert notices_by_user(app).count(("applicant", invitation)) == 1


def test_notices_are_listed_newest_first_with_the_unread_count_in_the_nav(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)  # notices the idea task; it stays after the send
    applicant.post(
        url, data={**idea_form, "action": "send", "csrf_token": csrf_token(applicant, url)}
    )
    past_idea_deadline(signed_in, csrf_token)
    page = applicant.get("/notices").get_data(as_text=True)
    listing = page[page.index('<ul class="notice-list">') :]
    assert listing.index("The webinar invitation arrived") < listing.index("New task: Write")
    assert '2<span class="visually-hidden"> unread</span>' in page


def test_marking_notices_read(app, signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    past_idea_deadline(signed_in, csrf_token)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "applicant"))
        notice_ids = sorted(n.id for n in notices_of(db.session, user).notices)
    assert len(notice_ids) == 2  # the idea task, then the webinar invitation
    token = csrf_token(applicant, "/notices")
    other = signed_in("applicant2")
    stranger = other.post(
        f"/notices/{notice_ids[0]}/read", data={"csrf_token": csrf_token(other, "/notices")}
    )
    assert stranger.status_code == 404
    for notice_id in notice_ids:
        read = applicant.post(f"/notices/{notice_id}/read", data={"csrf_token": token})
        assert read.status_code == 302
    page = applicant.get("/notices").get_data(as_text=True)
    assert "unread</span>" not in page
    assert "Mark all as read" not in page


def test_mark_all_notices_read(app, signed_in, csrf_token, idea_form):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    past_idea_deadline(signed_in, csrf_token)
    specialist = signed_in("specialist")
    assert "unread</span>" in specialist.get("/notices").get_data(as_text=True)
    token = csrf_token(specialist, "/notices")
    assert specialist.post("/notices/read", data={"csrf_token": token}).status_code == 302
    assert "unread</span>" not in specialist.get("/notices").get_data(as_text=True)
    # the evaluator's notices stay unread
    assert "unread</span>" in signed_in("evaluator").get("/notices").get_data(as_text=True)


def test_notices_need_a_signed_in_user(client, demo):
    assert client.get("/notices").status_code == 302


def group_notices(app, count: int) -> None:
    """``count`` notices of new tasks for the specialists (one row each, for the role)."""
    with app.app_context():
        now = wall_now()
        db.session.add_all(
            Notice(
                role="specialist", kind="task_assigned", text=f"New task: Task {n}", created_at=now
            )
            for n in range(count)
        )
        db.session.commit()


def test_notices_come_a_page_at_a_time_newest_first(app, signed_in):
    group_notices(app, 60)
    specialist = signed_in("specialist")
    first = specialist.get("/notices").get_data(as_text=True)
    assert first.count('class="notice notice--unread"') == 50
    assert "New task: Task 59" in first and "New task: Task 10<" in first
    assert "New task: Task 9<" not in first
    older = re.search(r'href="(/notices\?before=\d+)" rel="next"', first).group(1)
    second = specialist.get(older).get_data(as_text=True)
    assert second.count('class="notice notice--unread"') == 10
    assert "New task: Task 9<" in second and "New task: Task 0<" in second
    assert 'rel="next"' not in second


def test_the_unread_count_in_the_nav_stops_at_99(app, signed_in, csrf_token):
    group_notices(app, 120)
    specialist = signed_in("specialist")
    page = specialist.get("/tasks").get_data(as_text=True)
    assert '99+<span class="visually-hidden"> unread</span>' in page
    token = csrf_token(specialist, "/notices")
    specialist.post("/notices/read", data={"csrf_token": token})
    assert "unread</span>" not in specialist.get("/tasks").get_data(as_text=True)
    group_notices(app, 1)  # what comes after "Mark all as read" is unread again
    page = specialist.get("/tasks").get_data(as_text=True)
    assert '1<span class="visually-hidden"> unread</span>' in page


def test_a_group_notice_read_by_one_person_stays_unread_for_the_others(app, signed_in, csrf_token):
    group_notices(app, 1)
    specialist, evaluator = signed_in("specialist"), signed_in("evaluator")
    notice_id = re.search(
        r'action="/notices/(\d+)/read"', specialist.get("/notices").get_data(as_text=True)
    ).group(1)
    specialist.post(
        f"/notices/{notice_id}/read", data={"csrf_token": csrf_token(specialist, "/notices")}
    )
    assert "notice--unread" not in specialist.get("/notices").get_data(as_text=True)
    assert "notice--unread" in evaluator.get("/notices").get_data(as_text=True)
    applicant = signed_in("applicant")  # not of the audience: it is not theirs to read
    refused = applicant.post(
        f"/notices/{notice_id}/read", data={"csrf_token": csrf_token(applicant, "/notices")}
    )
    assert refused.status_code == 404


def test_a_draft_not_sent_is_reminded_in_the_page_language_at_the_calls_time(
    app, signed_in, csrf_token
):
    """The reminder names the deadline; the notice shows when it came on the call's clock
    (a rehearsal's time), not the wall clock's."""
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    draft = {"project_name": "Lakeland growth corridor", "action": "draft"}
    saved = applicant.post(url, data=draft | {"csrf_token": csrf_token(applicant, url)})
    assert saved.status_code == 302
    owner = signed_in("process_owner")
    moment = {"action": "moment", "moment": "2021-04-08T16:16"}
    moved = owner.post(CLOCK, data=moment | {"csrf_token": csrf_token(owner, CLOCK)})
    assert moved.status_code == 302

    page = applicant.get("/notices", headers={"Accept-Language": "fi"}).get_data(as_text=True)

    assert (
        "Muistutus: ideaehdotus on vielä lähettämättä; määräaika on 15.4.2021 16:15 (UTC+03:00)"
        " – Lakeland growth corridor"
    ) in page
    assert re.search(r">8\.4\.2021 16:16 \(UTC\+03:00\)</time>", page)
