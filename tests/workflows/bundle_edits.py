"""Make a second version of the shipped bundle by editing its text, as a process owner would."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from lxml import etree

from workflows.bpmn_xml import NS


def edited(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    """The files with ``old`` replaced by ``new`` in one file; ``old`` must occur once."""
    assert files[name].count(old) == 1, f"{old!r} is not once in {name}"
    return files | {name: files[name].replace(old, new)}


def with_form(
    files: dict[str, str], name: str, change: Callable[[dict[str, Any]], None]
) -> dict[str, str]:
    schema = json.loads(files[name])
    change(schema)
    return files | {name: json.dumps(schema, indent=2)}


def without_task(files: dict[str, str], name: str, task_id: str) -> dict[str, str]:
    """Remove a task with one incoming and one outgoing flow; its incoming flow goes on."""
    root = etree.fromstring(files[name].encode())
    task = root.find(f".//bpmn:*[@id='{task_id}']", NS)
    process = task.getparent()
    [incoming] = process.findall(f"bpmn:sequenceFlow[@targetRef='{task_id}']", NS)
    [outgoing] = process.findall(f"bpmn:sequenceFlow[@sourceRef='{task_id}']", NS)
    target = process.find(f"bpmn:*[@id='{outgoing.get('targetRef')}']", NS)
    incoming.set("targetRef", target.get("id"))
    for ref in target.findall("bpmn:incoming", NS):
        if ref.text == outgoing.get("id"):
            ref.text = incoming.get("id")
    gone = {task_id, outgoing.get("id")}
    doomed = [task, outgoing]
    doomed += [ref for ref in root.iterfind(".//bpmn:flowNodeRef", NS) if ref.text in gone]
    doomed += [
        e for e in root.iterfind(".//bpmndi:*[@bpmnElement]", NS) if e.get("bpmnElement") in gone
    ]
    for element in doomed:
        element.getparent().remove(element)
    text = etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode()
    return files | {name: text}
