"""Translation catalogs of a bundle (workflows/translations.py): the texts they may translate,
the files refused, and the catalog a page gets for its language."""

import json
from datetime import UTC, datetime

import pytest

from tests.workflows.factories import process_model
from tests.workflows.test_dry_run import DMN
from tests.workflows.test_lint import FILE, bpmn_file, bundle, flow
from workflows.bundles import deploy_bundle, parse_bundle
from workflows.errors import BundleRefused, Problem
from workflows.queries import process_texts_for
from workflows.translations import load_catalogs, process_texts

INSTRUCTED_TASK = """<bpmn:userTask id="write_note" name="Write a note">
  <bpmn:extensionElements>
    <spiffworkflow:instructionsForEndUser>
  Write **one** note.
    </spiffworkflow:instructionsForEndUser>
    <spiffworkflow:properties>
      <spiffworkflow:property name="formJsonSchemaFilename" value="note.json"/>
      <spiffworkflow:property name="formUiSchemaFilename" value="note-uischema.json"/>
    </spiffworkflow:properties>
  </bpmn:extensionElements>
</bpmn:userTask>"""
BODY = f"""<bpmn:startEvent id="start" name="Start"/>{INSTRUCTED_TASK}
<bpmn:exclusiveGateway id="check" name="Long enough?" default="flow_no"/>
<bpmn:endEvent id="end" name="Done"/>
{flow("flow_start", "start", "write_note")}
{flow("flow_check", "write_note", "check")}
{flow("flow_yes", "check", "end", "len(note) > 3", name="Yes")}
{flow("flow_no", "check", "end")}"""
FORM = {
    "title": "Note",
    "type": "object",
    "properties": {
        "note": {
            "type": "string",
            "title": "Your note",
            "description": "A line or two.",
            "errorMessage": "Write at least a word.",
        },
        "tags": {"type": "array", "items": {"type": "string", "title": "Tag"}},
        "kind": {
            "type": "string",
            "oneOf": [{"const": "short", "title": "Short"}, {"const": "long", "title": "Long"}],
            "default": "short",
        },
        "title": {"type": "string", "examples": [{"title": "Not a label"}]},
    },
}
UI = {
    "ui:title": "A note",
    "note": {"ui:widget": "textarea", "ui:help": "Be brief.", "ui:placeholder": "Type here"},
}
TEXTS = {
    "Applicant",
    "Start",
    "Write a note",
    "Write **one** note.",
    "Long enough?",
    "Done",
    "Yes",
    "Note",
    "Your note",
    "A line or two.",
    "Write at least a word.",
    "Tag",
    "Short",
    "Long",
    "A note",
    "Be brief.",
    "Type here",
}


def files() -> dict[str, str]:
    return {
        FILE: bpmn_file(BODY),
        "forms/note.json": json.dumps(FORM),
        "forms/note-uischema.json": json.dumps(UI),
    }


def test_process_texts_are_names_instructions_form_labels_and_help_texts():
    assert process_texts(files()) == TEXTS


def test_process_texts_skip_files_that_do_not_parse():
    broken = files() | {FILE: "<bpmn:definitions", "forms/note.json": "{"}
    assert process_texts(broken) == {"A note", "Be brief.", "Type here"}


def test_a_bundle_with_complete_catalogs_deploys_and_keeps_them():
    finnish = {text: f"fi: {text}" for text in TEXTS}
    swedish = {text: f"sv: {text}" for text in TEXTS}
    catalogs = {
        "translations/fi.json": json.dumps(finnish),
        "translations/sv.json": json.dumps(swedish),
    }
    parsed = parse_bundle(files() | catalogs)
    assert parsed.translations == {"fi": finnish, "sv": swedish}


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("translations/fi.json", "{", "not valid JSON: "),
        ("translations/sv.json", '["Start"]', "not a translations catalog: "),
        ("translations/sv.json", '{"Start": 1}', "not a translations catalog: "),
        ("translations/de.json", "{}", "not a translations file: use translations/fi.json or "),
        ("translations/fi.txt", "{}", "not a translations file: "),
    ],
)
def test_a_refused_catalog_is_an_error_naming_the_file_and_refuses_the_deploy(name, text, message):
    problems: list[Problem] = []
    catalogs = load_catalogs({"translations/fi.json": "{}", name: text}, problems)
    assert catalogs == ({} if name == "translations/fi.json" else {"fi": {}})
    assert [(p.file, p.severity) for p in problems] == [(name, "error")]
    assert problems[0].message.startswith(message)
    with pytest.raises(BundleRefused) as refused:
        parse_bundle(bundle() | {name: text})
    assert [p.file for p in refused.value.problems] == [name]


def test_process_texts_for_returns_the_versions_catalog_and_nothing_for_english(session):
    finnish = {"Write a note": "Kirjoita muistiinpano"}
    version, _ = deploy_bundle(
        session,
        bundle() | {"translations/fi.json": json.dumps(finnish)},
        model=process_model(session, "notes", case_process="minimal"),
        deployed_by="test",
        now=datetime.now(UTC),
    )
    assert process_texts_for(session, version.id, "fi") == finnish
    assert process_texts_for(session, version.id, "sv") == {}
    assert process_texts_for(session, version.id, "en") == {}


def test_the_plain_text_outputs_of_a_decision_table_are_process_texts():
    """A decision's reason is shown to people: a plain string output is translatable; a
    computed one (or a value that is no text) is not."""
    computed = DMN.replace('"Too few places."', '"At least " + str(minimum) + " places."')
    assert process_texts(files() | {"enough.dmn": DMN}) == TEXTS | {
        "Too few places.",
        "Enough places.",
    }
    assert process_texts(files() | {"enough.dmn": computed}) == TEXTS | {"Enough places."}
