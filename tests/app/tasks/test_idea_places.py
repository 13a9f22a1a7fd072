"""The idea form's region and municipality are choices: Statistics Finland's codes, shown by
their names in the page language; a municipality outside the partner's region is refused
beside its field, in the page language."""

from tests.app.tasks.test_views import send, start_application


def choose_language(client, csrf_token, language):
    token = csrf_token(client, "/cases")
    client.post("/language", data={"language": language, "csrf_token": token})


def test_the_places_are_offered_by_their_names_in_the_page_language(signed_in, csrf_token):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    choose_language(applicant, csrf_token, "sv")
    page = applicant.get(url).get_data(as_text=True)
    assert '<option value="06">Birkaland</option>' in page
    assert '<option value="837">Tammerfors</option>' in page
    choose_language(applicant, csrf_token, "fi")
    page = applicant.get(url).get_data(as_text=True)
    assert '<option value="06">Pirkanmaa</option>' in page  # the same code as Birkaland
    assert '<option value="02">Varsinais-Suomi</option>' in page
    assert '<option value="478">Maarianhamina</option>' in page


def test_a_municipality_of_another_region_is_refused_beside_its_field(
    signed_in, csrf_token, idea_form
):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    choose_language(applicant, csrf_token, "fi")
    wrong = idea_form | {"partners.0.region": "05"}  # Nokia (536) is in Pirkanmaa
    response = send(applicant, url, wrong, csrf_token)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-partners-0-municipality-error"' in page
    assert "Valitse jokin edellä valitun maakunnan kunnista." in page


def test_the_sent_proposal_shows_the_places_by_name(signed_in, csrf_token, idea_form):
    applicant = signed_in("applicant")
    url = start_application(applicant, csrf_token)
    receipt_url = send(applicant, url, idea_form, csrf_token).headers["Location"]
    receipt = applicant.get(receipt_url).get_data(as_text=True)
    assert "<dt>Region (maakunta)</dt><dd>Pirkanmaa</dd>" in receipt
    assert "<dt>Municipality</dt><dd>Ylöjärvi</dd>" in receipt
    assert "<dd>Kanta-Häme</dd>" in receipt
