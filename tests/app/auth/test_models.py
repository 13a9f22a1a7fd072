from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from app.auth.models import User
from app.auth.queries import (
    authenticate_user,
    describe_user_for_scripts,
    get_user_by_username,
    get_users_with_role,
)


def test_user_roles_are_a_frozenset(db_session, make_user):
    user = make_user("sari", roles=("specialist", "decision_maker"))

    assert user.roles == frozenset({"specialist", "decision_maker"})
    assert user.has_role("specialist")
    assert not user.has_role("admin")


def test_user_refuses_unknown_role():
    user = User()

    with pytest.raises(ValueError, match="unknown role"):
        user.roles = ("specialist", "superuser")


def test_get_users_with_role_matches_whole_names(db_session, make_user):
    make_user("sari", roles=("specialist",))
    make_user("pekka", roles=("applicant", "process_owner"))
    make_user("dora", roles=("decision_maker", "specialist"))

    found = get_users_with_role("specialist")

    assert [u.username for u in found] == ["dora", "sari"]


def test_get_user_by_username_finds_exact_name(db_session, make_user):
    make_user("sari")

    assert get_user_by_username("sari").username == "sari"
    assert get_user_by_username("SARI") is None


def test_authenticate_user_checks_password(db_session, make_user):
    make_user("sari", password="s3cret-enough")

    assert authenticate_user("sari", "s3cret-enough").username == "sari"
    assert authenticate_user("sari", "wrong") is None
    assert authenticate_user("nobody", "s3cret-enough") is None


def test_user_belongs_to_organisation(db_session, make_organisation, make_user):
    organisation = make_organisation("Kuopion kaupunki", region="11", municipality="297")

    user = make_user("kalle", organisation=organisation)

    assert user.organisation.name == "Kuopion kaupunki"


def test_organisation_type_is_checked_by_the_database(db_session, make_organisation):
    with pytest.raises(IntegrityError):
        make_organisation("Oy Ab", org_type="company")


def test_a_user_for_scripts_is_spiffarenas_user_dict(db_session, make_user):
    user = make_user("sari")

    assert describe_user_for_scripts(db_session, "sari") == {
        "id": user.id,
        "username": "sari",
        "email": user.email,
        "display_name": user.display_name,
    }
    assert describe_user_for_scripts(db_session, "nobody") is None
