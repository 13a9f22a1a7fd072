"""Behind nginx (PROXY_COUNT=1) the client's address, the scheme and the host are the ones the
proxy saw; without it, such headers from a client are not believed."""

from __future__ import annotations

import pytest
from flask import request

from app import create_app

FORWARDED = {
    "X-Forwarded-For": "198.51.100.7, 203.0.113.9",  # a client's own claim, then nginx's
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "grants.example.fi",
}


@pytest.mark.parametrize(
    ("proxies", "seen"),
    [
        (1, "https://grants.example.fi/where 203.0.113.9"),
        (0, "http://localhost/where 127.0.0.1"),
    ],
)
def test_forwarded_headers_are_believed_only_from_the_configured_proxies(tmp_path, proxies, seen):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}", "SECRET_KEY": "x"}
        | {"PROXY_COUNT": proxies}
    )
    app.add_url_rule("/where", "where", lambda: f"{request.url} {request.remote_addr}")
    answer = app.test_client().get("/where", headers=FORWARDED)
    assert answer.get_data(as_text=True) == seen
