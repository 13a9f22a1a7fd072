"""Accounts and the organisations applicants act for."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from workflows.models import Base

ORG_TYPES = (
    "municipality",
    "joint_municipal_authority",
    "development_organisation",
    "educational_institution",
    "organisation",
    "leader_group",
)
ROLES = ("applicant", "specialist", "decision_maker", "process_owner", "admin")
LANGUAGES = ("fi", "sv", "en")


def _in_list(column: str, values: Iterable[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Base):
    """An applicant organisation: a municipality, a LEADER group, ...

    ``region`` and ``municipality`` are Statistics Finland's codes (app/reference/places.py);
    an organisation registered before they were may still have a name typed in. The business
    ID (Y-tunnus) is asked of every organisation that registers or edits its details; one
    registered before it was asked has none until then."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(_in_list("org_type", ORG_TYPES), name="ck_org_type"),
        UniqueConstraint("business_id", name="uq_organisations_business_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    org_type: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(100))
    municipality: Mapped[str | None] = mapped_column(String(100))
    business_id: Mapped[str | None] = mapped_column(String(9))

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class User(UserMixin, Base):
    """A person who signs in. Roles are kept as space-separated names in one column."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in_list("language", LANGUAGES), name="ck_user_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    role_names: Mapped[str] = mapped_column("roles", String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    language: Mapped[str] = mapped_column(String(2), default="fi")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Every notice up to this id counts as read ("Mark all as read"; app/notifications).
    notices_read_through: Mapped[int] = mapped_column(default=0)
    # Sessions carry the version they began in; signing out or a new password bumps it, and
    # every older session ends (app/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0)

    organisation: Mapped[Organisation | None] = relationship()

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_names.split())

    @roles.setter
    def roles(self, names: Iterable[str]) -> None:
        names = set(names)
        unknown = names - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))}")
        self.role_names = " ".join(sorted(names))

    def has_role(self, name: str) -> bool:
        return name in self.roles

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version."""
        return f"{self.id}:{self.session_version}"

    def set_password(self, password: str) -> None:
        method = "scrypt"
        if has_app_context():
            method = current_app.config.get("PASSWORD_HASH_METHOD", method)
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username!r}>"
