def test_applicant_sees_the_call_and_starts_an_application(signed_in, csrf_token):
    applicant = signed_in("applicant")
    page = applicant.get("/cases").get_data(as_text=True)
    assert "Start an application" in page
    assert "15.4.2021 16:15 (UTC+03:00)" in page
    token = csrf_token(applicant, "/cases")
    response = applicant.post(
        "/calls/regional-networks-2021/applications", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert "/tasks/" in response.headers["Location"]


def test_another_organisation_cannot_see_the_case(signed_in, csrf_token):
    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/cases")
    applicant.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert applicant.get("/cases/1").status_code == 200
    other = signed_in("applicant2")
    refused = other.get("/cases/1")
    assert refused.status_code == 403
    assert "case-1" not in other.get("/cases").get_data(as_text=True)


def test_staff_see_every_case(signed_in, csrf_token):
    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/cases")
    applicant.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    assert signed_in("specialist").get("/cases/1").status_code == 200


def test_an_unknown_case_is_404(signed_in):
    assert signed_in("applicant").get("/cases/999").status_code == 404


def test_only_applicants_start_applications(signed_in, csrf_token):
    specialist = signed_in("specialist")
    token = csrf_token(specialist, "/cases")
    response = specialist.post(
        "/calls/regional-networks-2021/applications", data={"csrf_token": token}
    )
    assert response.status_code == 403


def test_the_sent_proposal_is_shown_with_its_labels(
    app, signed_in, csrf_token, idea_form, task_url, move_clock
):
    applicant = signed_in("applicant")
    token = csrf_token(applicant, "/cases")
    start = applicant.post("/calls/regional-networks-2021/applications", data={"csrf_token": token})
    url = start.headers["Location"]
    applicant.post(
        url, data={**idea_form, "action": "send", "csrf_token": csrf_token(applicant, url)}
    )
    move_clock("2021-04-15T16:15:01+03:00")
    specialist = signed_in("specialist")
    screening = specialist.get(task_url("screen_idea")).get_data(as_text=True)
    assert "/cases/1/documents/1" in screening
    page = specialist.get("/cases/1/documents/1").get_data(as_text=True)
    assert "<dt>Project name</dt><dd>Lakeland growth corridor</dd>" in page
    assert "<dt>Application object</dt><dd>Theme network</dd>" in page
    assert "City of Ylöjärvi" in page
    assert "VN/1/2021" in page
    assert signed_in("applicant2").get("/cases/1/documents/1").status_code == 403
    assert specialist.get("/cases/1/documents/99").status_code == 404
