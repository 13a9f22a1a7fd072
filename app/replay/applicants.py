"""The made-up applicants registered as anyone registers an organisation (its first person, an
applicant), with the demo password, so that a rehearsal can sign in as them. A later replay
finds them by username and uses them again, as the same organisations apply to another call."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.demo import DEMO_PASSWORD
from app.organisations.business_id import check_digit
from app.organisations.operations import register_organisation
from app.replay.story import Applicant


def register_applicants(session: Session, applicants: list[Applicant]) -> dict[str, User]:
    """The user of each applicant, by username: found, or registered with its organisation."""
    users = {}
    for applicant in applicants:
        user = session.scalar(select(User).where(User.username == applicant.username))
        if user is None:
            user = register_organisation(
                session,
                name=applicant.organisation.name,
                org_type=applicant.organisation.org_type,
                business_id=_free_business_id(session, applicant.business_id),
                region=applicant.region,
                municipality=applicant.municipality,
                username=applicant.username,
                password=DEMO_PASSWORD,
                display_name=applicant.person,
                email=applicant.email,
                language=applicant.language,
            )
        users[applicant.username] = user
    return users


def _free_business_id(session: Session, wanted: str) -> str:
    """``wanted``, or the next valid business ID no organisation has (one registered since)."""
    digits = int(wanted[:7])
    while True:
        text = f"{digits:07d}"
        check = check_digit(text)
        candidate = f"{text}-{check}"
        if check is not None and not _taken(session, candidate):
            return candidate
        digits += 1


def _taken(session: Session, business_id: str) -> bool:
    found = session.scalar(select(Organisation.id).where(Organisation.business_id == business_id))
    return found is not None
