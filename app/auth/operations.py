"""Writes for accounts and organisations. They flush; the caller's request or job commits."""

from __future__ import annotations

from collections.abc import Iterable

from app.auth.models import Organisation, User
from app.extensions import db


def create_organisation(
    name: str,
    org_type: str,
    region: str,
    municipality: str | None = None,
    business_id: str | None = None,
) -> Organisation:
    organisation = Organisation(
        name=name,
        org_type=org_type,
        region=region,
        municipality=municipality,
        business_id=business_id,
    )
    db.session.add(organisation)
    db.session.flush()
    return organisation


def create_user(
    username: str,
    password: str,
    display_name: str,
    email: str,
    roles: Iterable[str],
    organisation: Organisation | None = None,
    language: str = "fi",
) -> User:
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        organisation=organisation,
        language=language,
        is_active=True,
    )
    user.roles = roles
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every session of ``user`` begun so far, on every device (app/sessions.py)."""
    user.session_version += 1
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """A new password, and every session begun with the old one ended."""
    user.set_password(new_password)
    end_sessions(user)
