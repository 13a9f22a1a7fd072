"""Read-only views of instances for the application: no SpiffWorkflow object leaves this layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Select, distinct, func, select
from sqlalchemy.orm import Session

from workflows import bundles
from workflows.bpmn_xml import BPMN_NS, parse_xml
from workflows.engine import load_workflow
from workflows.errors import TaskAlreadyCompleted, TaskNotFound
from workflows.indexes import deadline_that_closed, index_row, next_deadline
from workflows.models import (
    AuditEvent,
    Clock,
    HumanTask,
    MessageWait,
    ProcessVersion,
    Timer,
    WorkflowInstance,
)
from workflows.summary import InstanceSummary, WaitingEvent, summary_of
from workflows.task_view import TaskView, view_of


def summarize(session: Session, instance: WorkflowInstance) -> InstanceSummary:
    workflow = load_workflow(instance)
    return summary_of(workflow, instance.status, next_deadline(workflow))


__all__ = ["InstanceSummary", "WaitingEvent", "summarize"]


@dataclass(frozen=True)
class DiagramMarks:
    """Element ids to colour on the diagram; an element is in one list only (active wins)."""

    completed: list[str]
    active: list[str]
    waiting: list[str]


def diagram_marks(summary: InstanceSummary) -> DiagramMarks:
    active = set(summary.ready_elements)
    waiting = set(summary.waiting_elements) - active
    completed = set(summary.completed_elements) - active - waiting
    return DiagramMarks(sorted(completed), sorted(active), sorted(waiting))


def diagram_xml(instance: WorkflowInstance, names: Mapping[str, str] | None = None) -> str:
    """The BPMN file of the instance's process version that defines the instance's process;
    with ``names`` (English → the reader's language), its elements' names translated, so the
    diagram speaks the page's language."""
    files = instance.version.files
    for name in sorted(files):
        if not name.endswith(".bpmn"):
            continue
        root = parse_xml(name, files[name])
        if root.find(f".//{{{BPMN_NS}}}process[@id='{instance.process_id}']") is None:
            continue
        if not names:
            return str(files[name])
        for element in root.iter():
            label = element.get("name")
            if label and names.get(label):
                element.set("name", names[label])
        return etree.tostring(root, encoding="unicode")
    raise LookupError(
        f"no BPMN file of version {instance.version_id} defines {instance.process_id}"
    )


def upcoming_timers(
    session: Session, clock: Clock, limit: int = 10
) -> list[tuple[str, datetime, int]]:
    """The next waiting timers on a clock: (name, due time, how many instances wait for it)."""
    rows = session.execute(
        select(Timer.name, Timer.due_at, func.count())
        .where(Timer.clock_id == clock.id)
        .group_by(Timer.name, Timer.due_at)
        .order_by(Timer.due_at, Timer.name)
        .limit(limit)
    ).all()
    return [(name, due_at, count) for name, due_at, count in rows]


def task_view(session: Session, instance: WorkflowInstance, task_id: str) -> TaskView:
    """What the task page shows: the indexed row, the task data, the form and instructions."""
    row = session.scalar(
        select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.task_id == task_id)
    )
    if row is None:
        raise TaskAlreadyCompleted()
    workflow = load_workflow(instance)
    task = next(
        (t for t in workflow.get_tasks(state=TaskState.READY) if str(t.id) == task_id), None
    )
    if task is None:
        raise TaskNotFound("There is no such task.")
    return view_of(instance, row, task)


@dataclass(frozen=True)
class ClosedTask:
    """A user task that its deadline closed: when the deadline was, and the task as its page
    showed it (its index row as it was, no longer stored, with that deadline as due time)."""

    deadline: datetime
    view: TaskView


def closed_by_deadline(instance: WorkflowInstance, task_id: str) -> ClosedTask | None:
    """The user task ``task_id`` of ``instance`` if the interrupting timer of its deadline
    fired and closed it; None when it is still ready, was sent, went another way, or never
    existed. Read from the instance's saved engine state: the cancelled task stays in it, with
    the timer that cancelled it and that timer's due time."""
    workflow = load_workflow(instance)
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except (ValueError, SpiffWorkflowException):
        return None
    if task is None or not task.task_spec.manual:
        return None
    deadline = deadline_that_closed(task)
    if deadline is None:
        return None
    row = index_row(instance, task)
    row.due_at = deadline
    return ClosedTask(deadline, view_of(instance, row, task))


def timeline(session: Session, instance_ids: list[int]) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.instance_id.in_(instance_ids))
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def form_schema(instance: WorkflowInstance, filename: str) -> dict[str, Any] | None:
    """A form file of the instance's process version (None when the version has no such form)."""
    return bundles.parsed_of(instance).form(filename)


@dataclass(frozen=True)
class StartEvent:
    """How a process starts: whether a person can start it, and the lane of its start event."""

    by_person: bool
    lane: str | None


def start_event(version: ProcessVersion, process_id: str) -> StartEvent:
    """A process a person can start has a plain start event (no timer, message or signal)."""
    specs = bundles.parsed(version).specs
    if process_id not in specs:
        return StartEvent(False, None)
    events = specs[process_id][0].start.outputs
    plain = [e for e in events if isinstance(e.event_definition, NoneEventDefinition)]
    if len(plain) != 1:
        return StartEvent(False, None)
    return StartEvent(True, plain[0].lane)


def process_texts_for(session: Session, version_id: int, language: str) -> dict[str, str]:
    """The version's catalog for a page language: English text as the process files write it ->
    its translation. Empty for English and for a language the version has no catalog for; a
    text missing from the catalog is shown as written."""
    return dict(bundles.parsed_version(session, version_id).translations.get(language, {}))


def waiting_counts(session: Session, version_id: int, *, file: str | None = None) -> dict[str, int]:
    """Per BPMN element id, how many running instances of a version wait there: the heat map.

    Element ids are unique within one BPMN file only (both shipped processes have an
    'idea_deadline_passed'): a diagram's heat map passes its ``file`` to count only the
    instances of the processes that file defines.

    Read from the index tables, without loading workflows: ready user tasks from human_tasks
    (``spec_name`` is the element id), waiting timers and message catches from timers and
    message_waits. Those two carry the timer's name (the event's name, or its id when unnamed)
    and the message name, not the element id, so each (process, name) is mapped to its element
    through the version's parsed spec. Only when several catch events of one process share that
    name are the few instances concerned loaded to see which event they wait at.
    An instance waiting at a user task with a boundary timer counts at both.
    """
    version = session.get(ProcessVersion, version_id)
    if version is None:
        return {}
    parsed = bundles.parsed(version)
    running = (WorkflowInstance.version_id == version_id) & (WorkflowInstance.status == "running")
    if file is not None:
        shown = [pid for pid, (spec, _) in parsed.specs.items() if spec.file == file]
        running = running & WorkflowInstance.process_id.in_(shown)
    counts: dict[str, int] = dict(
        session.execute(
            select(HumanTask.spec_name, func.count(distinct(HumanTask.instance_id)))
            .join(WorkflowInstance, WorkflowInstance.id == HumanTask.instance_id)
            .where(running)
            .group_by(HumanTask.spec_name)
        ).all()
    )
    events = _catch_events(parsed)
    for kind, column in (("timer", Timer.name), ("message", MessageWait.message)):
        table = column.class_
        grouped = session.execute(
            select(WorkflowInstance.process_id, column, func.count(distinct(table.instance_id)))
            .join(WorkflowInstance, WorkflowInstance.id == table.instance_id)
            .where(running)
            .group_by(WorkflowInstance.process_id, column)
        ).all()
        for process_id, name, count in grouped:
            elements = events.get((process_id, kind, name), [])
            if len(elements) == 1:
                counts[elements[0]] = counts.get(elements[0], 0) + count
            elif elements:
                instance_ids = session.scalars(
                    select(table.instance_id)
                    .distinct()
                    .join(WorkflowInstance, WorkflowInstance.id == table.instance_id)
                    .where(running, WorkflowInstance.process_id == process_id, column == name)
                ).all()
                for element in _waiting_elements(session, instance_ids, kind, name):
                    counts[element] = counts.get(element, 0) + 1
    return counts


def _catch_events(parsed: bundles.ParsedBundle) -> dict[tuple[str, str, str], list[str]]:
    """(process id, "timer" or "message", event name) -> the ids of the catch events."""
    events: dict[tuple[str, str, str], list[str]] = {}
    for process_id, (spec, subprocess_specs) in parsed.specs.items():
        for process_spec in (spec, *subprocess_specs.values()):
            for task_spec in process_spec.task_specs.values():
                kind = _catch_kind(task_spec)
                if kind is not None and task_spec.bpmn_id:
                    key = (process_id, kind, task_spec.event_definition.name)
                    ids = events.setdefault(key, [])
                    if task_spec.bpmn_id not in ids:
                        ids.append(task_spec.bpmn_id)
    return events


def _catch_kind(task_spec: Any) -> str | None:
    if not isinstance(task_spec, CatchingEvent):
        return None
    definition = task_spec.event_definition
    if isinstance(definition, TimerEventDefinition):
        return "timer"
    if isinstance(definition, MessageEventDefinition):
        return "message"
    return None


def _waiting_elements(
    session: Session, instance_ids: Sequence[int], kind: str, name: str
) -> list[str]:
    """The catch events of that kind and name the instances wait at (one entry per instance)."""
    found: list[str] = []
    for instance_id in instance_ids:
        instance = session.get_one(WorkflowInstance, instance_id)
        waiting = load_workflow(instance).get_tasks(state=TaskState.WAITING)
        found.extend(
            {
                task.task_spec.bpmn_id
                for task in waiting
                if _catch_kind(task.task_spec) == kind
                and task.task_spec.event_definition.name == name
                and task.task_spec.bpmn_id
            }
        )
    return found


def instances_waiting_for(message: str) -> Select[int]:
    """The ids of instances that wait for `message` now, as a subquery to join or filter on."""
    return select(MessageWait.instance_id).where(MessageWait.message == message)


def next_timer_due(session: Session, clock_id: int) -> datetime | None:
    """When the next timer of the instances on this clock is due (None: no timer waits)."""
    return session.scalar(select(func.min(Timer.due_at)).where(Timer.clock_id == clock_id))
