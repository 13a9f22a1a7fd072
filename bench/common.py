"""What the benchmarks share: a scratch database with bench/ten_tasks deployed and a specialist to
work on it, the app in this process, gunicorn as deployed with one sync worker, and the pages a
person goes through (sign in, start a case, open and send a task), for an httpx client and for
Flask's test client alike."""

from __future__ import annotations

import math
import os
import re
import secrets
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

import httpx
from flask import Flask

from app import create_app
from app.auth.operations import create_user
from app.extensions import db
from load.deadline_rush import BIN, ROOT, csrf, drop_database, flask, free_port, recreate_database

TEN_TASKS = Path(__file__).resolve().parent / "ten_tasks"
MODEL_ID = "ten-tasks"
PROCESS_ID = "ten_tasks"
STEPS = 10
USERNAME = "bench"
PASSWORD = "bench specialist"
SECRET_KEY = secrets.token_hex(16)
HTTP_TIMEOUT = 300.0  # seconds: My tasks over 100,000 open cases is slow today


class Page(Protocol):
    """A response, as both clients give it."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def headers(self) -> Any: ...


class Browser(Protocol):
    """httpx.Client or Flask's test client: what the page functions below use."""

    def get(self, url: str) -> Any: ...

    def post(self, url: str, *, data: dict[str, str]) -> Any: ...


def machine_speed() -> str:
    """A line saying how fast this machine runs plain Python (the best of five runs of a million
    additions), printed with the figures: the same code measured on machines as far apart as
    three times, and the targets were set on the faster."""
    best = math.inf
    for _ in range(5):
        began = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        best = min(best, time.perf_counter() - began)
    cores = os.cpu_count()
    return f"This machine: {cores} cores; a million additions in plain Python: {1000 * best:.0f} ms"


def databases(given: str | None) -> list[tuple[str, str | None]]:
    """(label, scratch PostgreSQL URL, or None for a SQLite file) of each database to run on."""
    url = given or os.environ.get("GRANTFLOW_BENCH_DATABASE_URL")
    return [("SQLite", None)] + ([("PostgreSQL", url)] if url else [])


@contextmanager
def scratch_database(postgresql_url: str | None) -> Iterator[str]:
    """A fresh, empty database, removed afterwards: a SQLite file in a temporary folder, or the
    PostgreSQL database ``postgresql_url`` names (dropped and created); yields its URL."""
    if postgresql_url is None:
        with tempfile.TemporaryDirectory(prefix="grantflow-bench-") as folder:
            yield f"sqlite:///{folder}/bench.sqlite"
        return
    recreate_database(postgresql_url)
    try:
        yield postgresql_url
    finally:
        drop_database(postgresql_url)


def server_env(url: str) -> dict[str, str]:
    # gunicorn serves plain HTTP here: cookies without Secure, or the client loses them.
    return os.environ | {
        "DATABASE_URL": url,
        "GRANTFLOW_SECRET_KEY": SECRET_KEY,
        "GRANTFLOW_HTTPS": "false",
    }


@contextmanager
def bench_app(url: str) -> Iterator[Flask]:
    """Migrate the schema and deploy bench/ten_tasks through the CLI, as an operator would,
    create the specialist; yields the app in this process, on that database."""
    flask(server_env(url), "db", "upgrade")
    flask(server_env(url), "grantflow", "deploy", str(TEN_TASKS))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": SECRET_KEY,
        }
    )
    try:
        with app.app_context():
            create_user(
                USERNAME, PASSWORD, "Bench Specialist", "bench@bench.example", ["specialist"]
            )
            db.session.commit()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()


@contextmanager
def server(url: str) -> Iterator[str]:
    """gunicorn with deploy/gunicorn.conf.py and one sync worker on a free port; yields its
    base URL and stops it afterwards. Its request timeout is raised from 60 s to the client's,
    so that a slow page is measured rather than its worker killed."""
    port = free_port()
    command = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--workers", "1"]
    command += ["--timeout", str(int(HTTP_TIMEOUT)), "--bind", f"127.0.0.1:{port}"]
    command += ["app:create_app()"]
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=server_env(url), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process, log)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise SystemExit(f"gunicorn stopped:\n{log.read().decode(errors='replace')[-3000:]}")
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer within 60 s")


@contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    """An HTTP client signed in as the specialist (redirects are not followed)."""
    with httpx.Client(base_url=base, timeout=HTTP_TIMEOUT) as client:
        sign_in(client)
        yield client


# The pages, as a person goes through them.


def sign_in(browser: Browser) -> None:
    token = csrf(browser.get("/login").text)
    form = {"username": USERNAME, "password": PASSWORD, "csrf_token": token}
    redirected(browser.post("/login", data=form), "signing in")


def start_case(browser: Browser) -> str:
    """Start a case from "Start a case"; the path of its first task (step_1)."""
    token = csrf(browser.get("/start").text)
    location = redirected(
        browser.post(f"/start/models/{MODEL_ID}", data={"csrf_token": token}), "starting a case"
    )
    return task_path(location)


def open_task(browser: Browser, path: str) -> str:
    """GET a task page; the CSRF token of its form."""
    page = browser.get(path)
    if page.status_code != 200:
        raise RuntimeError(f"GET {path}: {page.status_code}")
    return csrf(page.text)


def send_form(step: int, token: str) -> dict[str, str]:
    return {"note": f"Step {step} done.", "count": str(step), "action": "send", "csrf_token": token}


def work_case(browser: Browser, send: Callable[[str, dict[str, str]], Page]) -> None:
    """Start a case and send its ten tasks, each from its page, then the next from the case
    page the send redirected to. ``send(path, form)`` posts a form, for the caller to time or
    watch."""
    path = start_case(browser)
    for step in range(1, STEPS + 1):
        sent = send(path, send_form(step, open_task(browser, path)))
        case_page = redirected(sent, f"sending step {step}")
        if step < STEPS:
            path = task_path(browser.get(case_page).text, instance_id=int(path.split("/")[2]))


def redirected(page: Page, doing: str) -> str:
    if page.status_code != 302:
        raise RuntimeError(f"{doing}: {page.status_code} instead of a redirect: {page.text[:500]}")
    return str(page.headers["location"])


def task_path(text: str, instance_id: int | None = None) -> str:
    instance = str(instance_id) if instance_id is not None else r"\d+"
    found = re.search(rf"/tasks/{instance}/[0-9a-f-]{{36}}", text)
    if found is None:
        raise RuntimeError(f"no task link in {text[:300]!r}")
    return found.group(0)


# Figures


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the least value with ``share`` of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def p50_p95(seconds: list[float]) -> tuple[float, float]:
    """The median and the 95th percentile, in milliseconds."""
    return 1000 * statistics.median(seconds), 1000 * percentile(seconds, 0.95)
