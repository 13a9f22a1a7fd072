"""The figures of a call's overview for its staff: its cases by phase, and the sums applied for
against the budget, by application object and by the lead organisation's region.

Each figure is one aggregate query over the call's cases (their status columns, which the
engine keeps up to date): the page costs a handful of queries however many cases there are.
An amount applied for is the case's ``requested_amount``, known once its application is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from app.auth.models import Organisation
from app.calls.models import Call
from app.cases.models import Case


@dataclass(frozen=True)
class PhaseCount:
    phase: str  # as the engine names it (app.i18n.labels.phase_name translates it)
    closed: bool
    cases: int
    instance_id: int | None  # one case's instance in that phase: its process texts name it


@dataclass(frozen=True)
class GroupSum:
    """The cases of one application object or one region, and the sum they applied for."""

    key: str | None  # None: not given yet (object), no applicant organisation (region)
    cases: int
    applications: int  # the cases that have applied for an amount
    applied: int


@dataclass(frozen=True)
class Money:
    budget: int
    reserved: int  # the reserved shares of the call together
    applied: int  # by every application of the call
    applied_open: int  # by the applications still being processed
    applied_reserved: int  # by the networks of regional cities, who apply for the reserve
    granted: int
    applications: int  # the cases that have applied for an amount


@dataclass(frozen=True)
class Overview:
    cases: int
    open_cases: int
    phases: list[PhaseCount]
    money: Money
    by_object: list[GroupSum]
    by_region: list[GroupSum]

    @property
    def closed_cases(self) -> int:
        return self.cases - self.open_cases


def call_overview(session: Session, call: Call) -> Overview:
    totals = session.execute(
        select(
            func.count(Case.id),
            func.coalesce(func.sum(case((Case.closed.is_(False), 1), else_=0)), 0),
            func.count(Case.requested_amount),
            func.coalesce(func.sum(Case.requested_amount), 0),
            _sum_where(Case.closed.is_(False)),
            _sum_where(Case.regional_city_network.is_(True)),
            func.coalesce(func.sum(Case.granted_amount), 0),
        ).where(Case.call_id == call.id)
    ).one()
    cases, open_cases, applications, applied, applied_open, applied_reserved, granted = totals
    money = Money(
        budget=call.budget_total,
        reserved=call.reserved_total,
        applied=int(applied),
        applied_open=int(applied_open),
        applied_reserved=int(applied_reserved),
        granted=int(granted),
        applications=int(applications),
    )
    return Overview(
        cases=int(cases),
        open_cases=int(open_cases),
        phases=cases_by_phase(session, call),
        money=money,
        by_object=_group_sums(session, call, Case.application_object),
        by_region=_group_sums(
            session, call, Organisation.region, join=Case.organisation_id == Organisation.id
        ),
    )


def _sum_where(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, Case.requested_amount), else_=0)), 0)


def cases_by_phase(session: Session, call: Call) -> list[PhaseCount]:
    """The open phases first, each most cases first."""
    count = func.count(Case.id)
    rows = session.execute(
        select(Case.phase, Case.closed, count, func.min(Case.instance_id))
        .where(Case.call_id == call.id)
        .group_by(Case.phase, Case.closed)
        .order_by(Case.closed, count.desc(), Case.phase)
    )
    return [PhaseCount(phase, closed, n, instance) for phase, closed, n, instance in rows]


def _group_sums(session: Session, call: Call, key: Any, *, join: Any = None) -> list[GroupSum]:
    """The call's cases grouped by ``key``: the largest sum applied for first, then the group
    with most cases; the cases without a key last."""
    applied = func.coalesce(func.sum(Case.requested_amount), 0)
    count = func.count(Case.id)
    query: Select[Any] = select(key, count, func.count(Case.requested_amount), applied)
    if join is not None:
        query = query.select_from(Case).outerjoin(Organisation, join)
    rows = session.execute(
        query.where(Case.call_id == call.id)
        .group_by(key)
        .order_by(key.is_(None), applied.desc(), count.desc(), key)
    )
    return [GroupSum(k, n, with_amount, int(total)) for k, n, with_amount, total in rows]
