"""In-app notices: new tasks for the people who may do them, messages received by a case."""

import re

from sqlalchemy import select

from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from app.notifications.models import Notice
from app.notifications.operations import create_notices
from tests.app.cases.helpers import open_case, send_idea

CLOCK = "/calls/regional-networks-2021/clock"


def notices_by_user(app):
    with app.app_context():
        rows = db.session.execute(
            select(User.username, Notice.text).join(User).order_by(Notice.id)
        ).all()
        return [(username, text) for username, text in rows]


def run_create_notices(app):
    """Notices for every instance of the demo call, as the engine's after-save hook makes them."""
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        created = create_notices(db.session, call.instance_id, None, call)
        for case in db.session.scalars(select(Case).where(Case.call_id == call.id)):
            created += create_notices(db.session, case.instance_id, case, call)
        db.session.commit()
        return len(created)


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
    assert run_create_notices(app) == 0  # nothing new: nothing noticed twice


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
    assert run_create_notices(app) == 0


def test_notices_are_listed_newest_first_with_the_unread_count_in_the_nav(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    run_create_notices(app)  # the idea task; its notice stays after the task is done
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
        notice_ids = db.session.scalars(
            select(Notice.id).join(User).where(User.username == "applicant")
        ).all()
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
