"""Fixtures for the scenario tests of the process files: the demo call, driven step by step.

`rehearsal` deploys the process files, creates the demo accounts and the demo call, and then
drives the call as its users would: every step (start a case, send a task, move the call's
rehearsal clock) is one operation followed by a commit, as one request or job would do it.
Times written as "2021-04-15 16:14:59" are Helsinki time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock
from app.cases.models import Case
from app.cases.operations import start_case
from app.demo import setup_demo
from app.notifications.models import Notice
from app.tasks.operations import save_draft, send_task
from workflows import set_rehearsal_time
from workflows.engine import deliver_pending
from workflows.models import AuditEvent, HumanTask, OutboxMessage

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
HELSINKI = ZoneInfo("Europe/Helsinki")
CALL_KEY = "regional-networks-2021"

# Partners of a theme network led by the City of Tampere: with the lead, 4 municipalities in
# 2 regions, the least the call accepts. Places are Statistics Finland's codes (app/reference);
# each partner's contact gets the webinar invitation and the decision.
PARTNERS = [
    {
        "name": "City of Nokia",
        "type": "municipality",
        "region": "06",  # Pirkanmaa
        "municipality": "536",  # Nokia
        "contact_person": "Niina Nokia",
        "email": "niina@nokia.example",
    },
    {
        "name": "City of Ylöjärvi",
        "type": "municipality",
        "region": "06",  # Pirkanmaa
        "municipality": "980",  # Ylöjärvi
        "contact_person": "Ylva Ylöjärvi",
        "email": "ylva@ylojarvi.example",
    },
    {
        "name": "City of Hämeenlinna",
        "type": "municipality",
        "region": "05",  # Kanta-Häme
        "municipality": "109",  # Hämeenlinna
        "contact_person": "Hannu Hämeenlinna",
        "email": "hannu@hameenlinna.example",
    },
]


def helsinki(moment: str) -> datetime:
    """'2021-04-15 16:14:59' -> that moment in Helsinki time."""
    return datetime.fromisoformat(moment).replace(tzinfo=HELSINKI)


@dataclass
class Rehearsal:
    session: Session
    make_user: Callable[..., User]
    make_organisation: Callable[..., Organisation]

    @property
    def call(self) -> Call:
        call = self.session.scalar(select(Call).where(Call.key == CALL_KEY))
        assert call is not None
        return call

    def user(self, username: str) -> User:
        user = self.session.scalar(select(User).where(User.username == username))
        assert user is not None, f"no user {username!r}"
        return user

    def applicant(self, username: str, organisation: str, region: str, municipality: str) -> User:
        """A new applicant account in a new municipality of its own."""
        return self.make_user(
            username,
            roles=("applicant",),
            organisation=self.make_organisation(organisation, "municipality", region, municipality),
        )

    def start(self, username: str) -> Case:
        case = start_case(self.session, self.call, self.user(username))
        self.session.commit()
        return case

    def task(
        self, spec_name: str, case: Case | None = None, assignee: str | None = None
    ) -> HumanTask | None:
        """The ready task of that BPMN id, of the case (or of the call's own process)."""
        instance_id = case.instance_id if case is not None else self.call.instance_id
        query = select(HumanTask).where(
            HumanTask.instance_id == instance_id, HumanTask.spec_name == spec_name
        )
        if assignee is not None:
            query = query.where(HumanTask.assignee == assignee)
        return self.session.scalar(query)

    def send(
        self,
        spec_name: str,
        data: dict[str, Any],
        username: str,
        case: Case | None = None,
        assignee: str | None = None,
        arrived: str | None = None,
    ) -> None:
        """Send the form of a ready task as `username`; a refusal rolls everything back."""
        task = self.task(spec_name, case, assignee)
        assert task is not None, f"no ready task {spec_name!r}"
        instance = case.instance if case is not None else self.call.instance
        try:
            send_task(
                self.session,
                self.call,
                instance,
                task.task_id,
                data,
                self.user(username),
                arrived_at=self.wall_at(arrived) if arrived else None,
            )
        except Exception:
            self.session.rollback()
            raise
        self.session.commit()
        while deliver_pending(self.session):  # what the worker does after the commit
            self.session.commit()

    def save_draft(self, spec_name: str, data: dict[str, Any], username: str, case: Case) -> None:
        """Keep the form of a ready task unsent, as "Save draft" does."""
        task = self.task(spec_name, case)
        assert task is not None, f"no ready task {spec_name!r}"
        save_draft(self.session, case.instance, task.task_id, data, self.user(username))
        self.session.commit()

    def notices(self, kind: str) -> list[Notice]:
        return list(
            self.session.scalars(select(Notice).where(Notice.kind == kind).order_by(Notice.id))
        )

    def move_clock(self, moment: str) -> None:
        """Move the clock to `moment` and fire the timers due, as the process owner does."""
        call = self.call
        move_rehearsal_clock(self.session, call, helsinki(moment))
        self.session.commit()

    def wall_at(self, moment: str) -> datetime:
        """The wall-clock moment at which the call's rehearsal clock shows ``moment``: when a
        request must have arrived to arrive at ``moment`` on the call's clock."""
        clock = self.call.clock
        assert clock.anchor is not None and clock.set_at is not None
        return clock.set_at + (helsinki(moment) - clock.anchor)

    def set_clock(self, moment: str) -> None:
        """The clock reaches `moment`, but the timer job has not run yet (it polls)."""
        set_rehearsal_time(self.call.clock, helsinki(moment))
        self.session.commit()

    def emails(self, template: str | None = None) -> list[dict[str, Any]]:
        payloads = [
            message.payload
            for message in self.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.kind == "email")
                .order_by(OutboxMessage.id)
            )
        ]
        return [p for p in payloads if template is None or p["template"] == template]

    def case_ids_emailed(self, template: str) -> set[int]:
        return {payload["case_id"] for payload in self.emails(template)}

    def timeline(self, case: Case) -> list[AuditEvent]:
        return list(
            self.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.instance_id == case.instance_id)
                .order_by(AuditEvent.id)
            )
        )

    @staticmethod
    def idea(project_name: str, **changes: Any) -> dict[str, Any]:
        """A valid idea proposal: a theme network of 4 municipalities in 2 regions."""
        return {
            "project_name": project_name,
            "application_object": "theme_network",
            "regional_city_network": False,
            "partners": [dict(partner) for partner in PARTNERS],
            "summary": "Four municipalities in two regions renew their development network.",
            "requested_amount_estimate": 400000,
        } | changes

    @staticmethod
    def application(budget: tuple[int, int, int] = (100000, 150000, 150000)) -> dict[str, Any]:
        """A valid application applying for `budget` in 2021, 2022 and 2023."""
        return {
            "plan": "Shared services and a joint development programme.",
            "budget_2021": budget[0],
            "budget_2022": budget[1],
            "budget_2023": budget[2],
            "cofunding": 40000,
            "contact_person": "Anna Applicant",
            "contact_email": "anna@tampere.example",
        }


@pytest.fixture
def rehearsal(
    db_session: Session,
    make_user: Callable[..., User],
    make_organisation: Callable[..., Organisation],
) -> Rehearsal:
    setup_demo(db_session, BPMN)
    db_session.commit()
    return Rehearsal(db_session, make_user, make_organisation)
