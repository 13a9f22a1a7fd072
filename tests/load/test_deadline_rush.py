"""The small version of `make load` (PostgreSQL, gunicorn behind nginx, a separate worker):
65 applicants send around 16:15, most in the last ten seconds, a burst in the last second,
five just after. Everyone who sent in time has a receipt and one invitation; every late one was
refused; nothing failed."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import make_url

from load.deadline_rush import Options, run


@pytest.fixture
def database_url() -> str:
    url = os.environ.get("GRANTFLOW_TEST_DATABASE_URL")
    if not url:
        pytest.skip("the rush runs on PostgreSQL (GRANTFLOW_TEST_DATABASE_URL)")
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_rush").render_as_string(hide_password=False)


def test_a_rush_at_the_deadline_refuses_no_one_in_time_and_invites_everyone_accepted(
    database_url,
):
    report = run(
        Options(
            database_url=database_url,
            senders=40,
            burst=20,
            late=5,
            window=10.0,
            web_processes=3,
            workers=2,
        )
    )
    assert report.failures == []
    assert report.on_time == report.accepted == 60
    assert report.on_time_refused == 0
    assert report.late == 5 and report.late_accepted == 0
    assert report.errors == 0
    assert report.invited_accepted == 60 and report.invitations == 60
    assert report.duplicate_emails == 0
    assert report.disagreements == 0
