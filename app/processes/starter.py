"""The first draft of a new process model: one lane, a start event, one user task with a form,
an end event, drawn so the modeler shows it. It passes the check; the process owner changes it
in the modeler and the form editor (or replaces it with an upload)."""

from __future__ import annotations

import json
from xml.sax.saxutils import quoteattr

FIRST_FORM = "forms/first_task.json"

_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" \
xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" \
xmlns:di="http://www.omg.org/spec/DD/20100524/DI" \
xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" \
id="{pid}_definitions" targetNamespace="http://bpmn.io/schema/bpmn" exporter="grantflow">
  <bpmn:collaboration id="{pid}_collaboration">
    <bpmn:participant id="{pid}_participant" name={name} processRef="{pid}"/>
  </bpmn:collaboration>
  <bpmn:process id="{pid}" name={name} isExecutable="true">
    <bpmn:laneSet id="{pid}_lanes">
      <bpmn:lane id="{pid}_lane" name={lane}>
        <bpmn:flowNodeRef>case_started</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>first_task</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>case_done</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="case_started" name="Case started">
      <bpmn:outgoing>flow_start_to_task</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="first_task" name="Handle the case">
      <bpmn:extensionElements>
        <spiffworkflow:properties>
          <spiffworkflow:property name="formJsonSchemaFilename" value="first_task.json"/>
        </spiffworkflow:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>flow_start_to_task</bpmn:incoming>
      <bpmn:outgoing>flow_task_to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="case_done" name="Case done">
      <bpmn:incoming>flow_task_to_end</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="flow_start_to_task" sourceRef="case_started" targetRef="first_task"/>
    <bpmn:sequenceFlow id="flow_task_to_end" sourceRef="first_task" targetRef="case_done"/>
  </bpmn:process>
  <bpmndi:BPMNDiagram id="{pid}_diagram">
    <bpmndi:BPMNPlane id="{pid}_plane" bpmnElement="{pid}_collaboration">
      <bpmndi:BPMNShape id="{pid}_participant_di" bpmnElement="{pid}_participant" \
isHorizontal="true">
        <dc:Bounds x="120" y="60" width="520" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="{pid}_lane_di" bpmnElement="{pid}_lane" isHorizontal="true">
        <dc:Bounds x="150" y="60" width="490" height="200"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="case_started_di" bpmnElement="case_started">
        <dc:Bounds x="212" y="142" width="36" height="36"/>
        <bpmndi:BPMNLabel><dc:Bounds x="196" y="185" width="68" height="14"/></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="first_task_di" bpmnElement="first_task">
        <dc:Bounds x="320" y="120" width="100" height="80"/>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="case_done_di" bpmnElement="case_done">
        <dc:Bounds x="502" y="142" width="36" height="36"/>
        <bpmndi:BPMNLabel><dc:Bounds x="492" y="185" width="56" height="14"/></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="flow_start_to_task_di" bpmnElement="flow_start_to_task">
        <di:waypoint x="248" y="160"/>
        <di:waypoint x="320" y="160"/>
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="flow_task_to_end_di" bpmnElement="flow_task_to_end">
        <di:waypoint x="420" y="160"/>
        <di:waypoint x="502" y="160"/>
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""

_FORM = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Handle the case",
    "type": "object",
    "required": ["notes"],
    "properties": {"notes": {"type": "string", "title": "Notes", "maxLength": 5000}},
}


def lane_name(role: str) -> str:
    """The lane whose tasks people of ``role`` do: 'decision_maker' -> 'Decision maker'."""
    return role.replace("_", " ").capitalize()


def starter_files(process_id: str, name: str, role: str) -> dict[str, str]:
    bpmn = _BPMN.format(pid=process_id, name=quoteattr(name), lane=quoteattr(lane_name(role)))
    return {
        f"{process_id}.bpmn": bpmn,
        FIRST_FORM: json.dumps(_FORM, indent=2, ensure_ascii=False) + "\n",
    }
