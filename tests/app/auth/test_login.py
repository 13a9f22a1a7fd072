from __future__ import annotations

from app.auth.views import safe_next_url


def test_login_with_right_password_signs_in(client, make_user, login):
    make_user("anna", roles=("specialist", "decision_maker"), display_name="Anna Aalto")

    response = login(client, "anna")
    account = client.get("/account")

    assert response.headers["Location"] == "/"
    assert account.status_code == 200
    page = account.get_data(as_text=True)
    assert "Anna Aalto" in page
    assert "decision maker, specialist" in page


def test_login_with_wrong_password_shows_error(client, make_user, csrf_token):
    make_user("anna")
    token = csrf_token(client, "/login")

    response = client.post(
        "/login", data={"username": "anna", "password": "wrong", "csrf_token": token}
    )

    assert response.status_code == 200
    assert "Wrong username or password." in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_login_with_unknown_username_shows_the_same_error(client, csrf_token):
    token = csrf_token(client, "/login")

    response = client.post(
        "/login", data={"username": "nobody", "password": "x", "csrf_token": token}
    )

    assert response.status_code == 200
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_login_with_empty_fields_names_them(client, csrf_token):
    token = csrf_token(client, "/login")

    response = client.post("/login", data={"username": " ", "password": "", "csrf_token": token})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter your username." in page
    assert "Enter your password." in page
    assert 'aria-invalid="true"' in page


def test_login_of_inactive_user_is_refused(app, client, make_user, csrf_token):
    user = make_user("anna")
    with app.app_context():
        from app.auth.models import User
        from app.extensions import db

        db.session.get(User, user.id).is_active = False
        db.session.commit()
    token = csrf_token(client, "/login")

    response = client.post(
        "/login",
        data={"username": "anna", "password": "correct horse battery staple", "csrf_token": token},
    )

    assert response.status_code == 200
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_login_without_csrf_token_is_rejected(client, make_user):
    make_user("anna")

    response = client.post(
        "/login", data={"username": "anna", "password": "correct horse battery staple"}
    )

    assert response.status_code == 400
    assert "could not be handled" in response.get_data(as_text=True)


def test_login_follows_local_next_path(client, make_user, csrf_token):
    make_user("anna")
    token = csrf_token(client, "/login")

    response = client.post(
        "/login?next=/account",
        data={"username": "anna", "password": "correct horse battery staple", "csrf_token": token},
    )

    assert response.headers["Location"] == "/account"


def test_login_ignores_offsite_next(client, make_user, csrf_token):
    make_user("anna")
    token = csrf_token(client, "/login")

    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": "anna", "password": "correct horse battery staple", "csrf_token": token},
    )

    assert response.headers["Location"] == "/"


def test_safe_next_url_accepts_only_local_paths():
    assert safe_next_url("/cases/3?tab=tasks") == "/cases/3?tab=tasks"
    assert safe_next_url("//evil.example/") is None
    assert safe_next_url("/\\evil.example/") is None
    assert safe_next_url("https://evil.example/") is None
    assert safe_next_url("javascript:alert(1)") is None
    assert safe_next_url(None) is None


def test_logout_by_get_is_not_allowed(client, make_user, login):
    make_user("anna")
    login(client, "anna")

    response = client.get("/logout")

    assert response.status_code == 405
    assert client.get("/account").status_code == 200


def test_logout_without_csrf_token_is_rejected(client, make_user, login):
    make_user("anna")
    login(client, "anna")

    response = client.post("/logout")

    assert response.status_code == 400
    assert client.get("/account").status_code == 200


def test_logout_with_csrf_token_signs_out(client, make_user, login, csrf_token):
    make_user("anna")
    login(client, "anna")
    token = csrf_token(client, "/account")

    response = client.post("/logout", data={"csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert client.get("/account").headers["Location"] == "/login?next=%2Faccount"


def test_two_clients_stay_separate(app, make_user, login):
    make_user("anna", roles=("specialist",), display_name="Anna Aalto")
    make_user("bert", roles=("applicant",), display_name="Bert Berg")
    anna, bert = app.test_client(), app.test_client()

    login(anna, "anna")
    login(bert, "bert")

    assert "Anna Aalto" in anna.get("/account").get_data(as_text=True)
    assert "Bert Berg" in bert.get("/account").get_data(as_text=True)
