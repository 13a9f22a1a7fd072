"""Browser tests: the demo call served on loopback and driven by a real, headless Chromium.

One Chromium per session (Debian's, at /usr/bin/chromium; Playwright never downloads one). Each
test gets a fresh database with the demo loaded (SQLite in tmp_path, or the PostgreSQL database
named by GRANTFLOW_TEST_DATABASE_URL), served by werkzeug in a daemon thread on 127.0.0.1, and
one browser context per person (`as_user("applicant")`), signed in through the login page.

Chromium talks only to loopback: its own host resolver maps every other name to nothing, and
each context aborts and records any request to another host; a test that made one fails.
Tests never sleep: Playwright's `expect(...)` waits for what a page should show.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)
from sqlalchemy import select
from werkzeug.serving import make_server

from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock
from app.demo import DEMO_PASSWORD, setup_demo
from app.extensions import db
from workflows import set_rehearsal_time

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BPMN = ROOT / "bpmn"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium's own requests (safe browsing, variations, ...) cannot resolve any name.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
LOOPBACK = re.compile(r"^http://127\.0\.0\.1(:\d+)?/")
DESKTOP = {"width": 1280, "height": 800}

expect.set_options(timeout=10_000)
DEMO_CALL = "regional-networks-2021"
# The button that starts an application in the 2021 call (the 2022 round has one too).
START_2021 = re.compile(r"^Start an application\W+Network cooperation.*2021–2023$")


# `make test` sets this in its PostgreSQL pass: the pages and the browser are the same on both
# databases, and the SQLite pass (the database of `make run`) has driven them already.
ONCE_ENV = "GRANTFLOW_BROWSER_TESTS_RAN"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    ran = os.environ.get(ONCE_ENV)
    if not ran:
        return
    skip = pytest.mark.skip(reason=f"the browser tests ran in {ran} (make test)")
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's Chromium (`apt-get install chromium`, as "
            "root; .ci/run does it). Browser tests never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def closing_responses(app: Flask) -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
    """The app, each response closed whatever the server does. werkzeug's development server
    leaves a response unclosed when the browser drops the connection in the middle of it (a
    page left while its scripts and styles still load), and the garbage collector then closes
    the file a static response holds, with a ResourceWarning that fails whichever test runs."""

    def serve(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        response = app(environ, start_response)

        def chunks() -> Iterator[bytes]:
            try:
                yield from response
            finally:
                response.close()

        return chunks()

    return serve


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The base URL of the app, with the demo deployed, served in a daemon thread."""
    with app.app_context():
        setup_demo(db.session, BPMN)
        db.session.commit()
    server = make_server("127.0.0.1", 0, closing_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def new_context(
    browser: Browser, live_server: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., BrowserContext]]:
    """`new_context(viewport=...)`: a fresh browser context (own cookies) on the live server.

    When the test fails, every page still open is saved as <test>--failed-<n>.png. Anything the
    Content-Security-Policy blocked (Chromium says so on the console) fails the test."""
    for stale in SCREENSHOTS.glob(f"{_file_name(request)}--*.png"):
        stale.unlink()
    contexts: list[BrowserContext] = []
    off_site: list[str] = []
    page_errors: list[str] = []
    blocked: list[str] = []

    def note_blocked(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    def refuse(route: Route) -> None:
        off_site.append(route.request.url)
        route.abort("blockedbyclient")

    def create(viewport: dict[str, int] | None = None) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server,
            viewport=viewport or DESKTOP,
            locale="en-GB",
            timezone_id="Europe/Helsinki",
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        context.route(lambda url: not LOOPBACK.match(url), refuse)
        context.on("weberror", lambda error: page_errors.append(str(error.error)))
        context.on("console", note_blocked)
        contexts.append(context)
        return context

    yield create
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        pages = [page for context in contexts for page in context.pages]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(pages, 1):
            path = SCREENSHOTS / f"{_file_name(request)}--failed-{number}.png"
            page.screenshot(path=path, full_page=True)
    for context in contexts:
        context.close()
    assert off_site == [], f"requests off loopback: {off_site}"
    assert page_errors == [], f"script errors in the pages: {page_errors}"
    assert blocked == [], f"blocked by the Content-Security-Policy: {blocked}"


@pytest.fixture
def as_user(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """`as_user("applicant")`: a page in a new context, signed in through the login form."""

    def sign_in(username: str, viewport: dict[str, int] | None = None) -> Page:
        page = new_context(viewport).new_page()
        page.goto("/login")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    return sign_in


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[..., Path]:
    """`screenshot(page, "case-list")`: the page as
    test-artifacts/screenshots/<test>--<nn>-<step>.png, numbered in the order taken;
    `full_page=False` keeps only the top of the page. Waits until the page has made no request for
    500 ms, so scripts that fetch (the diagram) have drawn."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = _file_name(request)
    taken = 0

    def take(page: Page, step: str, full_page: bool = True) -> Path:
        nonlocal taken
        taken += 1
        path = SCREENSHOTS / f"{test_name}--{taken:02d}-{step}.png"
        page.wait_for_load_state("networkidle")
        if not full_page:
            page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=path, full_page=full_page, animations="disabled")
        return path

    return take


@pytest.fixture
def move_clock(app: Flask) -> Callable[[str], None]:
    """`move_clock("2021-04-15T16:15:01+03:00")`: move the demo call's rehearsal clock as the
    CLI does: due timers fire and the cases are synced."""

    def move(moment: str, key: str = DEMO_CALL) -> None:
        with app.app_context():
            call = db.session.scalar(select(Call).where(Call.key == key))
            assert call is not None
            move_rehearsal_clock(db.session, call, datetime.fromisoformat(moment))
            db.session.commit()

    return move


@pytest.fixture
def set_clock(app: Flask) -> Callable[[str], None]:
    """`set_clock("2021-04-15T16:15:00+03:00")`: set the rehearsal time without firing timers,
    as if the worker had not yet run."""

    def set_time(moment: str, key: str = DEMO_CALL) -> None:
        with app.app_context():
            call = db.session.scalar(select(Call).where(Call.key == key))
            assert call is not None
            set_rehearsal_time(call.clock, datetime.fromisoformat(moment))
            db.session.commit()

    return set_time


def _file_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^\w-]+", "_", request.node.name)
