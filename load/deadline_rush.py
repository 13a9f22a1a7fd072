"""`make load`: the rush at the idea deadline, run as production would take it.

PostgreSQL (a fresh database), gunicorn with several processes behind nginx (which stamps each
request's arrival), and separate worker processes. Applicants, each with an open idea proposal,
send it: most spread over the last minute before 16:15, a burst in the last seconds (faster than
the servers can take them, so that the burst measures how many sends a second they manage), and
a few just after 16:15. Then the call's clock passes the deadline's grace and the workers fire the
deadline timer and mail the webinar invitations (over SMTP to aiosmtpd, on loopback).

It checks what the applicants and the ministry would: every send that left before 16:15 got its
receipt (none refused), every late one was refused, no request failed, every accepted case (and
no other) got exactly one invitation, and the engine state, task index, timers, waits and audit
log of every case agree. It prints the figures and exits non-zero when a check fails.

    .venv/bin/python -m load.deadline_rush --senders 1000 --burst 200 --late 20
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import psycopg
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, make_url, select
from sqlalchemy.orm import Session

from app import create_app
from app.auth.operations import create_organisation, create_user
from app.calls.models import Call
from app.cases.models import Document
from app.cases.operations import start_case
from app.extensions import current_session, db
from workflows import set_rehearsal_time
from workflows.consistency import disagreements
from workflows.models import HumanTask, MessageDelivery, ThrownMessage, WorkflowInstance

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts" / "load"  # the servers' logs of the last run
CALL = "regional-networks-2021"
DEADLINE = datetime.fromisoformat("2021-04-15T16:15:00+03:00")
PASSWORD = "rush hour at the ministry"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
# A send this close to 16:15 on the client's clock may be stamped on either side by nginx.
AMBIGUOUS = 0.1
BURST_ENDS = 0.2  # seconds before 16:15: the burst's last send leaves then
IDEA = {
    "project_name": "Rush network",
    "application_object": "theme_network",
    "summary": "Four municipalities in two regions.",
    "requested_amount_estimate": "400000",
    **{
        f"partners.{n}.{key}": value
        # Statistics Finland's codes: Nokia in Pirkanmaa, Hämeenlinna and Janakkala in Kanta-Häme
        for n, (name, region, municipality) in enumerate(
            [("Nokia", "06", "536"), ("Hämeenlinna", "05", "109"), ("Janakkala", "05", "165")]
        )
        for key, value in {
            "name": f"City of {name}",
            "type": "municipality",
            "region": region,
            "municipality": municipality,
            "contact_person": f"Contact of {name}",
        }.items()
    },
    "action": "send",
}
PARTNER_COUNT = 3
PARTNERS_DOMAIN = "partners.load.example"


def partner_email(username: str, n: int) -> str:
    """Each sender's partners have addresses of their own (the invitation goes to them too)."""
    return f"{username}.{n}@{PARTNERS_DOMAIN}"


def idea_of(username: str) -> dict[str, str]:
    emails = {f"partners.{n}.email": partner_email(username, n) for n in range(PARTNER_COUNT)}
    return IDEA | emails


@dataclass
class Options:
    database_url: str = "postgresql+psycopg://postgres@127.0.0.1:5432/grantflow_load"
    senders: int = 1000  # spread over the last `window` seconds before the deadline
    burst: int = 200  # in the `burst_seconds` before the last 0.2 seconds
    burst_seconds: float = 1.0  # 200 a second offered: more than the servers take
    late: int = 20  # 0.2 to 3 seconds after the deadline
    window: float = 60.0
    web_processes: int = 5
    workers: int = 2
    keep_database: bool = False
    # To compare: the app stamps arrival itself when it takes the request (time spent queued
    # behind gunicorn's busy processes then counts against the applicant).
    app_stamp_only: bool = False


@dataclass
class Send:
    username: str
    sent_at: float = 0.0  # the client's wall clock when the request left
    seconds: float = 0.0
    status: int = 0
    outcome: str = ""  # accepted, refused, error
    detail: str = ""


@dataclass
class Report:
    options: dict[str, Any]
    prepare_seconds: float = 0.0
    on_time: int = 0
    accepted: int = 0
    on_time_refused: int = 0
    late: int = 0
    late_accepted: int = 0
    ambiguous: int = 0
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    send_p50: float = 0.0
    send_p95: float = 0.0
    send_max: float = 0.0
    burst_p50: float = 0.0
    burst_max: float = 0.0
    burst_offered_per_second: float = 0.0  # the burst's sends over the time they took to leave
    burst_sends_per_second: float = 0.0  # the burst's sends over the time they took to answer
    last_response_after_deadline: float = 0.0
    receipts_late: int = 0
    invitations: int = 0
    invited_accepted: int = 0
    invitations_to_others: int = 0
    duplicate_emails: int = 0
    partners_not_invited: int = 0  # the partner contacts of accepted cases get the invitation too
    invitation_seconds: float = 0.0  # clock moved past the grace -> every invitation mailed
    delivery_seconds: float = 0.0  # the first to the last invitation delivered to its case
    disagreements: int = 0
    failures: list[str] = field(default_factory=list)


class Inbox:
    """aiosmtpd handler: every email the workers send, by subject and recipient."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd hook
        subject = ""
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.lower().startswith("subject:"):
                subject = line.split(":", 1)[1].strip()
                break
        for recipient in envelope.rcpt_tos:
            self.received.append((subject, recipient))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def recreate_database(url: str) -> None:
    target = make_url(url)
    admin = target.set(database="postgres", drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target.database}"')


def drop_database(url: str) -> None:
    target = make_url(url)
    admin = target.set(database="postgres", drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')


def environment(options: Options, smtp_port: int, secret: str) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": options.database_url,
        "GRANTFLOW_SECRET_KEY": secret,
        "GRANTFLOW_TRUST_REQUEST_START_HEADER": "false" if options.app_stamp_only else "true",
        "GRANTFLOW_MAIL_SERVER": "127.0.0.1",
        "GRANTFLOW_MAIL_PORT": str(smtp_port),
        "GRANTFLOW_WORKER_INTERVAL_SECONDS": "1",
        # nginx listens on plain HTTP here: cookies without Secure, or the clients lose them.
        "GRANTFLOW_HTTPS": "false",
        "GUNICORN_ACCESS_LOG": "",  # as nginx's: off, so the rush measures the app
    }


def flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, capture_output=True
    )
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr.decode()}")


def make_app(options: Options) -> Flask:
    """The app in this process, on the load database (to prepare, move the clock and check)."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": options.database_url,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SECRET_KEY": "load",
        }
    )


def the_call(session: Session) -> Call:
    return session.scalars(select(Call).where(Call.key == CALL)).one()


def prepare_cases(app: Flask, count: int) -> list[tuple[str, str]]:
    """The demo call, open; ``count`` applicants, each with a case and its idea task open.
    Returns (username, task path) per applicant."""
    applicants = []
    with app.app_context():
        session = current_session()
        call = the_call(session)
        set_rehearsal_time(call.clock, DEADLINE - timedelta(hours=1))
        session.commit()
        for n in range(count):
            organisation = create_organisation(f"Kunta {n}", "municipality", "06", "837")
            user = create_user(
                f"rush{n}",
                PASSWORD,
                f"Rush applicant {n}",
                f"rush{n}@load.example",
                ("applicant",),
                organisation,
            )
            case = start_case(session, call, user)
            session.commit()
            task_id = session.scalar(
                select(HumanTask.task_id).where(HumanTask.instance_id == case.instance_id)
            )
            applicants.append((user.username, f"/tasks/{case.instance_id}/{task_id}"))
    return applicants


def set_clock(app: Flask, moment: datetime) -> datetime:
    """Move the call's rehearsal clock to ``moment``; returns the wall time when it showed it."""
    with app.app_context():
        clock = the_call(current_session()).clock
        set_rehearsal_time(clock, moment)
        db.session.commit()
        assert clock.set_at is not None
        return clock.set_at


def set_deadline_at(app: Flask, wall_deadline: float) -> float:
    """Set the call's clock so that 16:15 falls at ``wall_deadline`` (epoch seconds); returns
    the exact wall moment it will."""
    ahead = timedelta(seconds=wall_deadline - time.time())
    return (set_clock(app, DEADLINE - ahead) + ahead).timestamp()


def count_disagreements(app: Flask) -> int:
    with app.app_context():
        found = 0
        session = current_session()
        for instance in session.scalars(select(WorkflowInstance)):
            problems = disagreements(session, instance)
            if problems:
                print(f"  instance {instance.id}: {problems}", file=sys.stderr)
                found += 1
        return found


def delivery_span(app: Flask) -> float:
    """Seconds from the first webinar invitation planned to the last delivered to its case."""
    with app.app_context():
        first, last = db.session.execute(
            select(func.min(MessageDelivery.created_at), func.max(MessageDelivery.done_at))
            .join(ThrownMessage, MessageDelivery.message_id == ThrownMessage.id)
            .where(ThrownMessage.name == "webinar_invitation")
        ).one()
    return round((last - first).total_seconds(), 1) if first and last else 0.0


def late_receipts(app: Flask) -> int:
    """Documents received with an arrival at or after 16:15 (there must be none)."""
    with app.app_context():
        late = select(Document.id).where(
            Document.outgoing.is_(False), Document.received_at >= DEADLINE
        )
        return len(db.session.scalars(late).all())


@contextmanager
def servers(options: Options, env: dict[str, str]) -> Iterator[str]:
    """gunicorn behind nginx, and the workers; yields nginx's base URL."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: as root, apt-get install -y nginx-light")
    prefix = Path(tempfile.mkdtemp(prefix="grantflow-nginx-"))
    web_port, nginx_port = free_port(), free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    config = (
        config.replace("@USER@", "user root;" if os.geteuid() == 0 else "")
        .replace("@PREFIX@", str(prefix))
        .replace("@UPSTREAM@", f"127.0.0.1:{web_port}")
        .replace("@LISTEN@", f"127.0.0.1:{nginx_port}")
    )
    (prefix / "nginx.conf").write_text(config, "utf-8")
    logs = [open(prefix / name, "wb") for name in ("gunicorn.log", "worker.log")]  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "deploy/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--workers",
                str(options.web_processes),
                "app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stderr=logs[0],
        ),
        subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            cwd=ROOT,
        ),
    ]
    processes += [
        subprocess.Popen(
            [str(BIN / "flask"), "--app", "app", "grantflow", "worker"],
            cwd=ROOT,
            env=env,
            stderr=logs[1],
        )
        for _ in range(options.workers)
    ]
    base = f"http://127.0.0.1:{nginx_port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit(f"the servers did not answer; see {ARTIFACTS}")
        yield base
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for log in logs:
            log.close()
            shutil.copy(log.name, ARTIFACTS)
        shutil.rmtree(prefix, ignore_errors=True)


def csrf(html: str) -> str:
    found = CSRF.search(html)
    if found is None:
        raise RuntimeError("no CSRF token in the page")
    return found.group(1) or found.group(2)


async def sign_in(base: str, username: str, path: str, gate: asyncio.Semaphore) -> bytes:
    """Sign in and open the idea task; the request that sends it, ready to go (HTTP/1.1 bytes:
    the session's cookie and the form with its CSRF token)."""
    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(180.0)) as client, gate:
        token = csrf((await client.get("/login")).text)
        signed = await client.post(
            "/login", data={"username": username, "password": PASSWORD, "csrf_token": token}
        )
        if signed.status_code != 302:
            raise RuntimeError(f"{username} could not sign in: {signed.status_code}")
        token = csrf((await client.get(path)).text)
        cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    body = urlencode(idea_of(username) | {"csrf_token": token}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {urlsplit(base).netloc}\r\nCookie: {cookies}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def send(base: str, path: str, request: bytes, at: float, record: Send) -> None:
    """Send the prepared request at ``at``. The request is written as it was prepared, on a
    connection of its own: a browser does no more work at the moment of sending, so the
    moment recorded is when it left, even with a thousand senders on this machine's cores."""
    await asyncio.sleep(max(0.0, at - time.time()))
    address = urlsplit(base)
    try:
        reader, writer = await asyncio.open_connection(address.hostname, address.port)
        record.sent_at = time.time()
        writer.write(request)
        await writer.drain()
        status, headers = await asyncio.wait_for(_response_head(reader), 180.0)
        writer.close()
    except (OSError, TimeoutError, ValueError) as error:
        record.sent_at = record.sent_at or time.time()
        record.outcome, record.detail = "error", f"{type(error).__name__}: {error}"
        record.seconds = time.time() - record.sent_at
        return
    record.seconds = time.time() - record.sent_at
    record.status = status
    location = headers.get("location", "")
    if status == 302 and "/documents/" in location:
        record.outcome = "accepted"
    elif status == 422 or (status == 302 and urlsplit(location).path == path):
        # Late: refused, or (before the deadline's timer closed the task) refused with what
        # was typed kept as the task's draft, back on the task page.
        record.outcome = "refused"
    else:
        record.outcome = "error"
        record.detail = f"{status} {location}"


async def _response_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status and headers (names in lower case) of an HTTP/1.1 response."""
    status_line = (await reader.readline()).decode("latin-1")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while (line := (await reader.readline()).decode("latin-1").strip()) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


async def rush(
    app: Flask, base: str, applicants: list[tuple[str, str]], options: Options
) -> list[Send]:
    gate = asyncio.Semaphore(24)
    signed = await asyncio.gather(*(sign_in(base, u, p, gate) for u, p in applicants))
    wall_deadline = set_deadline_at(app, time.time() + 3 + options.window)
    window = options.window
    moments = [
        wall_deadline - window + (window - 2.0) * n / max(options.senders, 1)
        for n in range(options.senders)
    ]
    burst_from = wall_deadline - BURST_ENDS - options.burst_seconds
    moments += [
        burst_from + options.burst_seconds * n / max(options.burst, 1) for n in range(options.burst)
    ]
    moments += [wall_deadline + 0.2 + 2.8 * n / max(options.late, 1) for n in range(options.late)]
    records = [Send(username) for username, _ in applicants]
    await asyncio.gather(
        *(
            send(base, path, request, at, record)
            for request, (_, path), at, record in zip(
                signed, applicants, moments, records, strict=True
            )
        )
    )
    for record in records:
        record.sent_at -= wall_deadline  # seconds before (negative) or after the deadline
    return records


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


def judge(report: Report, records: list[Send], inbox: Inbox) -> None:
    on_time = [r for r in records if r.sent_at < -AMBIGUOUS]
    late = [r for r in records if r.sent_at >= AMBIGUOUS]
    burst_from = -BURST_ENDS - float(report.options["burst_seconds"])
    burst = [r for r in on_time if r.sent_at >= burst_from - 0.01]
    report.on_time, report.late = len(on_time), len(late)
    report.ambiguous = len(records) - len(on_time) - len(late)
    report.accepted = sum(r.outcome == "accepted" for r in records)
    report.on_time_refused = sum(r.outcome == "refused" for r in on_time)
    report.late_accepted = sum(r.outcome == "accepted" for r in late)
    report.errors = sum(r.outcome == "error" for r in records)
    report.statuses = {str(k): v for k, v in Counter(r.status for r in records).items()}
    times = [r.seconds for r in records]
    report.send_p50, report.send_p95 = percentile(times, 0.5), percentile(times, 0.95)
    report.send_max = percentile(times, 1.0)
    report.burst_p50 = percentile([r.seconds for r in burst], 0.5)
    report.burst_max = percentile([r.seconds for r in burst], 1.0)
    if len(burst) > 1:
        first = min(r.sent_at for r in burst)
        report.burst_offered_per_second = round(
            len(burst) / (max(r.sent_at for r in burst) - first), 1
        )
        span = max(r.sent_at + r.seconds for r in burst) - first
        report.burst_sends_per_second = round(len(burst) / span, 1)
    report.last_response_after_deadline = round(max(r.sent_at + r.seconds for r in records), 1)
    accepted_users = [r.username for r in records if r.outcome == "accepted"]
    accepted = {f"{username}@load.example" for username in accepted_users}
    invitations = [to for subject, to in inbox.received if subject.startswith("Kutsu")]
    invited = Counter(to for to in invitations if to.endswith("@load.example"))
    partners_invited = {to for to in invitations if to.endswith(f"@{PARTNERS_DOMAIN}")}
    partners_of_accepted = {
        partner_email(username, n) for username in accepted_users for n in range(PARTNER_COUNT)
    }
    report.invitations = sum(invited.values())
    report.invited_accepted = len(accepted & set(invited))
    report.invitations_to_others = len(set(invited) - accepted) + len(
        partners_invited - partners_of_accepted
    )
    report.partners_not_invited = len(partners_of_accepted - partners_invited)
    report.duplicate_emails = sum(n - 1 for n in Counter(inbox.received).values() if n > 1)
    checks = [
        (report.on_time_refused == 0, f"{report.on_time_refused} sends in time were refused"),
        (report.late_accepted == 0, f"{report.late_accepted} late sends were accepted"),
        (report.errors == 0, f"{report.errors} requests failed"),
        (report.receipts_late == 0, f"{report.receipts_late} receipts arrived after 16:15"),
        (report.invited_accepted == len(accepted), "an accepted case was not invited"),
        (report.invitations_to_others == 0, "a case not accepted was invited"),
        (report.partners_not_invited == 0, "a partner of an accepted case was not invited"),
        (report.duplicate_emails == 0, f"{report.duplicate_emails} emails went twice"),
        (report.disagreements == 0, f"{report.disagreements} cases disagree with the engine"),
    ]
    report.failures = [said for ok, said in checks if not ok]
    for record in records:
        if record.outcome == "error":
            report.failures.append(f"{record.username}: {record.detail}")
            if len(report.failures) > 20:
                break


def run(options: Options) -> Report:
    report = Report(options=asdict(options))
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = environment(options, smtp.port, secrets.token_hex(16))
    recreate_database(options.database_url)
    app = make_app(options)
    try:
        started = time.time()
        flask(env, "db", "upgrade")
        flask(env, "grantflow", "setup-demo")
        applicants = prepare_cases(app, options.senders + options.burst + options.late)
        report.prepare_seconds = round(time.time() - started, 1)
        with servers(options, env) as base:
            # Its own thread: the caller's may already run an event loop (pytest-playwright).
            with ThreadPoolExecutor(1) as pool:
                records = pool.submit(
                    lambda: asyncio.run(rush(app, base, applicants, options))
                ).result()
            report.receipts_late = late_receipts(app)
            report.invitation_seconds = wait_for_invitations(app, inbox, records)
        report.disagreements = count_disagreements(app)
        report.delivery_seconds = delivery_span(app)
        judge(report, records, inbox)
    finally:
        smtp.stop()
        with app.app_context():
            db.engine.dispose()
        if not options.keep_database:
            drop_database(options.database_url)
    return report


def wait_for_invitations(app: Flask, inbox: Inbox, records: list[Send]) -> float:
    """Move the call's clock past the deadline's grace and wait for the workers to mail the
    invitations (to each accepted applicant and to each of their partners); returns how long
    that took (seconds)."""
    expected = sum(r.outcome == "accepted" for r in records) * (1 + PARTNER_COUNT)
    moved = time.time()
    grace = timedelta(seconds=float(app.config["TIMER_GRACE_SECONDS"]))
    set_clock(app, DEADLINE + grace + timedelta(seconds=1))
    while time.time() < moved + 900:
        if sum(s.startswith("Kutsu") for s, _ in inbox.received) >= expected:
            break
        time.sleep(0.5)
    took = round(time.time() - moved, 1)
    time.sleep(3)  # another pass of every worker: nothing more may go out
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    defaults = Options()
    for name, value in asdict(defaults).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            parser.add_argument(flag, action="store_true")
        else:
            parser.add_argument(flag, type=type(value), default=value)
    parser.add_argument("--json", type=Path, help="Also write the report here.")
    arguments = vars(parser.parse_args())
    output = arguments.pop("json")
    options = Options(**arguments)
    report = run(options)
    text = json.dumps(asdict(report), indent=2)
    print(text)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text + "\n", "utf-8")
    if report.failures:
        print("FAILED: " + "; ".join(report.failures), file=sys.stderr)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
