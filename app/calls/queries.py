"""Reads on calls: the lists of the public page and the management page, the choices of the call
editor, and the calls a deploy of a model must not break."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.calls.models import Call
from app.calls.settings import CURRENT_VERSION, CallChoices, locked_for
from app.i18n import current_language
from workflows import BoundCall, clock_now
from workflows.bundles import bpmn_documents
from workflows.models import ProcessModel, ProcessVersion

EVALUATOR_ROLE = "specialist"


def get_call_by_key(session: Session, key: str) -> Call | None:
    return session.scalar(select(Call).where(Call.key == key))


def public_calls(session: Session, *, rehearsals: bool = False) -> list[Call]:
    """Published calls, soonest deadline first, then calls that closed. ``rehearsals``: also
    the rehearsal calls of drafts (for the people walking them, never on the public page)."""
    kinds = ("call", "rehearsal") if rehearsals else ("call",)
    calls = session.scalars(
        select(Call)
        .where(
            Call.kind.in_(kinds),
            Call.status.in_(("published", "closed", "decided")),
            Call.discarded_at.is_(None),
        )
        .options(selectinload(Call.clock))
    ).all()
    return sorted(calls, key=lambda call: (call.status != "published", _sort_time(call)))


def _sort_time(call: Call) -> float:
    first = call.first_deadline
    return first.timestamp() if first is not None else float("inf")


def accepts_new_cases(call: Call) -> bool:
    """Published and before its first deadline (on its own clock)."""
    if not call.is_open:
        return False
    first = call.first_deadline
    return first is None or clock_now(call.clock) < first


def managed_calls(session: Session) -> list[Call]:
    """Every call a process owner manages (not the standing contexts or discarded rehearsals)."""
    return list(
        session.scalars(
            select(Call)
            .where(Call.kind != "standing", Call.discarded_at.is_(None))
            .order_by(Call.created_at.desc(), Call.id.desc())
        )
    )


def version_label(version: ProcessVersion, number: int) -> str:
    return _("version %(number)s (%(hash)s)", number=number, hash=version.content_hash[:12])


def version_of_choice(
    session: Session, model: ProcessModel | None, choice: Any
) -> ProcessVersion | None:
    """The version a call pins (a content hash prefix), or None for "the current version"."""
    if model is None or not isinstance(choice, str) or choice in ("", CURRENT_VERSION):
        return None
    return session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.model_id == model.id,
            ProcessVersion.content_hash.startswith(choice, autoescape=True),
        )
    )


def editor_choices(
    session: Session, data: dict[str, Any] | None = None, call: Call | None = None
) -> CallChoices:
    """What the call editor offers: models, their versions, evaluators, the call's objects."""
    language = current_language()
    models = session.scalars(select(ProcessModel).order_by(ProcessModel.id)).all()
    model_id = (data or {}).get("process_model")
    versions = [(CURRENT_VERSION, _("The current version (follows every deploy)"))]
    if model_id:
        found = session.scalars(
            select(ProcessVersion)
            .where(ProcessVersion.model_id == model_id)
            .order_by(ProcessVersion.deployed_at, ProcessVersion.id)
        ).all()
        versions += [(v.content_hash[:12], version_label(v, n)) for n, v in enumerate(found, 1)]
    evaluators = session.scalars(
        select(User).where(User.role_names.contains(EVALUATOR_ROLE)).order_by(User.display_name)
    ).all()
    objects = [
        (item["key"], str(item.get("title", {}).get(language) or item["key"]))
        for item in (data or {}).get("application_objects") or []
        if isinstance(item, dict) and isinstance(item.get("key"), str)
    ]
    return CallChoices(
        models=[(model.id, model.name_in(language)) for model in models],
        versions=versions,
        evaluators=[(u.username, f"{u.display_name} ({u.username})") for u in evaluators],
        objects=objects,
        locked=locked_for(call.status) if call is not None else frozenset(),
    )


def bound_calls(session: Session, model_id: str) -> list[BoundCall]:
    """The calls that start new cases on the model's current version: a deploy must keep what
    they rely on. Each with the BPMN files its running call process is on."""
    calls = session.scalars(
        select(Call).where(
            Call.model_id == model_id,
            Call.version_id.is_(None),
            Call.status.in_(("published", "closed")),
            Call.discarded_at.is_(None),
        )
    ).all()
    return [
        BoundCall(
            call.key,
            bpmn_documents(call.instance.version.files) if call.instance is not None else {},
        )
        for call in calls
    ]


def calls_of_model(session: Session, model_id: str) -> Sequence[Call]:
    return session.scalars(
        select(Call)
        .where(Call.model_id == model_id, Call.kind != "standing", Call.discarded_at.is_(None))
        .order_by(Call.created_at.desc())
    ).all()
