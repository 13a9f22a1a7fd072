"""Hostile input never breaks the server: property-based requests to every form and query.

Every role of the demo signs in and walks its pages as a browser would (tests/app/fuzz_targets):
the forms it finds (POST and GET, each with its valid CSRF token) and the links with a query
are sent again with hostile values drawn by Hypothesis — NUL and other control characters,
texts of a megabyte (in a query, as much as gunicorn's request line lets through), integers
beyond 64 bits, unicode oddities, deep brackets, fields left out, sent twice or added. Every
address with an id is asked with hostile ids too. The answer is never a 5xx, and a refused
request (4xx) stores nothing. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL (which
refuses NUL in text: the reason this test exists).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, quote_plus, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from tests.app.fuzz_targets import Form, crawl
from tests.gunicorn_limits import LIMIT_REQUEST_LINE

ROLES = ("applicant", "applicant2", "specialist", "decision_maker", "process_owner", "admin")
START = (
    "/",
    "/tasks",
    "/cases",
    "/calls",
    "/calls/manage",
    "/calls/new",
    "/calls/import",
    "/start",
    "/processes/",
    "/processes/models/new",
    "/notices",
    "/organisation",
    "/account",
    "/incidents",
)
# Forms that end the session or remove what the other examples work on: sent once by their own
# tests, not thousands of times here.
# A rehearsal deploys a version (a second or so each): the check of its files is fuzzed
# through the draft's own forms. A replay of the 2021 call runs for half a minute in a thread
# (tests/app/test_replay.py sends it).
_NOT_FUZZED = (
    "/logout",
    "/delete",
    "/discard",
    "/deploy",
    "/language",
    "/rehearsals",
    "/replay",
)

_ODD = [
    "\x00",
    "a\x00b",
    "\x1b[2J",
    "\x7f",
    "\u0085",
    "\u202eevil",
    "\ufeff",
    "\u200b",
    "e\u0301",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "🙂" * 50,
    "../../etc/passwd",
    "{{ 7 * 7 }}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "true",
    "null",
    "[]",
    "{}",
    " ",
    "\t\r\n",
]
_NUMBERS = [
    "99999999999999999999",
    "-99999999999999999999",
    "9223372036854775808",
    "-1",
    "0",
    "1e309",
    "NaN",
    "Infinity",
    "-0",
    "1,5",
    " 1 500 ",
    "0x10",
    "１２３",
]


def _big(text: str, size: int) -> str:
    return (text * (size // len(text) + 1))[:size]


HOSTILE = st.one_of(
    st.sampled_from(_ODD),
    st.sampled_from(_NUMBERS),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=300).map(lambda n: '{"a":' * n + "1" + "}" * n),
    st.tuples(st.sampled_from(["x", "ä", "{", "\x00"]), st.sampled_from([201, 301, 5001])).map(
        lambda pair: _big(*pair)
    ),
    st.sampled_from([_big("x", 100_001), _big("ö", 1_000_000)]),
)

# A field's value: mostly as the page had it (so the rest of the form gets through and the
# hostile value reaches deep), else hostile, left out, or sent twice.
FIELD = st.one_of(
    st.just(("keep",)),
    st.just(("keep",)),
    HOSTILE.map(lambda v: ("set", v)),
    st.just(("drop",)),
    HOSTILE.map(lambda v: ("twice", v)),
)


@dataclass
class Tally:
    requests: int = 0
    server_errors: list[str] = field(default_factory=list)
    stored_by_refusal: list[str] = field(default_factory=list)


@pytest.fixture
def clients(
    app: Flask, signed_in: Callable[[str], FlaskClient], csrf_token: Callable[..., str]
) -> dict[str, FlaskClient]:
    """One signed-in client per role; the applicant has started a case (a task to send) and
    the process owner a draft (its files to save)."""
    by_role = {role: signed_in(role) for role in ROLES}
    applicant = by_role["applicant"]
    calls = applicant.get("/calls").get_data(as_text=True)
    key = calls.split('href="/calls/', 1)[1].split('"', 1)[0]
    token = csrf_token(applicant, f"/calls/{key}")
    assert (
        applicant.post(f"/calls/{key}/applications", data={"csrf_token": token}).status_code < 400
    )
    owner = by_role["process_owner"]
    token = csrf_token(owner, "/processes/")
    with app.app_context():
        from workflows.models import ProcessVersion

        version = db.session.scalar(select(ProcessVersion.id))
    owner.post(f"/processes/versions/{version}/drafts", data={"csrf_token": token})
    return by_role


def _fingerprint() -> tuple[int, ...]:
    """How many rows each table holds: what a refused request must leave as it was."""
    counts = [
        select(func.count()).select_from(t).scalar_subquery() for t in db.metadata.sorted_tables
    ]
    row = db.session.execute(select(*counts)).one()
    db.session.rollback()
    return tuple(row)


def _targets(clients: dict[str, FlaskClient], method: str) -> list[tuple[str, Form]]:
    found: dict[tuple[str, tuple[str, str, tuple[str, ...]]], tuple[str, Form]] = {}
    for role, client in clients.items():
        crawled = crawl(client, START)
        for key, form in crawled.forms.items():
            if form.method == method and not any(s in form.action for s in _NOT_FUZZED):
                found.setdefault((role, key), (role, form))
        if method == "GET":
            for url in crawled.pages:
                parts = urlsplit(url)
                if parts.query:
                    fields = [tuple(p.split("=", 1)) for p in parts.query.split("&") if "=" in p]
                    form = Form("GET", parts.path, [(k, v) for k, v in fields])
                    found.setdefault((role, form.key), (role, form))
    return sorted(found.values(), key=lambda item: (item[0], item[1].key))


def _mutated(
    form: Form, changes: list[tuple[Any, ...]], extra: list[tuple[str, str]]
) -> Iterator[tuple[str, str]]:
    for (name, value), change in zip(form.fields, changes, strict=False):
        if name == "csrf_token" or change[0] == "keep":
            yield name, value
        elif change[0] == "set":
            yield name, change[1]
        elif change[0] == "twice":
            yield name, value
            yield name, change[1]
    for name, value in form.fields[len(changes) :]:
        yield name, value
    yield from extra


def _within_request_line(url: str, pairs: list[Any]) -> list[tuple[str, str]]:
    """The query's pairs, their longest values halved until the request line fits gunicorn's
    limit: a longer one is answered 414 before the app (tests/deploy/test_gunicorn.py)."""
    fitted = [(str(name), str(value)) for name, value in pairs]

    def request_line() -> int:
        return len(f"GET {url}?{urlencode(fitted)} HTTP/1.1")

    while request_line() > LIMIT_REQUEST_LINE:
        longest = max(range(len(fitted)), key=lambda i: len(quote_plus(fitted[i][1])), default=None)
        if longest is None or not fitted[longest][1]:
            break
        name, value = fitted[longest]
        fitted[longest] = (name, value[: len(value) // 2])
    return fitted


def _send(
    app: Flask,
    tally: Tally,
    client: FlaskClient,
    method: str,
    url: str,
    pairs: list[Any],
    files: dict[str, Any] | None = None,
) -> None:
    with app.app_context():
        before = _fingerprint()
    if method == "GET":
        query = urlencode(_within_request_line(url, pairs))
        response = client.get(url + ("?" + query if query else ""))
    else:
        # werkzeug's test client spools a multipart body over 500 kB to a temporary file it
        # never closes (a ResourceWarning): with a file, texts stop just past the field limit.
        cut = 100_001 if files else None
        data = MultiDict([*[(k, v[:cut]) for k, v in pairs], *(files or {}).items()])
        response = client.post(
            url, data=data, content_type="multipart/form-data" if files else None
        )
    tally.requests += 1
    label = f"{method} {url} {[(k, str(v)[:40]) for k, v in pairs]} -> {response.status_code}"
    if response.status_code >= 500:
        tally.server_errors.append(label)
    elif response.status_code >= 400:
        with app.app_context():
            if _fingerprint() != before:
                tally.stored_by_refusal.append(label)


# GRANTFLOW_FUZZ_SCALE scales the examples: 0.2 in `make test` (about 1,200 requests per
# database), 1 in `make fuzz` (about 5,800), more for a long night.
SCALE = float(os.environ.get("GRANTFLOW_FUZZ_SCALE", "0.2"))
SETTINGS = settings(
    max_examples=int(2600 * SCALE),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _report(tally: Tally, what: str, least: int) -> None:
    print(f"\n{what}: {tally.requests} requests, {len(tally.server_errors)} answered 5xx")
    assert tally.server_errors == []
    assert tally.stored_by_refusal == []
    assert tally.requests >= least * SCALE


def test_hostile_values_in_every_post_form_are_refused_without_a_server_error(
    app: Flask, clients: dict[str, FlaskClient]
) -> None:
    targets = _targets(clients, "POST")
    assert len(targets) > 20
    tally = Tally()

    @SETTINGS
    @given(
        index=st.integers(min_value=0, max_value=len(targets) - 1),
        changes=st.lists(FIELD, max_size=40),
        extra=st.lists(
            st.tuples(st.sampled_from(["x", "\x00", "a.0.b", "csrf"]), HOSTILE), max_size=2
        ),
        upload=st.sampled_from([*_ODD, "[" * 5000, '{"a": "\\u0000"}', ""]),
    )
    def send(index: int, changes: list[Any], extra: list[Any], upload: str) -> None:
        role, form = targets[index]
        files = {name: (io.BytesIO(upload.encode()), "file.json") for name in form.files}
        _send(
            app,
            tally,
            clients[role],
            "POST",
            form.action,
            list(_mutated(form, changes, extra)),
            files,
        )

    send()
    _report(tally, "POST forms", 2500)


def test_hostile_values_in_every_query_are_refused_without_a_server_error(
    app: Flask, clients: dict[str, FlaskClient]
) -> None:
    targets = _targets(clients, "GET")
    tally = Tally()

    @SETTINGS
    @given(
        index=st.integers(min_value=0, max_value=len(targets) - 1),
        changes=st.lists(FIELD, max_size=10),
        extra=st.lists(
            st.tuples(st.sampled_from(["cursor", "sort", "q", "\x00", "page"]), HOSTILE), max_size=2
        ),
    )
    def ask(index: int, changes: list[Any], extra: list[Any]) -> None:
        role, form = targets[index]
        _send(app, tally, clients[role], "GET", form.action, list(_mutated(form, changes, extra)))

    ask()
    _report(tally, "GET queries", 2000)


def test_hostile_ids_in_every_address_are_refused_without_a_server_error(
    app: Flask, clients: dict[str, FlaskClient], csrf_token: Callable[..., str]
) -> None:
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.arguments and rule.endpoint != "static"),
        key=lambda rule: rule.rule,
    )
    tokens = {role: csrf_token(client, "/tasks") for role, client in clients.items()}
    tally = Tally()

    @settings(SETTINGS, max_examples=int(600 * SCALE))
    @given(
        index=st.integers(min_value=0, max_value=len(rules) - 1),
        role=st.sampled_from(ROLES),
        value=st.one_of(
            st.sampled_from(_NUMBERS),
            st.sampled_from(_ODD),
            st.integers(min_value=-(2**70), max_value=2**70).map(str),
        ),
    )
    def ask(index: int, role: str, value: str) -> None:
        rule = rules[index]
        url = rule.rule
        for name in rule.arguments:
            url = (
                url.replace(f"<int:{name}>", quote(value, safe=""))
                .replace(f"<path:{name}>", quote(value, safe=""))
                .replace(f"<{name}>", quote(value, safe=""))
            )
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        pairs = [] if method == "GET" else [("csrf_token", tokens[role])]
        _send(app, tally, clients[role], method, url, pairs)

    ask()
    _report(tally, "addresses", 500)
