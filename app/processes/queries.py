"""Reads of the process workbench: the library of versions, drafts, cases on a version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case as sql_case
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from app.calls.models import Call
from app.cases.models import Case
from app.processes.models import ProcessDraft
from workflows import current_version, lane_names
from workflows.models import ProcessModel, ProcessVersion, WorkflowInstance


@dataclass(frozen=True)
class VersionRow:
    version: ProcessVersion
    number: int  # 1 for the first version of the model
    running: int
    total: int


@dataclass(frozen=True)
class ModelEntry:
    model: ProcessModel
    versions: list[VersionRow]  # newest first

    @property
    def current(self) -> VersionRow | None:
        return next((row for row in self.versions if row.version.is_current), None)

    @property
    def running(self) -> int:
        return sum(row.running for row in self.versions)


def case_counts(session: Session) -> dict[int, tuple[int, int]]:
    """Per version id: (running cases, all cases). A call's own process is not a case."""
    running = func.sum(sql_case((WorkflowInstance.status == "running", 1), else_=0))
    rows = session.execute(
        select(WorkflowInstance.version_id, running, func.count())
        .join(Case, Case.instance_id == WorkflowInstance.id)
        .group_by(WorkflowInstance.version_id)
    )
    return {version_id: (int(run or 0), int(total)) for version_id, run, total in rows}


def process_library(session: Session, model_id: str | None = None) -> list[ModelEntry]:
    """Every process model (or one) with its versions, newest first, and their case counts."""
    counts = case_counts(session)
    models = session.scalars(
        select(ProcessModel)
        .where(ProcessModel.id == model_id if model_id is not None else true())
        .order_by(ProcessModel.id)
    ).all()
    versions = session.scalars(
        select(ProcessVersion)
        .where(ProcessVersion.model_id.in_([model.id for model in models]))
        .order_by(ProcessVersion.deployed_at, ProcessVersion.id)
    ).all()
    entries: dict[str, list[VersionRow]] = {model.id: [] for model in models}
    for version in versions:
        rows = entries[version.model_id]
        running, total = counts.get(version.id, (0, 0))
        rows.append(VersionRow(version, len(rows) + 1, running, total))
    return [ModelEntry(model, entries[model.id][::-1]) for model in models]


def version_number(session: Session, version: ProcessVersion) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ProcessVersion)
            .where(
                ProcessVersion.model_id == version.model_id,
                ProcessVersion.deployed_at <= version.deployed_at,
                ProcessVersion.id <= version.id,
            )
        )
        or 0
    )


def drafts(session: Session, model_id: str | None = None) -> list[ProcessDraft]:
    query = select(ProcessDraft).order_by(ProcessDraft.updated_at.desc())
    if model_id is not None:
        query = query.where(ProcessDraft.model_id == model_id)
    return list(session.scalars(query))


def other_versions(session: Session, version: ProcessVersion) -> list[ProcessVersion]:
    return list(
        session.scalars(
            select(ProcessVersion)
            .where(ProcessVersion.model_id == version.model_id, ProcessVersion.id != version.id)
            .order_by(ProcessVersion.deployed_at.desc())
        )
    )


@dataclass(frozen=True)
class RunningInstance:
    instance: WorkflowInstance
    case: Case | None
    call: Call | None


def running_instances(
    session: Session, version: ProcessVersion, *, phase: str = ""
) -> list[RunningInstance]:
    """The running instances on a version, with their case or call; `phase` filters cases."""
    query = (
        select(WorkflowInstance, Case, Call)
        .outerjoin(Case, Case.instance_id == WorkflowInstance.id)
        .outerjoin(Call, Call.instance_id == WorkflowInstance.id)
        .where(WorkflowInstance.version_id == version.id, WorkflowInstance.status == "running")
        .order_by(WorkflowInstance.id)
    )
    if phase:
        query = query.where(Case.phase == phase)
    return [RunningInstance(*row) for row in session.execute(query)]


def rehearsal_calls(session: Session, model_id: str | None = None) -> list[Call]:
    query = select(Call).where(Call.kind == "rehearsal", Call.discarded_at.is_(None))
    if model_id is not None:
        query = query.where(Call.model_id == model_id)
    return list(session.scalars(query.order_by(Call.created_at.desc())))


def real_calls(session: Session, model_id: str | None = None) -> list[Call]:
    """Calls a rehearsal can copy its settings from: those of the model first."""
    calls = session.scalars(
        select(Call).where(Call.kind == "call").order_by(Call.created_at, Call.id)
    ).all()
    return sorted(calls, key=lambda call: call.model_id != model_id)


def model_lanes(session: Session, model: ProcessModel) -> list[str]:
    """The lanes of the model's current version and of its drafts that need a role: each
    (but 'Process Initiator', whose tasks go to the case's starter) may be mapped to one."""
    found: set[str] = set()
    version = current_version(session, model.id)
    if version is not None:
        found.update(lane_names(version.files))
    for draft in drafts(session, model.id):
        found.update(lane_names(draft.files))
    return sorted(found)
