"""Texts of the process files in the page language: the catalogs of the case's process version
translate task names, form labels and instructions; English pages and people's values stay as
written."""

import json
import re

import pytest
from sqlalchemy import event

from app.extensions import db
from app.forms import render_form
from app.i18n.labels import phase_name
from app.i18n.process_texts import translate, translate_names
from app.notifications.display import notice_text
from app.processes.operations import deploy_files
from tests.app.cases.helpers import open_case, send_idea
from tests.app.conftest import BPMN
from workflows import read_bundle
from workflows.models import ProcessModel, ProcessVersion

FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en"}
_INSTRUCTIONS = re.compile(
    r'id="send_idea_proposal".*?<spiffworkflow:instructionsForEndUser>(.*?)</', re.DOTALL
)


def idea_instructions() -> str:
    """The idea task's instructions as the catalogs key them: stripped of surrounding space."""
    found = _INSTRUCTIONS.search((BPMN / "funding_application.bpmn").read_text("utf-8"))
    assert found is not None
    return found.group(1).strip()


def finnish_catalog() -> dict[str, str]:
    return {
        "Write and send the idea proposal": "Kirjoita ja lähetä ideaehdotus",
        "Project name": "Hankkeen nimi",
        "Theme network": "Teemaverkosto",
        "A rough estimate in euros for 2021–2023; the actual budget is given in the application.": (
            "Karkea arvio euroina vuosille 2021–2023."
        ),
        idea_instructions(): "Organisaatiosi **{{ lead_organisation.name }}** johtaa hanketta.",
    }


@pytest.fixture
def translated(app, demo):
    """The shipped process deployed again with a Finnish catalog made here: the current version,
    so new cases run on it."""
    files = read_bundle(BPMN) | {
        "translations/fi.json": json.dumps(finnish_catalog(), ensure_ascii=False)
    }
    with app.app_context():
        model = db.session.get(ProcessModel, "two-phase-funding")
        version, _created = deploy_files(db.session, files, model, "test")
        db.session.commit()
        return version.id


def test_the_idea_form_shows_the_process_texts_in_finnish(translated, signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)

    page = applicant.get(url, headers=FINNISH).get_data(as_text=True)

    assert "<h1>Kirjoita ja lähetä ideaehdotus</h1>" in page
    assert '<label for="f-project_name">Hankkeen nimi <span class="required">' in page
    assert '<option value="theme_network">Teemaverkosto</option>' in page
    assert "<p>Karkea arvio euroina vuosille 2021–2023.</p>" in page
    assert "<p>Organisaatiosi <strong>City of Tampere</strong> johtaa hanketta.</p>" in page
    assert "Write and send the idea proposal" not in page


def test_in_english_the_process_texts_stay_as_written(translated, signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)

    page = applicant.get(url, headers=ENGLISH).get_data(as_text=True)

    assert "<h1>Write and send the idea proposal</h1>" in page
    assert '<label for="f-project_name">Project name <span class="required">' in page
    assert "Your organisation, <strong>City of Tampere</strong>, leads this project." in page
    assert "Hankkeen nimi" not in page


def test_the_inbox_and_the_case_page_name_the_task_in_finnish(translated, signed_in, csrf_token):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)

    inbox = applicant.get("/tasks", headers=FINNISH).get_data(as_text=True)
    case = applicant.get("/cases/1", headers=FINNISH).get_data(as_text=True)

    assert ">Kirjoita ja lähetä ideaehdotus</a>" in inbox
    assert '<td data-label="Vaihe">Kirjoita ja lähetä ideaehdotus</td>' in inbox
    assert '<dd class="case-status">Kirjoita ja lähetä ideaehdotus</dd>' in case
    assert ">Write and send the idea proposal<" not in inbox + case


def test_values_people_typed_are_never_translated(translated, signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = open_case(applicant, csrf_token)
    token = csrf_token(applicant, url)
    draft = {"project_name": "Project name", "action": "draft", "csrf_token": token}
    applicant.post(url, data=draft)

    page = applicant.get(url, headers=FINNISH).get_data(as_text=True)

    assert 'name="project_name" aria-required="true" value="Project name">' in page
    assert '<label for="f-project_name">Hankkeen nimi' in page


def test_the_sent_proposal_and_the_timeline_are_in_finnish(
    translated, signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    send_idea(applicant, csrf_token, {**idea_form, "project_name": "Theme network"})

    document = applicant.get("/cases/1/documents/1", headers=FINNISH).get_data(as_text=True)
    case = applicant.get("/cases/1", headers=FINNISH).get_data(as_text=True)

    assert "<dt>Hankkeen nimi</dt><dd>Theme network</dd>" in document
    assert "<dt>Application object</dt><dd>Teemaverkosto</dd>" in document
    assert "Suoritti tehtävän ”Kirjoita ja lähetä ideaehdotus” (applicant)" in case


def test_translate_uses_the_catalog_of_the_version_and_the_page_language(app, translated):
    with app.test_request_context(headers=FINNISH):
        version = db.session.get(ProcessVersion, translated)
        assert translate("Project name", version) == "Hankkeen nimi"
        assert translate("Project name") == "Hankkeen nimi"  # the current versions' catalogs
        assert translate("Summary of the idea") == "Summary of the idea"
        assert translate_names("Project name, Theme network") == "Hankkeen nimi, Teemaverkosto"
        assert phase_name("Waiting for: Theme network") == "Odottaa: Teemaverkosto"
    with app.test_request_context(headers=ENGLISH):
        assert translate("Project name") == "Project name"


def test_a_task_notice_names_the_task_in_the_page_language(app, translated):
    text = "New task: Write and send the idea proposal – Lakeland"

    with app.test_request_context(headers=FINNISH):
        assert notice_text(text) == "Uusi tehtävä: Kirjoita ja lähetä ideaehdotus – Lakeland"
    with app.test_request_context(headers=ENGLISH):
        assert notice_text(text) == text


def test_the_form_renderer_translates_schema_texts_but_not_values():
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "title": "Name", "description": "Your name"},
            "kind": {"type": "string", "oneOf": [{"const": "a", "title": "First"}]},
        },
    }
    texts = {"Name": "Nimi", "Your name": "Nimesi", "First": "Ensimmäinen"}

    html = str(render_form(schema, None, {"name": "Name", "kind": "a"}, {}, texts))

    assert '<label for="f-name">Nimi</label>' in html
    assert "<p>Nimesi</p>" in html
    assert 'value="Name"' in html
    assert '<option value="a" selected>Ensimmäinen</option>' in html


def test_the_finnish_task_list_reads_the_process_versions_in_one_query_not_one_per_row(
    app, translated, signed_in, csrf_token
):
    applicant = signed_in("applicant")

    def statements_for_task_list() -> int:
        seen: list[str] = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            page = applicant.get("/tasks", headers=FINNISH).get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert "Kirjoita ja lähetä ideaehdotus" in page
        return len(seen)

    open_case(applicant, csrf_token)
    statements_for_task_list()  # the version's files are read once per process, then kept
    one_task = statements_for_task_list()
    open_case(applicant, csrf_token)
    open_case(applicant, csrf_token)
    three = statements_for_task_list()
    assert three == one_task, (one_task, three)  # three tasks, the same statements
