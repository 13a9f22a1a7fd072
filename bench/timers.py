"""How fast the worker drains due timers: N applicants each have an idea proposal open when
the idea deadline passes, so each case's interrupting deadline timer fires and closes it as
late (lock the instance, run the engine, save, sync the case, notices, audit: one transaction
per case), as the worker's timer pass does after a deadline.

On SQLite (a fresh file) and, with --database-url or GRANTFLOW_BENCH_DATABASE_URL, on a
scratch PostgreSQL database (dropped and created). One worker, in this process.

    .venv/bin/python -m bench.timers --cases 500 [--database-url URL]
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import sessionmaker

from app.cases.models import Case
from app.extensions import db
from app.heap import settle_heap
from bench.common import databases, flask, machine_speed, scratch_database, server_env
from load.deadline_rush import DEADLINE, Options, make_app, prepare_cases, set_clock
from workflows.worker import Settings, fire_timers

TARGET_PER_SECOND = 200


@dataclass
class Figures:
    database: str
    cases: int
    closed_late: int
    seconds: float
    statements: int  # the SQL statements of the whole drain (BEGIN and COMMIT not counted)
    # by kind and table ("UPDATE workflow_instances"), the most frequent first
    statement_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.closed_late / self.seconds

    @property
    def statements_per_timer(self) -> float:
        return self.statements / max(self.closed_late, 1)


_VERB = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM|SELECT)\s+([\w.\"]+)", re.IGNORECASE)
_FIRST_FROM = re.compile(r"\bFROM\s+([\w.\"]+)", re.IGNORECASE)


def statement_kind(statement: str) -> str:
    """A statement's kind and table: "UPDATE workflow_instances", "SELECT timers" (its first
    FROM), "SAVEPOINT"."""
    found = _VERB.match(statement)
    if found is None:
        return " ".join(statement.split()[:1]).upper() or "?"
    verb, table = found.group(1).upper(), found.group(2)
    if verb == "SELECT":
        first_from = _FIRST_FROM.search(statement)
        table = first_from.group(1) if first_from else ""
    return f"{verb} {table.strip(chr(34))}".strip()


@contextmanager
def counting(engine: Engine) -> Iterator[Counter[str]]:
    """The statements ``engine`` runs in the block, by kind."""
    kinds: Counter[str] = Counter()

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        kinds[statement_kind(statement)] += 1

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield kinds
    finally:
        event.remove(engine, "before_cursor_execute", record)


def run(label: str, postgresql_url: str | None, cases: int) -> Figures:
    with scratch_database(postgresql_url) as url:
        flask(server_env(url), "db", "upgrade")
        flask(server_env(url), "grantflow", "setup-demo")
        app = make_app(Options(database_url=url))
        try:
            prepare_cases(app, cases)
            set_clock(app, DEADLINE + timedelta(seconds=1))
            with app.app_context():
                factory = sessionmaker(db.engine)
                engine = db.engine
            settings = Settings(timer_grace=timedelta(0))
            settle_heap()  # as the worker's process does when it starts
            with counting(engine) as kinds:
                began = time.perf_counter()
                while fire_timers(factory, settings):
                    pass
                seconds = time.perf_counter() - began
            gc.unfreeze()
            with app.app_context():
                closed = db.session.scalar(
                    select(func.count()).select_from(Case).where(Case.closed.is_(True))
                )
        finally:
            with app.app_context():
                db.engine.dispose()
    return Figures(
        label, cases, int(closed or 0), seconds, kinds.total(), dict(kinds.most_common())
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (dropped!)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = [run(label, url, args.cases) for label, url in databases(args.database_url)]
    print(
        "| database | cases | closed as late | seconds | timers per second (one worker)"
        " | SQL statements per timer |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for f in results:
        row = [
            f.database,
            f.cases,
            f.closed_late,
            f"{f.seconds:.1f}",
            f"{f.per_second:.0f}",
            f"{f.statements_per_timer:.1f}",
        ]
        print("| " + " | ".join(str(cell) for cell in row) + " |")
    for f in results:
        print(f"\nThe statements of the drain on {f.database}, per timer fired:")
        for kind, n in f.statement_kinds.items():
            print(f"- {kind}: {n / max(f.closed_late, 1):.2f}")
    print(f"\nTarget (printed, not asserted): ≥ {TARGET_PER_SECOND} timers per second per worker")
    for f in results:
        met = "met" if f.per_second >= TARGET_PER_SECOND else "missed"
        print(f"- {f.database}: {f.per_second:.0f} per second: {met}")
    print(f"\n{machine_speed()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(f) for f in results], indent=2))


if __name__ == "__main__":
    main()
