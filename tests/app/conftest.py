"""Fixtures for view tests that need the demo call: process deployed, accounts, the call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.demo import DEMO_PASSWORD, setup_demo
from app.extensions import db
from workflows.models import HumanTask

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


@pytest.fixture
def demo(app: Flask) -> None:
    with app.app_context():
        setup_demo(db.session, BPMN)
        db.session.commit()


@pytest.fixture
def signed_in(app: Flask, demo: None, login: Callable[..., object]) -> Callable[[str], FlaskClient]:
    """`signed_in("applicant")`: a new client signed in as that demo account."""

    def client_for(username: str) -> FlaskClient:
        client = app.test_client()
        login(client, username, DEMO_PASSWORD)
        return client

    return client_for


@pytest.fixture
def task_url(app: Flask) -> Callable[[str], str]:
    """`task_url("screen_idea")`: the page of the ready task with that BPMN id (and assignee)."""

    def find(spec_name: str, assignee: str | None = None) -> str:
        query = select(HumanTask).where(HumanTask.spec_name == spec_name)
        if assignee is not None:
            query = query.where(HumanTask.assignee == assignee)
        with app.app_context():
            task = db.session.scalar(query)
            assert task is not None, f"no ready task {spec_name}"
            return f"/tasks/{task.instance_id}/{task.task_id}"

    return find


IDEA = {
    "project_name": "Lakeland growth corridor",
    "application_object": "theme_network",
    "summary": "Four municipalities in two regions develop a shared theme.",
    "requested_amount_estimate": "400000",
    **{
        f"partners.{i}.{field}": value
        for i, (name, region) in enumerate(
            [("Nokia", "Pirkanmaa"), ("Ylöjärvi", "Pirkanmaa"), ("Hämeenlinna", "Kanta-Häme")]
        )
        for field, value in {
            "name": f"City of {name}",
            "type": "municipality",
            "region": region,
            "municipality": name,
        }.items()
    },
}


@pytest.fixture
def idea_form() -> dict[str, str]:
    """A complete, valid idea proposal as the browser posts it."""
    return dict(IDEA)
