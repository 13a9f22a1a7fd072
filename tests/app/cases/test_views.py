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
