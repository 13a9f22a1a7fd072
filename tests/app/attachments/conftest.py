"""The demo applicant's case, open for attachments."""

import pytest

from tests.app.attachments.helpers import post


@pytest.fixture
def invited(signed_in, csrf_token, idea_form, task_url, move_clock):
    """The demo applicant's case, invited to send the full application."""
    applicant, specialist = signed_in("applicant"), signed_in("specialist")
    start = applicant.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(applicant, "/cases")},
    )
    url = start.headers["Location"]
    post(applicant, csrf_token, url, {**idea_form, "action": "send"})
    move_clock("2021-04-15T16:15:01+03:00")
    screening = task_url("screen_idea")
    form = {"akke_compatible": "true", "screening_result": "proceed", "action": "send"}
    assert post(specialist, csrf_token, screening, form).status_code == 302
    return applicant
