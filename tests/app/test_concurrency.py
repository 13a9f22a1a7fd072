"""2,000 random requests from 16 clients at once on 50 cases, across the idea deadline, with the
call's clock moved and the worker running meanwhile (PostgreSQL): no request ends in a server
error, and afterwards every instance's task index, timers, message waits and audit log agree
with its engine state."""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from app import worker
from app.calls.models import Call
from app.cases.models import Case
from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token_from
from workflows import clock_now, set_rehearsal_time
from workflows.consistency import disagreements
from workflows.models import WorkflowInstance

HELSINKI = ZoneInfo("Europe/Helsinki")
CASES = 50
CLIENTS = 16
OPERATIONS = 2000
CALL = "regional-networks-2021"
CLOCK = f"/calls/{CALL}/clock"
TASK_LINK = re.compile(r'href="(/tasks/\d+/[0-9a-f-]{36})"')


@pytest.fixture
def storm(app: Flask, demo, make_organisation, make_user):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("requests at once in many transactions: PostgreSQL")
    for n in range(CASES):
        organisation = make_organisation(f"Municipality {n}", "municipality", "06", "837")
        make_user(f"storm{n}", roles=("applicant",), organisation=organisation)
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == CALL))
        set_rehearsal_time(call.clock, datetime.fromisoformat("2021-04-15T16:13:00+03:00"))
        db.session.commit()
    return app


def signed_in(app: Flask, username: str, password: str = TEST_PASSWORD):
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert response.status_code == 302, username
    return client, token


IDEA = {
    "project_name": "Storm network",
    "application_object": "theme_network",
    "summary": "Four municipalities in two regions.",
    "requested_amount_estimate": "400000",
    "partners.0.name": "City of Nokia",
    "partners.0.type": "municipality",
    "partners.0.region": "06",  # Pirkanmaa (Statistics Finland's codes)
    "partners.0.municipality": "536",  # Nokia
    "partners.0.contact_person": "Contact of Nokia",
    "partners.0.email": "contact@536.example",
    "partners.1.name": "City of Hämeenlinna",
    "partners.1.type": "municipality",
    "partners.1.region": "05",  # Kanta-Häme
    "partners.1.municipality": "109",  # Hämeenlinna
    "partners.1.contact_person": "Contact of Hämeenlinna",
    "partners.1.email": "contact@109.example",
    "partners.2.name": "Municipality of Janakkala",
    "partners.2.type": "municipality",
    "partners.2.region": "05",  # Kanta-Häme
    "partners.2.municipality": "165",  # Janakkala
    "partners.2.contact_person": "Contact of Janakkala",
    "partners.2.email": "contact@165.example",
}


class Client(threading.Thread):
    """One client's share of the storm: random requests of its people, each answer recorded."""

    def __init__(self, app: Flask, number: int, operations: int, statuses: Counter) -> None:
        super().__init__(name=f"client-{number}")
        self.app, self.number, self.operations = app, number, operations
        self.statuses = statuses
        self.random = random.Random(number)
        self.failures: list[str] = []

    def record(self, what: str, response) -> None:  # noqa: ANN001
        self.statuses[response.status_code // 100 * 100] += 1
        if response.status_code >= 500:
            self.failures.append(f"{what}: {response.status_code}")

    def run(self) -> None:
        try:
            if self.number < 12:
                self.applicants()
            elif self.number < 15:
                self.specialist()
            else:
                self.owner()
        except Exception as error:  # noqa: BLE001 - a crash of the client is a failure too
            self.failures.append(f"{type(error).__name__}: {error}")

    def applicants(self) -> None:
        mine = [n for n in range(CASES) if n % 12 == self.number]
        people = {n: signed_in(self.app, f"storm{n}") for n in mine}
        for client, token in people.values():
            started = client.post(f"/calls/{CALL}/applications", data={"csrf_token": token})
            self.record("start", started)
        for _ in range(self.operations):
            client, token = people[self.random.choice(mine)]
            page = client.get("/cases/" + str(self._case_of(client)))
            self.record("case page", page)
            links = TASK_LINK.findall(page.get_data(as_text=True))
            if not links:
                continue
            action = "send" if self.random.random() < 0.4 else "draft"
            form = IDEA | {"action": action, "csrf_token": token}
            self.record(action, client.post(links[0], data=form))

    def _case_of(self, client) -> int:  # noqa: ANN001
        found = re.search(r'href="/cases/(\d+)"', client.get("/cases").get_data(as_text=True))
        return int(found.group(1)) if found else 0

    def specialist(self) -> None:
        client, token = signed_in(
            self.app, "specialist" if self.number == 12 else "evaluator", DEMO_PASSWORD
        )
        for _ in range(self.operations):
            inbox = client.get("/tasks")
            self.record("inbox", inbox)
            links = TASK_LINK.findall(inbox.get_data(as_text=True))
            if not links:
                continue
            link = self.random.choice(links)
            choice = self.random.random()
            if choice < 0.3:
                self.record("claim", client.post(link + "/claim", data={"csrf_token": token}))
            elif choice < 0.5:
                self.record("unclaim", client.post(link + "/unclaim", data={"csrf_token": token}))
            else:
                form = {
                    "akke_compatible": "true",
                    "screening_result": "proceed",
                    "action": "send",
                    "csrf_token": token,
                }
                self.record("screen", client.post(link, data=form))

    def owner(self) -> None:
        client, token = signed_in(self.app, "process_owner", DEMO_PASSWORD)
        for _ in range(self.operations):
            if self.random.random() < 0.5:
                worker.run_once(self.app, timer_grace=timedelta(0))
                continue
            with self.app.app_context():
                call = db.session.scalar(select(Call).where(Call.key == CALL))
                now = clock_now(call.clock)
            target = now + timedelta(seconds=self.random.randint(5, 40))
            moment = target.astimezone(HELSINKI).replace(tzinfo=None).isoformat(timespec="seconds")
            response = client.post(
                CLOCK, data={"action": "moment", "moment": moment, "csrf_token": token}
            )
            self.record("clock", response)


def test_a_storm_of_concurrent_requests_makes_no_server_error_and_leaves_no_disagreement(storm):
    app = storm
    statuses: Counter = Counter()
    share = OPERATIONS // CLIENTS
    clients = [Client(app, number, share, statuses) for number in range(CLIENTS)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=600)

    assert [f for client in clients for f in client.failures] == []
    assert sum(statuses.values()) >= OPERATIONS
    assert statuses[500] == 0
    while worker.run_once(app, timer_grace=timedelta(0))["messages"]:
        pass
    with app.app_context():
        session = db.session
        instances = session.scalars(select(WorkflowInstance)).all()
        found = {i.id: disagreements(session, i) for i in instances}
        assert {i: d for i, d in found.items() if d} == {}
        sent = session.scalars(select(Case).where(Case.phase != "Write and send the idea proposal"))
        assert len(list(sent)) > 0  # the storm did get ideas through before the deadline
