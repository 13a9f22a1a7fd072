"""`flask grantflow ...`: set up the demo, serve with the worker, run the worker, move a clock,
replay the 2021 call."""

from __future__ import annotations

import os
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select
from werkzeug.serving import run_simple

from app import worker
from app.calls.models import Call
from app.calls.operations import next_timer_at
from app.calls.queries import get_call_by_key
from app.demo import DEMO_CALL, deploy_folder, setup_demo
from app.extensions import current_session, db
from app.processes.model_operations import ModelRefused
from app.processes.operations import deploy_files
from app.replay import ReplayRefused, prepare_replay, replay_of
from app.timefmt import format_helsinki
from workflows import SYSTEM, BundleRefused, clock_now, read_bundle, set_rehearsal_time
from workflows.models import ProcessModel

BPMN_FOLDER = Path(__file__).resolve().parent.parent / "bpmn"
_ONE_SECOND = timedelta(seconds=1)
grantflow = AppGroup("grantflow", help="grantflow commands.")


@grantflow.command("setup-demo")
def setup_demo_command() -> None:
    """Deploy bpmn/, create the demo accounts and the demo call (safe to run again)."""
    try:
        said = setup_demo(current_session(), BPMN_FOLDER)
    except (BundleRefused, ModelRefused, ValueError) as err:
        raise click.ClickException(str(err)) from None
    for line in said:
        click.echo(line)
    db.session.commit()


@grantflow.command("deploy")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--model", "model_id", help="The process model (default: FOLDER/model.json).")
def deploy_command(folder: Path, model_id: str | None) -> None:
    """Validate and deploy the process files of FOLDER as the current version of its model."""
    session = current_session()
    try:
        if model_id is None:
            version, created = deploy_folder(session, folder, "cli")
        else:
            model = session.get(ProcessModel, model_id)
            if model is None:
                raise click.ClickException(f"there is no process model {model_id!r}")
            version, created = deploy_files(session, read_bundle(folder), model, "cli")
    except FileNotFoundError:
        raise click.ClickException(
            f"{folder} has no model.json: name the process model with --model"
        ) from None
    except BundleRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(
        f"{version.content_hash[:12]} " + ("deployed" if created else "was already deployed")
    )


@grantflow.command("clock")
@click.argument("call_key")
@click.option("--to", "moment", help="ISO time with offset, e.g. 2021-04-15T16:16:00+03:00")
@click.option("--next", "to_next", is_flag=True, help="Move just past the next timer of the call.")
def clock_command(call_key: str, moment: str | None, to_next: bool) -> None:
    """Show or move the rehearsal clock of a call; due timers fire at once."""
    call = db.session.scalar(select(Call).where(Call.key == call_key))
    if call is None:
        raise click.ClickException(f"no call {call_key!r}")
    if moment or to_next:
        if not call.clock.rehearsal:
            raise click.ClickException("this call runs on real time; its clock cannot be moved")
        target = _target(call, moment)
        set_rehearsal_time(call.clock, target)
        db.session.commit()
        click.echo(f"clock set to {format_helsinki(target, seconds=True)}")
        fired = worker.run_due_work(current_app._get_current_object())  # type: ignore[attr-defined]
        click.echo(f"{fired} instance(s) advanced")
    click.echo(f"{call.key}: {format_helsinki(clock_now(call.clock), seconds=True)}")
    upcoming = next_timer_at(current_session(), call)
    click.echo(f"next timer: {format_helsinki(upcoming, seconds=True) if upcoming else 'none'}")


def _target(call: Call, moment: str | None) -> datetime:
    if moment:
        parsed = datetime.fromisoformat(moment)
        if parsed.tzinfo is None:
            raise click.ClickException("give the time with its offset, e.g. +03:00")
        return parsed
    upcoming = next_timer_at(current_session(), call)
    if upcoming is None:
        raise click.ClickException("the call has no waiting timer")
    return upcoming.replace(microsecond=0) + _ONE_SECOND


@grantflow.command("replay-2021")
@click.option("--call-key", default=DEMO_CALL, show_default=True, help="The call to replay.")
@click.option("--seed", default=2021, show_default=True, help="Another seed, another story.")
def replay_command(call_key: str, seed: int) -> None:
    """Replay the 2021 call with made-up applicants on its rehearsal clock: 45 ideas, 37
    applications, 18 funded with the whole budget by the Government plenary on 29.6.2021, a
    decision letter to each. Runs in the call while nothing has happened in it (as setup-demo
    leaves it, for about a day), else in a fresh rehearsal copy of it."""
    session = current_session()
    call = get_call_by_key(session, call_key)
    if call is None:
        raise click.ClickException(f"no call {call_key!r}")
    try:
        target, copied = prepare_replay(session, call, SYSTEM, seed=seed)
        replay = replay_of(session, target, seed=seed)
    except ReplayRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    if copied:
        click.echo(f"{call_key} has cases or its clock has moved on: replaying in {target.key}")
    try:
        summary = worker.run_replay(session, replay, SYSTEM)
    except Exception as failure:  # noqa: BLE001 - said, and written into the call's history
        raise click.ClickException(f"the replay stopped: {failure}") from failure
    for line in summary.lines():
        click.echo(line)


@grantflow.command("worker")
@click.option("--once", is_flag=True, help="One pass, then exit.")
def worker_command(once: bool) -> None:
    """Run the timer/outbox worker in the foreground until SIGTERM or Ctrl-C (the pass under
    way is finished first): a process of its own beside gunicorn, e.g. under systemd
    (deploy/grantflow-worker.service)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if once:
        click.echo(worker.run_once(app))
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda _signum, _frame: stop.set())
    niceness = worker.yield_to_web(int(app.config["WORKER_NICENESS"]))
    click.echo(f"grantflow worker {os.getpid()}: started at niceness {niceness}", err=True)
    passes = worker.run_until_stopped(app, stop)
    click.echo(f"grantflow worker {os.getpid()}: stopped after {passes} passes", err=True)


@grantflow.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve_command(host: str, port: int) -> None:
    """Serve the app with the worker running beside it in the same process."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = worker.start(app)
    try:
        run_simple(host, port, app, threaded=True)
    finally:
        stop.set()


def init_app(app: Flask) -> None:
    app.cli.add_command(grantflow)
