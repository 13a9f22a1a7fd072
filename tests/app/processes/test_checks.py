from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from workflows.engine import load_workflow


def data_names(instance):
    """Every name in the data of the workflow and of its tasks."""
    workflow = load_workflow(instance)
    return set(workflow.data).union(*(task.data for task in workflow.get_tasks()))


def test_the_start_data_the_check_assumes_is_what_the_app_starts_processes_with(
    app, signed_in, csrf_token
):
    applicant = signed_in("applicant")
    response = applicant.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(applicant, "/cases")},
    )
    assert response.status_code == 302
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        case = db.session.scalar(select(Case))
        model = call.model
        assert set(model.call_start_data) <= data_names(call.instance)
        assert set(model.case_start_data) <= data_names(case.instance)


def test_a_timer_reading_a_name_nobody_sets_is_refused(new_draft, draft_files, save_file):
    draft_id = new_draft()
    text = draft_files(draft_id)["funding_application.bpmn"]
    broken = text.replace(
        ">application_deadline</bpmn:timeDate>", ">application_closes</bpmn:timeDate>"
    )
    problems = save_file(draft_id, "funding_application.bpmn", broken).get_json()["problems"]
    [problem] = [p for p in problems if p["element"] == "application_deadline_passed"]
    assert "application_closes" in problem["message"]
    assert problem["severity"] == "error"
