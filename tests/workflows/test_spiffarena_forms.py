"""A SpiffArena form whose choices come from the task data passes the check: its
``options_from_task_data_var:<name>`` placeholders (enum, anyOf, oneOf, items) are filled in
when the form is shown (app/forms/dynamic.py), not read as JSON Schema."""

import json

import pytest

from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import check_bundle

TASK = (
    '<bpmn:userTask id="choose" name="Choose"><bpmn:extensionElements>'
    "<spiffworkflow:properties>"
    '<spiffworkflow:property name="formJsonSchemaFilename" value="choose-schema.json"/>'
    "</spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>"
)
BPMN = process_file(
    "choosing",
    '<bpmn:startEvent id="start" name="Start"/>'
    + TASK
    + '<bpmn:endEvent id="end" name="Done"/>'
    + chain("start", "choose", "end"),
)


@pytest.mark.parametrize(
    "field",
    [
        {"type": "string", "enum": ["options_from_task_data_var:colours"]},
        {"type": "string", "anyOf": ["options_from_task_data_var:colours"]},
        {"type": "string", "oneOf": ["options_from_task_data_var:colours"]},
        {"type": "array", "items": ["options_from_task_data_var:colours"]},
    ],
)
def test_choices_from_the_task_data_pass_the_check(field):
    form = {"type": "object", "properties": {"colour": field}}
    files = {"choosing.bpmn": BPMN, "forms/choose-schema.json": json.dumps(form)}
    assert check_bundle(files) == []
