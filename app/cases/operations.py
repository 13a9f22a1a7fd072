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

from app.auth.models import User
from app.calls.models import Call
from app.calls.queries import accepts_new_cases
from app.calls.start_data import call_values, missing, pick
from app.cases.models import Case
from app.cases.queries import case_version, starting_roles
from app.reference.places import finland
from workflows import Actor, start_instance, wall_now
from workflows.models import Clock, ProcessModel, WorkflowInstance


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
    now = wall_now()
    case = Case(
        call=call,
        organisation=user.organisation,
        language=language or case_language_for(user),
        created_by=user.username,
        created_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    values = call_values(call.key, call.config) | case_values(case, user)
    lacking = missing(model.case_start_data, values)
    if lacking:  # the call editor refuses such settings: a model changed since
        raise CaseRefused(
            _("The call lacks settings its process needs: %(names)s.", names=", ".join(lacking))
        )

    def link(instance: WorkflowInstance) -> None:
        case.instance = instance
        session.flush()

    start_instance(
        session,
        version,
        model.case_process,
        data=pick(model.case_start_data, values),
        clock=call.clock,
        group_key=call.key,
        correlation_key=case.key,
        actor=actor_of(user),
        on_created=link,
    )
    return case


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
