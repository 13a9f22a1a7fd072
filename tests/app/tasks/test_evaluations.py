"""Evaluator independence: nobody sees another evaluator's scores before sending their own."""

from tests.app.tasks.helpers import SCORES, post, submit, walk_to_evaluation

SPECIALIST_SCORES = SCORES | {"comments": "Specialist: strong partners, thin budget."}
EVALUATOR_SCORES = SCORES | {
    "scores.relevance": "2",
    "comments": "Evaluator: the theme is not national enough.",
}


def test_an_evaluator_sees_no_other_scores_before_sending_and_both_see_both_after(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist, evaluator = signed_in("specialist"), signed_in("evaluator")
    own = task_url("evaluate_application", "specialist")
    submit(specialist, csrf_token, own, SPECIALIST_SCORES)

    own_task = evaluator.get(task_url("evaluate_application", "evaluator")).get_data(as_text=True)
    assert "Specialist: strong partners" not in own_task
    assert "/cases/1/evaluations" in own_task
    waiting = evaluator.get("/cases/1/evaluations").get_data(as_text=True)
    assert "Specialist: strong partners" not in waiting
    assert "Still evaluating: evaluator" in waiting
    assert "Specialist: strong partners" not in specialist.get("/cases/1/evaluations").get_data(
        as_text=True
    )

    submit(evaluator, csrf_token, task_url("evaluate_application", "evaluator"), EVALUATOR_SCORES)
    for client in (specialist, evaluator):
        page = client.get("/cases/1/evaluations").get_data(as_text=True)
        assert "Specialist: strong partners, thin budget." in page
        assert "Evaluator: the theme is not national enough." in page
        assert '<th scope="col">specialist</th><th scope="col">evaluator</th>' in page
        assert '<th scope="row">Relevance to the goals of the call</th><td>4</td><td>2</td>' in (
            page
        )


def test_sending_without_the_conflict_of_interest_declaration_is_refused_beside_the_field(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist = signed_in("specialist")
    url = task_url("evaluate_application", "specialist")
    undeclared = {key: value for key, value in SCORES.items() if key != "no_conflict_of_interest"}
    response = post(specialist, csrf_token, url, undeclared)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    error = page.split('id="f-no_conflict_of_interest-error"')[1].split("</p>")[0]
    assert "You must tick this box." in error
    assert (
        'aria-describedby="f-no_conflict_of_interest-hint f-no_conflict_of_interest-error" '
        'aria-invalid="true"'
    ) in page
    assert "Nothing was sent." in page
    assert task_url("evaluate_application", "specialist") == url  # still ready


def test_the_applicant_cannot_see_the_evaluations_of_its_own_case(
    signed_in, csrf_token, task_url, idea_form, move_clock
):
    applicant = walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock)
    assert applicant.get("/cases/1").status_code == 200
    assert applicant.get("/cases/1/evaluations").status_code == 403
