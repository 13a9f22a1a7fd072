"""A deploy that would break a call bound to the model is refused, naming the element; the
call goes on as before."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from workflows.models import ProcessVersion

ROOT = Path(__file__).resolve().parents[3]
SHIPPED_PROCESS_IDS = ("funding_application", "funding_call")


def test_a_draft_renaming_the_case_process_is_refused_and_applications_still_start(
    app, new_draft, draft_files, save_file, owner, csrf_token, signed_in
):
    draft_id = new_draft("Rename the process")
    text = draft_files(draft_id)["funding_application.bpmn"]
    renamed = text.replace('id="funding_application"', 'id="application_v2"').replace(
        'processRef="funding_application"', 'processRef="application_v2"'
    )
    problems = save_file(draft_id, "funding_application.bpmn", renamed).get_json()["problems"]
    [problem] = [p for p in problems if p["severity"] == "error"]
    assert (problem["file"], problem["element"]) == ("process model", "funding_application")
    assert "regional-networks-2021, regional-networks-2022" in problem["message"]

    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    refused = owner.post(f"/processes/drafts/{draft_id}/deploy", data={"csrf_token": token})

    assert refused.status_code == 422
    assert "process model, element &#39;funding_application&#39;" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(ProcessVersion).where(ProcessVersion.id > 1)) is None
    applicant = signed_in("applicant")
    started = applicant.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(applicant, "/calls/regional-networks-2021")},
    )
    assert started.status_code == 302 and "/tasks/" in started.headers["Location"]


def test_no_module_of_the_application_names_a_process_id():
    """Process ids live in the process files and the model's contract (bpmn/model.json); only
    the demo, which loads the shipped model, may know them."""
    for path in sorted((ROOT / "app").rglob("*")):
        if path.suffix not in (".py", ".html", ".js") or path.name == "demo.py":
            continue
        text = path.read_text("utf-8")
        for process_id in SHIPPED_PROCESS_IDS:
            assert process_id not in text, f"{path.relative_to(ROOT)} names {process_id}"
