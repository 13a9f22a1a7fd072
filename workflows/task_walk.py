"""A workflow's tasks in a state, and its automatic steps, without SpiffWorkflow's task iterator.

``BpmnWorkflow.get_tasks`` walks the task tree one task at a time through an iterator object
(a list popped at its head, a filter object asked about each task, a depth kept by walking
back up from every leaf), and ``do_engine_steps`` walks it once per round of steps: a timer's
firing spent a sixth of its time there. ``tasks_in`` walks the same tree in the same order
(depth first; into the subprocess a task started; not below a task too little decided for
the states asked for; at most 1,000 tasks deep) with a plain stack and gives the same list;
``run_automatic_steps`` is ``do_engine_steps`` with it, round for round.

After every task that completes, SpiffWorkflow updates the waiting tasks of the task's
workflow, walking its tree with the same iterator: nine times in an idea proposal's send.
``waiting_tasks`` is that walk (lazy, as the iterator is: a task's update may change the tasks
still to come) in about 40% of the time (16 µs against 40 on a case's tree of 35 tasks), and
``Workflow.update_waiting_tasks`` is made to use it. The tests
compare every walk with SpiffWorkflow's own, at every step of the shipped and the SpiffArena
models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState
from SpiffWorkflow.workflow import Workflow

READY: int = TaskState.READY  # for callers outside workflows/, which do not import SpiffWorkflow
_MAX_DEPTH = 1000  # SpiffWorkflow's iterator goes no deeper either
Step = Callable[[Task], None]


def tasks_in(workflow: BpmnWorkflow, state: int = TaskState.ANY_MASK) -> list[Task]:
    """What ``workflow.get_tasks(state=state)`` answers (``workflow`` may be a subprocess)."""
    if state & TaskState.PREDICTED_MASK:
        decided = TaskState.MAYBE
    elif state & TaskState.DEFINITE_MASK:
        decided = TaskState.FUTURE
    else:
        decided = TaskState.COMPLETED
    not_into_finished = state <= TaskState.FINISHED_MASK
    subprocesses = workflow.top_workflow.subprocesses
    found: list[Task] = []
    stack: list[tuple[Task, int]] = [(workflow.task_tree, 0)]
    while stack:
        task, depth = stack.pop()
        task_state = task._state
        if task_state & state:
            found.append(task)
        if depth >= _MAX_DEPTH:
            continue
        subprocess = subprocesses.get(task.id) if subprocesses else None
        if subprocess is None and (not task._children or task_state < decided):
            continue
        tasks = task.workflow.tasks
        below = [tasks.get(child) for child in reversed(task._children)]
        if subprocess is not None and not (
            task_state >= TaskState.FINISHED_MASK and not_into_finished
        ):
            below.append(subprocess.task_tree)
        depth += 1
        stack.extend([(child, depth) for child in below])
    return found


def waiting_tasks(workflow: Workflow) -> Iterator[Task]:
    """What ``TaskIterator(workflow.task_tree, state=TaskState.WAITING)`` yields: the waiting
    tasks of the workflow's own tree (not of its subprocesses), depth first, each task's
    children taken when it is reached and each task's state read then."""
    tasks = workflow.tasks
    stack: list[tuple[Task, int]] = [(workflow.task_tree, 0)]
    while stack:
        task, depth = stack.pop()
        if task._children and task._state >= TaskState.FUTURE and depth < _MAX_DEPTH:
            stack.extend([(tasks[child], depth + 1) for child in reversed(task._children)])
        if task._state & TaskState.WAITING:
            yield task


def _update_waiting_tasks(workflow: Workflow) -> None:
    """``Workflow.update_waiting_tasks``, walking with ``waiting_tasks``."""
    for task in waiting_tasks(workflow):
        task.task_spec._update(task)


Workflow.update_waiting_tasks = _update_waiting_tasks


def _nothing(task: Task) -> None:
    pass


def run_automatic_steps(
    workflow: BpmnWorkflow, will_run: Step = _nothing, did_run: Step = _nothing
) -> None:
    """``workflow.do_engine_steps(will_run, did_run)``: the ready automatic tasks, the deepest
    subprocesses' first, round after round until a round runs none and starts no subprocess;
    then the timers are looked at."""
    while _round(workflow, will_run, did_run):
        pass
    workflow.refresh_timers()


def _round(workflow: BpmnWorkflow, will_run: Step, did_run: Step) -> bool:
    active = workflow.get_active_subprocesses()
    for subprocess in sorted(active, key=lambda sub: sub.depth, reverse=True):
        while _run_ready(subprocess, will_run, did_run):
            pass
        if subprocess.parent_task_id is not None:
            task = workflow.get_task_from_id(subprocess.parent_task_id)
            task.task_spec._update(task)
    ran = _run_ready(workflow, will_run, did_run)
    return ran > 0 or len(workflow.get_active_subprocesses()) > len(active)


def _run_ready(workflow: BpmnWorkflow, will_run: Step, did_run: Step) -> int:
    ran = 0
    for task in tasks_in(workflow, READY):
        if not task.task_spec.manual:
            will_run(task)
            task.run()
            ran += 1
            did_run(task)
    return ran
