"""Which sequence flows of a process a workflow has taken: for the scenario tests' coverage.

A flow from A to B counts as taken when a task of B exists that was reached (not merely
predicted) and its nearest ancestor that stands for a BPMN element is A and has completed.
Tasks the engine adds for itself (splits, joins, the start and end) carry no BPMN id and are
skipped over.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from workflows.bpmn_xml import BPMN_NS, parse_xml

_REACHED = (
    TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.COMPLETED | TaskState.ERROR
)


def sequence_flows(name: str, text: str) -> dict[str, dict[str, tuple[str, str]]]:
    """process id -> flow id -> (source element id, target element id)."""
    root = parse_xml(name, text)
    flows: dict[str, dict[str, tuple[str, str]]] = {}
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        flows[process.get("id")] = {
            flow.get("id"): (flow.get("sourceRef"), flow.get("targetRef"))
            for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow")
        }
    return flows


def taken_edges(workflow: BpmnWorkflow) -> set[tuple[str, str]]:
    edges = set()
    for task in workflow.get_tasks():
        target = task.task_spec.bpmn_id
        if target is None or not task.has_state(_REACHED):
            continue
        parent = task.parent
        while parent is not None and parent.task_spec.bpmn_id is None:
            parent = parent.parent
        if parent is None or parent.state != TaskState.COMPLETED:
            continue
        if parent.task_spec.bpmn_id != target:
            edges.add((parent.task_spec.bpmn_id, target))
    return edges
