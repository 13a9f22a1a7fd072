"""Two calls side by side: the 2021 call and its 2022 copy run on their own clocks, and moving
one's clock, its timers and its messages leave the other untouched."""

from __future__ import annotations

from sqlalchemy import select

from app.calls.models import Call
from app.calls.operations import move_rehearsal_clock
from app.cases.operations import start_case
from app.tasks.operations import send_task
from tests.bpmn.conftest import helsinki
from workflows import clock_now
from workflows.models import HumanTask, MessageWait, Timer


def call_of(rehearsal, key: str) -> Call:
    call = rehearsal.session.scalar(select(Call).where(Call.key == key))
    assert call is not None
    return call


def send_idea(rehearsal, call: Call, username: str, project: str):
    case = start_case(rehearsal.session, call, rehearsal.user(username))
    task = rehearsal.session.scalar(
        select(HumanTask).where(HumanTask.instance_id == case.instance_id)
    )
    send_task(
        rehearsal.session,
        call,
        case.instance,
        task.task_id,
        rehearsal.idea(project),
        rehearsal.user(username),
    )
    rehearsal.session.commit()
    return case


def test_two_calls_run_side_by_side_on_their_own_clocks(rehearsal):
    call_2021 = call_of(rehearsal, "regional-networks-2021")
    call_2022 = call_of(rehearsal, "regional-networks-2022")
    assert call_2021.clock_id != call_2022.clock_id
    assert clock_now(call_2022.clock).year == 2022
    case_2021 = send_idea(rehearsal, call_2021, "applicant", "Network 2021")
    case_2022 = send_idea(rehearsal, call_2022, "applicant", "Network 2022")
    # Each call numbers its cases by the year of its own clock.
    assert (case_2021.case_number, case_2022.case_number) == ("VN/1/2021", "VN/1/2022")
    assert [d.registry_number for d in case_2021.documents] == ["VN/1/2021-1"]
    assert [d.registry_number for d in case_2022.documents] == ["VN/1/2022-1"]

    move_rehearsal_clock(rehearsal.session, call_2021, helsinki("2021-04-15 16:15:01"))
    rehearsal.session.commit()

    # The 2021 case was invited; the 2022 case and call are where they were.
    assert rehearsal.case_ids_emailed("webinar_invitation") == {case_2021.id}
    waits = set(rehearsal.session.scalars(select(MessageWait.instance_id)))
    assert case_2021.instance_id not in waits and case_2022.instance_id in waits
    [timer] = rehearsal.session.scalars(
        select(Timer).where(Timer.instance_id == call_2022.instance_id)
    )
    assert timer.due_at == helsinki("2022-04-15 16:15:00")
    assert clock_now(call_2022.clock) < helsinki("2022-03-17 00:00:00")
    assert call_2021.status == "published" and call_2022.status == "published"
