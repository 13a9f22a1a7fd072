"""Import a SpiffArena repository (or subtree) as process models, deploy what passes, export.

One import creates or updates, per SpiffArena model folder, the grantflow model of the same id
(workflows.spiffarena_repo.model_id_for) and its import draft (one per model: a re-import
replaces that draft's files). The model keeps SpiffArena's group path, display name and
description (under "en": SpiffArena's texts carry no language; the pages fall back to English
when Finnish or Swedish is missing) and the whole process_model.json. Call activities are
resolved across the upload and the current versions of every model imported before.
Operations flush; the view commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from posixpath import dirname

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.processes.checks import check_draft
from app.processes.files import FileRefused
from app.processes.models import ProcessDraft
from app.processes.operations import deploy_draft
from workflows import BundleRefused, Problem, wall_now
from workflows.audit import record_event
from workflows.bundles import deployed_bpmn
from workflows.models import PROCESS_ID_LENGTH, ProcessModel, ProcessVersion
from workflows.spiffarena_export import ExportedModel, export_tree, zip_entries
from workflows.spiffarena_layout import MODEL_FILE, read_manifest
from workflows.spiffarena_repo import ModelImport, import_repository
from workflows.uploads import zip_tree

IMPORT_TITLE = "SpiffArena import"


@dataclass
class ImportedModel:
    """One row of the import's result: the model, its draft and what the check found."""

    path: str
    model_id: str
    name: str
    draft_id: int | None
    created: bool
    found: list[Problem] = field(default_factory=list)  # what the import found
    checked: list[Problem] = field(default_factory=list)  # what the check found then

    @property
    def problems(self) -> list[Problem]:
        return self.found + self.checked

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]


def read_repository_zip(filename: str, data: bytes) -> dict[str, bytes]:
    """The files of an uploaded zip of a SpiffArena repository or subtree; FileRefused names
    the zip and what is wrong."""
    try:
        tree = zip_tree(data, strip_folder=False)
    except BundleRefused as refused:
        reasons = "; ".join(str(problem) for problem in refused.problems)
        raise FileRefused(_("%(name)s: %(reasons)s", name=filename, reasons=reasons)) from None
    tree = _without_wrapper(tree)
    if not any(path.rsplit("/", 1)[-1] == "process_model.json" for path in tree):
        raise FileRefused(
            _("%(name)s holds no SpiffArena process model (process_model.json).", name=filename)
        )
    return tree


def _without_wrapper(tree: dict[str, bytes]) -> dict[str, bytes]:
    """Strip one folder common to every file unless it is a SpiffArena group or model (a
    GitHub archive's "repo-main/"), so that ids keep their SpiffArena paths."""
    tops = {path.split("/", 1)[0] for path in tree}
    if len(tops) != 1 or any("/" not in path for path in tree):
        return tree
    top = tops.pop()
    if f"{top}/process_group.json" in tree or f"{top}/process_model.json" in tree:
        return tree
    return {path.split("/", 1)[1]: content for path, content in tree.items()}


def import_repository_tree(
    session: Session, tree: dict[str, bytes], user: User
) -> list[ImportedModel]:
    """Every model of the tree into a model and its import draft, each checked."""
    rows = [
        _import_model(session, found, user)
        for found in import_repository(tree, deployed=deployed_tree(session))
    ]
    drafts = {
        row.draft_id: session.get_one(ProcessDraft, row.draft_id) for row in rows if row.draft_id
    }
    files = {draft_id: (draft.model_id, dict(draft.files)) for draft_id, draft in drafts.items()}
    deployed = deployed_bpmn(session)
    for row in rows:
        if row.draft_id is not None and not row.errors:
            # Checked as if the other models of the upload were deployed beside it: a message
            # between two of them is not missing.
            row.checked = check_draft(
                session, drafts[row.draft_id], _alongside(files, row.draft_id), deployed
            )
    record_event(
        session,
        actor=user.username,
        kind="spiffarena_imported",
        summary=f"Imported {len(rows)} SpiffArena process models",
        data={"models": [row.model_id for row in rows]},
    )
    session.flush()
    return rows


def _import_model(session: Session, found: ModelImport, user: User) -> ImportedModel:
    primary = found.primary_process_id or ""
    problems = list(found.problems)
    if not primary:
        problems.append(Problem(found.path or "process_model.json", None, "names no process"))
    elif len(primary) > PROCESS_ID_LENGTH:
        problems.append(Problem(found.path, primary, "the primary process id is too long"))
        primary = ""
    now = wall_now()
    model = session.get(ProcessModel, found.model_id)
    if model is not None and not _imported(session, model):
        where = f"{found.path}/{MODEL_FILE}" if found.path else MODEL_FILE
        message = (
            f"the process model '{model.id}' exists and was not imported from SpiffArena:"
            " it is left as it is"
        )
        return ImportedModel(
            path=found.path,
            model_id=model.id,
            name=found.display_name,
            draft_id=None,
            created=False,
            found=[Problem(where, None, message)],
        )
    created = model is None
    if model is None:
        model = ProcessModel(
            id=found.model_id,
            case_process=primary,
            call_process=None,
            case_start_data=[],
            call_start_data=[],
            messages=[],
            lane_roles={},
            created_by=user.username,
            created_at=now,
        )
        session.add(model)
    elif primary and _current(session, model.id) is None:
        model.case_process = primary  # a deployed version's contract stays as it is
    model.names = {"en": found.display_name}
    model.descriptions = {"en": found.description} if found.description else {}
    model.group_path = found.group_path
    model.spiffarena_metadata = found.metadata
    model.updated_by = user.username
    model.updated_at = now
    session.flush()
    draft = session.scalar(
        select(ProcessDraft).where(
            ProcessDraft.model_id == model.id, ProcessDraft.title == IMPORT_TITLE
        )
    )
    if draft is None:
        draft = ProcessDraft(
            model=model, title=IMPORT_TITLE, created_by=user.username, created_at=now
        )
        session.add(draft)
    draft.files = dict(found.files)
    draft.updated_by = user.username
    draft.updated_at = now
    session.flush()
    return ImportedModel(
        path=found.path,
        model_id=model.id,
        name=found.display_name,
        draft_id=draft.id,
        created=created,
        found=problems,
    )


def _alongside(files: Mapping[int, tuple[str, Mapping[str, str]]], draft_id: int) -> dict[str, str]:
    """The BPMN files of the other drafts (draft id -> (model id, files)), as
    deployed_elsewhere names deployed ones; not the files kept under spiffarena/."""
    return {
        f"{model_id}/{name}": text
        for other, (model_id, bundle) in files.items()
        if other != draft_id
        for name, text in bundle.items()
        if name.endswith(".bpmn") and "/" not in name
    }


def _imported(session: Session, model: ProcessModel) -> bool:
    """The model came from a SpiffArena import (so an import may update it)."""
    if model.spiffarena_metadata is not None:
        return True
    draft = select(ProcessDraft.id).where(
        ProcessDraft.model_id == model.id, ProcessDraft.title == IMPORT_TITLE
    )
    return session.scalar(draft.limit(1)) is not None


def _current(session: Session, model_id: str) -> ProcessVersion | None:
    return session.scalar(
        select(ProcessVersion).where(ProcessVersion.model_id == model_id, ProcessVersion.is_current)
    )


def deploy_checked_drafts(
    session: Session, draft_ids: list[int], user: User
) -> dict[int, list[Problem]]:
    """Deploy every listed draft the check finds no error in, each in a savepoint of its own;
    draft id -> the errors that kept it back (empty: deployed). Called models go first (a
    caller's bundle holds every file its callees' bundles take from other models, and theirs),
    so that each caller finds the versions deployed with it; a draft refused because another
    of the batch was not deployed yet (the thrower of a message it waits for) is tried again
    after the others, as long as a round deploys something."""
    outcome: dict[int, list[Problem]] = {}
    waiting = [d for d in (session.get(ProcessDraft, i) for i in draft_ids) if d is not None]
    waiting.sort(key=lambda d: len(read_manifest(d.files).get("called") or {}))
    batch = {draft.id: (draft.model_id, dict(draft.files)) for draft in waiting}
    while waiting:
        refused = [
            draft for draft in waiting if not _deploy_one(session, draft, batch, user, outcome)
        ]
        if len(refused) == len(waiting):
            break
        waiting = refused
    return outcome


def _deploy_one(
    session: Session,
    draft: ProcessDraft,
    batch: Mapping[int, tuple[str, Mapping[str, str]]],
    user: User,
    outcome: dict[int, list[Problem]],
) -> bool:
    refresh_called(session, draft)
    alongside = _alongside(batch, draft.id)
    errors = [problem for problem in check_draft(session, draft, alongside) if problem.is_error]
    if not errors:
        try:
            with session.begin_nested():
                deploy_draft(session, draft, user, alongside)
        except BundleRefused as refused:
            errors = refused.problems or [
                Problem(draft.model_id, None, "the deploy refused it without a reason")
            ]
    outcome[draft.id] = errors
    return not errors


def refresh_called(session: Session, draft: ProcessDraft) -> bool:
    """Take the processes an imported draft calls from the called models' current versions
    (the import took them from the upload): when every model it calls is deployed, the draft's
    own files are imported again against them. True when the draft changed."""
    manifest = read_manifest(draft.files)
    called = manifest.get("called") or {}
    path = manifest.get("path")
    metadata = draft.model.spiffarena_metadata
    if not called or not isinstance(path, str) or metadata is None:
        return False
    deployed = deployed_tree(session)
    folders = {dirname(str(source)) for source in called.values()}
    if not all(f"{folder}/{MODEL_FILE}" in deployed for folder in folders):
        return False
    own = ExportedModel(draft.files, path, draft.model.name_in("en"), "", metadata=metadata)
    try:
        tree: dict[str, bytes | str] = dict(export_tree([own]))
    except BundleRefused:
        return False
    found = [m for m in import_repository(tree, deployed=deployed) if m.path == path]
    if len(found) != 1 or found[0].errors or found[0].files == draft.files:
        return False
    draft.files = dict(found[0].files)
    session.flush()
    return True


def exported_models(session: Session, group: str = "") -> list[ExportedModel]:
    """The current version of every model in ``group`` (a path; '' for all) to export."""
    rows = session.execute(
        select(ProcessModel, ProcessVersion)
        .join(ProcessVersion, ProcessVersion.model_id == ProcessModel.id)
        .where(ProcessVersion.is_current)
        .order_by(ProcessModel.id)
    ).all()
    return [
        ExportedModel(
            files=dict(version.files),
            folder=spiffarena_path(model, version.files),
            display_name=model.name_in("en"),
            primary_process_id=model.case_process,
            description=model.description_in("en"),
            metadata=model.spiffarena_metadata,
        )
        for model, version in rows
        if not group
        or f"{spiffarena_path(model, version.files)}/".startswith(f"{group.strip('/')}/")
    ]


def spiffarena_path(model: ProcessModel, files: dict[str, str]) -> str:
    """Where a model goes in SpiffArena's layout: the path it was imported from, else its
    group path and the last part of its id."""
    kept = read_manifest(files).get("path")
    if isinstance(kept, str) and kept:
        return kept
    leaf = model.id.rsplit("/", 1)[-1]
    return f"{model.group_path}/{leaf}" if model.group_path else model.id


def deployed_tree(session: Session) -> dict[str, bytes | str]:
    """The SpiffArena layout of every imported model's current version: call activities of
    a new import may call into them."""
    models = [model for model in exported_models(session) if model.metadata is not None]
    entries: dict[str, bytes | str] = {}
    for model in models:
        try:
            entries.update(export_tree([model]))
        except BundleRefused:
            continue
    return entries


def spiffarena_version_zip(version: ProcessVersion) -> bytes:
    """A zip of one version in SpiffArena's layout, in its model's folder."""
    model = version.model
    exported = ExportedModel(
        files=dict(version.files),
        folder=spiffarena_path(model, version.files),
        display_name=model.name_in("en"),
        primary_process_id=model.case_process,
        description=model.description_in("en"),
        metadata=model.spiffarena_metadata,
    )
    return zip_entries(export_tree([exported]))


def export_group_zip(session: Session, group: str = "") -> bytes:
    """A zip of the current versions of the models of ``group`` in SpiffArena's layout."""
    return zip_entries(export_tree(exported_models(session, group)))
