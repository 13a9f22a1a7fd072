"""A process model's contract with the application, and the check that a version keeps it.

The application starts two kinds of instances of a model: one per case (the case process) and,
for models that have one, one per call (the call process). It gives each a known set of start
data, and the call process sends the cases the messages the contract names. A version that
drops or renames one of those processes, reads a name that neither it sets nor the start data
gives, or stops catching a message the call sends would fail a running call at its next request
(or leave its cases waiting for ever). ``check_contract`` finds each of those, naming the file
and the element; the deploy refuses the version.

Calls bound to the model that follow its current version ("bound calls") add one check: their
call process keeps running on the version it started on, so the messages it throws must still
be caught, correlated alike, by the new version's case process, and the new case process must
not wait for a message that call process never sends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from workflows.bpmn_xml import Element, xpath
from workflows.errors import Problem, Severity
from workflows.lint.elements import describe
from workflows.lint.messages import MessageEnd, correlates_alike, correlation_text, message_ends
from workflows.migration_data import describe_element, unset_reads
from workflows.models import ProcessModel

CONTRACT_FILE = "process model"  # what a problem of the contract itself names as its file


@dataclass(frozen=True)
class Contract:
    case_process: str
    call_process: str | None = None
    case_start_data: frozenset[str] = frozenset()
    call_start_data: frozenset[str] = frozenset()
    messages: tuple[str, ...] = ()  # sent by the call process to the cases

    @classmethod
    def of(cls, model: ProcessModel) -> Contract:
        return cls(
            case_process=model.case_process,
            call_process=model.call_process or None,
            case_start_data=frozenset(model.case_start_data or ()),
            call_start_data=frozenset(model.call_start_data or ()),
            messages=tuple(model.messages or ()),
        )

    @property
    def start_data(self) -> dict[str, frozenset[str]]:
        """Process id -> the names the application gives it at start."""
        given = {self.case_process: self.case_start_data}
        if self.call_process:
            given[self.call_process] = self.call_start_data
        return given


@dataclass(frozen=True)
class BoundCall:
    """A call that starts its new cases on the model's current version. ``call_documents`` are
    the BPMN files (name -> root) of the version its running call process is on, if it has one."""

    key: str
    call_documents: Mapping[str, Element] = field(default_factory=dict)


def check_contract(
    documents: Mapping[str, Element],
    specs: Mapping[str, tuple[Any, Mapping[str, Any]]],
    forms: Mapping[str, Any],
    contract: Contract,
    bound: Sequence[BoundCall] = (),
) -> list[Problem]:
    """Every way the bundle breaks the contract. ``documents`` are its BPMN files (name ->
    root), ``specs`` the processes the engine parsed (id -> (spec, subprocess specs))."""
    bpmn = {name: root for name, root in documents.items() if name.endswith(".bpmn")}
    defined = _defined_processes(bpmn)
    problems = list(_missing_processes(defined, contract, bound))
    problems += _unset_reads(specs, forms, contract, bound)
    problems += _contract_messages(bpmn, defined, contract)
    if contract.case_process in defined:
        problems += _bound_messages(bpmn, defined, contract, bound)
    return problems


def _defined_processes(bpmn: Mapping[str, Element]) -> dict[str, str]:
    """Process id -> the file that defines it."""
    return {
        process.get("id", ""): name
        for name, root in sorted(bpmn.items())
        for process in xpath(root, "bpmn:process")
    }


def _calls_text(bound: Sequence[BoundCall]) -> str:
    if not bound:
        return ""
    keys = ", ".join(call.key for call in bound)
    return f" (bound calls: {keys})"


def _missing_processes(
    defined: Mapping[str, str], contract: Contract, bound: Sequence[BoundCall]
) -> Iterable[Problem]:
    roles = [("case", contract.case_process), ("call", contract.call_process)]
    for role, process in roles:
        if not process or process in defined:
            continue
        found = ", ".join(f"'{p}' ({file})" for p, file in sorted(defined.items())) or "none"
        yield Problem(
            CONTRACT_FILE,
            process,
            f"the {role} process '{process}' of the contract is missing: the application starts "
            f"one per {role} with that id{_calls_text(bound)}. The files define: {found}. "
            "Keep the process id, or change the model's contract",
        )


def _unset_reads(
    specs: Mapping[str, tuple[Any, Mapping[str, Any]]],
    forms: Mapping[str, Any],
    contract: Contract,
    bound: Sequence[BoundCall],
) -> Iterable[Problem]:
    for process, given in contract.start_data.items():
        if process not in specs:
            continue
        spec = specs[process][0]
        # A process the application gives start data must not read past it: an error. One it
        # gives nothing (a SpiffArena model, a process other models call with their data) may
        # get the name from a caller: a warning, and an incident if it is missing when reached.
        severity: Severity = "error" if given else "warning"
        for name, readers in unset_reads(spec, dict(forms), given).items():
            for reader in readers:
                yield Problem(
                    spec.file or CONTRACT_FILE,
                    getattr(reader, "bpmn_id", None) or reader.name,
                    f"{describe_element(reader)} reads '{name}', which the process never sets "
                    f"and its start data does not give{_calls_text(bound)}: it would fail when "
                    f"reached. The contract gives: {', '.join(sorted(given)) or 'nothing'}",
                    severity=severity,
                )


def _contract_messages(
    bpmn: Mapping[str, Element], defined: Mapping[str, str], contract: Contract
) -> Iterable[Problem]:
    """The call process sends every message the contract names; the case process catches it."""
    ends = message_ends(sorted(bpmn.items()))
    sides = [(contract.case_process, False, "catches")]
    if contract.call_process:
        sides.append((contract.call_process, True, "sends"))
    for message in contract.messages:
        for process, throwing, verb in sides:
            if process not in defined:
                continue  # reported as a missing process
            if message not in ends.of_process(process, throwing=throwing):
                yield Problem(
                    defined[process],
                    process,
                    f"the process '{process}' no longer {verb} the message '{message}' the "
                    "model's contract names: the cases would never get it",
                )


def _bound_messages(
    bpmn: Mapping[str, Element],
    defined: Mapping[str, str],
    contract: Contract,
    bound: Sequence[BoundCall],
) -> Iterable[Problem]:
    """Against each bound call's running call process, which stays on its own version."""
    if not contract.call_process:
        return
    new_catchers = message_ends(sorted(bpmn.items())).of_process(
        contract.case_process, throwing=False
    )
    for call in bound:
        if not call.call_documents:
            continue
        senders = message_ends(sorted(call.call_documents.items())).of_process(
            contract.call_process, throwing=True
        )
        for message, throwers in senders.items():
            catchers = new_catchers.get(message, [])
            if not catchers and message not in contract.messages:  # else reported already
                yield _lost(defined[contract.case_process], contract, call, throwers[0])
            for thrower in throwers:
                for catcher in catchers:
                    if not correlates_alike(thrower, catcher):
                        yield Problem(
                            catcher.file,
                            catcher.id,
                            f"{describe(catcher.element)} expects '{message}' correlated on "
                            f"{correlation_text(catcher)}, but the call {call.key} sends it "
                            f"correlated on {correlation_text(thrower)}: it would never arrive",
                        )
        for message, catchers in new_catchers.items():
            if message not in senders:
                catcher = catchers[0]
                yield Problem(
                    catcher.file,
                    catcher.id,
                    f"{describe(catcher.element)} waits for the message '{message}', which the "
                    f"running call process of the call {call.key} never sends: new cases "
                    "would wait there for ever",
                )


def _lost(file: str, contract: Contract, call: BoundCall, thrower: MessageEnd) -> Problem:
    return Problem(
        file,
        contract.case_process,
        f"the case process no longer catches the message '{thrower.message}', which the "
        f"running call process of the call {call.key} sends ({thrower.describe()}): new cases "
        "would never get it",
    )
