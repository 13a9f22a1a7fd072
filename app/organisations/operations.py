"""Registering an applicant organisation, editing its details, and inviting people into it.
Operations flush only.

All are safe at once: an invitation is taken by one conditional UPDATE (one acceptance wins,
however many arrive together), and a username or a business ID taken meanwhile by someone else
(the unique constraints) is the same form error as one taken long ago, never a server error."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.auth.operations import create_organisation, create_user
from app.organisations.models import Invitation
from workflows import wall_now
from workflows.audit import queue_message

INVITATION_DAYS = 14


class UsernameTaken(ValueError):
    pass


class BusinessIdTaken(ValueError):
    pass


class InvitationUsed(ValueError):
    """The invitation was accepted (by another request) or expired meanwhile."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _taken() -> UsernameTaken:
    return UsernameTaken(_("This username is taken; choose another."))


def _check_username(session: Session, username: str) -> None:
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise _taken()


def _business_id_taken() -> BusinessIdTaken:
    return BusinessIdTaken(
        _(
            "An organisation with this business ID is already registered: "
            "ask its people to invite you."
        )
    )


def _check_business_id(session: Session, business_id: str, organisation_id: int | None) -> None:
    holder = session.scalar(select(Organisation.id).where(Organisation.business_id == business_id))
    if holder is not None and holder != organisation_id:
        raise _business_id_taken()


def _add_applicant(
    session: Session,
    organisation: Organisation,
    *,
    username: str,
    password: str,
    display_name: str,
    email: str,
    language: str,
) -> User:
    """The new applicant, in a savepoint: when another request took the username since the
    check, the unique constraint refuses it and only the savepoint is undone."""
    _check_username(session, username)
    try:
        with session.begin_nested():
            return create_user(
                username,
                password,
                display_name,
                email,
                ("applicant",),
                organisation,
                language=language,
            )
    except IntegrityError:
        raise _taken() from None


def register_organisation(
    session: Session,
    *,
    name: str,
    org_type: str,
    business_id: str,
    region: str,
    municipality: str | None,
    username: str,
    password: str,
    display_name: str,
    email: str,
    language: str,
) -> User:
    """A new applicant organisation and its first person, an applicant. Raises UsernameTaken
    or BusinessIdTaken."""
    _check_username(session, username)
    _check_business_id(session, business_id, None)
    try:
        with session.begin_nested():
            created = create_organisation(
                name, org_type, region, municipality or None, business_id=business_id
            )
    except IntegrityError:
        raise _business_id_taken() from None
    return _add_applicant(
        session,
        created,
        username=username,
        password=password,
        display_name=display_name,
        email=email,
        language=language,
    )


def update_organisation(
    session: Session,
    organisation: Organisation,
    *,
    business_id: str,
    region: str,
    municipality: str | None,
) -> Organisation:
    """The organisation's business ID, region and municipality as its people give them. Raises
    BusinessIdTaken when another organisation has the business ID."""
    _check_business_id(session, business_id, organisation.id)
    try:
        with session.begin_nested():
            organisation.business_id = business_id
            organisation.region = region
            organisation.municipality = municipality or None
            session.flush()
    except IntegrityError:
        raise _business_id_taken() from None
    return organisation


def invite(
    session: Session,
    organisation: Organisation,
    email: str,
    inviter: User,
    link_for: Callable[[str], str],
) -> Invitation:
    """Store an invitation and queue the email with its one-time link (``link_for(token)``)."""
    token = secrets.token_urlsafe(32)
    now = wall_now()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        token_hash=_hash(token),
        invited_by=inviter.username,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    queue_message(
        session,
        kind="email",
        payload={
            "to": [email],
            "subject": f"Invitation to join {organisation.name} in grantflow",
            "body": (
                f"{inviter.display_name} invites you to work on the funding applications of "
                f"{organisation.name}.\nAccept within {INVITATION_DAYS} days: {link_for(token)}\n"
            ),
            "template": "invitation",
        },
    )
    return invitation


def open_invitation(session: Session, token: str) -> Invitation | None:
    """The invitation of a token, if it exists, is unused and has not expired."""
    invitation = session.scalar(select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None or invitation.accepted_at is not None:
        return None
    return invitation if invitation.expires_at > wall_now() else None


def accept_invitation(
    session: Session,
    invitation: Invitation,
    *,
    username: str,
    password: str,
    display_name: str,
    language: str,
) -> User:
    """The invitee's account. One statement takes the invitation: of acceptances arriving
    together exactly one finds it open (the others wait for its row lock, then find it taken)."""
    now = wall_now()
    taken = session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise InvitationUsed(_("This invitation was already used or has expired."))
    return _add_applicant(
        session,
        invitation.organisation,
        username=username,
        password=password,
        display_name=display_name,
        email=invitation.email,
        language=language,
    )
