from sqlalchemy import select

from app.cases.models import Case
from app.extensions import db
from workflows.models import AuditEvent, ProcessVersion

OLD_NAME = 'name="Screen the idea proposal"'
NEW_NAME = 'name="Screen the idea"'


def version_of_case(app, case_id):
    with app.app_context():
        return db.session.get(Case, case_id).instance.version_id


def deploy(owner, csrf_token, draft_id):
    token = csrf_token(owner, f"/processes/drafts/{draft_id}")
    return owner.post(f"/processes/drafts/{draft_id}/deploy", data={"csrf_token": token})


def start_case(client, csrf_token):
    token = csrf_token(client, "/cases")
    response = client.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert response.status_code == 302
    return response


def test_a_broken_draft_is_refused_with_file_and_element_and_nothing_is_deployed(
    owner, csrf_token, new_draft, draft_files, save_file, app
):
    draft_id = new_draft()
    text = draft_files(draft_id)["funding_application.bpmn"]
    save_file(
        draft_id, "funding_application.bpmn", text.replace('value="screening.json"', 'value=""')
    )
    response = deploy(owner, csrf_token, draft_id)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "funding_application.bpmn, element &#39;screen_idea&#39;: user task names no form" in page
    )
    with app.app_context():
        assert len(db.session.scalars(select(ProcessVersion)).all()) == 1


def test_deploy_gives_new_cases_the_new_version_and_running_cases_keep_theirs_until_migrated(
    owner, csrf_token, new_draft, draft_files, save_file, signed_in, app, current_version_id
):
    applicant = signed_in("applicant")
    start_case(applicant, csrf_token)  # case 1, on version 1
    draft_id = new_draft("Shorter task name")
    text = draft_files(draft_id)["funding_application.bpmn"]
    assert OLD_NAME in text
    save_file(draft_id, "funding_application.bpmn", text.replace(OLD_NAME, NEW_NAME))

    response = deploy(owner, csrf_token, draft_id)
    assert response.status_code == 302
    with app.app_context():
        new = db.session.scalar(select(ProcessVersion).where(ProcessVersion.is_current))
        new_id, new_hash = new.id, new.content_hash
        deployed = db.session.scalars(
            select(AuditEvent).where(AuditEvent.kind == "process_deployed")
        ).all()
        assert [(e.actor, e.data["content_hash"]) for e in deployed] == [
            ("process_owner", new_hash)
        ]
    assert new_id != current_version_id
    assert owner.get(f"/processes/drafts/{draft_id}").status_code == 404  # used up

    start_case(signed_in("applicant2"), csrf_token)  # case 2, on the new version
    assert version_of_case(app, 1) == current_version_id
    assert version_of_case(app, 2) == new_id

    url = f"/processes/versions/{current_version_id}/migrate?target={new_id}"
    check = owner.get(url).get_data(as_text=True)
    assert "Can move" in check
    token = csrf_token(owner, url)
    with app.app_context():
        instance_id = db.session.get(Case, 1).instance_id
    response = owner.post(
        url, data={"csrf_token": token, "target": new_id, "instance": instance_id}
    )
    assert response.status_code == 200
    assert f"Migrated to version {new_hash[:12]}" in response.get_data(as_text=True)
    assert version_of_case(app, 1) == new_id
    with app.app_context():
        kinds = db.session.scalars(
            select(AuditEvent.kind).where(AuditEvent.instance_id == instance_id)
        ).all()
    assert "instance_migrated" in kinds

    # the way back: migrate it back to the first version
    back = f"/processes/versions/{new_id}/migrate?target={current_version_id}"
    token = csrf_token(owner, back)
    owner.post(
        back, data={"csrf_token": token, "target": current_version_id, "instance": instance_id}
    )
    assert version_of_case(app, 1) == current_version_id


def test_giving_new_cases_an_earlier_version_again(
    owner, csrf_token, new_draft, draft_files, save_file, signed_in, app, current_version_id
):
    draft_id = new_draft()
    text = draft_files(draft_id)["funding_application.bpmn"]
    save_file(draft_id, "funding_application.bpmn", text.replace(OLD_NAME, NEW_NAME))
    deploy(owner, csrf_token, draft_id)
    url = f"/processes/versions/{current_version_id}"
    response = owner.post(f"{url}/current", data={"csrf_token": csrf_token(owner, url)})
    assert response.status_code == 302
    start_case(signed_in("applicant"), csrf_token)
    assert version_of_case(app, 1) == current_version_id
