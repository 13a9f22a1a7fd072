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
import json
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from app.cases.models import Case
from app.extensions import db
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

    @property
    def per_second(self) -> float:
        return self.closed_late / self.seconds


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
            settings = Settings(timer_grace=timedelta(0))
            began = time.perf_counter()
            while fire_timers(factory, settings):
                pass
            seconds = time.perf_counter() - began
            with app.app_context():
                closed = db.session.scalar(
                    select(func.count()).select_from(Case).where(Case.closed.is_(True))
                )
        finally:
            with app.app_context():
                db.engine.dispose()
    return Figures(label, cases, int(closed or 0), seconds)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (dropped!)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results = [run(label, url, args.cases) for label, url in databases(args.database_url)]
    print("| database | cases | closed as late | seconds | timers per second (one worker) |")
    print("| --- | --- | --- | --- | --- |")
    for f in results:
        row = [f.database, f.cases, f.closed_late, f"{f.seconds:.1f}", f"{f.per_second:.0f}"]
        print("| " + " | ".join(str(cell) for cell in row) + " |")
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
