"""The flow graph of a process or sub-process, which the bpmnlint-style rules walk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from workflows.bpmn_xml import ACTIVITIES, FLOW_NODES, Element, bpmn_tag, child_elements, text_at
from workflows.errors import Problem
from workflows.lint.elements import problem_at


@dataclass(frozen=True)
class Graph:
    """The flow nodes of one process or sub-process, with their sequence flows."""

    file: str
    container: Element
    nodes: list[Element]
    flows: list[Element]
    incoming: Mapping[str, list[Element]]
    outgoing: Mapping[str, list[Element]]

    def into(self, node: Element) -> list[Element]:
        return self.incoming.get(node.get("id", ""), [])

    def out_of(self, node: Element) -> list[Element]:
        return self.outgoing.get(node.get("id", ""), [])

    def problem(self, element: Element, message: str, warning: bool = False) -> Problem:
        return problem_at(self.file, element, message, "warning" if warning else "error")


GraphRule = Callable[[Graph], Iterable[Problem]]


def build_graph(file: str, container: Element) -> Graph:
    """The graph of the flow nodes and sequence flows directly inside ``container``."""
    nodes = [child for child in child_elements(container) if bpmn_tag(child) in FLOW_NODES]
    flows = [child for child in child_elements(container) if bpmn_tag(child) == "sequenceFlow"]
    incoming: dict[str, list[Element]] = defaultdict(list)
    outgoing: dict[str, list[Element]] = defaultdict(list)
    for flow in flows:
        outgoing[flow.get("sourceRef", "")].append(flow)
        incoming[flow.get("targetRef", "")].append(flow)
    return Graph(file, container, nodes, flows, incoming, outgoing)


def connected_nodes(graph: Graph) -> Iterator[Element]:
    """Nodes that take part in the flow: disconnected ones are reported once, by no-disconnected."""
    for node in graph.nodes:
        if not exempt_from_flow(graph, node) and (graph.into(node) or graph.out_of(node)):
            yield node


def exempt_from_flow(graph: Graph, node: Element) -> bool:
    """Event sub-processes, compensation handlers and the activities of an ad-hoc sub-process
    need no sequence flows (as in bpmnlint)."""
    return (
        node.get("triggeredByEvent") == "true"
        or node.get("isForCompensation") == "true"
        or (bpmn_tag(graph.container) == "adHocSubProcess" and bpmn_tag(node) in ACTIVITIES)
        or any(
            bpmn_tag(d) in {"linkEventDefinition", "compensateEventDefinition"}
            for d in event_definitions(node)
        )
    )


def of_kind(nodes: Iterable[Element], kind: str) -> list[Element]:
    return [node for node in nodes if bpmn_tag(node) == kind]


def condition(flow: Element) -> str:
    """The condition expression of a sequence flow, or ''."""
    return text_at(flow, "bpmn:conditionExpression")


def is_default(node: Element, flow: Element) -> bool:
    return bool(node.get("default")) and node.get("default") == flow.get("id")


def event_definitions(event: Element) -> list[Element]:
    return [c for c in child_elements(event) if bpmn_tag(c).endswith("EventDefinition")]
