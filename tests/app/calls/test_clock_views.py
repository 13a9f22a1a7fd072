"""The rehearsal clock page: process owners move a call's clock from the browser."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.calls.models import Call
from app.calls.operations import copied_data, setup_call
from app.extensions import db
from tests.app.cases.helpers import send_idea
from workflows import SYSTEM, clock_now

CLOCK = "/calls/regional-networks-2021/clock"


def move(client, csrf_token, **form):
    return client.post(CLOCK, data={**form, "csrf_token": csrf_token(client, CLOCK)})


def rehearsal_now(app):
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        return clock_now(call.clock)


def test_clock_page_shows_the_clock_the_next_timer_and_the_banner(signed_in):
    page = signed_in("process_owner").get(CLOCK).get_data(as_text=True)
    assert "runs on a rehearsal clock" in page
    assert "Now on this clock" in page
    assert "15.4.2021 16:15:00 (UTC+03:00)" in page  # the idea deadline: the next timer
    assert 'type="datetime-local"' in page


def test_only_process_owners_and_admins_see_or_move_the_clock(signed_in, csrf_token):
    assert signed_in("admin").get(CLOCK).status_code == 200
    for username in ("applicant", "specialist", "decision_maker"):
        client = signed_in(username)
        assert client.get(CLOCK).status_code == 403
        token = csrf_token(client, "/cases")
        response = client.post(CLOCK, data={"action": "next", "csrf_token": token})
        assert response.status_code == 403


def test_process_owner_moves_past_the_idea_deadline_and_the_invitation_arrives(
    app, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    owner = signed_in("process_owner")
    response = move(owner, csrf_token, action="moment", moment="2021-04-15T16:16")
    assert response.status_code == 302
    assert rehearsal_now(app).isoformat().startswith("2021-04-15T13:16")
    assert "Webinar invitation" in applicant.get("/cases/1").get_data(as_text=True)
    assert re.search(r"\d+ instances? advanced", owner.get(CLOCK).get_data(as_text=True))


def test_process_owner_moves_just_past_the_next_timer(app, signed_in, csrf_token):
    response = move(signed_in("process_owner"), csrf_token, action="next")
    assert response.status_code == 302
    # Set to 16:15:01, it runs on while the due timers fire.
    moved_to = datetime(2021, 4, 15, 13, 15, 1, tzinfo=UTC)
    assert moved_to <= rehearsal_now(app) < moved_to + timedelta(minutes=1)


def test_clock_refuses_a_moment_in_the_past_or_not_a_time(app, signed_in, csrf_token):
    owner = signed_in("process_owner")
    past = move(owner, csrf_token, action="moment", moment="2021-03-01T09:00")
    assert past.status_code == 422
    assert "only moves forward" in past.get_data(as_text=True)
    garbage = move(owner, csrf_token, action="moment", moment="tomorrow")
    assert garbage.status_code == 422
    assert rehearsal_now(app).isoformat().startswith("2021-03-16")


def test_a_call_on_real_time_shows_no_control_and_refuses_moves(app, signed_in, csrf_token):
    with app.app_context():
        source = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        config = copied_data(source, years=20) | {"key": "real-time-call"}
        config.pop("rehearsal_clock_start")
        setup_call(db.session, config, actor=SYSTEM)
        db.session.commit()
    owner = signed_in("process_owner")
    page = owner.get("/calls/real-time-call/clock").get_data(as_text=True)
    assert "This call runs on real time: its clock cannot be moved." in page
    assert 'type="datetime-local"' not in page
    assert "Rehearsal:" not in page
    token = csrf_token(owner, "/calls/real-time-call/clock")
    refused = owner.post(
        "/calls/real-time-call/clock", data={"action": "next", "csrf_token": token}
    )
    assert refused.status_code == 409
    assert "This call runs on real time" in refused.get_data(as_text=True)


def test_an_unknown_call_has_no_clock_page(signed_in):
    assert signed_in("process_owner").get("/calls/nope/clock").status_code == 404
