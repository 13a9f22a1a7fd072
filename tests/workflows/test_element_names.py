"""Elements without a name run (SpiffArena's models often have none): the check only warns,
and what the pages show of them (task list, audit log, where the case is) is the element id."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.engine import complete_task, load_workflow, start_instance
from workflows.models import AuditEvent, HumanTask
from workflows.services import SYSTEM, Actor
from workflows.summary import summary_of

ROLES = frozenset({"specialist"})
BODY = (
    '<bpmn:startEvent id="start"/><bpmn:manualTask id="look_at_it"/>'
    '<bpmn:endEvent id="the_end"/>' + chain("start", "look_at_it", "the_end")
)
FILES = {"quiet.bpmn": process_file("quiet", BODY, lanes={"Specialist": ["look_at_it"]})}


def test_unnamed_elements_are_warnings_only():
    found = check_bundle(FILES, known_roles=ROLES)
    assert {(p.element, p.severity) for p in found} == {
        ("start", "warning"),
        ("look_at_it", "warning"),
        ("the_end", "warning"),
    }


def test_the_pages_name_an_unnamed_element_by_its_id(session, rehearsal_clock):
    model = process_model(session, "quiet", case_process="quiet")
    version, _ = deploy_bundle(
        session, FILES, model=model, deployed_by="t", now=datetime.now(UTC), known_roles=ROLES
    )
    instance = start_instance(
        session,
        version,
        "quiet",
        data={},
        clock=rehearsal_clock,
        group_key="g",
        correlation_key="c",
        actor=SYSTEM,
    )
    [row] = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert row.title == "look_at_it"
    assert summary_of(load_workflow(instance), "running", None).ready_tasks == ["look_at_it"]
    complete_task(session, instance.id, row.task_id, actor=Actor("sam", ROLES))
    completed = session.scalar(select(AuditEvent).where(AuditEvent.kind == "task_completed"))
    assert completed.summary == "Completed “look_at_it”"
    assert summary_of(load_workflow(instance), "running", None).end_event == "the_end"
