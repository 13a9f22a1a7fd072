"""The case page: the next deadline counting down, what is expected of whom, the diagram."""

import html
import json
import re
from pathlib import Path

import pytest

from app.cases.queries import countdown
from tests.app.cases.helpers import open_case, send_idea

VIEWER = Path(__file__).resolve().parents[3] / "node_modules/bpmn-js/dist"


def marks(page, name):
    found = re.search(rf'data-{name}="([^"]*)"', page)
    assert found is not None
    return json.loads(html.unescape(found.group(1)))


def test_case_page_counts_down_to_the_idea_deadline_on_the_call_clock(signed_in, csrf_token):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)
    page = applicant.get("/cases/1").get_data(as_text=True)
    # the rehearsal clock starts at 16.3.2021 09:00 EET, the deadline is 15.4.2021 16:15 EEST
    assert "15.4.2021 16:15 (UTC+03:00)" in page
    assert 'datetime="2021-04-15T13:15:00+00:00"' in page
    assert ">in 30 days 6 hours</time>" in page
    assert "Write and send the idea proposal</a>" in page
    assert "for the applicant (City of Tampere), due 15.4.2021 16:15" in page


def test_case_page_says_what_the_case_waits_for_and_marks_the_diagram(
    signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, idea_form)
    page = applicant.get("/cases/1").get_data(as_text=True)
    assert "<li>Waiting for the webinar invitation</li>" in page
    assert "Process diagram: the case is at “Webinar invitation”." in page
    assert marks(page, "waiting") == ["webinar_invitation_received"]
    assert marks(page, "active") == []
    assert {"case_opened", "send_idea_proposal"} <= set(marks(page, "completed"))


def test_case_page_shows_a_group_task_with_its_role(signed_in, csrf_token, idea_form, move_clock):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    move_clock("2021-04-15T16:15:01+03:00")
    page = signed_in("specialist").get("/cases/1").get_data(as_text=True)
    assert "Screen the idea proposal</a>\n      – for a specialist" in page
    assert marks(page, "active") == ["screen_idea"]
    assert "webinar_invitation_received" in marks(page, "completed")


def test_diagram_route_serves_the_version_bpmn_to_who_may_see_the_case(signed_in, csrf_token):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)
    response = applicant.get("/cases/1/diagram.bpmn")
    assert response.status_code == 200
    # read by the viewer, never run: plain text, not sniffed, sandboxed
    assert response.mimetype == "text/plain"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert '<bpmn:process id="funding_application"' in response.get_data(as_text=True)
    assert signed_in("specialist").get("/cases/1/diagram.bpmn").status_code == 200
    assert signed_in("applicant2").get("/cases/1/diagram.bpmn").status_code == 403
    assert applicant.get("/cases/9/diagram.bpmn").status_code == 404


def test_the_diagram_speaks_the_page_language(signed_in, csrf_token):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)

    english = applicant.get("/cases/1/diagram.bpmn").get_data(as_text=True)
    finnish = applicant.get("/cases/1/diagram.bpmn", headers={"Accept-Language": "fi"}).get_data(
        as_text=True
    )

    assert 'name="Write and send the idea proposal"' in english
    assert 'name="Laadi ja lähetä ideaehdotus"' in finnish
    assert "Write and send the idea proposal" not in finnish
    assert '<bpmn:process id="funding_application"' in finnish  # ids stay; only names change


def test_diagram_route_needs_a_signed_in_user(client, demo):
    assert client.get("/cases/1/diagram.bpmn").status_code == 302


def test_vendor_route_serves_only_the_bpmn_js_dist_folder(client):
    assert client.get("/vendor/bpmn-js/../package.json").status_code == 404
    assert client.get("/vendor/bpmn-js/%2E%2E/package.json").status_code == 404
    assert client.get("/vendor/diagram-js/package.json").status_code == 404
    assert client.get("/vendor/bpmn-js/no-such-file.js").status_code == 404


@pytest.mark.skipif(
    not VIEWER.exists(), reason="run `npm install --no-audit --no-fund` for bpmn-js"
)
def test_vendor_route_serves_the_bpmn_js_viewer_and_css(client):
    script = client.get("/vendor/bpmn-js/bpmn-viewer.production.min.js")
    assert script.status_code == 200
    assert script.mimetype in ("text/javascript", "application/javascript")
    script.close()
    css = client.get("/vendor/bpmn-js/assets/bpmn-js.css")
    assert css.status_code == 200
    css.close()


def test_countdown_names_the_two_largest_units():
    from datetime import datetime, timedelta

    now = datetime(2021, 4, 1, 12, 0)
    assert countdown(now + timedelta(days=3, hours=4, minutes=5), now) == "in 3 days 4 hours"
    assert countdown(now + timedelta(hours=1, seconds=59), now) == "in 1 hour"
    assert countdown(now + timedelta(minutes=2, seconds=5), now) == "in 2 minutes"
    assert countdown(now + timedelta(seconds=20), now) == "in less than a minute"
    assert countdown(now - timedelta(days=1, minutes=1), now) == "1 day ago"
    assert countdown(now - timedelta(hours=2, minutes=5), now) == "2 hours 5 minutes ago"
