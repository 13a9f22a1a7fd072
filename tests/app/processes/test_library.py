import io
import re
import zipfile

from sqlalchemy import select

from app.extensions import db
from workflows.models import ProcessVersion


def test_the_library_lists_each_version_with_its_hash_deployer_and_cases(
    owner, csrf_token, current_version_id, app, signed_in
):
    assert "Two-phase funding call" in owner.get("/processes/").get_data(as_text=True)
    page = owner.get("/processes/models/two-phase-funding").get_data(as_text=True)
    with app.app_context():
        version = db.session.get(ProcessVersion, current_version_id)
        digest, deployed_by = version.content_hash, version.deployed_by
    assert "Version 1" in page
    assert digest[:12] in page
    assert f"<td>{deployed_by}</td>" in page
    assert "<strong>current</strong>" in page
    assert re.search(r"<td>0</td>\s*<td>0</td>", page)  # the calls' own processes are no cases
    applicant = signed_in("applicant")
    start = applicant.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(applicant, "/cases")},
    )
    assert start.status_code == 302
    page = owner.get("/processes/models/two-phase-funding").get_data(as_text=True)
    assert re.search(r"<td>1</td>\s*<td>1</td>", page)


def test_only_process_owners_and_admins_open_the_workbench(signed_in, client, current_version_id):
    assert signed_in("specialist").get("/processes/").status_code == 403
    assert (
        signed_in("applicant").get(f"/processes/versions/{current_version_id}").status_code == 403
    )
    assert signed_in("admin").get("/processes/").status_code == 200
    assert client.get("/processes/").status_code == 302  # to the login page


def test_a_version_file_downloads_exactly_as_stored(owner, current_version_id, app):
    with app.app_context():
        files = dict(db.session.get(ProcessVersion, current_version_id).files)
    response = owner.get(
        f"/processes/versions/{current_version_id}/files/forms/screening.json?download=1"
    )
    assert response.get_data(as_text=True) == files["forms/screening.json"]
    assert response.headers["Content-Disposition"] == 'attachment; filename="screening.json"'
    assert owner.get(f"/processes/versions/{current_version_id}/files/nope.bpmn").status_code == 404


def test_the_version_zip_holds_every_file_byte_for_byte(owner, current_version_id, app):
    with app.app_context():
        files = dict(db.session.get(ProcessVersion, current_version_id).files)
    response = owner.get(f"/processes/versions/{current_version_id}/bundle.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert {name: archive.read(name).decode() for name in archive.namelist()} == files


def test_the_version_page_shows_where_running_instances_wait(owner, current_version_id):
    url = f"/processes/versions/{current_version_id}"
    assert "No running instance waits" in owner.get(url).get_data(as_text=True)  # no cases yet
    page = owner.get(f"{url}?file=funding_call.bpmn").get_data(as_text=True)
    # the processes of the demo calls (2021 and 2022) wait for their idea deadline timers
    assert "<tr><td><code>idea_deadline_passed</code></td><td>2</td></tr>" in page


def test_compare_needs_two_versions_of_the_same_process(owner, current_version_id, app):
    with app.app_context():
        assert (
            db.session.scalar(
                select(ProcessVersion.id).where(ProcessVersion.id != current_version_id)
            )
            is None
        )
    assert owner.get(f"/processes/compare?old={current_version_id}&new=999").status_code == 404
