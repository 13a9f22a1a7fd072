"""Small process files written the way SpiffArena's modeler writes them, for the tests of its
semantics: unnamed elements, manual and plain tasks, lanes that are not roles (or no lanes).

``process_file`` draws every flow node and sequence flow (the check wants a diagram) and puts
the ids of ``lanes`` (lane name -> element ids) in those lanes; without lanes, none."""

from __future__ import annotations

import re

from workflows.bpmn_xml import FLOW_NODES

SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"


def flow(id_: str, source: str, target: str) -> str:
    return f'<bpmn:sequenceFlow id="{id_}" sourceRef="{source}" targetRef="{target}"/>'


def chain(*ids: str) -> str:
    """Sequence flows from each id to the next."""
    return "".join(flow(f"f_{a}_{b}", a, b) for a, b in zip(ids, ids[1:], strict=False))


# An embedded sub-process (id "inner") whose script task sets counted = 1.
COUNTING_SUB_PROCESS = (
    '<bpmn:subProcess id="inner" name="Count">'
    '<bpmn:startEvent id="inner_start" name="Count from one"/>'
    '<bpmn:scriptTask id="count" name="Count"><bpmn:script>counted = 1</bpmn:script>'
    "</bpmn:scriptTask>"
    '<bpmn:endEvent id="inner_end" name="Counted"/>'
    + chain("inner_start", "count", "inner_end")
    + "</bpmn:subProcess>"
)


def instructions(text: str) -> str:
    return (
        "<bpmn:extensionElements><spiffworkflow:instructionsForEndUser>"
        f"{text}</spiffworkflow:instructionsForEndUser></bpmn:extensionElements>"
    )


def process_file(
    process_id: str,
    body: str,
    *,
    lanes: dict[str, list[str]] | None = None,
    definitions: str = "",
    name: str | None = None,
    undrawn: tuple[str, ...] = (),
) -> str:
    """A BPMN file with one executable process holding ``body`` (named ``name``, if given),
    ``definitions`` before it (messages etc.), and a diagram: a shape for every lane and flow
    node and an edge for every sequence flow, except the ids in ``undrawn``."""
    lane_set = ""
    if lanes:
        lane_set = (
            f'<bpmn:laneSet id="{process_id}_lanes">'
            + "".join(
                f'<bpmn:lane id="{process_id}_lane_{index}" name="{name}">'
                + "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
                + "</bpmn:lane>"
                for index, (name, refs) in enumerate(lanes.items())
            )
            + "</bpmn:laneSet>"
        )
    drawn = [
        f'<bpmndi:BPMNShape id="{process_id}_lane_{index}_di" '
        f'bpmnElement="{process_id}_lane_{index}" isHorizontal="true">'
        f'<dc:Bounds x="0" y="{index * 200}" width="1000" height="200"/></bpmndi:BPMNShape>'
        for index in range(len(lanes or {}))
    ]
    for index, (kind, id_) in enumerate(re.findall(r'<bpmn:(\w+) id="([^"]+)"', body)):
        if id_ in undrawn:
            continue
        if kind == "sequenceFlow":
            drawn.append(
                f'<bpmndi:BPMNEdge id="{id_}_di" bpmnElement="{id_}">'
                '<di:waypoint x="0" y="0"/><di:waypoint x="10" y="0"/></bpmndi:BPMNEdge>'
            )
        elif kind in FLOW_NODES:
            drawn.append(
                f'<bpmndi:BPMNShape id="{id_}_di" bpmnElement="{id_}">'
                f'<dc:Bounds x="{index * 150}" y="0" width="100" height="80"/></bpmndi:BPMNShape>'
            )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
    xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:spiffworkflow="{SPIFF_NS}"
    id="{process_id}_definitions" targetNamespace="http://bpmn.io/schema/bpmn">
  {definitions}
  <bpmn:process id="{process_id}"{f' name="{name}"' if name else ""} isExecutable="true">
    {lane_set}
    {body}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{process_id}_diagram">
    <bpmndi:BPMNPlane id="{process_id}_plane" bpmnElement="{process_id}">{"".join(drawn)}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>"""
