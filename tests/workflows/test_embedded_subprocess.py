"""A process with an embedded sub-process (bpmn:subProcess) that passes the check deploys and
runs: building its spec registers the sub-process with the parser as one more process id,
which once made the deploy refuse it with no reason at all."""

from datetime import UTC, datetime

from tests.workflows.factories import process_model
from tests.workflows.spiffarena_models import COUNTING_SUB_PROCESS, chain, process_file
from workflows.bundles import check_bundle, deploy_bundle
from workflows.engine import load_workflow, start_instance
from workflows.services import SYSTEM

BODY = (
    '<bpmn:startEvent id="start" name="Start"/>'
    + COUNTING_SUB_PROCESS
    + '<bpmn:endEvent id="end" name="Done"/>'
    + chain("start", "inner", "end")
)
FILES = {"counting.bpmn": process_file("counting", BODY)}


def test_a_process_with_an_embedded_sub_process_passes_the_check_deploys_and_runs(
    session, rehearsal_clock
):
    assert check_bundle(FILES, known_roles=frozenset({"specialist"})) == []
    model = process_model(session, "counting", case_process="counting")
    version, created = deploy_bundle(
        session, FILES, model=model, deployed_by="t", now=datetime.now(UTC)
    )
    assert (created, version.process_ids) == (True, ["counting"])
    instance = start_instance(
        session,
        version,
        "counting",
        data={},
        clock=rehearsal_clock,
        group_key="g",
        correlation_key="c",
        actor=SYSTEM,
    )
    assert instance.status == "completed"
    assert load_workflow(instance).last_task.data["counted"] == 1
