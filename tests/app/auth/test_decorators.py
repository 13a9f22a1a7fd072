from __future__ import annotations

import pytest

from app.auth.decorators import role_required


@pytest.fixture
def guarded_app(app):
    @role_required("specialist", "admin")
    def specialists_only() -> str:
        return "screening"

    app.add_url_rule("/specialists-only", "specialists_only", specialists_only)
    return app


def test_role_required_lets_holder_of_a_listed_role_through(guarded_app, make_user, login):
    client = guarded_app.test_client()
    make_user("sari", roles=("specialist",))
    login(client, "sari")

    response = client.get("/specialists-only")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "screening"


def test_role_required_refuses_other_roles_with_403(guarded_app, make_user, login):
    client = guarded_app.test_client()
    make_user("anna", roles=("applicant",))
    login(client, "anna")

    response = client.get("/specialists-only")

    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)


def test_role_required_sends_anonymous_users_to_login(guarded_app):
    client = guarded_app.test_client()

    response = client.get("/specialists-only")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
