"""Which call the replay runs in, and who of the staff acts in it.

The replay runs in the call itself only when nothing has happened in it yet: a published call
on a rehearsal clock, without cases, whose clock has not reached the replay's first step (as
`setup-demo` leaves the 2021 call for about a day). Otherwise it runs in a fresh copy: a
rehearsal call with the same settings, its clock set to the day the idea call opened (30 days
before the idea deadline), listed as a rehearsal and discarded like one. A call on real time is
never replayed in: its copy is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.calls.operations import copied_data, create_call, publish_call
from app.cases.models import Case
from app.replay.plan import Plan
from app.replay.story import GROWTH_ZONE, THEME_NETWORK
from workflows import Actor, clock_now

REPLAY_TITLES = {"en": "Replay: {title}", "fi": "Toisto: {title}", "sv": "Repris: {title}"}
SPECIALIST, DECISION_MAKER = "specialist", "decision_maker"


class ReplayRefused(Exception):
    """The replay cannot run on this call (or without the demo's staff); the message says why."""


@dataclass(frozen=True)
class Staff:
    specialist: User
    decision_maker: User
    evaluators: dict[str, User]  # every evaluator and reserve evaluator of the call


def check_replayable(call: Call) -> None:
    """The replay needs the shape of the 2021 call: its two deadlines, both application
    objects, a budget and evaluators."""
    objects = {item.get("key") for item in call.config.get("application_objects") or []}
    if (
        call.kind == "standing"
        or call.deadline("idea") is None
        or call.deadline("application") is None
        or not {THEME_NETWORK, GROWTH_ZONE} <= objects
        or call.budget_total <= 0
        or not call.config.get("evaluators")
    ):
        raise ReplayRefused(
            _(
                "Only a call like the 2021 call can be replayed: an idea and an application "
                "deadline, theme networks and growth zones, a budget and evaluators."
            )
        )


def replayable(call: Call) -> bool:
    """Whether the call page offers the replay: a running rehearsal call like the 2021 call."""
    if not call.clock.rehearsal or call.status == "draft" or call.discarded_at is not None:
        return False
    try:
        check_replayable(call)
    except ReplayRefused:
        return False
    return True


def find_staff(session: Session, call: Call) -> Staff:
    """The demo's specialist and decision maker (by role, the demo's usernames first) and the
    call's evaluators."""
    specialist = _by_role(session, SPECIALIST, "specialist")
    decision_maker = _by_role(session, DECISION_MAKER, "decision_maker")
    names = [*call.config.get("evaluators", []), *call.config.get("reserve_evaluators", [])]
    evaluators = {
        user.username: user
        for user in session.scalars(select(User).where(User.username.in_(names), User.is_active))
    }
    missing = [name for name in call.config.get("evaluators", []) if name not in evaluators]
    if specialist is None or decision_maker is None or missing:
        raise ReplayRefused(
            _(
                "The replay needs the demo's specialist, decision maker and the call's "
                "evaluators: run “flask --app app grantflow setup-demo” first."
            )
        )
    return Staff(specialist, decision_maker, evaluators)


def _by_role(session: Session, role: str, username: str) -> User | None:
    users = session.scalars(select(User).where(User.is_active).order_by(User.id)).all()
    having = [user for user in users if role in user.roles]
    return next((user for user in having if user.username == username), None) or next(
        iter(having), None
    )


def is_fresh(session: Session, call: Call, plan: Plan) -> bool:
    """Nothing happened in the call yet, and its rehearsal clock is before the first step."""
    cases = session.scalar(select(func.count()).select_from(Case).where(Case.call_id == call.id))
    return (
        call.clock.rehearsal
        and call.status == "published"
        and call.discarded_at is None
        and not cases
        and clock_now(call.clock) < plan.first_moment
    )


def replay_target(session: Session, call: Call, plan: Plan, actor: Actor) -> tuple[Call, bool]:
    """(the call to replay in, whether it is a new copy of ``call``)."""
    check_replayable(call)
    if is_fresh(session, call, plan):
        return call, False
    data: dict[str, Any] = copied_data(call, years=0)
    data["key"] = _free_key(session, call.key)
    titles = data.get("title") or {}
    data["title"] = {
        language: template.format(title=titles.get(language) or call.title)
        for language, template in REPLAY_TITLES.items()
    }
    data["rehearsal_clock_start"] = plan.opening.isoformat()
    copy = create_call(session, data, actor, kind="rehearsal")
    publish_call(session, copy, actor)
    return copy, True


def _free_key(session: Session, key: str) -> str:
    """``<key>-replay-<n>``, the first n no call has."""
    taken = set(session.scalars(select(Call.key).where(Call.key.like(f"{key[:80]}-replay-%"))))
    number = 1
    while f"{key[:80]}-replay-{number}" in taken:
        number += 1
    return f"{key[:80]}-replay-{number}"
