"""Fixtures for the whole suite: a fresh app and database per test, factories, and login.

The database is SQLite in the test's tmp_path, or the PostgreSQL database named by
GRANTFLOW_TEST_DATABASE_URL (`make test` and `.ci/run` run the suite on both). Tables are
created with `create_all` here only; the app itself uses migrations.

App contexts: `db_session` pushes one for the whole test, for tests of operations and queries.
Do not combine it with `client` requests: a request reuses an app context that is already
pushed, so it would share the test's session and `g` (and Flask-Login's cached user). View
tests use the factories without `db_session`: outside an app context they commit in a
short-lived context of their own and return detached objects with their columns loaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from SpiffWorkflow.util.task import TaskIterator, TaskState
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import scoped_session
from werkzeug.test import TestResponse

from app import create_app
from app.auth.models import Organisation, User
from app.auth.operations import create_organisation, create_user
from app.extensions import db
from tests.flow_coverage import (  # noqa: F401 - the flow-coverage plugin's hooks
    pytest_addoption,
    pytest_configure,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_unconfigure,
)
from workflows import task_walk

TEST_PASSWORD = "correct horse battery staple"
_CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)


# PostgreSQL databases whose schema the `app` fixture created and left for the next test, which
# only empties it: creating the tables costs ~200 ms a test there, emptying them ~20 ms.
_REUSABLE_SCHEMA: set[str] = set()


@pytest.fixture
def database_url(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    url = os.environ.get("GRANTFLOW_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"
    yield url
    if "app" not in request.fixturenames:  # the test may have changed the schema itself
        _REUSABLE_SCHEMA.discard(url)


def _fresh_schema(url: str) -> None:
    """Every table of the models, empty, its ids starting from 1 (in the app's context)."""
    if url in _REUSABLE_SCHEMA:
        try:
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
                sequences = connection.scalars(
                    text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
                ).all()
                for sequence in sequences:
                    connection.exec_driver_sql(f'ALTER SEQUENCE "{sequence}" RESTART')
            return
        except DBAPIError:  # a table is gone: another fixture dropped it
            pass
    db.drop_all()
    db.create_all()
    if url.startswith("postgresql"):
        _REUSABLE_SCHEMA.add(url)


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": True,
            # scrypt costs ~50 ms a hash: most of the suite's fixture time. Not in production.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            # Tests read the English text unless they choose a language.
            "DEFAULT_LANGUAGE": "en",
            # The test client speaks plain HTTP; tests/app/test_sessions.py checks HTTPS.
            "HTTPS": False,
            # Every test client comes from 127.0.0.1: only the per-account limits stay as
            # configured (tests/app/test_throttle.py checks each limit).
            "LOGIN_LIMIT_PER_ADDRESS": "10000 per minute",
            "SIGNUP_LIMIT_PER_ADDRESS": "10000 per minute",
        }
    )
    with app.app_context():
        _fresh_schema(database_url)
    yield app
    with app.app_context():
        db.session.remove()
        if database_url not in _REUSABLE_SCHEMA:
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[scoped_session[Any]]:
    with app.app_context():
        yield db.session


def _setup_context(app: Flask) -> AbstractContextManager[Any]:
    return nullcontext() if has_app_context() else app.app_context()


@pytest.fixture
def make_organisation(app: Flask) -> Callable[..., Organisation]:
    def make(
        name: str = "Tampereen kaupunki",
        org_type: str = "municipality",
        region: str = "06",  # Pirkanmaa (Statistics Finland's codes, app/reference)
        municipality: str | None = "837",  # Tampere
        business_id: str | None = None,
    ) -> Organisation:
        outside = not has_app_context()
        with _setup_context(app):
            organisation = create_organisation(
                name, org_type, region, municipality, business_id=business_id
            )
            db.session.commit()
            db.session.refresh(organisation)
            if outside:
                db.session.expunge(organisation)
        return organisation

    return make


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(
        username: str = "x",
        roles: tuple[str, ...] = ("applicant",),
        organisation: Organisation | None = None,
        password: str = TEST_PASSWORD,
        display_name: str | None = None,
        email: str | None = None,
        language: str = "fi",
    ) -> User:
        outside = not has_app_context()
        with _setup_context(app):
            if organisation is not None and outside:
                organisation = db.session.merge(organisation, load=False)
            user = create_user(
                username,
                password,
                display_name or username.capitalize(),
                email or f"{username}@example.fi",
                roles,
                organisation=organisation,
                language=language,
            )
            db.session.commit()
            db.session.refresh(user)
            if outside:
                db.session.expunge(user)
        return user

    return make


def csrf_token_from(html: str) -> str:
    match = _CSRF_INPUT.search(html)
    if match is None:
        raise AssertionError("no csrf_token field in the page")
    return match.group(1) or match.group(2)


@pytest.fixture
def csrf_token() -> Callable[[FlaskClient, str], str]:
    """`csrf_token(client, url)`: the CSRF token of a form on the page at `url`.

    One token is valid for every form of the client's session."""

    def fetch(client: FlaskClient, url: str = "/login") -> str:
        response = client.get(url)
        return csrf_token_from(response.get_data(as_text=True))

    return fetch


@pytest.fixture
def login() -> Callable[..., TestResponse]:
    """`login(client, username, password=TEST_PASSWORD)`: sign in through the real form."""

    def sign_in(client: FlaskClient, username: str, password: str = TEST_PASSWORD) -> TestResponse:
        page = client.get("/login")
        token = csrf_token_from(page.get_data(as_text=True))
        response = client.post(
            "/login", data={"username": username, "password": password, "csrf_token": token}
        )
        assert response.status_code == 302, f"login as {username!r} failed"
        return response

    return sign_in


@pytest.fixture(autouse=True)
def _tasks_walked_as_spiffworkflow_walks_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """workflows/task_walk.py stands in for SpiffWorkflow's task iterator: every walk in every
    test is checked against the iterator's answer."""
    walk = task_walk.tasks_in

    def checked(workflow: Any, *state: int) -> Any:
        found = walk(workflow, *state)
        assert found == workflow.get_tasks(**({"state": state[0]} if state else {}))
        return found

    monkeypatch.setattr(task_walk, "tasks_in", checked)
    waiting = task_walk.waiting_tasks

    def checked_waiting(workflow: Any) -> Any:
        # Both walks only read; the walk given back is a new one, lazy as in production.
        theirs = list(TaskIterator(workflow.task_tree, state=TaskState.WAITING))
        assert list(waiting(workflow)) == theirs
        return waiting(workflow)

    monkeypatch.setattr(task_walk, "waiting_tasks", checked_waiting)
