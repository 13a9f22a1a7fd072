"""A timer whose expression gives a timedelta or a datetime, as SpiffArena's models write them
(``timedelta(seconds=30)``), waits that long on the case's clock and then fires; the engine
itself reads only ISO 8601 text."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.clock import clock_now, set_rehearsal_time
from workflows.engine import fire_due_timers, start_instance
from workflows.models import HumanTask, Timer
from workflows.services import SYSTEM


def timer_files(kind: str, expression: str) -> dict[str, str]:
    body = (
        '<bpmn:startEvent id="start"/>'
        '<bpmn:intermediateCatchEvent id="pause"><bpmn:timerEventDefinition>'
        f"<bpmn:{kind}>{expression}</bpmn:{kind}>"
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        '<bpmn:manualTask id="after" name="After the wait"/>'
        '<bpmn:endEvent id="end"/>' + chain("start", "pause", "after", "end")
    )
    return {"wait.bpmn": process_file("wait", body)}


@pytest.mark.parametrize(
    ("kind", "expression", "waits"),
    [
        ("timeDuration", "timedelta(seconds=30)", timedelta(seconds=30)),
        ("timeDuration", "timedelta(days=1, hours=2)", timedelta(days=1, hours=2)),
        ("timeDate", "datetime.now() + timedelta(minutes=5)", timedelta(minutes=5)),
    ],
)
def test_a_timer_given_as_a_timedelta_or_datetime_fires_when_its_time_comes(
    session, rehearsal_clock, kind, expression, waits
):
    files = timer_files(kind, expression)
    assert [p for p in check_bundle(files) if p.is_error] == []
    model = process_model(session, "wait", case_process="wait", case_start_data=[])
    version, _ = deploy_bundle(session, files, model=model, deployed_by="t", now=datetime.now(UTC))
    began = clock_now(rehearsal_clock)
    instance = start_instance(
        session,
        version,
        "wait",
        data={},
        clock=rehearsal_clock,
        group_key="g",
        correlation_key="c",
        actor=SYSTEM,
    )
    [timer] = session.scalars(select(Timer).where(Timer.instance_id == instance.id))
    assert abs(timer.due_at - (began + waits)) < timedelta(seconds=2)

    set_rehearsal_time(rehearsal_clock, began + waits + timedelta(seconds=5))
    assert fire_due_timers(session, rehearsal_clock) == 1
    [task] = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert task.spec_name == "after"
