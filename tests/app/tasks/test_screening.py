"""The screening enforces the eligibility rules: inviting an idea the process found not eligible,
or one the specialist marks not compatible with AKKE, needs the override ticked and a written
reason; the override is audited and shown on the case's timeline. A rejection needs neither."""

from sqlalchemy import select

from app.extensions import db
from tests.app.tasks.helpers import post, submit, walk_to_screening
from tests.app.tasks.test_eligibility import two_municipalities_in_one_region
from tests.app.tasks.test_hooks import field_error
from tests.app.tasks.test_idea_places import choose_language
from workflows.models import AuditEvent, HumanTask

INVITE = {"akke_compatible": "true", "screening_result": "proceed"}
OVERRIDE = {
    "override_eligibility": "true",
    "override_reason": "Two more municipalities have committed in writing since the deadline.",
}


def ready_tasks(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(HumanTask.spec_name)))


def overrides(app) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.kind == "eligibility_overridden")
        return list(db.session.scalars(query))


def test_inviting_an_ineligible_idea_without_the_override_is_refused_at_the_fields(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(
        signed_in, csrf_token, two_municipalities_in_one_region(idea_form), move_clock
    )
    specialist = signed_in("specialist")
    response = post(specialist, csrf_token, task_url("screen_idea"), INVITE)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(page, "override_eligibility") == (
        "The automatic check found this idea not eligible: to invite it anyway, tick this box "
        "and write the reason below."
    )
    assert field_error(page, "override_reason") == (
        "Write why the idea is invited anyway: the reason is kept in the audit log."
    )
    assert ready_tasks(app) == ["screen_idea"]  # nothing was sent
    assert overrides(app) == []


def test_the_override_without_a_reason_is_refused(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(
        signed_in, csrf_token, two_municipalities_in_one_region(idea_form), move_clock
    )
    specialist = signed_in("specialist")
    form = INVITE | OVERRIDE | {"override_reason": "   "}
    response = post(specialist, csrf_token, task_url("screen_idea"), form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "override_eligibility") is None
    assert field_error(page, "override_reason") is not None
    assert ready_tasks(app) == ["screen_idea"]


def test_the_override_with_a_reason_invites_and_is_audited_on_the_timeline(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(
        signed_in, csrf_token, two_municipalities_in_one_region(idea_form), move_clock
    )
    specialist = signed_in("specialist")
    submit(specialist, csrf_token, task_url("screen_idea"), INVITE | OVERRIDE)
    assert ready_tasks(app) == ["send_application"]
    [event] = overrides(app)
    assert event.actor == "specialist"
    assert event.data == {
        "grounds": ["not eligible"],
        "reason": OVERRIDE["override_reason"],
        "eligibility_reason": "Too few municipalities take part for the application object chosen.",
    }
    timeline = specialist.get("/cases/1").get_data(as_text=True)
    assert (
        "Invited to apply although not eligible: Two more municipalities have committed in "
        "writing since the deadline." in timeline
    )
    choose_language(specialist, csrf_token, "fi")
    timeline = specialist.get("/cases/1").get_data(as_text=True)
    assert "Kutsuttu hakemaan, vaikka ei täytä ehtoja: Two more municipalities" in timeline


def test_rejecting_an_ineligible_idea_needs_no_override(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(
        signed_in, csrf_token, two_municipalities_in_one_region(idea_form), move_clock
    )
    specialist = signed_in("specialist")
    reject = {
        "akke_compatible": "true",
        "screening_result": "reject",
        "feedback": "A theme network needs at least four municipalities in two regions.",
    }
    submit(specialist, csrf_token, task_url("screen_idea"), reject)
    assert ready_tasks(app) == []
    assert overrides(app) == []


def test_inviting_an_idea_marked_not_compatible_with_akke_needs_the_override(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)  # eligible
    specialist = signed_in("specialist")
    not_akke = {"screening_result": "proceed"}  # the AKKE box left unticked
    response = post(specialist, csrf_token, task_url("screen_idea"), not_akke)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "override_eligibility") == (
        "You marked this idea not compatible with AKKE: to invite it anyway, tick this box and "
        "write the reason below."
    )
    submit(specialist, csrf_token, task_url("screen_idea"), not_akke | OVERRIDE)
    [event] = overrides(app)
    assert event.data["grounds"] == ["not compatible with AKKE"]


def test_an_eligible_akke_compatible_idea_is_invited_without_an_override(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    submit(signed_in("specialist"), csrf_token, task_url("screen_idea"), INVITE)
    assert ready_tasks(app) == ["send_application"]
    assert overrides(app) == []


def test_the_screening_names_the_reason_in_the_page_language(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_screening(
        signed_in, csrf_token, two_municipalities_in_one_region(idea_form), move_clock
    )
    specialist = signed_in("specialist")
    choose_language(specialist, csrf_token, "sv")
    page = specialist.get(task_url("screen_idea")).get_data(as_text=True)
    assert "<strong>uppfyller inte villkoren</strong>: För få kommuner deltar" in page
    assert "Bjud in trots att idén inte uppfyller villkoren" in page
