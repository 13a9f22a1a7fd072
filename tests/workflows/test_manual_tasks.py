"""Manual tasks (bpmn:manualTask) and plain tasks (bpmn:task) are human tasks without a form,
done with a button, as in SpiffArena: the check wants no form, the index lists them in their
lane, and completing one takes no data."""

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import chain, instructions, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.engine import complete_task, load_workflow, start_instance
from workflows.models import HumanTask
from workflows.services import SYSTEM, Actor
from workflows.task_view import view_of

ROLES = frozenset({"applicant", "specialist"})
SPECIALIST = Actor("sam", frozenset({"specialist"}))
BODY = (
    '<bpmn:startEvent id="start" name="Start"/>'
    '<bpmn:manualTask id="sign" name="Sign the paper">'
    + instructions("Sign it in **blue** ink.")
    + "</bpmn:manualTask>"
    '<bpmn:task id="file_it" name="File it"/>'
    '<bpmn:endEvent id="end" name="Done"/>' + chain("start", "sign", "file_it", "end")
)
FILES = {"paper.bpmn": process_file("paper", BODY, lanes={"Specialist": ["sign", "file_it"]})}


def test_manual_and_plain_tasks_need_no_form():
    assert check_bundle(FILES, known_roles=ROLES) == []


def test_a_manual_task_is_indexed_in_its_lane_shows_its_instructions_and_completes_without_data(
    session, rehearsal_clock
):
    model = process_model(session, "paper", case_process="paper")
    version, _ = deploy_bundle(
        session, FILES, model=model, deployed_by="t", now=datetime.now(UTC), known_roles=ROLES
    )
    instance = start_instance(
        session,
        version,
        "paper",
        data={},
        clock=rehearsal_clock,
        group_key="g",
        correlation_key="c",
        actor=SYSTEM,
    )
    [row] = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert (row.spec_name, row.title, row.lane, row.candidate_group, row.form) == (
        "sign",
        "Sign the paper",
        "Specialist",
        "specialist",
        None,
    )
    workflow = load_workflow(instance)
    view = view_of(instance, row, workflow.get_task_from_id(UUID(row.task_id)))
    assert (view.needs_form, view.instructions) == (False, "Sign it in **blue** ink.")

    complete_task(session, instance.id, row.task_id, {"ignored": 1}, actor=SPECIALIST)
    [row] = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id))
    assert (row.spec_name, row.candidate_group) == ("file_it", "specialist")
    complete_task(session, instance.id, row.task_id, None, actor=SPECIALIST)
    assert instance.status == "completed"
    assert "ignored" not in load_workflow(instance).last_task.data
