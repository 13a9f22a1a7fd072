"""Rule 4: every element of a process is drawn in its diagram (BPMN DI)."""

from __future__ import annotations

from collections.abc import Iterator

from workflows.bpmn_xml import FLOW_NODES, bpmn_tag, xpath
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.lint.elements import describe, problem_at

DRAWN = FLOW_NODES | {"sequenceFlow", "lane", "participant", "messageFlow"}


def check_diagram(bundle: Bundle) -> Iterator[Problem]:
    """Every flow node and sequence flow of every process is drawn (BPMN DI). A lane,
    participant or message flow that is not drawn is a warning: the steps can still be seen."""
    for name, root in bundle.bpmn():
        drawn = set(
            xpath(root, ".//bpmndi:BPMNShape/@bpmnElement | .//bpmndi:BPMNEdge/@bpmnElement")
        )
        if not drawn:
            for process in xpath(root, "bpmn:process"):
                yield problem_at(
                    name,
                    process,
                    "the file has no diagram (BPMN DI): open it in a BPMN modeler and save it, "
                    "so that the process can be drawn",
                )
            continue
        for element in xpath(root, "bpmn:process//bpmn:* | bpmn:collaboration/bpmn:*"):
            kind = bpmn_tag(element)
            if kind not in DRAWN or element.get("id") in drawn:
                continue
            shape = "an edge" if kind in {"sequenceFlow", "messageFlow"} else "a shape"
            yield problem_at(
                name,
                element,
                f"{describe(element)} is missing from the diagram, so nobody reading the "
                f"process sees it: give it {shape} in the diagram",
                "error" if kind in FLOW_NODES | {"sequenceFlow"} else "warning",
            )
