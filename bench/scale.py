"""Does a request cost more when the call is bigger? "My tasks" and a send, over HTTP, with a
few hundred or 100,000 cases open.

For each size S: a fresh database with bench/ten_tasks deployed, its standing context, and S
open cases each waiting at step_1 for the specialists. The first REAL_CASES are started by the
app's own operation (start_case in the model's standing call, as "Start a case" does; about 100
cases/s), the rest are copies of the first made in bulk: one INSERT … SELECT per table over a
series of numbers (generate_series on PostgreSQL, a recursive CTE on SQLite), copying its
instance (state included), case, task index row, notice and audit event. A copy keeps the task
ids of the state it copies (unique per instance), so it agrees with itself; the sends are made
on the real cases. Then gunicorn (one sync worker) serves, and the specialist, signed in over
HTTP, opens My tasks (every group task they may take) 50 times, then sends step_1 of each real
case. Targets are printed beside the figures, never asserted. My tasks shows a page of 50 and
counts up to 1,000, so the page should cost the same at any size.

    .venv/bin/python -m bench.scale --open-cases 200,100000 [--database-url URL]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases import operations as cases
from app.cases.models import Case
from app.extensions import current_session
from bench.common import (
    MODEL_ID,
    USERNAME,
    bench_app,
    databases,
    open_task,
    p50_p95,
    redirected,
    scratch_database,
    send_form,
    server,
    signed_in,
)
from workflows.models import Base, HumanTask, ProcessModel, WorkflowInstance

REAL_CASES = 20
TARGET_RATIO = 1.3
TARGET_INBOX_P95_MS = 50.0  # at 100,000 open cases on PostgreSQL
SERIES = {
    "postgresql": "series(g) AS (SELECT generate_series(1, :copies))",
    "sqlite": "RECURSIVE series(g) AS"
    " (SELECT 1 UNION ALL SELECT g + 1 FROM series WHERE g < :copies)",
}
# The rows of a case waiting at step_1, by table (in insert order): the columns copy number g
# computes (None: the database numbers it); the other columns are copied as they are.
COPIED: dict[str, dict[str, str | None]] = {
    "workflow_instances": {
        "id": ":last_instance + g",
        "correlation_key": "'case-' || (:last_case + g)",
    },
    "cases": {"id": ":last_case + g", "instance_id": ":last_instance + g"},
    "human_tasks": {"id": None, "instance_id": ":last_instance + g"},
    "timers": {"id": None, "instance_id": ":last_instance + g"},
    "message_waits": {"id": None, "instance_id": ":last_instance + g"},
    "notices": {
        "id": None,
        "instance_id": ":last_instance + g",
        "case_id": "CASE WHEN case_id IS NULL THEN NULL ELSE :last_case + g END",
    },
    "audit_events": {"id": None, "instance_id": ":last_instance + g"},
}


@dataclass
class Figures:
    open_cases: int
    seeding_s: float
    inbox_p50_ms: float
    inbox_p95_ms: float
    page_kb: float
    tasks_listed: int
    send_p50_ms: float
    send_p95_ms: float


def seed(app: Flask, size: int) -> tuple[float, list[str]]:
    """``size`` open cases: REAL_CASES started by the app, the rest copied from the first.
    Returns the seconds it took and the paths of the real cases' step_1 tasks."""
    began = time.perf_counter()
    paths = []
    with app.app_context():
        session = current_session()
        user = session.scalars(select(User).where(User.username == USERNAME)).one()
        call = cases.standing_call(session, session.get_one(ProcessModel, MODEL_ID))
        for _ in range(REAL_CASES):
            case = cases.start_case(session, call, user)
            session.commit()  # one transaction per case, as the view does
            task_id = session.scalar(
                select(HumanTask.task_id).where(HumanTask.instance_id == case.instance_id)
            )
            paths.append(f"/tasks/{case.instance_id}/{task_id}")
        copy_case(session, int(paths[0].split("/")[2]), size - REAL_CASES)
        session.commit()
    return time.perf_counter() - began, paths


def copy_case(session: Session, instance_id: int, copies: int) -> None:
    """``copies`` copies of the case of ``instance_id``, in bulk."""
    if copies <= 0:
        return
    case_id = session.scalars(select(Case.id).where(Case.instance_id == instance_id)).one()
    uncopied = rows_not_copied(session, instance_id, case_id)
    if uncopied:
        raise RuntimeError(f"the case has rows in tables this bench does not copy: {uncopied}")
    dialect = session.get_bind().dialect
    quote = dialect.identifier_preparer.quote
    params = {
        "copies": copies,
        "source": instance_id,
        "last_instance": session.scalar(select(func.max(WorkflowInstance.id))),
        "last_case": session.scalar(select(func.max(Case.id))),
    }
    for name, computed in COPIED.items():
        table = Base.metadata.tables[name]
        columns = [c.name for c in table.columns if computed.get(c.name, c.name) is not None]
        values = [computed.get(column) or quote(column) for column in columns]
        key = "id" if name == "workflow_instances" else "instance_id"
        session.execute(
            text(
                f"WITH {SERIES[dialect.name]} INSERT INTO {name} ({', '.join(map(quote, columns))})"
                f" SELECT {', '.join(values)} FROM {name} CROSS JOIN series"
                f" WHERE {name}.{key} = :source"
            ),
            params,
        )
    if dialect.name == "postgresql":  # the copies took their ids by hand
        for name in ("workflow_instances", "cases"):
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), max(id)) FROM {name}")
            )
        session.commit()
        # What autovacuum soon does after a bulk load (statistics, the visibility map), done
        # now so that it does not run in the middle of the measured requests.
        with session.connection().engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )


def rows_not_copied(session: Session, instance_id: int, case_id: int) -> list[str]:
    """Tables not in COPIED that hold rows of the instance or the case (a case grew rows)."""
    sources = {"workflow_instances": instance_id, "cases": case_id}
    found = []
    for table in Base.metadata.sorted_tables:
        if table.name in COPIED:
            continue
        for key in table.foreign_keys:
            source = sources.get(key.column.table.name)
            if source is not None and session.scalar(
                select(func.count()).select_from(table).where(key.parent == source)
            ):
                found.append(table.name)
    return found


def measure(
    base: str, paths: list[str], inbox_requests: int
) -> tuple[list[float], int, int, list[float]]:
    """Over HTTP as the specialist: the seconds of each My tasks page (after one untimed), its
    size in bytes and the tasks it lists; the seconds of each send of step_1."""
    inbox, sends = [], []
    with signed_in(base) as client:
        client.get("/tasks")
        for _ in range(inbox_requests):
            began = time.perf_counter()
            page = client.get("/tasks")
            inbox.append(time.perf_counter() - began)
            if page.status_code != 200:
                raise RuntimeError(f"My tasks: {page.status_code}: {page.text[:500]}")
        listed = len(set(re.findall(r"/tasks/\d+/[0-9a-f-]{36}", page.text)))
        for path in paths:
            form = send_form(1, open_task(client, path))
            began = time.perf_counter()
            sent = client.post(path, data=form)
            sends.append(time.perf_counter() - began)
            redirected(sent, f"sending {path}")
    return inbox, len(page.content), listed, sends


def run(postgresql_url: str | None, size: int, inbox_requests: int) -> Figures:
    with scratch_database(postgresql_url) as url, bench_app(url) as app:
        seeding, paths = seed(app, size)
        with server(url) as base:
            inbox, page_bytes, listed, sends = measure(base, paths, inbox_requests)
    inbox_p50, inbox_p95 = p50_p95(inbox)
    send_p50, send_p95 = p50_p95(sends)
    return Figures(
        size, seeding, inbox_p50, inbox_p95, page_bytes / 1000, listed, send_p50, send_p95
    )


def report(label: str, rows: list[Figures]) -> None:
    print(f"\n{label}\n")
    print(
        "| open cases | My tasks p50 / p95 (ms) | page KB | tasks listed"
        " | submission p50 / p95 (ms) | seeding (s) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for f in rows:
        print(
            f"| {f.open_cases:,} | {f.inbox_p50_ms:.1f} / {f.inbox_p95_ms:.1f} | {f.page_kb:,.0f}"
            f" | {f.tasks_listed:,} | {f.send_p50_ms:.1f} / {f.send_p95_ms:.1f}"
            f" | {f.seeding_s:.1f} |"
        )
    small, large = min(rows, key=lambda f: f.open_cases), max(rows, key=lambda f: f.open_cases)
    if small is large:
        return
    inbox = (large.inbox_p50_ms / small.inbox_p50_ms, large.inbox_p95_ms / small.inbox_p95_ms)
    send = (large.send_p50_ms / small.send_p50_ms, large.send_p95_ms / small.send_p95_ms)
    print(
        f"| ratio {large.open_cases:,} / {small.open_cases:,} | {inbox[0]:.1f}× / {inbox[1]:.1f}×"
        f" | {large.page_kb / small.page_kb:.1f}× | | {send[0]:.1f}× / {send[1]:.1f}× | |"
    )
    print("\nTargets (printed, not asserted):")
    for what, ratio in (("My tasks", inbox[0]), ("submission", send[0])):
        verdict = "met" if ratio <= TARGET_RATIO else "missed"
        print(
            f"- {what} p50 {ratio:.1f}× from the smallest to the largest, target ≤ 1.3×: {verdict}"
        )
    at_100k = next((f for f in rows if f.open_cases == 100_000), None)
    if label == "PostgreSQL" and at_100k is not None:
        verdict = "met" if at_100k.inbox_p95_ms <= TARGET_INBOX_P95_MS else "missed"
        print(
            f"- My tasks p95 {at_100k.inbox_p95_ms:.1f} ms at 100,000 open cases, target ≤ 50 ms:"
            f" {verdict}"
        )


def sizes(value: str) -> list[int]:
    found = sorted({int(size.replace("_", "")) for size in value.split(",")})
    if found[0] < REAL_CASES:
        raise argparse.ArgumentTypeError(f"each size must be at least {REAL_CASES}")
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open-cases", type=sizes, default=[200, 100_000], help="e.g. 200,20000")
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (dropped!)")
    parser.add_argument("--inbox-requests", type=int, default=50, help="My tasks pages timed")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = {}
    for label, url in databases(args.database_url):
        results[label] = [run(url, size, args.inbox_requests) for size in args.open_cases]
        report(label, results[label])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {label: [asdict(f) for f in rows] for label, rows in results.items()}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
