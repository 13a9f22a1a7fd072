"""Each partner of the idea form names a contact with an email address, to which the webinar
invitation and the decision go too: the address is required and must be an address, refused
beside its field in the page language."""

import pytest

from tests.app.tasks.test_idea_places import choose_language
from tests.app.tasks.test_views import send, start_application

ERROR_FI = "Anna kumppanin yhteyshenkilön sähköpostiosoite, esimerkiksi nimi@esimerkki.fi."


@pytest.mark.parametrize("email", ["", "nokia.example", "niina @nokia.example"])
def test_a_partner_without_a_valid_email_is_refused_beside_the_field(
    signed_in, csrf_token, idea_form, email
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    choose_language(applicant, csrf_token, "fi")

    response = send(applicant, url, idea_form | {"partners.1.email": email}, csrf_token)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-partners-1-email-error"' in page
    assert ERROR_FI in page
    assert 'id="f-partners-0-email-error"' not in page


def test_the_partner_contact_fields_are_offered_in_the_page_language(signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    choose_language(applicant, csrf_token, "sv")

    page = applicant.get(url).get_data(as_text=True)

    assert "Kontaktpersonens e-postadress" in page
    assert 'type="email"' in page
    assert "Inbjudan till webbinariet och finansieringsbeslutet skickas också" in page
