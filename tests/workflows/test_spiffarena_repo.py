"""A SpiffArena repository imported as process models, one per model folder, and exported back
byte for byte (the fixture repository tests/workflows/spiffarena_models, written for these
tests in SpiffArena's layout)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from workflows.spiffarena_export import ExportedModel, export_tree, zip_entries
from workflows.spiffarena_repo import ModelImport, import_repository, model_id_for
from workflows.uploads import zip_tree

FIXTURES = Path(__file__).parent / "spiffarena_models"


def fixture_tree() -> dict[str, bytes]:
    return {
        str(path.relative_to(FIXTURES)): path.read_bytes()
        for path in sorted(FIXTURES.rglob("*"))
        if path.is_file()
    }


def by_path(models: list[ModelImport]) -> dict[str, ModelImport]:
    return {model.path: model for model in models}


def exported(models: list[ModelImport]) -> dict[str, str]:
    return export_tree(
        [
            ExportedModel(
                files=model.files,
                folder=model.path,
                display_name=model.display_name,
                primary_process_id=model.primary_process_id or "",
                description=model.description,
                metadata=model.metadata,
            )
            for model in models
        ]
    )


def test_every_model_folder_becomes_one_model_with_its_id_group_name_and_primary_process():
    models = by_path(import_repository(fixture_tree()))

    assert sorted(models) == [
        "grants/caller",
        "grants/decision",
        "grants/dynamic-options",
        "grants/embedded",
        "grants/lanes",
        "grants/manual-task",
        "grants/messages/receiver",
        "grants/messages/sender",
        "grants/scripts/due-date",
        "grants/shared/totals",
        "grants/user-form",
    ]
    sender = models["grants/messages/sender"]
    assert (sender.model_id, sender.group_path) == ("grants/messages/sender", "grants/messages")
    assert (sender.display_name, sender.description) == ("Sender", "Throws a message")
    assert sender.primary_process_id == "message_sender"
    assert sender.metadata is not None and sender.metadata["primary_file_name"] == "sender.bpmn"
    assert all(not model.errors for model in models.values())


def test_primary_file_name_empty_falls_back_to_the_only_bpmn_file():
    models = by_path(import_repository(fixture_tree()))

    lanes = models["grants/lanes"]
    assert lanes.metadata is not None and lanes.metadata["primary_file_name"] == ""
    assert lanes.primary_process_id == "travel_request"
    assert not any("None" in str(problem) for problem in lanes.problems)


def test_a_call_activity_brings_the_called_models_process_and_the_export_leaves_it_out():
    models = by_path(import_repository(fixture_tree()))

    caller = models["grants/caller"]
    assert "totals.bpmn" in caller.files
    tree = exported([caller])
    assert sorted(tree) == [
        "grants/caller/caller.bpmn",
        "grants/caller/process_model.json",
        "grants/process_group.json",
    ]


def test_files_the_engine_does_not_use_are_kept_and_exported_back():
    models = by_path(import_repository(fixture_tree()))

    files = models["grants/user-form"].files
    assert files["spiffarena/README.md"].startswith("# Ask for a name")
    assert "spiffarena/example-data.json" in files


def test_import_export_import_is_byte_identical_for_every_file_and_equal_in_metadata():
    tree = fixture_tree()
    first = import_repository(tree)
    zipped = zip_entries(exported(first))
    again = zip_tree(zipped, strip_folder=False)

    for path, content in tree.items():
        if path.endswith("process_group.json"):
            continue
        if path.endswith("process_model.json"):
            assert json.loads(again[path]) == json.loads(content), path
        else:
            assert again[path] == content, path
    assert set(again) == set(tree)
    second = import_repository(again)
    assert [(m.model_id, m.files, m.metadata) for m in second] == [
        (m.model_id, m.files, m.metadata) for m in first
    ]


def test_a_group_keeps_its_display_name_in_the_export():
    models = import_repository(fixture_tree())

    tree = exported(models)
    assert json.loads(tree["grants/scripts/process_group.json"])["display_name"] == "Scripts"
    assert json.loads(tree["grants/process_group.json"])["display_name"] == "Grants"


def test_a_bad_process_model_json_is_a_problem_naming_the_file():
    tree = fixture_tree()
    tree["grants/decision/process_model.json"] = b'{"display_name": "Grant size",'

    models = by_path(import_repository(tree))

    decision = models["grants/decision"]
    assert [p.file for p in decision.errors] == ["grants/decision/process_model.json"]
    assert "not valid JSON" in str(decision.errors[0])
    assert not models["grants/caller"].errors


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("misc/jonjons-models/example", "misc/jonjons-models/example"),
        ("grants/user-form", "grants/user-form"),
    ],
)
def test_a_spiffarena_path_that_is_a_model_id_stays_as_it_is(path, expected):
    assert model_id_for(path) == expected


def test_other_paths_get_a_normalized_id_that_is_the_same_every_time_and_fits():
    odd = model_id_for("Misc/Category Number One/Call Activity")
    assert odd == model_id_for("Misc/Category Number One/Call Activity")
    assert odd.startswith("misc/category-number-one/call-activity-")
    assert odd != model_id_for("misc/category number one/call activity")
    long = model_id_for("/".join(["x" * 99] * 5))
    assert len(long) <= 200
    assert long == model_id_for("/".join(["x" * 99] * 5))


def test_a_zip_of_a_subtree_imports_its_models():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path, content in fixture_tree().items():
            if path.startswith("grants/messages/"):
                archive.writestr(path.removeprefix("grants/"), content)

    models = import_repository(zip_tree(buffer.getvalue(), strip_folder=False))

    assert [m.model_id for m in models] == ["messages/receiver", "messages/sender"]


def test_forms_named_freely_in_spiffarena_keep_their_names_and_references_in_the_export():
    lanes = by_path(import_repository(fixture_tree()))["grants/lanes"]

    assert {"forms/approve.json", "forms/approve_ui.json", "forms/request.json"} <= set(lanes.files)
    tree = exported([lanes])
    assert {"grants/lanes/approve.json", "grants/lanes/approve_ui.json"} <= set(tree)
    assert "grants/lanes/request-schema.json" in tree
    assert 'value="approve_ui.json"' in tree["grants/lanes/travel.bpmn"]
