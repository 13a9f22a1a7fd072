"""Moving running instances between versions of the shipped bundle, and back.

The second version is made by editing the shipped files. Application instances wait at their
first task (a user task with a deadline timer on its boundary); the call instance waits for its
idea deadline and is then driven to its end, as the timer worker and the users would.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.workflows.bundle_edits import edited, with_form, without_task
from tests.workflows.factories import process_model
from workflows import bundles
from workflows.bundles import content_hash, deploy_bundle, read_bundle
from workflows.clock import set_rehearsal_time
from workflows.engine import complete_task, fire_due_timers, load_workflow, start_instance
from workflows.errors import MigrationRefused
from workflows.migration import MigrationCheck, check_migration, migrate_instance
from workflows.models import AuditEvent, HumanTask, ProcessVersion, Timer, WorkflowInstance
from workflows.services import SYSTEM, Actor

BPMN = Path(__file__).resolve().parents[2] / "bpmn"
APPLICATION = "funding_application.bpmn"
CALL = "funding_call.bpmn"
NOW = datetime(2021, 4, 15, 13, 0, tzinfo=UTC)
SPECIALIST = Actor("specialist", frozenset({"specialist"}))
DECISION_MAKER = Actor("decision_maker", frozenset({"decision_maker"}))
CASE_DATA = {
    "call_key": "test-call",
    "idea_deadline": "2021-04-15T16:15:00+03:00",
    "application_deadline": "2021-06-02T16:15:00+03:00",
    "evaluators": ["specialist", "evaluator"],
    "lead_organisation": {
        "name": "City of Tampere",
        "type": "municipality",
        "region": "06",  # Pirkanmaa
        "municipality": "837",  # Tampere
    },
}
CALL_DATA = {
    "call_key": "test-call",
    "idea_deadline": "2021-04-15T16:15:00+03:00",
    "application_deadline": "2021-06-02T16:15:00+03:00",
    "budget_total": 7_000_000,
    "reserved_total": 1_000_000,
    "webinar": {"title": "Webinar", "starts_at": "2021-04-20T12:30:00+03:00"},
}
RENAMED_SCREENING = 'name="Screen the idea"'


@pytest.fixture
def files() -> dict[str, str]:
    return read_bundle(BPMN)


@pytest.fixture
def v1(session, files):
    return deploy(session, files)


APPROVED = {
    "approved": True,
    "decided_by_body": "ministry",
    "presenter": "Special adviser Petra Stenfors",
    "signatory": "Minister Mika Lintilä",
}


def deploy(session, files):
    model = process_model(session, "grants")
    version, _ = deploy_bundle(session, files, model=model, deployed_by="owner", now=NOW)
    return version


def unreached_changes(files: dict[str, str]) -> dict[str, str]:
    """A renamed task, a new form field and a removed task: all after an instance's first task."""
    new = edited(files, APPLICATION, 'name="Screen the idea proposal"', RENAMED_SCREENING)
    new = without_task(new, APPLICATION, "notify_webinar_invitation")
    return with_form(
        new,
        "forms/screening.json",
        lambda schema: schema["properties"].update(
            {"priority": {"type": "string", "title": "Priority"}}
        ),
    )


def start_application(session, version, clock, key: str = "case-1") -> WorkflowInstance:
    instance = start_instance(
        session,
        version,
        "funding_application",
        data=CASE_DATA | {"case_key": key},
        clock=clock,
        group_key="test-call",
        correlation_key=key,
        actor=SYSTEM,
    )
    session.commit()
    return instance


def start_call(session, version, clock) -> WorkflowInstance:
    instance = start_instance(
        session,
        version,
        "funding_call",
        data=CALL_DATA,
        clock=clock,
        group_key="test-call",
        correlation_key="call:test-call",
        actor=SYSTEM,
    )
    session.commit()
    return instance


def migrate(session, instance, version, actor: str = "owner") -> MigrationCheck:
    check = migrate_instance(session, instance, version, actor=actor, now=NOW)
    session.commit()
    return check


def migrations(session, instance) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.instance_id == instance.id, AuditEvent.kind == "instance_migrated")
            .order_by(AuditEvent.id)
        )
    )


def ready_task(session, instance, spec_name: str) -> HumanTask:
    task = session.scalar(
        select(HumanTask).where(
            HumanTask.instance_id == instance.id, HumanTask.spec_name == spec_name
        )
    )
    assert task is not None, f"{spec_name} is not ready"
    return task


def test_an_instance_moves_to_a_version_that_changed_only_what_it_has_not_reached(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    v2 = deploy(session, unreached_changes(files))
    task_before = ready_task(session, instance, "send_idea_proposal").task_id

    assert check_migration(session, instance, v2) == MigrationCheck(ok=True, reasons=[])
    assert migrate(session, instance, v2) == MigrationCheck(ok=True, reasons=[])

    assert instance.version_id == v2.id
    assert ready_task(session, instance, "send_idea_proposal").task_id == task_before
    [timer] = session.scalars(select(Timer).where(Timer.instance_id == instance.id)).all()
    assert timer.due_at == datetime(2021, 4, 15, 13, 15, tzinfo=UTC)
    workflow = load_workflow(instance)
    assert workflow.spec is bundles.parsed(v2).specs["funding_application"][0]
    names = {task.task_spec.name for task in workflow.get_tasks()}
    assert "notify_webinar_invitation" not in names
    assert workflow.spec.task_specs["screen_idea"].bpmn_name == "Screen the idea"


def test_the_migration_is_in_the_audit_log_with_both_versions_and_the_actor(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    v2 = deploy(session, unreached_changes(files))

    migrate(session, instance, v2, actor="paula")

    [event] = migrations(session, instance)
    assert event.actor == "paula"
    assert event.data == {
        "from_version_id": v1.id,
        "from_content_hash": v1.content_hash,
        "to_version_id": v2.id,
        "to_content_hash": v2.content_hash,
        "requested_at": NOW.isoformat(),
    }


def test_the_call_continues_on_the_new_version_to_its_end(session, files, v1, rehearsal_clock):
    call = start_call(session, v1, rehearsal_clock)
    v2 = deploy(
        session,
        edited(
            files,
            CALL,
            'name="Rank the applications and propose amounts"',
            'name="Rank the applications"',
        ),
    )

    migrate(session, call, v2)
    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-04-15T16:15:01+03:00"))
    assert fire_due_timers(session, rehearsal_clock) == 1
    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-06-02T16:15:01+03:00"))
    assert fire_due_timers(session, rehearsal_clock) == 1
    session.commit()
    rank = ready_task(session, call, "rank_applications")
    assert rank.title == "Rank the applications"
    proposal = {"case_key": "case-1", "proposed_amount": 100_000, "justification": "Good."}
    complete_task(
        session,
        call.id,
        rank.task_id,
        {"proposals": [proposal], "proposal_memo": "One proposal."},
        actor=SPECIALIST,
    )
    session.commit()
    decide = ready_task(session, call, "decide_funding")
    complete_task(
        session,
        call.id,
        decide.task_id,
        APPROVED,
        actor=DECISION_MAKER,
    )
    session.commit()

    assert call.status == "completed"
    assert call.version_id == v2.id
    decisions = load_workflow(call).last_task.data["decisions"]
    assert [d["amount"] for d in decisions] == [100_000]


def test_migration_is_refused_naming_the_active_task_that_changed(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    state = dict(instance.state)
    v2 = deploy(
        session,
        edited(files, APPLICATION, 'name="Write and send the idea proposal"', 'name="Send it"'),
    )
    reason = (
        "task 'send_idea_proposal' (Write and send the idea proposal) is active and changed "
        "in the new version"
    )

    assert check_migration(session, instance, v2) == MigrationCheck(ok=False, reasons=[reason])
    with pytest.raises(MigrationRefused) as refused:
        migrate_instance(session, instance, v2, actor="owner", now=NOW)
    session.rollback()

    assert refused.value.reasons == [reason]
    assert reason in str(refused.value)
    assert instance.version_id == v1.id
    assert instance.state == state
    assert migrations(session, instance) == []


def test_a_changed_form_of_an_active_task_or_a_changed_waiting_timer_refuse_migration(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    new_form = with_form(
        files,
        "forms/idea_proposal.json",
        lambda schema: schema["properties"].update({"website": {"type": "string"}}),
    )
    new_timer = edited(
        files,
        APPLICATION,
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">idea_deadline<',
        '<bpmn:timeDate xsi:type="bpmn:tFormalExpression">application_deadline<',
    )

    assert check_migration(session, instance, deploy(session, new_form)).reasons == [
        "task 'send_idea_proposal' (Write and send the idea proposal) is active and its form "
        "'idea_proposal.json' changed in the new version"
    ]
    assert check_migration(session, instance, deploy(session, new_timer)).reasons == [
        "event 'idea_deadline_passed' (Idea deadline passed) is active and changed in the new "
        "version"
    ]


def test_a_completed_task_that_changed_refuses_migration(session, files, v1, rehearsal_clock):
    call = start_call(session, v1, rehearsal_clock)
    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-04-15T16:15:01+03:00"))
    fire_due_timers(session, rehearsal_clock)
    session.commit()
    v2 = deploy(
        session,
        edited(files, CALL, 'name="Invite idea senders to the webinar"', 'name="Invite"'),
    )

    assert check_migration(session, call, v2).reasons == [
        "event 'invite_to_webinar' (Invite idea senders to the webinar) was completed and "
        "changed in the new version"
    ]


def stored(session, files):
    """Files stored as a version without the deploy's checks, as versions deployed before the
    model's contract was checked may be: today's deploy refuses a process that reads data
    nothing sets."""
    version = ProcessVersion(
        model=process_model(session, "grants"),
        content_hash=content_hash(files),
        files=files,
        process_ids=["funding_application", "funding_call"],
        deployed_by="owner",
        deployed_at=NOW,
    )
    session.add(version)
    session.flush()
    return version


def test_data_the_new_version_reads_but_the_case_lacks_refuses_migration(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    budget = edited(
        files,
        APPLICATION,
        "requested_amount = budget_2021 + budget_2022 + budget_2023",
        "requested_amount = budget_2021 + budget_2022 + budget_2023 + budget_2024",
    )
    no_count = without_task(files, APPLICATION, "count_municipalities")

    assert check_migration(session, instance, stored(session, budget)).reasons == [
        "variable 'budget_2024' read by task 'compute_requested_amount' (Compute the amount "
        "applied for) is not in the case data, and nothing on the remaining path of the new "
        "version sets it"
    ]
    condition = edited(
        files,
        APPLICATION,
        'screening_result == "proceed"</bpmn:conditionExpression>',
        'screening_result == "proceed" and budget_ok</bpmn:conditionExpression>',
    )
    assert check_migration(session, instance, stored(session, condition)).reasons == [
        "variable 'budget_ok' read by gateway 'invite_gateway' (Invite to apply?) is not in the "
        "case data, and nothing on the remaining path of the new version sets it"
    ]
    reasons = check_migration(session, instance, stored(session, no_count)).reasons
    assert [reason.split("'")[1] for reason in reasons] == [
        "applicant_type",
        "municipality_count",
        "region_count",
    ]
    assert all("read by task 'check_eligibility' (Check eligibility)" in r for r in reasons)


def test_the_same_version_another_bundle_or_a_finished_case_are_refused(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    other_files = edited(files, APPLICATION, 'name="Screen the idea proposal"', 'name="Screen"')
    other_model = process_model(session, "other")
    other, _ = deploy_bundle(session, other_files, model=other_model, deployed_by="owner", now=NOW)
    v2 = deploy(session, unreached_changes(files))

    assert check_migration(session, instance, v1).reasons == [
        f"the case already runs version {v1.id}"
    ]
    assert check_migration(session, instance, other).reasons == [
        f"version {other.id} belongs to the process model 'other', not 'grants'"
    ]
    instance.status = "completed"
    assert check_migration(session, instance, v2).reasons == ["the case is completed, not running"]


def test_migrating_back_to_the_previous_version_goes_the_same_way(
    session, files, v1, rehearsal_clock
):
    instance = start_application(session, v1, rehearsal_clock)
    task_id = ready_task(session, instance, "send_idea_proposal").task_id
    v2 = deploy(session, unreached_changes(files))
    migrate(session, instance, v2)

    assert check_migration(session, instance, v1).ok
    migrate(session, instance, v1)

    assert instance.version_id == v1.id
    assert ready_task(session, instance, "send_idea_proposal").task_id == task_id
    workflow = load_workflow(instance)
    assert workflow.spec.task_specs["screen_idea"].bpmn_name == "Screen the idea proposal"
    assert "notify_webinar_invitation" in {t.task_spec.name for t in workflow.get_tasks()}
    assert [
        (e.data["from_version_id"], e.data["to_version_id"]) for e in migrations(session, instance)
    ] == [(v1.id, v2.id), (v2.id, v1.id)]


def test_the_call_moved_there_and_back_still_runs_to_its_end(session, files, v1, rehearsal_clock):
    call = start_call(session, v1, rehearsal_clock)
    v2 = deploy(session, edited(files, CALL, 'name="Decide the funding"', 'name="Decide"'))
    migrate(session, call, v2)
    migrate(session, call, v1)

    set_rehearsal_time(rehearsal_clock, datetime.fromisoformat("2021-06-02T16:15:01+03:00"))
    fire_due_timers(session, rehearsal_clock)  # both deadlines, one after the other
    fire_due_timers(session, rehearsal_clock)
    session.commit()
    rank = ready_task(session, call, "rank_applications")
    complete_task(
        session, call.id, rank.task_id, {"proposals": [], "proposal_memo": "-"}, actor=SPECIALIST
    )
    session.commit()
    decide = ready_task(session, call, "decide_funding")

    assert decide.title == "Decide the funding"
    complete_task(
        session,
        call.id,
        decide.task_id,
        APPROVED,
        actor=DECISION_MAKER,
    )
    session.commit()
    assert call.status == "completed"


def test_an_instance_not_migrated_stays_on_its_version_untouched(
    session, files, v1, rehearsal_clock
):
    moved = start_application(session, v1, rehearsal_clock, key="case-1")
    stays = start_application(session, v1, rehearsal_clock, key="case-2")
    state, lock_version = dict(stays.state), stays.lock_version
    task_id = ready_task(session, stays, "send_idea_proposal").task_id
    v2 = deploy(session, unreached_changes(files))

    migrate(session, moved, v2)
    session.expire_all()

    assert (moved.version_id, stays.version_id) == (v2.id, v1.id)
    assert stays.state == state
    assert stays.lock_version == lock_version
    assert ready_task(session, stays, "send_idea_proposal").task_id == task_id
    assert migrations(session, stays) == []
    assert load_workflow(stays).spec is bundles.parsed(v1).specs["funding_application"][0]
