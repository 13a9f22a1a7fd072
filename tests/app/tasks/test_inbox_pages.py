"""My tasks a page at a time (keyset pagination): every order walks all the tasks once, with
no task twice and none left out, and the filters stay on every page."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.calls.models import Call
from app.extensions import db
from app.keyset import PAGE_SIZE, decode_cursor, encode_cursor
from workflows.models import HumanTask

TASK_LINK = re.compile(r'href="/tasks/\d+/([0-9a-f-]{36})"')
NEXT = re.compile(r'<a href="([^"]+)" rel="next">')
TOTAL = PAGE_SIZE * 2 + 7


@pytest.fixture
def many_group_tasks(app, demo):
    """TOTAL specialist tasks of the 2021 call's own process: titles and due times repeat, and
    a third have no due time, so that every order needs its tie-breakers."""
    with app.app_context():
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        start = datetime(2021, 6, 1, 9, tzinfo=UTC)
        db.session.add_all(
            HumanTask(
                instance_id=call.instance_id,
                task_id=str(uuid.UUID(int=n + 1)),
                spec_name=f"check_{n % 4}",
                title=f"Check {n % 4}",
                lane="Specialist",
                candidate_group="specialist",
                due_at=None if n % 3 == 0 else start + timedelta(days=n % 5),
                created_at=start + timedelta(minutes=n % 7),
            )
            for n in range(TOTAL)
        )
        db.session.commit()


def walk(client, url: str) -> list[str]:
    """The task ids of every page of the group tasks, following "Next page"."""
    seen: list[str] = []
    for _ in range(10):
        page = client.get(url).get_data(as_text=True)
        groups = page.split('id="groups-heading"')[1].split("</section>")[0]
        seen += TASK_LINK.findall(groups)
        found = NEXT.search(groups)
        if found is None:
            return seen
        url = html.unescape(found.group(1))
    raise AssertionError("more pages than there are tasks")


def expected_order(app, sort: str) -> list[str]:
    from app.auth.models import User
    from app.tasks.queries import InboxFilters, inbox

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "specialist"))
        rows = inbox(db.session, user, InboxFilters(sort=sort))
        return [row.task.task_id for row in rows if row.task.assignee is None]


@pytest.mark.parametrize("sort", ["due", "created", "task", "case"])
def test_every_order_walks_every_task_once(app, many_group_tasks, signed_in, sort):
    seen = walk(signed_in("specialist"), f"/tasks?sort={sort}")
    assert len(seen) == TOTAL
    assert len(set(seen)) == TOTAL
    assert seen == expected_order(app, sort)


def test_a_page_has_at_most_a_page_of_tasks_and_the_total_is_said(many_group_tasks, signed_in):
    page = signed_in("specialist").get("/tasks").get_data(as_text=True)
    groups = page.split('id="groups-heading"')[1].split("</section>")[0]
    assert len(TASK_LINK.findall(groups)) == PAGE_SIZE
    assert f'<span class="task-count">({TOTAL})</span>' in groups


def test_the_filters_stay_on_every_page(many_group_tasks, signed_in):
    seen = walk(signed_in("specialist"), "/tasks?task=Check+1&sort=task")
    assert len(seen) == len([n for n in range(TOTAL) if n % 4 == 1])


def test_a_cursor_that_is_not_ours_starts_from_the_first_page(many_group_tasks, signed_in):
    specialist = signed_in("specialist")
    for cursor in ("nonsense", "W10", "WyJ4Il0", "WzEsIDIsIDNd"):
        response = specialist.get(f"/tasks?groups_after={cursor}")
        assert response.status_code == 200
        groups = response.get_data(as_text=True).split('id="groups-heading"')[1]
        assert len(TASK_LINK.findall(groups.split("</section>")[0])) == PAGE_SIZE


def test_a_cursor_keeps_its_types_and_refuses_others():
    from app.tasks.queries import _sort_keys

    keys = _sort_keys("due")
    moment = datetime(2021, 6, 1, 9, tzinfo=UTC)
    assert decode_cursor(encode_cursor([False, moment, moment, 7]), keys) == [
        False,
        moment,
        moment,
        7,
    ]
    assert decode_cursor(encode_cursor([1, moment, moment, 7]), keys) is None  # not a bool
    assert decode_cursor(encode_cursor([False, "later", moment, 7]), keys) is None
