from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from workflows.models import HumanTask, ProcessVersion

NEW_NAME = 'name="Write the idea"'


def test_a_rehearsal_runs_the_draft_on_its_own_clock_and_is_thrown_away(
    owner, csrf_token, new_draft, draft_files, save_file, signed_in, app, current_version_id
):
    draft_id = new_draft("Rehearse a new first task name")
    text = draft_files(draft_id)["funding_application.bpmn"]
    renamed = text.replace('name="Write and send the idea proposal"', NEW_NAME)
    assert renamed != text
    save_file(draft_id, "funding_application.bpmn", renamed)
    with app.app_context():
        real_call_id = db.session.scalar(
            select(Call.id).where(Call.key == "regional-networks-2021")
        )
    url = f"/processes/drafts/{draft_id}"
    response = owner.post(
        f"{url}/rehearsals", data={"csrf_token": csrf_token(owner, url), "call": real_call_id}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/calls/rehearsal-1-1/clock")
    with app.app_context():
        rehearsal = db.session.scalar(select(Call).where(Call.key == "rehearsal-1-1"))
        assert rehearsal.clock.rehearsal
        pinned = rehearsal.version
        assert pinned.is_current is False  # real calls and their new cases are untouched
        assert db.session.get(ProcessVersion, current_version_id).is_current

    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/cases")
    started = applicant.post("/calls/rehearsal-1-1/applications", data={"csrf_token": token})
    assert started.status_code == 302
    assert "Write the idea" in applicant.get("/tasks").get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.call_id == rehearsal.id))
        assert case.instance.version_id == pinned.id
        case_id = case.id

    index = "/processes/"
    response = owner.post(
        "/processes/rehearsals/rehearsal-1-1/discard",
        data={"csrf_token": csrf_token(owner, index)},
    )
    assert response.status_code == 302
    assert "Write the idea" not in applicant.get("/tasks").get_data(as_text=True)
    assert "rehearsal-1-1" not in applicant.get("/cases").get_data(as_text=True)
    assert applicant.get(f"/cases/{case_id}").status_code == 404
    with app.app_context():
        assert (
            db.session.scalars(
                select(HumanTask).where(HumanTask.instance_id == case.instance_id)
            ).all()
            == []
        )
    # the real call goes on
    assert "/calls/regional-networks-2021/applications" in applicant.get("/cases").get_data(
        as_text=True
    )
