"""Sequence-flow coverage of the BPMN processes, measured while the tests run.

A pytest plugin, hooked in by importing its hook functions into ``tests/conftest.py``. At
configure it reads every ``bpmn/*.bpmn`` and registers an observer on the engine
(``workflows.engine.observers``) that collects the sequence flows each saved workflow has taken
(``workflows.coverage.taken_edges``), per process id, over the whole session. The terminal
summary prints, per process::

    funding_application: 34/34 sequence flows taken (100.0%)

and, with ``--flow-coverage`` or ``-v``, lists every flow not taken with the names of its source
and target elements.

``--flow-coverage=PERCENT`` makes the run fail (exit status 1) when a process is below PERCENT,
but only when the run was not narrowed: not with ``-k``, ``-m``, ``--deselect`` or ``--lf``,
and not with explicit paths or node ids other than the configured ``testpaths``. A narrowed run
still prints the summary and says that the threshold was not enforced. A run whose tests
failed keeps its own exit status. Not meant for pytest-xdist: each worker would measure only
its share of the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow

from workflows import engine
from workflows.bpmn_xml import parse_xml
from workflows.coverage import sequence_flows, taken_edges

BPMN_FOLDER = Path(__file__).resolve().parents[1] / "bpmn"


@dataclass
class ProcessCoverage:
    process_id: str
    flows: dict[str, tuple[str, str]]
    names: dict[str, str]
    taken: set[tuple[str, str]] = field(default_factory=set)

    @property
    def untaken(self) -> list[str]:
        return [flow for flow, edge in self.flows.items() if edge not in self.taken]

    @property
    def taken_count(self) -> int:
        return len(self.flows) - len(self.untaken)

    @property
    def percent(self) -> float:
        return 100.0 * self.taken_count / len(self.flows) if self.flows else 100.0

    def describe(self, flow_id: str) -> str:
        source, target = self.flows[flow_id]
        return f"{flow_id}: {self.names.get(source, source)} -> {self.names.get(target, target)}"


@dataclass
class FlowCoverage:
    processes: dict[str, ProcessCoverage]
    threshold: float | None = None
    narrowed_by: str | None = None
    observed: bool = False
    failed: list[ProcessCoverage] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> FlowCoverage:
        processes = {}
        for path in sorted(folder.glob("*.bpmn")):
            text = path.read_text("utf-8")
            root = parse_xml(path.name, text)
            names = {
                element.get("id"): element.get("name") or element.get("id")
                for element in root.iter()
                if isinstance(element.tag, str) and element.get("id")
            }
            for process_id, flows in sequence_flows(path.name, text).items():
                processes[process_id] = ProcessCoverage(process_id, flows, names)
        return cls(processes)

    def observe(self, process_id: str, workflow: BpmnWorkflow) -> None:
        process = self.processes.get(process_id)
        if process is not None:
            process.taken |= taken_edges(workflow)
            self.observed = True


_COVERAGE = pytest.StashKey[FlowCoverage]()


def _narrowed_by(config: pytest.Config) -> str | None:
    """Why the run does not run the whole suite, or None if it does."""
    option = config.option
    for flag, value in (
        ("-k", getattr(option, "keyword", "")),
        ("-m", getattr(option, "markexpr", "")),
        ("--deselect", getattr(option, "deselect", None)),
        ("--lf", getattr(option, "lf", False)),
    ):
        if value:
            return flag
    if config.args_source != pytest.Config.ArgsSource.TESTPATHS:
        testpaths = {(config.rootpath / path).resolve() for path in config.getini("testpaths")}
        given = {(config.invocation_params.dir / arg).resolve() for arg in config.args}
        if given != testpaths:
            return "explicit paths or node ids"
    return None


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("flow coverage").addoption(
        "--flow-coverage",
        type=float,
        default=None,
        metavar="PERCENT",
        help="fail the run if a BPMN process has less than PERCENT of its sequence flows taken "
        "(not enforced when the run is narrowed by -k, -m, --deselect, --lf or paths)",
    )


def pytest_configure(config: pytest.Config) -> None:
    coverage = FlowCoverage.read(BPMN_FOLDER)
    coverage.threshold = config.getoption("flow_coverage", None)
    config.stash[_COVERAGE] = coverage
    engine.observers.append(coverage.observe)


def pytest_unconfigure(config: pytest.Config) -> None:
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is not None and coverage.observe in engine.observers:
        engine.observers.remove(coverage.observe)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    coverage = session.config.stash.get(_COVERAGE, None)
    if coverage is None or coverage.threshold is None:
        return
    coverage.narrowed_by = _narrowed_by(session.config)
    if coverage.narrowed_by is not None:
        return
    coverage.failed = [
        process for process in coverage.processes.values() if process.percent < coverage.threshold
    ]
    if coverage.failed and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    coverage = config.stash.get(_COVERAGE, None)
    if coverage is None or not (coverage.observed or coverage.threshold is not None):
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("-", "BPMN sequence-flow coverage")
    for process_id in sorted(coverage.processes):
        process = coverage.processes[process_id]
        write(
            f"{process_id}: {process.taken_count}/{len(process.flows)} sequence flows taken "
            f"({process.percent:.1f}%)"
        )
        if config.get_verbosity() > 0 or coverage.threshold is not None:
            for flow_id in process.untaken:
                write(f"    not taken: {process.describe(flow_id)}")
    if coverage.threshold is None:
        return
    if coverage.narrowed_by is not None:
        write(
            f"--flow-coverage={coverage.threshold:g} not enforced: "
            f"the run was narrowed ({coverage.narrowed_by})."
        )
    elif coverage.failed:
        below = ", ".join(f"{p.process_id} {p.percent:.1f}%" for p in coverage.failed)
        write(
            f"FAIL: required flow coverage of {coverage.threshold:g}% not reached: {below}",
            red=True,
            bold=True,
        )
