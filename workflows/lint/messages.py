"""Rule 3: every message sent is caught, every catch has a sender, and both correlate alike."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from workflows.bpmn_xml import EVENTS, Element, bpmn_tag, xpath
from workflows.errors import Problem
from workflows.lint.bundle import Bundle
from workflows.lint.elements import describe, problem_at


@dataclass(frozen=True)
class MessageEnd:
    """One side of a message: the event or task that throws or catches it."""

    file: str
    element: Element
    message: str
    correlation: Mapping[str, frozenset[str]]  # correlation key -> correlation property ids
    process: str = ""  # the id of the process the element belongs to

    @property
    def id(self) -> str:
        return self.element.get("id", "")

    def describe(self) -> str:
        return f"{describe(self.element)} ('{self.id}' in {self.file})"


@dataclass
class MessageEnds:
    """Who throws and who catches each message, by message name, and what could not be read."""

    throwers: dict[str, list[MessageEnd]] = field(default_factory=lambda: defaultdict(list))
    catchers: dict[str, list[MessageEnd]] = field(default_factory=lambda: defaultdict(list))
    problems: list[Problem] = field(default_factory=list)

    def of_process(self, process: str, *, throwing: bool) -> dict[str, list[MessageEnd]]:
        ends = self.throwers if throwing else self.catchers
        found = {m: [e for e in those if e.process == process] for m, those in ends.items()}
        return {message: those for message, those in found.items() if those}


def message_ends(documents: Iterable[tuple[str, Element]]) -> MessageEnds:
    """The message ends of BPMN documents given as (file name, root element)."""
    ends = MessageEnds()
    for name, root in documents:
        correlations = _message_correlations(root)
        for node, definition, throws in _message_nodes(root):
            message, problem = _message_name(name, root, node, definition)
            if problem is not None:
                ends.problems.append(problem)
                continue
            correlation = dict(correlations.get(definition.get("messageRef", ""), {}))
            for key, props in _process_correlations(root, definition).items():
                correlation[key] = correlation.get(key, frozenset()) | props
            process = next(iter(xpath(node, "ancestor::bpmn:process[1]/@id")), "")
            end = MessageEnd(name, node, message, correlation, str(process))
            (ends.throwers if throws else ends.catchers)[message].append(end)
    return ends


def correlates_alike(thrower: MessageEnd, catcher: MessageEnd) -> bool:
    """A catch that correlates the message gets it only when the thrower sends the same keys."""
    return not catcher.correlation or catcher.correlation == thrower.correlation


def check_messages(bundle: Bundle) -> Iterator[Problem]:
    """Every catch has a thrower, in the bundle or in another deployed model; a message thrown
    that nothing catches, here or in another deployed model, is a warning (a model deployed
    later may catch it). When the catching side correlates the message, the throwing side
    sends the same keys."""
    found = message_ends(bundle.bpmn())
    yield from found.problems
    elsewhere = message_ends(sorted(bundle.deployed.items()))
    throwers, catchers = found.throwers, found.catchers
    # With a BPMN file refused, its messages are unknown: only correlations can be compared.
    complete = not any(name.endswith(".bpmn") for name in bundle.refused)
    for message, ends in throwers.items():
        for end in ends:
            if complete and message not in catchers and message not in elsewhere.catchers:
                yield problem_at(
                    end.file,
                    end.element,
                    f"{describe(end.element)} sends the message '{message}', but no process of "
                    "the bundle or of the deployed models catches it: it would be lost",
                    "warning",
                )
            # Another model may reuse a message name for a talk of its own: a catch there that
            # correlates otherwise is worth a warning, not a refusal.
            deployed = elsewhere.catchers.get(message, [])
            for catcher in [*catchers.get(message, []), *deployed]:
                if not correlates_alike(end, catcher):
                    yield problem_at(
                        end.file,
                        end.element,
                        f"{describe(end.element)} sends the message '{message}' correlated on "
                        f"{correlation_text(end)}, but {catcher.describe()} expects it "
                        f"correlated on {correlation_text(catcher)}: it would never be delivered",
                        "warning" if catcher in deployed else "error",
                    )
    for message, ends in catchers.items():
        sent = message in throwers or message in elsewhere.throwers
        for end in [] if sent or not complete else ends:
            yield problem_at(
                end.file,
                end.element,
                f"{describe(end.element)} waits for the message '{message}', which no process "
                "of the bundle or of the deployed models sends: the case would wait there for "
                "ever",
            )


def _message_nodes(root: Element) -> Iterator[tuple[Element, Element, bool]]:
    """(node, its message definition, throws?) for every message event, send and receive task.

    As SpiffWorkflow reads them, a send or receive task carries its ``messageRef`` itself or in
    a nested message event definition."""
    for node in xpath(root, "bpmn:process//bpmn:*"):
        kind = bpmn_tag(node)
        definitions = xpath(node, "bpmn:messageEventDefinition")
        if kind in {"sendTask", "receiveTask"}:
            definition = node if node.get("messageRef") else next(iter(definitions), None)
            if definition is not None:
                yield node, definition, kind == "sendTask"
        elif kind in EVENTS and definitions:
            yield node, definitions[0], kind in {"intermediateThrowEvent", "endEvent"}


def _message_name(
    file: str, root: Element, node: Element, definition: Element
) -> tuple[str, Problem | None]:
    ref = definition.get("messageRef")
    what = describe(node)
    if not ref:
        if node.get("name"):
            return node.get("name", ""), None
        return "", Problem(file, node.get("id"), f"{what} names no message")
    found = xpath(root, "bpmn:message[@id=$ref]", ref=ref)
    if not found:
        return "", Problem(
            file, node.get("id"), f"{what} refers to the message '{ref}', which the file lacks"
        )
    if not found[0].get("name"):
        return "", Problem(file, ref, f"the message '{ref}' has no name to send or catch it by")
    return found[0].get("name", ""), None


def _message_correlations(root: Element) -> dict[str, dict[str, frozenset[str]]]:
    """Message id -> correlation key name -> the correlation properties retrieved from it."""
    keys = _keys_of_properties(root)
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for prop in xpath(root, ".//bpmn:correlationProperty"):
        prop_id = prop.get("id", "")
        for expression in xpath(prop, "bpmn:correlationPropertyRetrievalExpression"):
            for key in keys.get(prop_id) or ["MainCorrelationKey"]:
                found[expression.get("messageRef", "")][key].add(prop_id)
    return {
        message: {key: frozenset(props) for key, props in by_key.items()}
        for message, by_key in found.items()
    }


def _process_correlations(root: Element, definition: Element) -> dict[str, frozenset[str]]:
    """SpiffWorkflow's processVariableCorrelation: correlation on the process's own data."""
    keys = _keys_of_properties(root)
    found: dict[str, frozenset[str]] = {}
    for prop_id in xpath(definition, ".//spiff:processVariableCorrelation/spiff:propertyId"):
        prop = (prop_id.text or "").strip()
        for key in keys.get(prop) or ["MainCorrelationKey"]:
            found[key] = found.get(key, frozenset()) | {prop}
    return found


def _keys_of_properties(root: Element) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = defaultdict(list)
    for key in xpath(root, ".//bpmn:correlationKey"):
        for ref in xpath(key, "bpmn:correlationPropertyRef"):
            keys[(ref.text or "").strip()].append(key.get("name", ""))
    return keys


def correlation_text(end: MessageEnd) -> str:
    if not end.correlation:
        return "nothing"
    return "; ".join(
        f"key '{key}' ({', '.join(sorted(props))})"
        for key, props in sorted(end.correlation.items())
    )
