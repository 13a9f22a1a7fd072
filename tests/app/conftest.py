"""Fixtures for view tests that need the demo call: process deployed, accounts, the call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock
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
        # Statistics Finland's codes: Nokia and Ylöjärvi in Pirkanmaa, Hämeenlinna in Kanta-Häme
        for i, (name, region, municipality) in enumerate(
            [("Nokia", "06", "536"), ("Ylöjärvi", "06", "980"), ("Hämeenlinna", "05", "109")]
        )
        for field, value in {
            "name": f"City of {name}",
            "type": "municipality",
            "region": region,
            "municipality": municipality,
            "contact_person": f"Contact of {name}",
            "email": f"contact@{municipality}.example",
        }.items()
    },
}


@pytest.fixture
def idea_form() -> dict[str, str]:
    """A complete, valid idea proposal as the browser posts it."""
    return dict(IDEA)


@pytest.fixture
def move_clock(app: Flask) -> Callable[[str], None]:
    """`move_clock("2021-04-15T16:15:01+03:00")`: move the demo call's rehearsal clock, as the
    CLI command does: due timers fire and the cases are synced."""

    def move(moment: str) -> None:
        with app.app_context():
            call = db.session.scalar(select(Call).order_by(Call.id))  # the 2021 call, first made
            move_rehearsal_clock(db.session, call, datetime.fromisoformat(moment))
            db.session.commit()

    return move


@pytest.fixture
def idea_data() -> dict[str, object]:
    """A valid idea proposal as the engine receives it (parsed and typed)."""
    return {
        "project_name": "Growth zone test",
        "application_object": "growth_zone",
        "regional_city_network": False,
        "partners": [
            {
                "name": "Nokia",
                "type": "municipality",
                "region": "06",
                "contact_person": "Niina Nokia",
                "email": "niina@nokia.example",
            },
            {
                "name": "Pirkanmaa regional council",
                "type": "organisation",
                "region": "06",
                "email": "Applicant@Demo.Grantflow.Example",  # the lead's own address, once
            },
        ],
        "summary": "A growth zone.",
        "requested_amount_estimate": 100000,
    }
