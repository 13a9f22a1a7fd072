"""Serialize a workflow's own state only; its spec is stored once per process version.

SpiffWorkflow's serializer embeds the whole spec in every workflow (about 70% of a case's
state). Our converter leaves the spec out on the way in and takes the cached, parsed spec on
the way out.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.serializer.workflow import VERSION, BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.bpmn_process_spec import BpmnProcessSpec
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

VERSION_KEY = "serializer_version"


class StateOnlyWorkflowConverter(BpmnWorkflowConverter):
    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(
        self,
        dct: dict[str, Any],
        spec: BpmnProcessSpec,
        subprocess_specs: dict[str, BpmnProcessSpec],
    ) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class TaskDataConverter(TaskConverter):
    """SpiffWorkflow 3.2 stores a task's data (and its delta) as it is, though it restores it
    through its registry: a datetime, timedelta or UUID a script leaves would not save. Convert
    it on the way in, as SpiffArena does with every task's data, so it comes back as it was."""

    def to_dict(self, task: Task) -> dict[str, Any]:
        dct = super().to_dict(task)
        dct["data"] = self._converted(dct["data"])
        if dct["delta"]:
            dct["delta"]["updates"] = self._converted(dct["delta"]["updates"])
        return dct

    def _converted(self, data: Any) -> Any:
        """Data as it can be saved. Plain JSON, the common case, is checked by the C encoder
        and kept as it is: walking it in Python took a tenth of a timer's firing."""
        try:
            json.dumps(data)
        except (TypeError, ValueError):
            return self.registry.convert(data)
        return data


_CONFIG = dict(SPIFF_CONFIG)
_CONFIG[BpmnWorkflow] = StateOnlyWorkflowConverter
_CONFIG[Task] = TaskDataConverter
_SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_CONFIG))


def dump_state(workflow: BpmnWorkflow) -> dict[str, Any]:
    state = _SERIALIZER.to_dict(workflow)
    state[VERSION_KEY] = VERSION
    return state


def load_state(
    state: dict[str, Any], spec: BpmnProcessSpec, subprocess_specs: dict[str, BpmnProcessSpec]
) -> BpmnWorkflow:
    state = dict(state)
    if state.get(VERSION_KEY) != VERSION:
        _SERIALIZER.migrate(state)
    else:
        state.pop(VERSION_KEY)
    return _SERIALIZER.from_dict(state, spec=spec, subprocess_specs=subprocess_specs)
