"""Steps shared by the task tests: walk a case through the pages up to the task under test."""

from __future__ import annotations

IDEA_DEADLINE_PASSED = "2021-04-15T16:15:01+03:00"
APPLICATION_DEADLINE_PASSED = "2021-06-02T16:15:01+03:00"
APPLICATION = {
    "plan": "Shared services for four municipalities.",
    "budget_2021": "100000",
    "budget_2022": "150000",
    "budget_2023": "150000",
    "cofunding": "40000",
    "contact_person": "Anna Applicant",
    "contact_email": "anna@tampere.example",
}
SCORES = {
    "no_conflict_of_interest": "true",
    "scores.relevance": "4",
    "scores.inter_regional_cooperation": "5",
    "scores.impact": "4",
    "scores.feasibility": "3",
    "comments": "A convincing network.",
}


def post(client, csrf_token, url, form, action="send"):
    """Post a task form as the browser does; returns the response."""
    token = csrf_token(client, "/tasks")
    return client.post(url, data={**form, "action": action, "csrf_token": token})


def submit(client, csrf_token, url, form):
    response = post(client, csrf_token, url, form)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    return response


def open_case(client, csrf_token) -> str:
    """Start an application; returns the URL of its idea-proposal task."""
    token = csrf_token(client, "/cases")
    response = client.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert response.status_code == 302
    return response.headers["Location"]


def claim(client, csrf_token, task_url, back="/tasks"):
    token = csrf_token(client, "/tasks")
    return client.post(f"{task_url}/claim", data={"csrf_token": token, "next": back})


def unclaim(client, csrf_token, task_url, back="/tasks"):
    token = csrf_token(client, "/tasks")
    return client.post(f"{task_url}/unclaim", data={"csrf_token": token, "next": back})


def walk_to_screening(signed_in, csrf_token, idea_form, move_clock):
    """The applicant sends an idea and the idea deadline passes: screening is ready."""
    applicant = signed_in("applicant")
    submit(applicant, csrf_token, open_case(applicant, csrf_token), idea_form)
    move_clock(IDEA_DEADLINE_PASSED)
    return applicant


def walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock):
    """Screened, applied, application deadline passed: the completeness check is ready."""
    applicant = walk_to_screening(signed_in, csrf_token, idea_form, move_clock)
    specialist = signed_in("specialist")
    screening = {"akke_compatible": "true", "screening_result": "proceed"}
    submit(specialist, csrf_token, task_url("screen_idea"), screening)
    submit(applicant, csrf_token, task_url("send_application"), APPLICATION)
    move_clock(APPLICATION_DEADLINE_PASSED)
    return applicant


def walk_to_evaluation(signed_in, csrf_token, task_url, idea_form, move_clock):
    """Screened, applied, deadline passed, found complete: both evaluations are ready."""
    applicant = walk_to_completeness_check(signed_in, csrf_token, task_url, idea_form, move_clock)
    specialist = signed_in("specialist")
    submit(specialist, csrf_token, task_url("check_application"), {"complete": "true"})
    return applicant
