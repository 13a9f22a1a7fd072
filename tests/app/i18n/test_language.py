"""The interface language: the switch in the header, then the browser's Accept-Language."""

from tests.app.cases.helpers import open_case

FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}
SWEDISH = {"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"}


def switch(client, csrf_token, language, next_url="/tasks"):
    token = csrf_token(client, next_url)
    return client.post(
        "/language", data={"language": language, "next": next_url, "csrf_token": token}
    )


def test_the_switch_sets_the_language_and_goes_back_to_the_page(signed_in, csrf_token):
    applicant = signed_in("applicant")

    response = switch(applicant, csrf_token, "fi", "/tasks?sort=created")

    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks?sort=created"
    page = applicant.get("/tasks?sort=created").get_data(as_text=True)
    assert '<html lang="fi">' in page
    assert "<h1>Omat tehtävät</h1>" in page


def test_the_switch_goes_back_only_to_paths_on_this_site(signed_in, csrf_token):
    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/tasks")

    for next_url in ("https://evil.example/", "//evil.example/tasks", "/\\evil.example/", ""):
        response = applicant.post(
            "/language", data={"language": "sv", "next": next_url, "csrf_token": token}
        )
        assert (response.status_code, response.headers["Location"]) == (302, "/")


def test_an_unknown_language_is_a_bad_request_with_a_clear_message(signed_in, csrf_token):
    applicant = signed_in("applicant")

    response = switch(applicant, csrf_token, "de")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is no language “de” here: choose Suomi, Svenska or English." in page
    assert '<html lang="en">' in applicant.get("/tasks").get_data(as_text=True)


def test_the_switch_needs_the_csrf_token(signed_in):
    applicant = signed_in("applicant")

    response = applicant.post("/language", data={"language": "fi", "next": "/tasks"})

    assert response.status_code == 400
    assert "<h1>My tasks</h1>" in applicant.get("/tasks").get_data(as_text=True)


def test_the_browser_language_chooses_the_page_language(client):
    finnish = client.get("/login", headers=FINNISH).get_data(as_text=True)
    swedish = client.get("/login", headers=SWEDISH).get_data(as_text=True)
    other = client.get("/login", headers={"Accept-Language": "de-DE,de"}).get_data(as_text=True)

    assert '<html lang="fi">' in finnish
    assert "<h1>Kirjaudu sisään</h1>" in finnish
    assert '<html lang="sv">' in swedish
    assert "<h1>Logga in</h1>" in swedish
    assert '<html lang="en">' in other  # the default language (English in the tests)
    assert "<h1>Sign in</h1>" in other


def test_the_chosen_language_wins_over_the_browser(signed_in, csrf_token):
    applicant = signed_in("applicant")

    switch(applicant, csrf_token, "sv")

    page = applicant.get("/tasks", headers=FINNISH).get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "<h1>Mina uppgifter</h1>" in page


def test_an_applicant_reads_the_task_list_in_finnish_then_in_swedish(signed_in, csrf_token):
    applicant = signed_in("applicant")
    open_case(applicant, csrf_token)

    switch(applicant, csrf_token, "fi")
    finnish = applicant.get("/tasks").get_data(as_text=True)
    finnish_home = applicant.get("/my-applications").get_data(as_text=True)
    switch(applicant, csrf_token, "sv")
    swedish = applicant.get("/tasks").get_data(as_text=True)

    assert "<title>Omat tehtävät – grantflow</title>" in finnish
    assert 'aria-current="page">Omat hakemukset</a>' in finnish_home  # an applicant's home
    assert "Odottaa sinua" in finnish_home
    assert "Minulle osoitetut" in finnish
    assert "Ryhmän tehtävät" in finnish
    assert 'Tehtävä</th><th scope="col">Asia</th><th scope="col">Haku</th>' in finnish
    assert "Kirjaudu ulos" in finnish
    assert "Alueiden välinen verkostoyhteistyö" in finnish  # the call's title in Finnish
    assert "<title>Mina uppgifter – grantflow</title>" in swedish
    assert "Tilldelade mig" in swedish
    assert "Gruppens uppgifter" in swedish
    assert "Logga ut" in swedish
    assert "Nätverkssamarbete mellan regioner" in swedish


def test_messages_from_the_server_follow_the_page_language(signed_in, csrf_token):
    applicant = signed_in("applicant")
    switch(applicant, csrf_token, "fi")
    url = open_case(applicant, csrf_token)

    opened = applicant.get(url).get_data(as_text=True)
    refused = applicant.post(
        url, data={"action": "send", "csrf_token": csrf_token(applicant, url)}
    ).get_data(as_text=True)

    assert "Hakemuksesi on avattu." in opened  # the flash message
    assert "Tarkista seuraavat kohdat" in refused  # the error summary of the form
    assert "Tämä kenttä on pakollinen." in refused  # the schema validation
    assert "Mitään ei lähetetty." in refused
