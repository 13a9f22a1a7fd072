import io
import json
import zipfile
from pathlib import Path

import pytest

from workflows.bundles import parse_bundle, read_bundle
from workflows.errors import BundleRefused
from workflows.interop import (
    ModelInfo,
    export_spiffarena,
    find_models,
    import_spiffarena,
    zip_tree,
)

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
ROLES = frozenset({"applicant", "specialist"})
SPIFF_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    ' xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"'
    ' xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
    ' xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"'
    ' id="Definitions_{id}" targetNamespace="http://bpmn.io/schema/bpmn"'
    ' exporter="Camunda Modeler" exporterVersion="3.0.0-dev">\n'
)
FIXTURES = Path(__file__).resolve().parent / "interop_fixtures"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


def process(process_id: str, lane: str, steps: list[tuple[str, str]]) -> str:
    """A SpiffArena-style BPMN file: start, the steps (id, xml) in a row, end; one lane, drawn."""
    nodes = ["start", *(step_id for step_id, _ in steps), "end"]
    pairs = list(zip(nodes, nodes[1:], strict=False))
    flows = "".join(
        f'<bpmn:sequenceFlow id="{flow_id(a, b)}" sourceRef="{a}" targetRef="{b}" />'
        for a, b in pairs
    )
    shapes = "".join(
        f'<bpmndi:BPMNShape id="{node}_di" bpmnElement="{node}">'
        f'<dc:Bounds x="{100 + 150 * i}" y="80" width="100" height="80" /></bpmndi:BPMNShape>'
        for i, node in enumerate(nodes)
    )
    edges = "".join(
        f'<bpmndi:BPMNEdge id="{flow_id(a, b)}_di" bpmnElement="{flow_id(a, b)}">'
        f'<di:waypoint x="{200 + 150 * i}" y="120" /><di:waypoint x="{250 + 150 * i}" y="120" />'
        "</bpmndi:BPMNEdge>"
        for i, (a, b) in enumerate(pairs)
    )
    refs = "".join(f"<bpmn:flowNodeRef>{node}</bpmn:flowNodeRef>" for node in nodes)
    return (
        SPIFF_HEADER.format(id=process_id)
        + f'<bpmn:process id="{process_id}" name="{process_id}" isExecutable="true">'
        + f'<bpmn:laneSet id="{process_id}_lanes">'
        + f'<bpmn:lane id="{process_id}_lane" name="{lane}">{refs}</bpmn:lane></bpmn:laneSet>'
        + '<bpmn:startEvent id="start" name="Start">'
        + f"<bpmn:outgoing>{flow_id('start', nodes[1])}</bpmn:outgoing></bpmn:startEvent>"
        + "".join(xml for _, xml in steps)
        + '<bpmn:endEvent id="end" name="Done">'
        + f"<bpmn:incoming>{flow_id(nodes[-2], 'end')}</bpmn:incoming></bpmn:endEvent>"
        + flows
        + "</bpmn:process>"
        + f'<bpmndi:BPMNDiagram id="{process_id}_diagram">'
        + f'<bpmndi:BPMNPlane id="{process_id}_plane" bpmnElement="{process_id}">'
        + shapes
        + edges
        + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>\n"
    )


def flow_id(source: str, target: str) -> str:
    return f"flow_{source}_{target}"


def user_task(task_id: str, form: str, ui_form: str | None = None) -> tuple[str, str]:
    ui = f'<spiffworkflow:property name="formUiSchemaFilename" value="{ui_form}" />'
    return task_id, (
        f'<bpmn:userTask id="{task_id}" name="{task_id}"><bpmn:extensionElements>'
        "<spiffworkflow:properties>"
        f'<spiffworkflow:property name="formJsonSchemaFilename" value="{form}" />'
        f"{ui if ui_form else ''}</spiffworkflow:properties></bpmn:extensionElements>"
        "</bpmn:userTask>"
    )


def call(task_id: str, called: str) -> tuple[str, str]:
    return (
        task_id,
        f'<bpmn:callActivity id="{task_id}" name="{task_id}" calledElement="{called}" />',
    )


def rule(task_id: str, decision: str) -> tuple[str, str]:
    return task_id, (
        f'<bpmn:businessRuleTask id="{task_id}" name="{task_id}"><bpmn:extensionElements>'
        f"<spiffworkflow:calledDecisionId>{decision}</spiffworkflow:calledDecisionId>"
        "</bpmn:extensionElements></bpmn:businessRuleTask>"
    )


def schema(*fields: str) -> str:
    properties = {name: {"type": "string", "title": name} for name in fields}
    return json.dumps({"type": "object", "properties": properties}, indent=2)


def model_json(display_name: str, primary_file: str, primary_process: str) -> str:
    return json.dumps(
        {
            "description": "",
            "display_name": display_name,
            "exception_notification_addresses": [],
            "fault_or_suspend_on_exception": "fault",
            "metadata_extraction_paths": None,
            "primary_file_name": primary_file,
            "primary_process_id": primary_process,
        },
        indent=4,
        sort_keys=True,
    )


APPLY_BPMN = process(
    "apply_process",
    "Applicant",
    [
        user_task("fill_application", "application-schema.json", "application-uischema.json"),
        call("review", "review_process"),
    ],
)
REVIEW_BPMN = process(
    "review_process",
    "Specialist",
    [
        rule("score_application", "score"),
        user_task("write_review", "review-schema.json"),
    ],
)


@pytest.fixture
def tree() -> dict[str, bytes | str]:
    """Two process groups: grants/apply calls the process of shared/review."""
    return {
        "grants/process_group.json": json.dumps({"display_name": "Grants", "description": ""}),
        "grants/apply/process_model.json": model_json("Apply", "apply.bpmn", "apply_process"),
        "grants/apply/apply.bpmn": APPLY_BPMN.encode(),
        "grants/apply/application-schema.json": schema("project_name"),
        "grants/apply/application-uischema.json": '{"ui:order": ["project_name"]}',
        "grants/apply/application-exampledata.json": '{"project_name": "Networks"}',
        "grants/apply/test_apply.json": '{"test_case_1": {}}',
        "shared/process_group.json": json.dumps({"display_name": "Shared", "description": ""}),
        "shared/review/process_model.json": model_json("Review", "review.bpmn", "review_process"),
        "shared/review/review.bpmn": REVIEW_BPMN,
        "shared/review/score.dmn": fixture("score.dmn"),
        "shared/review/review-schema.json": schema("review"),
        "shared/unused/process_model.json": model_json("Unused", "unused.bpmn", "unused"),
        "shared/unused/unused.bpmn": process(
            "unused", "Applicant", [user_task("only", "only-schema.json")]
        ),
    }


def test_find_models_lists_every_model_with_its_name_and_primary_process(tree):
    models = find_models(tree)
    assert models == [
        ModelInfo("grants/apply", "Apply", "apply_process", "apply.bpmn", "", ("Grants",)),
        ModelInfo("shared/review", "Review", "review_process", "review.bpmn", "", ("Shared",)),
        ModelInfo("shared/unused", "Unused", "unused", "unused.bpmn", "", ("Shared",)),
    ]


def test_import_spiffarena_brings_the_called_models_bpmn_dmn_and_forms(tree):
    result = import_spiffarena(tree, "grants/apply")
    assert result.problems == []
    assert sorted(result.files) == [
        "apply.bpmn",
        "forms/application-uischema.json",
        "forms/application.json",
        "forms/review.json",
        "review.bpmn",
        "score.dmn",
    ]
    assert (result.display_name, result.primary_process_id) == ("Apply", "apply_process")
    assert result.sources["review.bpmn"] == "shared/review/review.bpmn"
    assert result.skipped == [
        "grants/apply/application-exampledata.json",
        "grants/apply/test_apply.json",
    ]
    assert 'value="application.json"' in result.files["apply.bpmn"]
    assert 'value="review.json"' in result.files["review.bpmn"]


def test_a_models_translations_are_imported_and_a_called_models_are_not(tree):
    tree["grants/apply/translations/fi.json"] = '{"apply_process": "Hae"}'
    tree["grants/apply/translations/notes.txt"] = "not imported"
    tree["shared/review/translations/fi.json"] = '{"review_process": "Arvioi"}'
    result = import_spiffarena(tree, "grants/apply")
    assert result.problems == []
    assert result.files["translations/fi.json"] == '{"apply_process": "Hae"}'
    assert result.sources["translations/fi.json"] == "grants/apply/translations/fi.json"
    assert [name for name in result.files if name.startswith("translations/")] == [
        "translations/fi.json"
    ]


def test_an_imported_spiffarena_model_passes_parse_bundle(tree):
    result = import_spiffarena(tree, "grants/apply")
    parsed = parse_bundle(result.files, known_roles=ROLES)
    assert sorted(parsed.specs) == ["apply_process", "review_process"]
    assert sorted(parsed.forms) == ["application-uischema.json", "application.json", "review.json"]


def test_a_called_element_nobody_defines_is_named_with_its_file_and_element(tree):
    del tree["shared/review/review.bpmn"]
    result = import_spiffarena(tree, "grants/apply")
    assert not result.ok
    assert [(p.file, p.element) for p in result.problems] == [("grants/apply/apply.bpmn", "review")]
    assert result.problems[0].message == (
        "calls process 'review_process', which no BPMN file of a process model in the upload "
        "or deployed defines"
    )


def test_a_form_name_clash_renames_the_called_models_form_and_its_reference(tree):
    tree["shared/review/application-schema.json"] = schema("other")
    tree["shared/review/review.bpmn"] = REVIEW_BPMN.replace(
        "review-schema.json", "application-schema.json"
    )
    result = import_spiffarena(tree, "grants/apply")
    assert result.problems == []
    assert result.renamed == {
        "shared/review/application-schema.json": "forms/shared-review--application.json"
    }
    assert result.files["forms/application.json"] == schema("project_name")
    assert result.files["forms/shared-review--application.json"] == schema("other")
    assert 'value="shared-review--application.json"' in result.files["review.bpmn"]
    parse_bundle(result.files, known_roles=ROLES)


def test_a_process_two_models_define_differently_is_a_problem_naming_both_files(tree):
    tree["shared/copy/process_model.json"] = model_json("Copy", "review.bpmn", "review_process")
    tree["shared/copy/review.bpmn"] = REVIEW_BPMN.replace('name="Done"', 'name="Reviewed"')
    result = import_spiffarena(tree, "grants/apply")
    assert [(p.file, p.element) for p in result.problems] == [("grants/apply/apply.bpmn", "review")]
    assert result.problems[0].message == (
        "process 'review_process' is defined in several files: "
        "shared/copy/review.bpmn, shared/review/review.bpmn"
    )


def test_a_missing_form_and_a_missing_model_are_problems(tree):
    del tree["grants/apply/application-schema.json"]
    result = import_spiffarena(tree, "grants/apply")
    assert [(p.file, p.element) for p in result.problems] == [
        ("grants/apply/apply.bpmn", "fill_application")
    ]
    assert import_spiffarena(tree, "grants/nothing").problems[0].message == "no process model here"


def test_the_shipped_bundle_round_trips_through_a_spiffarena_export_byte_for_byte():
    bundle = read_bundle(BPMN)
    data = export_spiffarena(
        bundle,
        model_id="funding-call",
        display_name="Regional networks funding call",
        primary_process_id="funding_application",
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert "funding-call/idea_proposal-schema.json" in archive.namelist()
    assert "funding-call/idea_proposal-uischema.json" in archive.namelist()
    exported_bpmn = archive.read("funding-call/funding_application.bpmn").decode()
    assert 'value="idea_proposal-schema.json"' in exported_bpmn
    assert json.loads(archive.read("funding-call/process_model.json")) == {
        "description": "",
        "display_name": "Regional networks funding call",
        "exception_notification_addresses": [],
        "fault_or_suspend_on_exception": "fault",
        "metadata_extraction_paths": None,
        "primary_file_name": "funding_application.bpmn",
        "primary_process_id": "funding_application",
    }
    unzipped = {name: archive.read(name) for name in archive.namelist()}
    assert import_spiffarena(unzipped, "funding-call").files == bundle
    tree = zip_tree(data)
    assert [model.path for model in find_models(tree)] == [""]
    result = import_spiffarena(tree, "")
    assert result.problems == []
    assert result.files == bundle
    assert data == export_spiffarena(
        bundle,
        model_id="funding-call",
        display_name="Regional networks funding call",
        primary_process_id="funding_application",
    )


def test_export_refuses_a_primary_process_no_file_defines():
    with pytest.raises(BundleRefused, match="no BPMN file defines process 'nothing'"):
        export_spiffarena(
            read_bundle(BPMN), model_id="m", display_name="M", primary_process_id="nothing"
        )


def test_translations_go_unchanged_into_the_export_and_come_back_from_it():
    catalogs = {
        "translations/fi.json": '{\n  "Start": "Alku"\n}\n',
        "translations/sv.json": '{"Start": "Början"}',
    }
    bundle = read_bundle(BPMN) | catalogs
    data = export_spiffarena(
        bundle,
        model_id="grants/funding-call",
        display_name="Call",
        primary_process_id="funding_call",
    )
    archive = zipfile.ZipFile(io.BytesIO(data))
    for name, text in catalogs.items():
        assert archive.read(f"grants/funding-call/{name}").decode() == text
    assert import_spiffarena(zip_tree(data), "funding-call").files == bundle
