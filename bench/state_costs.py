"""What reading, writing and walking one case's state costs, beside what the libraries' own
ways cost: the state of an idea proposal left open at the deadline (as bench.timers fires
it), read and written through orjson (workflows/json_columns.py) and through the standard
library's json, and its tasks found by workflows/task_walk.py and by SpiffWorkflow's
get_tasks. In one process, the best of five runs of each: the comparison holds on a machine
whose speed swings between runs.

    .venv/bin/python -m bench.state_costs
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, text

from app.extensions import db
from bench.common import flask, machine_speed, scratch_database, server_env
from load.deadline_rush import Options, make_app, prepare_cases
from workflows import json_columns
from workflows.engine import load_workflow
from workflows.models import WorkflowInstance
from workflows.serializer import dump_state
from workflows.task_walk import READY, tasks_in


def best_us(work: Callable[[], Any], number: int = 300) -> float:
    return min(timeit.repeat(work, number=number, repeat=5)) / number * 1e6


def main() -> None:
    with scratch_database(None) as url:
        flask(server_env(url), "db", "upgrade")
        flask(server_env(url), "grantflow", "setup-demo")
        app = make_app(Options(database_url=url))
        prepare_cases(app, 1)
        with app.app_context():
            stored = db.session.execute(
                text("SELECT state FROM workflow_instances ORDER BY id DESC LIMIT 1")
            ).scalar_one()
            instance = db.session.scalars(
                select(WorkflowInstance).order_by(WorkflowInstance.id.desc())
            ).first()
            assert instance is not None
            workflow = load_workflow(instance)
            state = dump_state(workflow)
            rows = [
                ("read the state", lambda: json.loads(stored), lambda: json_columns.loads(stored)),
                ("write the state", lambda: json.dumps(state), lambda: json_columns.dumps(state)),
                (
                    "its ready tasks",
                    lambda: workflow.get_tasks(state=READY),
                    lambda: tasks_in(workflow, READY),
                ),
                ("all its tasks", workflow.get_tasks, lambda: tasks_in(workflow)),
            ]
            print(
                f"An idea proposal's state: {len(stored) / 1024:.1f} KiB, "
                f"{len(tasks_in(workflow))} tasks\n"
            )
            print("| | the library's way (µs) | grantflow's (µs) |")
            print("| --- | --- | --- |")
            for said, theirs, ours in rows:
                print(f"| {said} | {best_us(theirs):.0f} | {best_us(ours):.0f} |")
            load_us = best_us(lambda: load_workflow(instance), 50)
            dump_us = best_us(lambda: dump_state(workflow), 50)
            print(f"\nThe engine's serializer: load {load_us:.0f} µs, dump {dump_us:.0f} µs")
            db.engine.dispose()
    print(f"\n{machine_speed()}")


if __name__ == "__main__":
    main()
