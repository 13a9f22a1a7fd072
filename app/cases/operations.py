"""Writes on cases. Operations flush; the view or job that called them commits once.

A case runs the case process of its call's process model, with the start data the model's
contract asks for (app/calls/start_data). A model that needs no call (its contract asks for
nothing a call gives) runs its cases in a standing call of its own, started from "Start a case".
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.calls.models import Call
from app.calls.queries import accepts_new_cases
from app.calls.start_data import call_values, missing, pick
from app.cases.models import Case
from app.cases.queries import case_version, starting_roles
from app.reference.places import finland
from workflows import SYSTEM, Actor, wall_now
from workflows.engine import Opening, open_case
from workflows.models import Clock, ProcessModel, ProcessVersion, WorkflowInstance


class CaseRefused(Exception):
    """A case that cannot be started; the message says why, in the page language."""


def actor_of(user: User) -> Actor:
    return Actor(user.username, user.roles)


# The Language Act: a case is dealt with in Finnish or Swedish, whatever the interface language.
CASE_LANGUAGES = ("fi", "sv")


def case_language_for(user: User) -> str:
    """The case language a person's cases get unless they choose: Swedish for Swedish speakers."""
    return "sv" if user.language == "sv" else "fi"


def start_case(session: Session, call: Call, user: User, language: str | None = None) -> Case:
    """Open a case in ``call`` for the user and start the model's case process, in
    ``language`` (Finnish or Swedish; by default case_language_for the user).

    Refused (CaseRefused) when the call takes no new cases, the user's roles do not match the
    start lane, or the model needs an applicant organisation the user does not have."""
    model = call.model
    version = case_version(session, call)
    if version is None:
        raise CaseRefused(_("The process of this call has not been deployed yet."))
    if not accepts_new_cases(call):
        raise CaseRefused(_("The call has closed: new applications can no longer be started."))
    if not user.roles & starting_roles(version, model):
        raise CaseRefused(_("Your role cannot start a case of this process."))
    if "lead_organisation" in model.case_start_data and user.organisation is None:
        raise CaseRefused(_("Only a member of an applicant organisation can start an application."))
    if language is not None and language not in CASE_LANGUAGES:
        raise CaseRefused(_("Choose Finnish or Swedish as the language of the case."))
    case = _new_case(
        session, call, user.username, user.organisation, language or case_language_for(user)
    )
    values = call_values(call.key, call.config) | case_values(case, user)
    open_case(session, _opening(session, case, version, values), actor_of(user))
    return case


def start_case_by_message(session: Session, model_id: str) -> Opening | None:
    """Open a case of the model for a message its case process starts on (a message start
    event, as SpiffArena's receivers have), in the model's standing call, opened by the system;
    None when the model takes no new cases. The engine starts it with the message caught."""
    model = session.get(ProcessModel, model_id)
    if model is None or model.call_process is not None:
        return None
    call = standing_call(session, model)
    version = case_version(session, call)
    if version is None or not accepts_new_cases(call):
        return None
    case = _new_case(session, call, SYSTEM.username, None, "fi")
    values = call_values(call.key, call.config) | {"case_key": case.key, "started_by": None}
    return _opening(session, case, version, values)


def _new_case(
    session: Session,
    call: Call,
    created_by: str,
    organisation: Organisation | None,
    language: str,
) -> Case:
    now = wall_now()
    case = Case(
        call=call,
        organisation=organisation,
        language=language,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    return case


def _opening(
    session: Session, case: Case, version: ProcessVersion, values: dict[str, object]
) -> Opening:
    """Where the case's process runs, with the start data its model's contract asks for."""
    model = case.call.model
    lacking = missing(model.case_start_data, values)
    if lacking:  # the call editor refuses such settings: a model changed since
        raise CaseRefused(
            _("The call lacks settings its process needs: %(names)s.", names=", ".join(lacking))
        )

    def link(instance: WorkflowInstance) -> None:
        case.instance = instance
        session.flush()

    return Opening(
        version,
        model.case_process,
        pick(model.case_start_data, values),
        case.call.clock,
        case.call.key,
        case.key,
        link,
    )


def case_values(case: Case, user: User) -> dict[str, object]:
    values: dict[str, object] = {"case_key": case.key, "started_by": user.username}
    organisation = user.organisation
    if organisation is not None:
        # Codes, as the partners' in the idea form: a place typed as a name before codes
        # were asked counts as the same place as the partner that chose it.
        region, municipality = finland().place_codes(organisation.region, organisation.municipality)
        values["lead_organisation"] = {
            "name": organisation.name,
            "type": organisation.org_type,
            "region": region,
            "municipality": municipality,
        }
    return values


def standing_call(session: Session, model: ProcessModel) -> Call:
    """The call-less context of a model's cases: its clock (real time) and its key."""
    key = "model-" + re.sub(r"[^a-z0-9]+", "-", model.id.lower()).strip("-")[:90]
    found = session.scalar(select(Call).where(Call.key == key))
    if found is not None:
        return found
    now = wall_now()
    clock = session.scalar(select(Clock).where(Clock.name == f"model:{model.id}"))
    call = Call(
        key=key,
        title=model.name_in("en")[:300],
        config={},
        kind="standing",
        status="published",
        model=model,
        clock=clock or Clock(name=f"model:{model.id}", rehearsal=False),
        created_by="system",
        created_at=now,
        updated_at=now,
        published_at=now,
    )
    session.add(call)
    session.flush()
    return call
