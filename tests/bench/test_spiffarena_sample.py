"""The SpiffArena measurement tool on the fixture repository: every stage counted, every
refusal class named with the number of models it stops."""

from __future__ import annotations

from pathlib import Path

from bench.spiffarena_sample import (
    main,
    measure,
    minimal_value,
    read_repo,
    reason_class,
    round_trip,
)

FIXTURES = Path(__file__).parents[1] / "workflows" / "spiffarena_models"


def test_the_fixture_repository_is_counted_stage_by_stage():
    tally = measure(read_repo(FIXTURES))

    counts = tally.counts()
    assert counts["imported"] == 11
    assert counts["deployed"] >= 5
    assert counts["started"] == counts["deployed"]
    assert counts["ended"] == counts["started"]
    reasons = {row["reason"]: row["models"] for row in tally.classes()}
    assert reasons.get("user task names no form", 0) <= 1


def test_the_fixture_repository_comes_back_from_export_as_it_was():
    trip = round_trip(read_repo(FIXTURES))

    assert trip["models"] == 11
    assert trip["different"] == 0
    assert trip["identical"] >= 20  # every BPMN, DMN, form, README and example file
    assert trip["model_json_equal"] == 11


def test_a_refusal_class_leaves_out_files_elements_names_and_numbers():
    assert (
        reason_class("travel.bpmn, element 'approve': lane 'Finance' is not a role")
        == "lane '…' is not a role"
    )
    assert reason_class("a/b/c: names no process") == "names no process"
    assert reason_class("x.bpmn: not valid BPMN (line 12): bad") == "not valid BPMN (line …): bad"


def test_minimal_data_satisfies_a_form_with_choices_numbers_and_lengths():
    schema = {
        "type": "object",
        "required": ["kind", "count", "code"],
        "properties": {
            "kind": {"type": "string", "enum": ["a", "b"]},
            "count": {"type": "integer", "minimum": 3},
            "code": {"type": "string", "minLength": 4},
            "pick": {"anyOf": [{"const": "red", "title": "Red"}]},
            "agree": {"type": "boolean"},
        },
    }

    assert minimal_value(schema) == {
        "kind": "a",
        "count": 3,
        "code": "xxxx",
        "pick": "red",
        "agree": True,
    }


def test_the_tool_prints_a_table_and_json(capsys, tmp_path):
    out = tmp_path / "result.json"

    assert main(["--repo", str(FIXTURES), "--json", str(out)]) == 0

    printed = capsys.readouterr().out
    assert "SpiffArena models in the repository: 11" in printed
    assert '"counts"' in printed and out.read_text().startswith("{")
