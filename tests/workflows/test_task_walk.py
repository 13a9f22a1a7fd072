"""workflows/task_walk.py finds what SpiffWorkflow's task iterator finds, in its order, and runs
the automatic steps in the order do_engine_steps runs them: on a process with an embedded
sub-process, a parallel split, a loop and a person's task (and, through the autouse check in
tests/conftest.py, at every walk of every test)."""

from __future__ import annotations

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskIterator, TaskState

from tests.workflows.spiffarena_models import COUNTING_SUB_PROCESS, chain, flow, process_file
from workflows.bundles import parsed_files
from workflows.services import SCRIPT_ENGINE
from workflows.task_walk import run_automatic_steps, tasks_in, waiting_tasks

STATES = [
    TaskState.READY,
    TaskState.WAITING,
    TaskState.COMPLETED,
    TaskState.ERROR,
    TaskState.STARTED,
    TaskState.FUTURE,
    TaskState.PREDICTED_MASK,
    TaskState.FINISHED_MASK,
    TaskState.NOT_FINISHED_MASK,
    TaskState.ANY_MASK,
]
BODY = (
    '<bpmn:startEvent id="start" name="Start"/>'
    '<bpmn:parallelGateway id="split" name="Split"/>'
    + COUNTING_SUB_PROCESS
    + '<bpmn:scriptTask id="again" name="Again"><bpmn:script>n = n + 1</bpmn:script>'
    "</bpmn:scriptTask>"
    '<bpmn:exclusiveGateway id="enough" name="Enough?" default="f_enough_join"/>'
    '<bpmn:parallelGateway id="join" name="Join"/>'
    '<bpmn:manualTask id="look" name="Look"/>'
    '<bpmn:endEvent id="end" name="Done"/>'
    + chain("start", "split", "inner", "join", "look", "end")
    + flow("f_split_again", "split", "again")
    + chain("again", "enough")
    + '<bpmn:sequenceFlow id="f_enough_again" sourceRef="enough" targetRef="again">'
    "<bpmn:conditionExpression>n &lt; 4</bpmn:conditionExpression></bpmn:sequenceFlow>"
    + flow("f_enough_join", "enough", "join")
)
FILES = {"walk.bpmn": process_file("walk", BODY)}


def fresh_workflow() -> BpmnWorkflow:
    spec, subprocess_specs = parsed_files(FILES).specs["walk"]
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=SCRIPT_ENGINE)
    workflow.task_tree.data["n"] = 0
    return workflow


def assert_found_alike(workflow: BpmnWorkflow) -> None:
    for part in [workflow, *workflow.subprocesses.values()]:
        for state in STATES:
            assert tasks_in(part, state) == part.get_tasks(state=state), TaskState.get_name(state)


def run_to_the_end(steps) -> tuple[list[str], BpmnWorkflow]:
    """Run the workflow with ``steps`` (its automatic steps), doing the person's task when it
    is ready; the names of the tasks run, in order."""
    workflow = fresh_workflow()
    ran: list[str] = []
    while not workflow.is_completed():
        steps(workflow, lambda task: assert_found_alike(task.workflow.top_workflow), ran)
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            ran.append(task.task_spec.bpmn_id)
            task.run()
    return ran, workflow


def spiffworkflows(workflow, check, ran):
    workflow.do_engine_steps(check, lambda task: ran.append(task.task_spec.bpmn_id))


def ours(workflow, check, ran):
    run_automatic_steps(workflow, check, lambda task: ran.append(task.task_spec.bpmn_id))


def test_the_steps_run_in_the_order_spiffworkflow_runs_them():
    theirs, their_workflow = run_to_the_end(spiffworkflows)
    mine, workflow = run_to_the_end(ours)
    assert mine == theirs
    assert theirs.count("again") == 4 and "count" in theirs
    assert workflow.last_task.data == their_workflow.last_task.data
    assert [t.task_spec.name for t in tasks_in(workflow)] == [
        t.task_spec.name for t in their_workflow.get_tasks()
    ]


def test_the_waiting_tasks_are_found_as_spiffworkflows_iterator_finds_them():
    """At every step, in the top workflow and the sub-process alike (the parallel join waits
    while the loop runs)."""
    workflow = fresh_workflow()
    found: list[str] = []

    def compare(task):
        for part in [workflow, *workflow.subprocesses.values()]:
            theirs = list(TaskIterator(part.task_tree, state=TaskState.WAITING))
            assert list(waiting_tasks(part)) == theirs
            found.extend(t.task_spec.bpmn_id or t.task_spec.name for t in theirs)

    while not workflow.is_completed():
        workflow.do_engine_steps(compare, compare)
        for task in workflow.get_tasks(state=TaskState.READY, manual=True):
            task.run()
    assert "join" in found
