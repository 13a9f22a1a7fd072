"""The app factory's configuration and error pages (kept here with the auth tests for now)."""

from __future__ import annotations

import os
import stat

import pytest
from sqlalchemy import text

from app import create_app, normalise_database_url, read_or_create_secret_key


def test_secret_key_is_created_once_with_private_mode(tmp_path):
    first = read_or_create_secret_key(str(tmp_path))
    second = read_or_create_secret_key(str(tmp_path))

    assert first == second
    assert len(first) == 64
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600
    assert os.listdir(tmp_path) == ["secret_key"]


def test_config_environment_overrides_defaults_and_test_config_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/grantflow")
    monkeypatch.setenv("GRANTFLOW_SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("GRANTFLOW_APP_NAME", "from env")

    app = create_app({"APP_NAME": "from test", "SECRET_KEY": "test"})

    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/grantflow"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["APP_NAME"] == "from test"


def test_normalise_database_url_picks_psycopg_3():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"


def test_unknown_page_says_so_in_plain_language(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_server_error_page_rolls_back_and_explains(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")

    assert response.status_code == 500
    assert "Nothing was saved from this step" in response.get_data(as_text=True)


def test_sqlite_enforces_foreign_keys(db_session):
    if db_session.get_bind().dialect.name != "sqlite":
        pytest.skip("PRAGMA foreign_keys is SQLite's")

    assert db_session.execute(text("PRAGMA foreign_keys")).scalar() == 1
