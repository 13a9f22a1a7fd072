"""An evaluator with a conflict of interest passes the evaluation on, recorded with the reason."""

from sqlalchemy import select

from app.extensions import db
from tests.app.tasks.helpers import SCORES, submit, walk_to_evaluation
from workflows.models import AuditEvent

REASON = "I chair the board of the lead organisation."


def declare(client, csrf_token, url, reason=REASON):
    return client.post(
        url + "/conflict", data={"reason": reason, "csrf_token": csrf_token(client, url)}
    )


def test_a_conflict_of_interest_passes_the_evaluation_to_a_free_evaluator_and_is_recorded(
    app, signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    evaluator, reserve = signed_in("evaluator"), signed_in("evaluator2")
    url = task_url("evaluate_application", "evaluator")
    page = evaluator.get(url).get_data(as_text=True)
    assert "I have a conflict of interest with this application" in page

    passed = declare(evaluator, csrf_token, url)

    assert passed.status_code == 302 and passed.headers["Location"] == "/tasks"
    assert "went to evaluator2" in evaluator.get("/tasks").get_data(as_text=True)
    assert evaluator.get(url).status_code in (302, 403)  # no longer theirs
    assert task_url("evaluate_application", "evaluator2") == url  # the same task, new hands
    assert "New task: Evaluate the application" in reserve.get("/notices").get_data(as_text=True)
    with app.app_context():
        (event,) = db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "task_reassigned")
        ).all()
        assert event.actor == "evaluator"
        assert event.data == {"from": "evaluator", "to": "evaluator2", "reason": REASON}

    submit(reserve, csrf_token, url, SCORES | {"comments": "Reserve: sound plan."})
    submit(
        signed_in("specialist"), csrf_token, task_url("evaluate_application", "specialist"), SCORES
    )
    evaluations = signed_in("specialist").get("/cases/1/evaluations").get_data(as_text=True)
    assert '<th scope="col">evaluator2</th><th scope="col">specialist</th>' in evaluations
    assert "Reserve: sound plan." in evaluations


def test_nobody_free_or_no_reason_keeps_the_evaluation_where_it_is(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist, evaluator = signed_in("specialist"), signed_in("evaluator")
    declare(evaluator, csrf_token, task_url("evaluate_application", "evaluator"))  # to the reserve
    url = task_url("evaluate_application", "specialist")

    no_reason = declare(specialist, csrf_token, url, reason="  ")
    said_no_reason = specialist.get(url).get_data(as_text=True)
    nobody = declare(specialist, csrf_token, url)
    said_nobody = specialist.get(url).get_data(as_text=True)

    assert no_reason.headers["Location"] == nobody.headers["Location"] == url
    assert "Say what the conflict of interest is, in at most 2000 characters." in said_no_reason
    assert "No other evaluator of the call is free to take this evaluation" in said_nobody
    assert task_url("evaluate_application", "specialist") == url  # still the specialist's
    applicant = signed_in("applicant")
    assert declare(applicant, csrf_token, url).status_code in (302, 403, 404)
    assert task_url("evaluate_application", "specialist") == url
