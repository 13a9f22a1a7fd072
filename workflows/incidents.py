"""Incidents: an automatic step that failed, kept with its instance until someone acts.

The engine opens one when a script, a service operator or a decision table fails after a
person's action, a timer or a message (workflows/engine.py): what was done before stays done,
the failing task stays in error. Staff retry it (after fixing the data, or after migrating
the case to a version with the step fixed) or resolve it (they dealt with it otherwise). Every
opening, retry and resolution is in the audit log.
"""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.audit import record_event
from workflows.clock import clock_now, wall_now
from workflows.errors import NotAllowed
from workflows.models import Incident, WorkflowInstance
from workflows.services import Actor
from workflows.transaction import notes

OPEN = "open"


def open_incident(
    session: Session, instance: WorkflowInstance, workflow: BpmnWorkflow, error: Exception
) -> Incident:
    failed = workflow.get_tasks(state=TaskState.ERROR)
    task = failed[-1] if failed else None
    spec = task.task_spec if task is not None else None
    incident = Incident(
        instance_id=instance.id,
        task_id=str(task.id) if task is not None else None,
        element=getattr(spec, "bpmn_id", None) or (spec.name if spec else None),
        element_name=getattr(spec, "bpmn_name", None) or None,
        error=str(error).strip()[:4000] or type(error).__name__,
        opened_at=wall_now(),
        clock_at=clock_now(instance.clock),
        status=OPEN,
    )
    session.add(incident)
    session.flush()
    notes(session).setdefault("incidents", []).append(incident)
    record_event(
        session,
        actor="system",
        kind="incident_opened",
        instance=instance,
        task_id=incident.task_id,
        summary=f"Incident at “{incident.element_name or incident.element}”: {incident.error}",
        data={"incident": incident.id, "element": incident.element, "error": incident.error},
        clock_at=incident.clock_at,
    )
    return incident


def opened_now(session: Session, instance_id: int) -> bool:
    """Whether this transaction opened an incident on the instance (a step after a send)."""
    return any(i.instance_id == instance_id for i in notes(session).get("incidents", []))


def open_incidents(session: Session, instance_ids: list[int] | None = None) -> list[Incident]:
    query = select(Incident).where(Incident.status == OPEN).order_by(Incident.opened_at)
    if instance_ids is not None:
        query = query.where(Incident.instance_id.in_(instance_ids))
    return list(session.scalars(query))


def _close(session: Session, incident: Incident, actor: Actor, status: str, kind: str) -> None:
    incident.status = status
    incident.closed_at = wall_now()
    incident.closed_by = actor.username
    record_event(
        session,
        actor=actor.username,
        kind=kind,
        instance=incident.instance,
        task_id=incident.task_id,
        summary=f"Incident at “{incident.element_name or incident.element}” {status}",
        data={"incident": incident.id},
        clock_at=clock_now(incident.instance.clock),
    )


def retry_incident(session: Session, incident_id: int, actor: Actor) -> Incident | None:
    """Run the failed task again and go on from it. The incident is closed as retried; if the
    task fails again, a new incident opens (returned)."""
    from workflows.engine import advance_instance, load_workflow, lock_instance

    incident = session.get(Incident, incident_id)
    if incident is None or incident.status != OPEN:
        raise NotAllowed("The incident is no longer open.")
    instance = lock_instance(session, incident.instance_id)
    workflow = load_workflow(instance)
    failed = [t for t in workflow.get_tasks(state=TaskState.ERROR)]
    target = next((t for t in failed if str(t.id) == incident.task_id), None)
    if target is None and failed:
        target = failed[-1]  # the case was migrated: its tasks were matched anew
    _close(session, incident, actor, "retried", "incident_retried")
    if target is not None:
        workflow.reset_from_task_id(target.id)
    advance_instance(session, instance, workflow, actor)
    return session.scalar(
        select(Incident)
        .where(Incident.instance_id == instance.id, Incident.status == OPEN)
        .order_by(Incident.id.desc())
    )


def resolve_incident(session: Session, incident_id: int, actor: Actor) -> None:
    """Close an incident without running anything (staff dealt with it otherwise)."""
    incident = session.get(Incident, incident_id)
    if incident is None or incident.status != OPEN:
        raise NotAllowed("The incident is no longer open.")
    _close(session, incident, actor, "resolved", "incident_resolved")
    session.flush()
