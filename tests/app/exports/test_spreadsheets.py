"""A call's spreadsheets: staff download them as XLSX in their language; applicants cannot;
text an applicant typed stays text in a spreadsheet program."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.app.cases.helpers import send_idea

URL = "/calls/regional-networks-2021/exports/{kind}.xlsx"


@pytest.fixture
def two_ideas(signed_in, csrf_token, idea_form):
    send_idea(signed_in("applicant"), csrf_token, idea_form)
    formula = idea_form | {"project_name": '=HYPERLINK("http://evil.example","Click")'}
    send_idea(signed_in("applicant2"), csrf_token, formula)


def sheet_of(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(BytesIO(response.data)).active


def test_a_specialist_downloads_the_applications_with_their_case_numbers(signed_in, two_ideas):
    sheet = sheet_of(signed_in("specialist").get(URL.format(kind="applications")))

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Case", "Case number", "Project")
    projects = {row[2]: row[1] for row in rows[1:]}
    assert projects["Lakeland growth corridor"] == "VN/1/2021"
    assert sorted(projects.values()) == ["VN/1/2021", "VN/2/2021"]
    assert len(rows) == 3


def test_a_formula_typed_by_an_applicant_stays_text(signed_in, two_ideas):
    sheet = sheet_of(signed_in("specialist").get(URL.format(kind="applications")))

    [cell] = [row[2] for row in sheet.iter_rows(min_row=2) if row[2].value.startswith("=")]
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_the_headings_are_in_the_page_language(signed_in, two_ideas):
    specialist = signed_in("specialist")
    sheet = sheet_of(specialist.get(URL.format(kind="ranking"), headers={"Accept-Language": "fi"}))
    assert next(sheet.iter_rows(values_only=True))[:2] == ("Sija", "Asia")


@pytest.mark.parametrize("kind", ["applications", "evaluations", "ranking"])
def test_applicants_may_not_download_a_spreadsheet(signed_in, two_ideas, kind):
    assert signed_in("applicant").get(URL.format(kind=kind)).status_code == 403


def test_an_unknown_spreadsheet_or_call_is_not_found(signed_in):
    specialist = signed_in("specialist")
    assert specialist.get(URL.format(kind="salaries")).status_code == 404
    assert specialist.get("/calls/no-such-call/exports/ranking.xlsx").status_code == 404
