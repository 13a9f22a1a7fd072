"""The registry files a case under the number its call's format gives, when its first document
arrives, and numbers the case's documents inside it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from app.calls.models import Call
from app.cases.models import Case
from app.cases.registry import next_running_number, number_document
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


def test_a_case_read_before_it_got_its_number_keeps_the_number_it_got(
    app, signed_in, csrf_token, idea_form
):
    """Two documents of one case at once: the second was read while the case had no number.
    The case keeps the number the first gave it; the number the second took goes unused, as a
    sequence's would."""
    set_registry(app, "TEM", {"case": "{prefix}-{year}-{number}", "document": "{case}/{document}"})
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.case_number.is_not(None))).one()
        set_committed_value(case, "case_number", None)  # as read before the idea was filed

        number = number_document(db.session, case, datetime(2021, 4, 16, 9, 0, tzinfo=UTC))
        db.session.commit()

        assert number == "TEM-2021-1/2"
        assert db.session.scalar(select(Case.case_number).where(Case.id == case.id)) == "TEM-2021-1"
        assert next_running_number(db.session, "TEM", 2021) == 3
