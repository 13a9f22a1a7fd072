"""The request boundary (app/requests.py): arrival time is a fact of the request; one
transaction per request, committed only for an answer below 400, retried once after a conflict
or a failed automatic step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import get_flashed_messages
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from app.calls.models import Call
from app.cases.models import Document
from app.extensions import db
from app.requests import ArrivalStamp, after_commit, boundary, parse_request_start, refuse
from tests.app.cases.helpers import open_case
from workflows import set_rehearsal_time
from workflows.engine import StepFailed


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("t=1618492499.123", datetime(2021, 4, 15, 13, 14, 59, 123000, tzinfo=UTC)),
        ("1618492499123", datetime(2021, 4, 15, 13, 14, 59, 123000, tzinfo=UTC)),
        ("t=1618492499123456", datetime(2021, 4, 15, 13, 14, 59, 123456, tzinfo=UTC)),
        ("nonsense", None),
        ("t=1e400", None),
    ],
)
def test_a_proxys_request_start_is_read_in_seconds_milliseconds_or_microseconds(header, expected):
    assert parse_request_start(header) == expected


def test_the_proxys_stamp_counts_only_when_trusted_and_plausible():
    seen = {}

    def app(environ, start_response):
        seen["arrived"] = environ["grantflow.arrived_at"]
        return []

    earlier = datetime.now(UTC) - timedelta(seconds=3)
    header = {"HTTP_X_REQUEST_START": f"t={earlier.timestamp():.3f}"}
    ArrivalStamp(app, trust_header=False)(dict(header), None)
    assert seen["arrived"] - earlier > timedelta(seconds=2)
    ArrivalStamp(app, trust_header=True)(dict(header), None)
    assert abs(seen["arrived"] - earlier) < timedelta(milliseconds=2)
    forged = {"HTTP_X_REQUEST_START": "t=946684800"}  # the year 2000
    ArrivalStamp(app, trust_header=True)(forged, None)
    assert datetime.now(UTC) - seen["arrived"] < timedelta(seconds=1)


def test_a_send_that_arrived_at_the_proxy_before_the_deadline_is_received(
    app, signed_in, csrf_token, idea_form
):
    """The request waited 2.5 s in front of the app; the rehearsal clock passed 16:15 meanwhile."""
    app.wsgi_app.trust_header = True
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    token = csrf_token(applicant, url)
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        set_rehearsal_time(call.clock, datetime.fromisoformat("2021-04-15T16:15:01.5+03:00"))
        db.session.commit()
    arrived = datetime.now(UTC) - timedelta(seconds=2.5)  # 16:14:59 on the call's clock

    response = applicant.post(
        url,
        data={**idea_form, "action": "send", "csrf_token": token},
        headers={"X-Request-Start": f"t={arrived.timestamp():.3f}"},
    )

    assert response.status_code == 302
    with app.app_context():
        [document] = db.session.scalars(select(Document)).all()
        assert document.received_at.astimezone(UTC).strftime("%H:%M:%S") == "13:14:59"


class Ledger:
    """What the boundary did with the transaction, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []

    def commit(self) -> None:
        self.said.append("commit")

    def rollback(self) -> None:
        self.said.append("rollback")


class Deadlock(Exception):
    sqlstate = "40P01"


@pytest.mark.parametrize(
    "first_run_ends",
    [
        OperationalError("UPDATE ...", {}, Deadlock()),
        # The first run's steps have no savepoint each; the second's do, so that the step's
        # failure opens its incident instead of undoing what the person did.
        StepFailed("division by zero"),
    ],
    ids=["deadlock", "failed step"],
)
def test_a_view_is_run_once_more_after_a_deadlock_or_a_failed_step(app, first_run_ends):
    calls = []

    def view():
        calls.append(1)
        if len(calls) == 1:
            raise first_run_ends
        return "done"

    ledger = Ledger()
    with app.test_request_context("/"):
        assert boundary(view, ledger.commit, ledger.rollback)() == "done"
    assert len(calls) == 2
    assert ledger.said == ["rollback", "commit"]


def test_another_database_error_is_not_retried(app):
    def view():
        raise OperationalError("SELECT ...", {}, Exception("no such table"))

    ledger = Ledger()
    with app.test_request_context("/"), pytest.raises(OperationalError):
        boundary(view, ledger.commit, ledger.rollback)()
    assert ledger.said == ["rollback"]


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("page", ["commit"]),
        (("page", 201), ["commit"]),
        (("page", 422), ["rollback"]),
        (Response("no", status=403), ["rollback"]),
        (Response("moved", status=302), ["commit"]),
    ],
)
def test_the_boundary_commits_an_answer_below_400_and_rolls_back_the_rest(app, answer, said):
    ledger = Ledger()
    with app.test_request_context("/"):
        boundary(lambda: answer, ledger.commit, ledger.rollback)()
    assert ledger.said == said


def test_a_refusal_rolls_back_says_why_and_goes_back(app):
    ledger = Ledger()
    with app.test_request_context("/"):
        answer = boundary(lambda: refuse("/back", "No."), ledger.commit, ledger.rollback)()
        assert get_flashed_messages(with_categories=True) == [("error", "No.")]
    assert answer.status_code == 302 and answer.location == "/back"
    assert ledger.said == ["rollback"]


def test_what_waits_for_the_commit_runs_after_it_and_never_after_a_rollback(app):
    ledger = Ledger()

    def view(fail: bool):
        after_commit(lambda: ledger.said.append("after"))
        if fail:
            raise ValueError("broken")
        return "page"

    with app.test_request_context("/"):
        boundary(view, ledger.commit, ledger.rollback)(False)
        with pytest.raises(ValueError):
            boundary(view, ledger.commit, ledger.rollback)(True)
    assert ledger.said == ["commit", "after", "rollback"]
