"""The case list a page at a time: newest first, every case once across the pages, ties on the
creation time broken by id, the filters kept on every page, and a bad cursor is the first page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.calls.models import Call
from app.cases.models import Case
from app.extensions import db
from app.keyset import PAGE_SIZE

CASE_LINK = re.compile(r'href="/cases/(\d+)"')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
TOTAL = PAGE_SIZE * 2 + 7


@pytest.fixture
def many_cases(app, demo):
    """TOTAL cases of the 2021 call, created at seven moments (so most share their time with
    others); every third is closed."""
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        start = datetime(2021, 4, 1, 9, tzinfo=UTC)
        db.session.add_all(
            Case(
                call_id=call.id,
                project_name=f"Bulk project {n}",
                closed=n % 3 == 0,
                created_by="applicant",
                created_at=start + timedelta(minutes=n % 7),
                updated_at=start,
            )
            for n in range(TOTAL)
        )
        db.session.commit()


def walk(client, url: str) -> tuple[list[int], list[str]]:
    """The case ids of every page, following "Next page", and each page's status line."""
    seen: list[int] = []
    statuses: list[str] = []
    for _ in range(10):
        page = client.get(url).get_data(as_text=True)
        listing = page.split('id="cases-heading"')[1]
        seen += [int(found) for found in CASE_LINK.findall(listing)]
        statuses.append(re.search(r'<p role="status">([^<]*)</p>', listing).group(1))
        found = NEXT.search(listing)
        if found is None:
            return seen, statuses
        url = html.unescape(found.group(1))
    raise AssertionError("more pages than there are cases")


def newest_first(app, **where) -> list[int]:
    with app.app_context():
        query = select(Case.id).where(Case.project_name.like("Bulk project %")).filter_by(**where)
        return list(db.session.scalars(query.order_by(Case.created_at.desc(), Case.id.desc())))


def test_the_pages_hold_every_case_once_newest_first(app, many_cases, signed_in):
    seen, statuses = walk(signed_in("specialist"), "/cases")

    assert seen == newest_first(app)
    assert len(seen) == TOTAL
    assert statuses == [f"{TOTAL} cases."] * 3


def test_the_filters_stay_on_every_page(app, many_cases, signed_in):
    seen, statuses = walk(signed_in("specialist"), "/cases?state=open&q=Bulk")

    assert seen == newest_first(app, closed=False)
    assert len(seen) > PAGE_SIZE  # more than one page
    assert set(statuses) == {f"{len(seen)} cases match."}


def test_a_page_that_is_not_ours_shows_the_first_page(many_cases, signed_in):
    specialist = signed_in("specialist")
    first = CASE_LINK.findall(specialist.get("/cases").get_data(as_text=True))
    for cursor in ("nonsense", "WyJ4Il0", "WzEsIDJd", "W251bGwsIG51bGxd"):
        response = specialist.get(f"/cases?after={cursor}")
        assert response.status_code == 200
        assert CASE_LINK.findall(response.get_data(as_text=True)) == first
