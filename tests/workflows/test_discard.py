"""Discarding a group of instances, and the engine's answers about what waits."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from tests.workflows.factories import process_model
from workflows import discard_instances, instances_waiting_for, next_timer_due
from workflows.bundles import deploy_bundle, read_bundle
from workflows.engine import start_instance
from workflows.models import MessageWait, Timer, WorkflowInstance
from workflows.services import SYSTEM

BPMN = Path(__file__).resolve().parents[2] / "bpmn"


def _start(session, clock, process_id, key, data):
    version, _ = deploy_bundle(
        session,
        read_bundle(BPMN),
        model=process_model(session, "t"),
        deployed_by="test",
        now=datetime.now(UTC),
    )
    return start_instance(
        session,
        version,
        process_id,
        data=data,
        clock=clock,
        group_key=key,
        correlation_key=f"call:{key}",
        actor=SYSTEM,
    )


CALL_DATA = {
    "call_key": "c",
    "idea_deadline": "2021-04-15T16:15:00+03:00",
    "application_deadline": "2021-06-02T16:15:00+03:00",
    "budget_total": 7_000_000,
    "reserved_total": 1_000_000,
    "webinar": {"title": "Webinar", "starts_at": "2021-04-20T12:30:00+03:00"},
}


def test_discarding_a_group_clears_its_timers_and_leaves_other_groups(session, rehearsal_clock):
    kept = _start(session, rehearsal_clock, "funding_call", "kept", CALL_DATA)
    thrown = _start(session, rehearsal_clock, "funding_call", "thrown", CALL_DATA)
    session.commit()
    version_before = thrown.lock_version

    ids = discard_instances(session, "thrown")
    session.commit()

    assert session.scalars(ids).all() == [thrown.id]
    session.refresh(thrown)
    assert thrown.status == "discarded"
    assert thrown.lock_version > version_before  # a writer holding the old state is refused
    timers = session.scalars(select(Timer.instance_id)).all()
    assert timers == [kept.id]
    assert session.get(WorkflowInstance, kept.id).status == "running"
    assert next_timer_due(session, rehearsal_clock.id) == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)


def test_instances_waiting_for_a_message_are_those_with_a_wait(session, rehearsal_clock):
    call = _start(session, rehearsal_clock, "funding_call", "c", CALL_DATA)
    session.add(MessageWait(instance_id=call.id, message="funding_decision"))
    session.flush()

    waiting = session.scalars(instances_waiting_for("funding_decision")).all()

    assert waiting == [call.id]
    assert (
        session.scalar(select(func.count()).select_from(instances_waiting_for("other").subquery()))
        == 0
    )
