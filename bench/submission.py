"""Sending a task's form, the request people make most: its time over HTTP, its SQL statements,
what the engine alone spends on the same step, and what a finished case stores.

On SQLite (a fresh file) and, when GRANTFLOW_BENCH_DATABASE_URL or --database-url names a
scratch PostgreSQL database (dropped and created), on PostgreSQL: bench/ten_tasks deployed,
gunicorn serving with one sync worker, and one specialist signed in over HTTP who starts N cases
from "Start a case" and sends the ten tasks of each (after one case untimed). Only the POSTs that
send are timed, half of the cases with each of two clients, case by case in turn: the standard
library's http.client, which adds about as little as a browser does (the figure judged), and
httpx, which adds about a millisecond of its own in Python (printed beside it, as earlier runs
measured). The statements of a send are counted in this process (Flask's test client and a
listener on the app's engine, same database); the engine step is timed on a BpmnWorkflow that is
never saved. Targets are printed beside the figures, never asserted.

    .venv/bin/python -m bench.submission --cases 30 [--database-url URL] [--show-statements]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from flask import Flask
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import event, select

from app.extensions import db
from bench.common import (
    HTTP_TIMEOUT,
    PROCESS_ID,
    STEPS,
    TEN_TASKS,
    Page,
    bench_app,
    databases,
    machine_speed,
    p50_p95,
    scratch_database,
    server,
    sign_in,
    signed_in,
    work_case,
)
from workflows import bundles
from workflows.models import AuditEvent, WorkflowInstance
from workflows.services import SCRIPT_ENGINE

TARGET_P50_MS = {"SQLite": 5.0, "PostgreSQL": 8.0}
TARGET_STATEMENTS = 10
TARGET_STORED_BYTES = 10_000  # state + audit per finished case


@dataclass
class Figures:
    database: str
    p50_ms: float  # sent with http.client
    p95_ms: float
    max_ms: float
    httpx_p50_ms: float  # sent with httpx
    statements: int  # the median count of the sends of one case
    engine_step_us: float
    state_bytes: float  # per finished case
    audit_bytes: float  # per finished case
    sample: list[str] = field(default_factory=list)  # the statements of one send (the median's)

    @property
    def ratio(self) -> float:
        return 1000 * self.p50_ms / self.engine_step_us


Sender = Callable[[str, dict[str, str]], Page]


def timed_sends(base: str, cases: int) -> tuple[list[float], list[float]]:
    """Seconds of each send of ``cases`` cases over HTTP (after one case untimed): those sent
    with http.client, and those sent with httpx, a case each in turn."""
    plain: list[float] = []
    with_httpx: list[float] = []
    with signed_in(base) as client:

        def timed(seconds: list[float], post: Sender) -> Sender:
            def send(path: str, form: dict[str, str]) -> Page:
                began = time.perf_counter()
                sent = post(path, form)
                seconds.append(time.perf_counter() - began)
                return sent

            return send

        def by_httpx(path: str, form: dict[str, str]) -> Page:
            return client.post(path, data=form)

        def by_http_client(path: str, form: dict[str, str]) -> Page:
            return plain_post(client, path, form)

        work_case(client, by_httpx)
        for case in range(cases):
            work_case(
                client, timed(with_httpx, by_httpx) if case % 2 else timed(plain, by_http_client)
            )
    return plain, with_httpx


def plain_post(client: httpx.Client, path: str, form: dict[str, str]) -> Page:
    """POST ``form`` with http.client, on a connection of its own (gunicorn's sync workers
    close every connection after its request), with the session cookie ``client`` holds. The
    cookie the answer sets (a flash message) is left: the session stays signed in without it."""
    address = client.base_url
    connection = http.client.HTTPConnection(address.host, address.port, timeout=HTTP_TIMEOUT)
    cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies}
    try:
        connection.request("POST", path, body=urlencode(form), headers=headers)
        answer = connection.getresponse()
        content = answer.read()
    finally:
        connection.close()
    return httpx.Response(answer.status, headers=answer.getheaders(), content=content)


def statements_per_send(app: Flask) -> list[list[str]]:
    """The SQL statements of each send of one case, made in this process with Flask's test
    client (BEGIN and COMMIT are not cursor executions and do not count)."""
    with app.app_context():
        engine = db.engine
    sends: list[list[str]] = []
    recording: list[list[str]] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if recording:
            recording[0].append(statement)

    def watched(path: str, form: dict[str, str]) -> Page:
        recording.append([])
        try:
            return client.post(path, data=form)
        finally:
            sends.append(recording.pop())

    client = app.test_client()
    event.listen(engine, "before_cursor_execute", record)
    try:
        sign_in(client)
        work_case(client, watched)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sends


def engine_steps(cases: int) -> list[float]:
    """Seconds of each step in memory: complete the READY user task, run the engine on; the
    spec parsed by the project's parser (workflows.bundles), the workflow never saved."""
    spec, subprocess_specs = bundles.parse_bundle(bundles.read_bundle(TEN_TASKS)).specs[PROCESS_ID]
    seconds = []
    for _ in range(cases):
        workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)
        workflow.do_engine_steps()
        for step in range(1, STEPS + 1):
            (task,) = workflow.get_tasks(state=TaskState.READY, manual=True)
            began = time.perf_counter()
            task.task_spec.add_data_from_form(task, {"note": f"Step {step} done.", "count": step})
            task.run()
            workflow.do_engine_steps()
            seconds.append(time.perf_counter() - began)
        if not workflow.is_completed():
            raise RuntimeError("the in-memory workflow did not finish")
    return seconds


def stored_per_case(app: Flask) -> tuple[float, float]:
    """Bytes per finished case: its instance's state (JSON), and its audit events (data and
    summary), as workflows/bench.py counts them."""
    with app.app_context():
        finished = select(WorkflowInstance.id).where(
            WorkflowInstance.process_id == PROCESS_ID, WorkflowInstance.status == "completed"
        )
        states = db.session.scalars(
            select(WorkflowInstance.state).where(WorkflowInstance.id.in_(finished))
        ).all()
        audit = db.session.execute(
            select(AuditEvent.data, AuditEvent.summary).where(AuditEvent.instance_id.in_(finished))
        )
        audit_bytes = sum(len(json.dumps(data)) + len(summary) for data, summary in audit)
    return statistics.mean(len(json.dumps(state)) for state in states), audit_bytes / len(states)


def run(label: str, postgresql_url: str | None, cases: int, engine_step_us: float) -> Figures:
    with scratch_database(postgresql_url) as url, bench_app(url) as app:
        with server(url) as base:
            seconds, with_httpx = timed_sends(base, cases)
        state_bytes, audit_bytes = stored_per_case(app)
        sends = statements_per_send(app)
    p50, p95 = p50_p95(seconds)
    median = statistics.median_low(len(statements) for statements in sends)
    return Figures(
        database=label,
        p50_ms=p50,
        p95_ms=p95,
        max_ms=1000 * max(seconds),
        httpx_p50_ms=1000 * statistics.median(with_httpx),
        statements=median,
        engine_step_us=engine_step_us,
        state_bytes=state_bytes,
        audit_bytes=audit_bytes,
        sample=next(statements for statements in sends if len(statements) == median),
    )


def report(results: list[Figures], show_statements: bool) -> None:
    print(
        "| database | submission p50 / p95 (ms) | p50 with httpx (ms) | statements per submission"
        " | engine step in memory (µs) | ratio | state per finished case (KiB)"
        " | audit per case (KiB) |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for f in results:
        print(
            f"| {f.database} | {f.p50_ms:.1f} / {f.p95_ms:.1f} (max {f.max_ms:.1f})"
            f" | {f.httpx_p50_ms:.1f} | {f.statements} | {f.engine_step_us:.0f} | {f.ratio:.0f}×"
            f" | {f.state_bytes / 1024:.1f} | {f.audit_bytes / 1024:.1f} |"
        )
    print("\nTargets (printed, not asserted):")
    for f in results:
        target_ms = TARGET_P50_MS[f.database]
        stored = f.state_bytes + f.audit_bytes
        checks = [
            (f"submission p50 {f.p50_ms:.1f} ms, target ≤ {target_ms:g} ms", f.p50_ms <= target_ms),
            (
                f"{f.statements} statements per submission, target ≤ {TARGET_STATEMENTS}",
                f.statements <= TARGET_STATEMENTS,
            ),
            (
                f"{stored / 1000:.1f} KB stored per finished case (state + audit), target ≤ 10 KB",
                stored <= TARGET_STORED_BYTES,
            ),
        ]
        for said, met in checks:
            print(f"- {f.database}: {said}: {'met' if met else 'missed'}")
    if show_statements:
        for f in results:
            print(f"\nThe {len(f.sample)} statements of one submission on {f.database}:")
            for n, statement in enumerate(f.sample, 1):
                print(f"{n:3}. {' '.join(statement.split())[:80]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=30, help="cases timed per database")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (dropped!)")
    parser.add_argument("--show-statements", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    engine_step_us = 1e6 * statistics.median(engine_steps(args.cases))
    results = [
        run(label, url, args.cases, engine_step_us) for label, url in databases(args.database_url)
    ]
    report(results, args.show_statements)
    print(f"\n{machine_speed()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = [asdict(f) | {"ratio": f.ratio} for f in results]
        args.json.write_text(json.dumps({"cases": args.cases, "databases": figures}, indent=2))


if __name__ == "__main__":
    main()
