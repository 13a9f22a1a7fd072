import re

import pytest
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
    "business_id": "2345678-0",  # made up, with a valid check digit
    "region": "02",  # Varsinais-Suomi (Statistics Finland's codes)
    "municipality": "423",  # Lieto
}


def post(client, csrf_token, url, form):
    return client.post(url, data={**form, "csrf_token": csrf_token(client, url)})


def test_an_applicant_registers_an_organisation_and_is_signed_in(app, client, csrf_token):
    response = post(client, csrf_token, "/register", REGISTRATION)
    assert response.status_code == 302
    page = client.get("/organisation").get_data(as_text=True)
    assert "Municipality of Lieto" in page
    assert "<dd>2345678-0</dd>" in page
    assert "<dd>Southwest Finland</dd>" in page
    assert "<dd>Lieto</dd>" in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "outi"))
        assert user.roles == {"applicant"}
        organisation = user.organisation
        assert (organisation.org_type, organisation.business_id) == ("municipality", "2345678-0")
        assert (organisation.region, organisation.municipality) == ("02", "423")


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


def choose_language(client, csrf_token, language):
    post(client, csrf_token, "/language", {"language": language})


def test_the_registration_offers_regions_and_municipalities_by_name_in_the_page_language(
    client, csrf_token
):
    choose_language(client, csrf_token, "sv")
    page = client.get("/register").get_data(as_text=True)
    assert '<option value="06">Birkaland</option>' in page
    assert '<option value="853">Åbo</option>' in page
    assert page.index(">Birkaland<") < page.index(">Egentliga Finland<")


@pytest.mark.parametrize(
    ("business_id", "message"),
    [
        ("2345678-1", "check digit does not match"),
        ("0000110-0", "check digit does not match"),  # no check digit fits these digits
        ("2345678", "seven digits, a hyphen and a check digit"),
        ("23456780", "seven digits, a hyphen and a check digit"),
        ("234567-0", "seven digits, a hyphen and a check digit"),
        ("", "Enter the business ID."),
    ],
)
def test_a_business_id_that_is_not_one_is_refused_beside_its_field(
    app, client, csrf_token, business_id, message
):
    response = post(client, csrf_token, "/register", REGISTRATION | {"business_id": business_id})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="business_id-error"' in page
    assert message in page
    with app.app_context():
        assert db.session.scalar(select(Organisation.id)) is None


def test_the_business_id_error_is_in_the_page_language(client, csrf_token):
    choose_language(client, csrf_token, "fi")
    form = REGISTRATION | {"business_id": "2345678-1"}
    page = post(client, csrf_token, "/register", form).get_data(as_text=True)
    assert "Y-tunnuksen tarkistusmerkki ei täsmää" in page


def test_a_business_id_registered_already_is_refused(app, client, csrf_token, make_organisation):
    make_organisation("Lieto", business_id="2345678-0")
    response = post(client, csrf_token, "/register", REGISTRATION)
    assert response.status_code == 422
    assert "An organisation with this business ID is already registered" in (
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(User.id).where(User.username == "outi")) is None


def test_a_municipality_of_another_region_is_refused(client, csrf_token):
    form = REGISTRATION | {"region": "06", "municipality": "423"}  # Pirkanmaa, Lieto
    response = post(client, csrf_token, "/register", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="municipality-error"' in page
    assert "Choose a municipality of the region chosen above." in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("region", "03", "Choose the region."), ("municipality", "099", "from the list")],
)
def test_a_place_not_in_the_classification_is_refused(client, csrf_token, field, value, message):
    """03 is no region's code; 099 was Honkajoki's, merged into Kankaanpää in 2021."""
    response = post(client, csrf_token, "/register", REGISTRATION | {field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_the_municipality_may_be_left_out(app, client, csrf_token):
    response = post(client, csrf_token, "/register", REGISTRATION | {"municipality": ""})
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert (organisation.region, organisation.municipality) == ("02", None)


def test_the_people_of_an_organisation_edit_its_business_id_and_place(app, signed_in, csrf_token):
    applicant = signed_in("applicant")
    form = {"business_id": " 0245442-8 ", "region": "19", "municipality": "698"}  # Rovaniemi
    response = post(applicant, csrf_token, "/organisation/edit", form)
    assert response.status_code == 302
    page = applicant.get("/organisation").get_data(as_text=True)
    assert "<dd>0245442-8</dd>" in page
    assert "<dd>Lapland</dd>" in page
    assert "<dd>Rovaniemi</dd>" in page
    with app.app_context():
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == "City of Tampere")
        )
        assert (organisation.business_id, organisation.region) == ("0245442-8", "19")


def test_an_edit_with_a_bad_business_id_changes_nothing(app, signed_in, csrf_token):
    applicant = signed_in("applicant")
    form = {"business_id": "0245442-9", "region": "19", "municipality": "698"}
    response = post(applicant, csrf_token, "/organisation/edit", form)
    assert response.status_code == 422
    assert "check digit does not match" in response.get_data(as_text=True)
    with app.app_context():
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == "City of Tampere")
        )
        assert (organisation.business_id, organisation.region) == ("1234567-1", "06")


def test_an_edit_may_not_take_another_organisations_business_id(app, signed_in, csrf_token):
    applicant = signed_in("applicant")
    form = {"business_id": "7654321-2", "region": "06", "municipality": "837"}  # applicant2's
    response = post(applicant, csrf_token, "/organisation/edit", form)
    assert response.status_code == 422
    assert "already registered" in response.get_data(as_text=True)


def test_a_region_typed_before_codes_is_shown_as_typed_until_chosen(
    client, make_organisation, make_user, login
):
    organisation = make_organisation("Old one", region="Pirkanmaa-ish", municipality=None)
    make_user("old", organisation=organisation)
    login(client, "old")
    page = client.get("/organisation").get_data(as_text=True)
    assert "<dd>Pirkanmaa-ish</dd>" in page
    assert "Not given yet" in page
    edit = client.get("/organisation/edit").get_data(as_text=True)
    region_select = edit[edit.index('<select id="region"') : edit.index("</select>")]
    assert '<option value="">Choose the region</option>' in region_select
    assert "selected" not in region_select
