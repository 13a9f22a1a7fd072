"""grantflow's engine layer: the only package that imports SpiffWorkflow.

The application calls the functions re-exported here; it never sees a SpiffWorkflow object.
"""

from workflows import clock as _clock  # noqa: F401 - installs the clock seam before any run
from workflows import http_connector as _http  # noqa: F401 - registers the http operators
from workflows.bundles import (
    content_hash,
    contract_problems,
    current_version,
    deploy_bundle,
    read_bundle,
)
from workflows.claims import claim_task, may_claim, may_unclaim, unclaim_task
from workflows.clock import clock_at, clock_now, set_rehearsal_time, wall_now
from workflows.contract import BoundCall, Contract
from workflows.discard import discard_instances
from workflows.dry_run import DryRunFailed, StepUnavailable, dry_run, has_steps
from workflows.engine import complete_task, fire_due_timers, lock_instance, may_act, start_instance
from workflows.errors import (
    BundleRefused,
    DeadlinePassed,
    EngineStepFailed,
    InstanceChanged,
    NotAllowed,
    Problem,
    TaskAlreadyCompleted,
    TaskNotFound,
    WorkflowError,
)
from workflows.lanes import is_initiators, lane_names, lane_role
from workflows.queries import (
    ClosedTask,
    InstanceSummary,
    TaskView,
    closed_by_deadline,
    form_schema,
    instances_waiting_for,
    next_timer_due,
    process_texts_for,
    summarize,
    task_view,
    timeline,
)
from workflows.reassign import REASSIGNED, reassign_task
from workflows.services import SYSTEM, Actor, ServiceCall, register_operator

__all__ = [
    "discard_instances",
    "DryRunFailed",
    "StepUnavailable",
    "dry_run",
    "has_steps",
    "instances_waiting_for",
    "next_timer_due",
    "SYSTEM",
    "Actor",
    "BoundCall",
    "Contract",
    "contract_problems",
    "BundleRefused",
    "ClosedTask",
    "DeadlinePassed",
    "EngineStepFailed",
    "InstanceChanged",
    "InstanceSummary",
    "NotAllowed",
    "Problem",
    "ServiceCall",
    "TaskAlreadyCompleted",
    "TaskNotFound",
    "TaskView",
    "WorkflowError",
    "clock_at",
    "clock_now",
    "closed_by_deadline",
    "complete_task",
    "content_hash",
    "current_version",
    "deploy_bundle",
    "fire_due_timers",
    "form_schema",
    "is_initiators",
    "lane_names",
    "lane_role",
    "lock_instance",
    "may_act",
    "process_texts_for",
    "read_bundle",
    "register_operator",
    "set_rehearsal_time",
    "start_instance",
    "summarize",
    "task_view",
    "timeline",
    "wall_now",
    "claim_task",
    "may_claim",
    "may_unclaim",
    "unclaim_task",
    "REASSIGNED",
    "reassign_task",
]
