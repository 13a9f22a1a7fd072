"""Rule 5: the modelling mistakes of bpmnlint's "recommended" rules, with its severities."""

from __future__ import annotations

from collections.abc import Iterator

from workflows.bpmn_xml import ACTIVITIES, EVENTS, GATEWAYS, SUB_PROCESSES, Element, bpmn_tag, xpath
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.lint.elements import describe, kind_in_words, problem_at
from workflows.lint.graph import (
    Graph,
    GraphRule,
    build_graph,
    condition,
    connected_nodes,
    event_definitions,
    exempt_from_flow,
    is_default,
    of_kind,
)


def check_structure(bundle: Bundle) -> Iterator[Problem]:
    """Every graph rule on each process and sub-process; participants and lanes should have a
    name (a warning: SpiffArena runs them without)."""
    for name, root in bundle.bpmn():
        for process in xpath(root, "bpmn:process"):
            sub_processes = [e for e in xpath(process, ".//bpmn:*") if bpmn_tag(e) in SUB_PROCESSES]
            for container in [process, *sub_processes]:
                graph = build_graph(name, container)
                for rule in GRAPH_RULES:
                    yield from rule(graph)
        for element in xpath(root, ".//bpmn:participant | .//bpmn:lane"):
            if not (element.get("name") or "").strip():
                yield problem_at(
                    name,
                    element,
                    f"{describe(element)} has no name: name it after who works there",
                    "warning",
                )


def start_event_required(graph: Graph) -> Iterator[Problem]:
    if bpmn_tag(graph.container) != "adHocSubProcess" and not of_kind(graph.nodes, "startEvent"):
        yield graph.problem(graph.container, f"{describe(graph.container)} has no start event")


def end_event_required(graph: Graph) -> Iterator[Problem]:
    if bpmn_tag(graph.container) != "adHocSubProcess" and not of_kind(graph.nodes, "endEvent"):
        yield graph.problem(graph.container, f"{describe(graph.container)} has no end event")


def single_blank_start_event(graph: Graph) -> Iterator[Problem]:
    blank = [e for e in of_kind(graph.nodes, "startEvent") if not event_definitions(e)]
    if len(blank) > 1:
        ids = ", ".join(e.get("id", "") for e in blank)
        yield graph.problem(
            graph.container,
            f"{describe(graph.container)} has {len(blank)} start events without a trigger "
            f"({ids}): it can have only one; give the others a message or timer, or remove them",
        )


def no_disconnected(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes:
        if bpmn_tag(node) in {"startEvent", "boundaryEvent"} or exempt_from_flow(graph, node):
            continue
        if not graph.into(node) and not graph.out_of(node):
            yield graph.problem(
                node,
                f"{describe(node)} is not connected: no sequence flow leads to it or away "
                "from it, so it never runs",
            )


def no_implicit_start(graph: Graph) -> Iterator[Problem]:
    for node in connected_nodes(graph):
        if bpmn_tag(node) not in {"startEvent", "boundaryEvent"} and not graph.into(node):
            yield graph.problem(
                node,
                f"{describe(node)} has no incoming sequence flow, so it never runs: connect a "
                "flow to it (only start and boundary events begin a path)",
            )


def no_implicit_end(graph: Graph) -> Iterator[Problem]:
    for node in connected_nodes(graph):
        if bpmn_tag(node) != "endEvent" and not graph.out_of(node):
            yield graph.problem(
                node,
                f"{describe(node)} has no outgoing sequence flow, so the path stops there "
                "without an end event: connect it to the next step or to an end event",
            )


def no_implicit_split(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes:
        if bpmn_tag(node) not in ACTIVITIES | EVENTS:
            continue
        plain = [f for f in graph.out_of(node) if not condition(f) and not is_default(node, f)]
        if len(plain) > 1:
            yield graph.problem(
                node,
                f"{describe(node)} has {len(plain)} outgoing flows without a condition, so all "
                "of them run at once: split with a parallel gateway to run them in parallel, or "
                "with an exclusive gateway to choose one",
            )


def no_duplicate_sequence_flows(graph: Graph) -> Iterator[Problem]:
    seen: dict[tuple[str, str, str], Element] = {}
    for flow in graph.flows:
        key = (flow.get("sourceRef", ""), flow.get("targetRef", ""), condition(flow))
        if key in seen:
            yield graph.problem(
                flow,
                f"the sequence flow duplicates '{seen[key].get('id')}': both go from "
                f"'{key[0]}' to '{key[1]}' with the same condition; remove one",
            )
        else:
            seen[key] = flow


def fake_join(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes:
        count = len(graph.into(node))
        if bpmn_tag(node) in ACTIVITIES | EVENTS and count > 1:
            yield graph.problem(
                node,
                f"{describe(node)} has {count} incoming flows: it does not wait for all of "
                "them but runs once for each one that arrives; merge them with a gateway first",
                warning=True,
            )


def superfluous_gateway(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes:
        if bpmn_tag(node) in GATEWAYS and len(graph.into(node)) == len(graph.out_of(node)) == 1:
            yield graph.problem(
                node,
                f"{describe(node)} has one incoming and one outgoing flow: it does nothing "
                "and can be removed",
                warning=True,
            )


def label_required(graph: Graph) -> Iterator[Problem]:
    """Tasks, events and splitting gateways should have a name, and so should conditional flows
    (as in bpmnlint: parallel and event-based gateways, merging gateways and sub-processes need
    none). A warning, not an error: SpiffArena runs unnamed elements, and the pages show the
    element's id where its name is missing."""
    for node in graph.nodes:
        kind = bpmn_tag(node)
        if kind in {"parallelGateway", "eventBasedGateway"} | SUB_PROCESSES:
            continue
        if kind in GATEWAYS and len(graph.out_of(node)) < 2:
            continue
        if not (node.get("name") or "").strip():
            yield graph.problem(
                node,
                f"the {kind_in_words(node)} has no name: name it so that readers know what it does",
                warning=True,
            )
    for flow in graph.flows:
        if condition(flow) and not (flow.get("name") or "").strip():
            yield graph.problem(
                flow,
                f"the sequence flow with the condition {condition(flow)} has no name: name the "
                "choice it stands for",
                warning=True,
            )


def conditional_flows(graph: Graph) -> Iterator[Problem]:
    """Once a node chooses among its outgoing flows, each has a condition or is the default."""
    for node in graph.nodes:
        outgoing = graph.out_of(node)
        choosing = (
            bool(node.get("default"))
            or (bpmn_tag(node) in {"exclusiveGateway", "inclusiveGateway"} and len(outgoing) > 1)
            or any(condition(flow) for flow in outgoing)
        )
        for flow in outgoing if choosing else []:
            if not condition(flow) and not is_default(node, flow):
                yield graph.problem(
                    flow,
                    f"the sequence flow from {describe(node)} to '{flow.get('targetRef')}' has "
                    "no condition and is not the default flow: give it a condition, or make it "
                    "the default",
                )


def no_gateway_join_fork(graph: Graph) -> Iterator[Problem]:
    for node in graph.nodes:
        if bpmn_tag(node) in GATEWAYS and len(graph.into(node)) > 1 and len(graph.out_of(node)) > 1:
            yield graph.problem(
                node,
                f"{describe(node)} both merges and splits flows: use one gateway to merge and "
                "another to split",
            )


def no_complex_gateway(graph: Graph) -> Iterator[Problem]:
    for node in of_kind(graph.nodes, "complexGateway"):
        yield graph.problem(
            node,
            f"{describe(node)} is a complex gateway, which the engine does not run: use an "
            "exclusive, inclusive or parallel gateway",
        )


GRAPH_RULES: tuple[GraphRule, ...] = (
    start_event_required,
    end_event_required,
    single_blank_start_event,
    no_disconnected,
    no_implicit_start,
    no_implicit_end,
    no_implicit_split,
    no_duplicate_sequence_flows,
    fake_join,
    superfluous_gateway,
    label_required,
    conditional_flows,
    no_gateway_join_fork,
    no_complex_gateway,
)
