import re

from sqlalchemy import select

from app.auth.models import Organisation, User
from app.extensions import db
from workflows.models import OutboxMessage

PERSON = {"display_name": "Outi Organiser", "language": "fi", "password": "a long enough secret"}
REGISTRATION = PERSON | {
    "confirm": PERSON["password"],
    "username": "outi",
    "email": "outi@lieto.example",
    "organisation_name": "Municipality of Lieto",
    "org_type": "municipality",
    "region": "Varsinais-Suomi",
    "municipality": "Lieto",
}


def post(client, csrf_token, url, form):
    return client.post(url, data={**form, "csrf_token": csrf_token(client, url)})


def test_an_applicant_registers_an_organisation_and_is_signed_in(app, client, csrf_token):
    response = post(client, csrf_token, "/register", REGISTRATION)
    assert response.status_code == 302
    assert "Municipality of Lieto" in client.get("/organisation").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "outi"))
        assert user.roles == {"applicant"}
        assert (user.organisation.org_type, user.organisation.region) == (
            "municipality",
            "Varsinais-Suomi",
        )


def test_a_taken_username_is_said_beside_the_field_and_nothing_is_kept(
    app, client, csrf_token, make_user
):
    make_user("outi")
    response = post(client, csrf_token, "/register", REGISTRATION)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="username-error"' in page
    assert "This username is taken" in page
    with app.app_context():
        names = db.session.scalars(select(Organisation.name)).all()
        assert "Municipality of Lieto" not in names


def test_a_mistyped_password_and_an_unknown_type_are_refused(client, csrf_token):
    form = REGISTRATION | {"confirm": "something else", "org_type": "company"}
    page = post(client, csrf_token, "/register", form).get_data(as_text=True)
    assert "The passwords differ." in page
    assert "Not a valid choice" in page


def test_an_invited_colleague_joins_and_shares_the_cases(app, signed_in, csrf_token):
    lead = signed_in("applicant")
    lead.post(
        "/calls/regional-networks-2021/applications",
        data={"csrf_token": csrf_token(lead, "/cases")},
    )
    assert (
        post(lead, csrf_token, "/organisation", {"email": "colleague@tampere.example"}).status_code
        == 302
    )
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage)).all()[-1]
    assert mail.payload["to"] == ["colleague@tampere.example"]
    link = re.search(r"http://localhost(/invitations/\S+)", mail.payload["body"]).group(1)

    colleague = app.test_client()
    joined = post(
        colleague,
        csrf_token,
        link,
        PERSON | {"confirm": PERSON["password"], "username": "colleague"},
    )
    assert joined.status_code == 302
    assert colleague.get("/cases/1").status_code == 200
    again = app.test_client().get(link)
    assert again.status_code == 404
    assert "already used" in again.get_data(as_text=True)


def test_staff_have_no_organisation_page(signed_in):
    assert signed_in("specialist").get("/organisation").status_code == 403
