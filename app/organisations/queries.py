"""Reads on organisations."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.organisations.models import Invitation
from app.reference.places import finland
from workflows import wall_now


def members(session: Session, organisation: Organisation) -> list[User]:
    query = select(User).where(User.organisation_id == organisation.id).order_by(User.display_name)
    return list(session.scalars(query))


def pending_invitations(session: Session, organisation: Organisation) -> list[Invitation]:
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.organisation_id == organisation.id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > wall_now(),
            )
            .order_by(Invitation.created_at)
        )
    )


@dataclass(frozen=True)
class PlaceNames:
    region: str
    municipality: str | None


def place_names(organisation: Organisation, language: str) -> PlaceNames:
    """The organisation's region and municipality named in ``language``; a name typed before
    the codes (app/reference) is shown as typed."""
    places = finland()
    municipality = organisation.municipality
    return PlaceNames(
        region=places.region_name(organisation.region, language) or organisation.region,
        municipality=(places.municipality_name(municipality, language) or municipality)
        if municipality
        else None,
    )
