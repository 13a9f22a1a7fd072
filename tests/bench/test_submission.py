"""The small version of `make bench`'s submission run: the ten-task model deployed through the
CLI, one case walked through "Start a case" and My tasks, and the SQL of each send counted.
A count is not a timing: a send of a two-field form is a handful of statements on any machine,
and a change that makes it scan the call or load a row twice shows here first."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import make_url

from bench.common import bench_app, scratch_database
from bench.submission import TARGET_STATEMENTS, statements_per_send


@pytest.fixture
def url(tmp_path):
    """A fresh SQLite file, or a scratch database beside the PostgreSQL test database."""
    postgresql = os.environ.get("GRANTFLOW_TEST_DATABASE_URL")
    if postgresql is None:
        yield f"sqlite:///{tmp_path / 'bench.sqlite'}"
        return
    parsed = make_url(postgresql)
    scratch = parsed.set(database=f"{parsed.database}_bench")
    with scratch_database(scratch.render_as_string(hide_password=False)) as fresh:
        yield fresh


def test_a_send_of_a_task_form_is_a_handful_of_statements(url):
    with bench_app(url) as app:
        sends = statements_per_send(app)

    assert len(sends) == 10  # every task of the case was sent
    counts = [len(statements) for statements in sends]
    assert max(counts) <= TARGET_STATEMENTS, "\n\n".join(max(sends, key=len))
