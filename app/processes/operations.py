"""Writes of the process workbench. Operations flush; the view commits once."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from app.auth.models import User
from app.calls.models import Call
from app.calls.operations import create_call, publish_call
from app.calls.queries import bound_calls
from app.cases.models import Case
from app.cases.operations import actor_of
from app.notifications.models import Notice
from app.processes.checks import KNOWN_ROLES
from app.processes.files import (
    FileRefused,
    Upload,
    check_file_name,
    check_text,
    decode,
    draft_path,
    is_bundle_file,
)
from app.processes.models import ProcessDraft
from workflows import BundleRefused, Problem, deploy_bundle, discard_instances, wall_now
from workflows.audit import record_event
from workflows.interop import find_models, import_bpmn_file, import_spiffarena, zip_tree
from workflows.models import ProcessModel, ProcessVersion

# The title of a rehearsal call in each language of the call it copies.
REHEARSAL_TITLES = {
    "en": "Rehearsal of “{draft}”: {title}",
    "fi": "Harjoitus luonnoksesta ”{draft}”: {title}",
    "sv": "Övning av utkastet ”{draft}”: {title}",
}


def create_draft(session: Session, version: ProcessVersion, user: User, title: str) -> ProcessDraft:
    """A draft starting from the files of a deployed version."""
    now = wall_now()
    draft = ProcessDraft(
        model_id=version.model_id,
        title=title.strip() or f"Changes to {version.content_hash[:12]}",
        files=dict(version.files),
        base_version=version,
        created_by=user.username,
        created_at=now,
        updated_by=user.username,
        updated_at=now,
    )
    session.add(draft)
    session.flush()
    return draft


def _touch(draft: ProcessDraft, user: User, files: dict[str, str]) -> None:
    draft.files = files  # a new dict: the JSON column sees the change
    draft.updated_by = user.username
    draft.updated_at = wall_now()


def save_draft_file(draft: ProcessDraft, path: str, text: str, user: User) -> None:
    """Store one file of a draft as given. A draft may be broken; deploy checks it."""
    check_file_name(path)
    check_text(path, text)
    _touch(draft, user, {**draft.files, path: text})


def remove_draft_file(draft: ProcessDraft, path: str, user: User) -> None:
    if path not in draft.files:
        raise FileRefused(_("The draft has no file “%(path)s”.", path=path))
    _touch(draft, user, {name: text for name, text in draft.files.items() if name != path})


def read_upload(filename: str, data: bytes, model: str | None = None) -> Upload:
    """Turn an uploaded file into draft files: one BPMN, DMN or JSON form file; or a zip of a
    grantflow bundle or of a SpiffArena process-model tree (`model` names the model to import
    when the tree has several). Raises FileRefused, naming what is wrong, for anything else."""
    lower = filename.lower()
    if lower.endswith(".zip"):
        return _read_zip(data, model)
    if not lower.endswith((".bpmn", ".dmn", ".json")):
        raise FileRefused(_("%(name)s: upload a .bpmn, .dmn, .json or .zip file.", name=filename))
    path = draft_path(filename)
    check_file_name(path)
    text = decode(filename, data)
    check_text(path, text)
    if path.endswith(".bpmn"):
        imported = import_bpmn_file(path, text)
        return _accepted(imported.files, imported.problems, replaces_all=False)
    return Upload({path: text})


def _read_zip(data: bytes, model: str | None) -> Upload:
    try:
        tree = zip_tree(data)
    except BundleRefused as refused:
        raise FileRefused("; ".join(str(p) for p in refused.problems)) from None
    models = find_models(tree)
    if models:
        paths = [found.path for found in models]
        if model is None and len(paths) == 1:
            model = paths[0]
        if model not in paths:
            raise FileRefused(
                _(
                    "The zip holds several SpiffArena process models; choose one of: %(models)s",
                    models=", ".join(paths),
                )
            )
        imported = import_spiffarena(tree, model)
        return _accepted(imported.files, imported.problems, replaces_all=True)
    files = {}
    for name, raw in tree.items():
        if is_bundle_file(name):
            check_file_name(name)
            files[name] = decode(name, raw if isinstance(raw, bytes) else raw.encode())
            check_text(name, files[name])
    if not any(name.endswith(".bpmn") for name in files):
        raise FileRefused(_("The zip holds no .bpmn file (nor a SpiffArena process_model.json)."))
    return Upload(files, replaces_all=True)


def _accepted(files: dict[str, str], problems: list[Problem], *, replaces_all: bool) -> Upload:
    errors = [p for p in problems if getattr(p, "severity", "error") == "error"]
    if errors:
        raise FileRefused("\n".join(str(p) for p in errors))
    return Upload(files, replaces_all=replaces_all, remarks=problems)


def apply_upload(draft: ProcessDraft, upload: Upload, user: User) -> None:
    files = dict(upload.files) if upload.replaces_all else {**draft.files, **upload.files}
    _touch(draft, user, files)


def deploy_files(
    session: Session,
    files: dict[str, str],
    model: ProcessModel,
    deployed_by: str,
    *,
    make_current: bool = True,
    alongside: Mapping[str, str] | None = None,
) -> tuple[ProcessVersion, bool]:
    """Check and store files as a version of ``model``: they must keep its contract, for the
    calls that start their cases on its current version too. ``alongside``: BPMN files of
    models deployed together with it (see workflows.bundles.deploy_bundle)."""
    return deploy_bundle(
        session,
        dict(files),
        model=model,
        deployed_by=deployed_by,
        now=wall_now(),
        known_roles=KNOWN_ROLES,
        bound=bound_calls(session, model.id) if make_current else (),
        make_current=make_current,
        alongside=alongside,
    )


def deploy_draft(
    session: Session, draft: ProcessDraft, user: User, alongside: Mapping[str, str] | None = None
) -> tuple[ProcessVersion, bool]:
    """Deploy the draft as the version new cases get; running cases stay on theirs. The draft
    is used up. Raises BundleRefused with every problem when the files are not valid."""
    version, created = deploy_files(
        session, draft.files, draft.model, user.username, alongside=alongside
    )
    record_event(
        session,
        actor=user.username,
        kind="process_deployed",
        summary=f"Deployed {draft.model_id} version {version.content_hash[:12]}",
        data={
            "version_id": version.id,
            "content_hash": version.content_hash,
            "draft": draft.title,
            "files": sorted(draft.files),
            "created": created,
        },
    )
    session.delete(draft)
    session.flush()
    return version, created


def make_version_current(session: Session, version: ProcessVersion, user: User) -> None:
    """New cases get this (earlier) version again: the way back after a deploy."""
    deploy_files(session, version.files, version.model, user.username)
    record_event(
        session,
        actor=user.username,
        kind="process_made_current",
        summary=f"New cases of {version.model_id} get version {version.content_hash[:12]} again",
        data={"version_id": version.id, "content_hash": version.content_hash},
    )


def start_rehearsal(session: Session, draft: ProcessDraft, source: Call | None, user: User) -> Call:
    """A rehearsal call of the draft on a rehearsal clock, pinned to the draft's files: the
    settings of ``source`` (a call) with its clock set two weeks before its first deadline, or,
    for a model that needs nothing from a call, none. Real calls are untouched."""
    version, _ = deploy_files(session, draft.files, draft.model, user.username, make_current=False)
    count = session.scalar(select(func.count()).select_from(Call).where(Call.kind == "rehearsal"))
    data: dict[str, Any] = copy.deepcopy(source.config) if source is not None else {}
    start = wall_now()
    if source is not None and source.first_deadline is not None:
        start = source.first_deadline - timedelta(days=14)
    data["key"] = f"rehearsal-{draft.id}-{(count or 0) + 1}"
    titles = source.config.get("title") or {} if source is not None else {}
    data["title"] = {
        language: REHEARSAL_TITLES[language].format(
            draft=draft.title, title=titles.get(language) or draft.model.name_in(language)
        )
        for language in REHEARSAL_TITLES
    }
    data["process_model"] = draft.model_id
    data["process_version"] = version.content_hash[:12]
    data["rehearsal_clock_start"] = start.isoformat()
    call = create_call(session, data, actor_of(user), kind="rehearsal", pin=version)
    publish_call(session, call, actor_of(user))
    record_event(
        session,
        actor=user.username,
        kind="rehearsal_started",
        summary=f"Rehearsal call {call.key} of draft “{draft.title}”",
        instance=call.instance,
        data={"call": call.key, "version_id": version.id, "draft_id": draft.id},
    )
    return call


def discard_rehearsal(session: Session, call: Call, user: User) -> None:
    """Throw a rehearsal call away: its tasks, timers and notices go; its cases and the call
    disappear from every list. The audit log keeps what happened (it is append-only)."""
    if call.kind != "rehearsal" or call.discarded_at is not None:
        raise ValueError(_("Only a running rehearsal of a draft can be discarded."))
    instance_ids = discard_instances(session, call.key)
    case_ids = select(Case.id).where(Case.call_id == call.id)
    session.execute(
        delete(Notice).where(
            or_(Notice.case_id.in_(case_ids), Notice.instance_id.in_(instance_ids))
        )
    )
    call.discarded_at = wall_now()
    record_event(
        session,
        actor=user.username,
        kind="rehearsal_discarded",
        summary=f"Rehearsal call {call.key} discarded",
        instance=call.instance,
        data={"call": call.key},
    )
    session.flush()
