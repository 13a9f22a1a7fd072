"""Reads for accounts and organisations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app.auth.models import ROLES, User
from app.extensions import db

# Checked when the username is unknown, so a wrong username takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password")


def get_user_by_username(username: str) -> User | None:
    return db.session.execute(select(User).filter_by(username=username)).scalar_one_or_none()


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def describe_user_for_scripts(session: Session, username: str) -> dict[str, Any] | None:
    """A user as SpiffArena's script helpers give one (get_current_user() and the like)."""
    user = session.execute(select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        return None
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
    }


def get_users_with_role(role: str) -> list[User]:
    """Active users holding `role`, by display name."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role}")
    padded = " " + User.role_names + " "
    query = (
        select(User).where(User.is_active, padded.contains(f" {role} ")).order_by(User.display_name)
    )
    return list(db.session.execute(query).scalars())


def authenticate_user(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (without saying which part was wrong)."""
    user = get_user_by_username(username)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user
