"""The names a process puts in its data, for the timer rule: a timer may read only those."""

from __future__ import annotations

import ast
from typing import Any

from workflows.bpmn_xml import Element, xpath
from workflows.lint.bundle import Bundle
from workflows.lint.decisions import called_decision, decisions_in


def names_set_in(process: Element, root: Element, bundle: Bundle) -> set[str]:
    """Names a process puts in its data: scripts, forms, service results, messages, loops,
    decision outputs and data objects."""
    names = {obj.get("id", "") for obj in xpath(process, ".//bpmn:dataObject")}
    for script in xpath(process, ".//bpmn:script | .//spiff:preScript | .//spiff:postScript"):
        names |= _assigned_names(script.text or "")
    for task in xpath(process, ".//bpmn:userTask"):
        form = bundle.forms.get(_property(task, "formJsonSchemaFilename"))
        names |= _form_fields(form)
    for operator in xpath(process, ".//spiff:serviceTaskOperator"):
        names.add(operator.get("resultVariable", ""))
    for variable in xpath(process, ".//spiff:messageVariable") + xpath(
        root, "bpmn:message//spiff:messageVariable"
    ):
        names.add((variable.text or "").strip())
    for item in xpath(process, ".//bpmn:inputDataItem | .//bpmn:outputDataItem"):
        names.add(item.get("name", ""))
    for ref in xpath(process, ".//bpmn:loopDataOutputRef"):
        names.add((ref.text or "").strip())
    decisions = decisions_in(bundle)
    for task in xpath(process, ".//bpmn:businessRuleTask"):
        _, decision = decisions.get(called_decision(task), ("", None))
        if decision is not None:
            names |= {out.get("name", "") for out in decision.xpath(".//*[local-name()='output']")}
    return names - {""}


def _assigned_names(script: str) -> set[str]:
    try:
        tree = ast.parse(script)
    except SyntaxError:
        return set()  # the sandbox check reports it
    return {
        n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _form_fields(schema: Any) -> set[str]:
    """Every property name anywhere in a JSON Schema (conditional fields included)."""
    if isinstance(schema, list):
        return set().union(*(_form_fields(item) for item in schema))
    if not isinstance(schema, dict):
        return set()
    fields = set(schema["properties"]) if isinstance(schema.get("properties"), dict) else set()
    return fields.union(*(_form_fields(value) for value in schema.values()))


def _property(task: Element, name: str) -> str:
    """The value of the task's spiffworkflow property ``name``, or ''."""
    path = "bpmn:extensionElements/spiff:properties/spiff:property[@name=$name]/@value"
    found = xpath(task, path, name=name)
    return str(found[0]) if found else ""
