"""The registry files a case under the number its call's format gives, when its first document
arrives, and numbers the case's documents inside it."""

from __future__ import annotations

from sqlalchemy import select

from app.calls.models import Call
from app.extensions import db
from tests.app.cases.helpers import open_case, send_idea


def set_registry(app, prefix: str, formats: dict[str, str]) -> None:
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        call.config = call.config | {"registry_prefix": prefix, "registry_format": formats}
        db.session.commit()


def test_a_case_gets_its_number_in_the_calls_format_when_its_idea_arrives(
    app, signed_in, csrf_token, idea_form, move_clock
):
    set_registry(app, "TEM", {"case": "{prefix}-{year}-{number}", "document": "{case}/{document}"})
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)  # a draft: no number yet
    assert '<dd class="case-number">none yet</dd>' in applicant.get("/cases/1").get_data(
        as_text=True
    )
    send_idea(applicant, csrf_token, idea_form)
    move_clock("2021-04-15T16:15:01+03:00")  # the invitation: the case's second document

    page = applicant.get("/cases/2").get_data(as_text=True)
    assert '<dt>Case number</dt><dd class="case-number">TEM-2021-1</dd>' in page
    assert "Idea proposal</a></td><td>TEM-2021-1/1</td>" in page
    assert "Webinar invitation</a></td><td>TEM-2021-1/2</td>" in page
    listed = signed_in("specialist").get("/cases").get_data(as_text=True)
    assert "<td>TEM-2021-1</td>" in listed
