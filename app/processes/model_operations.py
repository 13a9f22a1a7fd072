"""Writes on process models: create one (with a first draft), change its names or contract.

A contract change is refused when a version in use would break it (the current one, or one a
call pins) or when a call of the model could not give the start data it asks for. Operations
flush; the view commits once.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.auth.models import ROLES, User
from app.calls.models import Call
from app.calls.start_data import CASE_DATA, PHASE_DEADLINE, call_values, is_known, missing
from app.forms.validate import validate_form
from app.processes.model_schema import model_data, model_schema
from app.processes.models import ProcessDraft
from app.processes.starter import starter_files
from workflows import Contract, contract_problems, wall_now
from workflows.audit import record_event
from workflows.models import ProcessModel, ProcessVersion


class ModelRefused(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("\n".join(f"{path or '-'}: {message}" for path, message in errors.items()))
        self.errors = errors


def contract_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The model's columns from the form's data: phase deadlines go to both start data."""
    deadlines = [f"{phase}_deadline" for phase in data.get("phase_deadlines") or []]
    case_data = list(dict.fromkeys([*(data.get("case_start_data") or []), *deadlines]))
    call_process = (data.get("call_process") or "").strip() or None
    call_data = list(dict.fromkeys([*(data.get("call_start_data") or []), *deadlines]))
    return {
        "names": {k: v for k, v in (data.get("names") or {}).items() if v},
        "descriptions": {k: v for k, v in (data.get("descriptions") or {}).items() if v},
        "case_process": data["case_process"].strip(),
        "call_process": call_process,
        "case_start_data": case_data,
        "call_start_data": call_data if call_process else [],
        "messages": [m.strip() for m in data.get("messages") or [] if m.strip()],
    }


def check_model(
    session: Session, data: dict[str, Any], model: ProcessModel | None = None
) -> dict[str, str]:
    errors = validate_form(model_schema(new=model is None), data)
    if errors:
        return errors
    if model is None and session.get(ProcessModel, data["id"]) is not None:
        return {"id": _("There is already a process model “%(id)s”.", id=data["id"])}
    fields = contract_fields(data)
    if fields["call_process"] == fields["case_process"]:
        return {"call_process": _("The call process must be another process than the case's.")}
    unknown = [n for n in fields["case_start_data"] if not is_known(n, case=True)]
    if unknown:
        return {"case_start_data": _("Unknown start data: %(names)s.", names=", ".join(unknown))}
    if model is not None:
        errors |= _versions_in_use_keep(session, model, fields)
        errors |= _calls_give(session, model, fields)
    return errors


def _contract(fields: dict[str, Any]) -> Contract:
    return Contract(
        case_process=fields["case_process"],
        call_process=fields["call_process"],
        case_start_data=frozenset(fields["case_start_data"]),
        call_start_data=frozenset(fields["call_start_data"]),
        messages=tuple(fields["messages"]),
    )


def _versions_in_use_keep(
    session: Session, model: ProcessModel, fields: dict[str, Any]
) -> dict[str, str]:
    """The current version, and every version a call pins, must keep the new contract."""
    pinned = select(Call.version_id).where(Call.model_id == model.id, Call.discarded_at.is_(None))
    versions = session.scalars(
        select(ProcessVersion).where(
            ProcessVersion.model_id == model.id,
            or_(ProcessVersion.is_current, ProcessVersion.id.in_(pinned)),
        )
    ).all()
    contract = _contract(fields)
    for version in versions:
        problems = contract_problems(version.files, contract)
        if problems:
            return {
                "": _(
                    "Version %(version)s, which cases use, would break this contract: %(problem)s",
                    version=version.content_hash[:12],
                    problem=str(problems[0]),
                )
            }
    return {}


def _calls_give(session: Session, model: ProcessModel, fields: dict[str, Any]) -> dict[str, str]:
    """Every call of the model gives the start data the new contract asks for."""
    calls = session.scalars(
        select(Call).where(
            Call.model_id == model.id,
            Call.kind != "standing",
            Call.status != "archived",
            Call.discarded_at.is_(None),
        )
    ).all()
    needs = (set(fields["case_start_data"]) - set(CASE_DATA)) | set(fields["call_start_data"])
    for call in calls:
        lacking = missing(needs, call_values(call.key, call.config))
        if lacking:
            deadlines = [n for n in lacking if PHASE_DEADLINE.match(n)]
            path = "phase_deadlines" if deadlines else "case_start_data"
            return {
                path: _(
                    "The call %(call)s does not give %(names)s: change the call first.",
                    call=call.key,
                    names=", ".join(lacking),
                )
            }
    return {}


def create_model(session: Session, data: dict[str, Any], user: User) -> ProcessDraft:
    """A new process model and its first draft (the starter process); returns the draft."""
    errors = check_model(session, data)
    if errors:
        raise ModelRefused(errors)
    now = wall_now()
    fields = contract_fields(data)
    model = ProcessModel(
        id=data["id"],
        **fields,
        created_by=user.username,
        created_at=now,
        updated_by=user.username,
        updated_at=now,
    )
    session.add(model)
    draft = ProcessDraft(
        model=model,
        title=_("First version"),
        files=starter_files(model.case_process, model.name_in("en"), data["starting_role"]),
        created_by=user.username,
        created_at=now,
        updated_by=user.username,
        updated_at=now,
    )
    session.add(draft)
    record_event(
        session,
        actor=user.username,
        kind="process_model_created",
        summary=f"Created the process model {model.id}",
        data={"model": model.id, **fields},
    )
    session.flush()
    return draft


def update_model(session: Session, model: ProcessModel, data: dict[str, Any], user: User) -> None:
    data = {**data, "id": model.id}
    errors = check_model(session, data, model)
    if errors:
        raise ModelRefused(errors)
    before = model_data(model)
    for name, value in contract_fields(data).items():
        setattr(model, name, value)
    model.updated_by = user.username
    model.updated_at = wall_now()
    after = model_data(model)
    record_event(
        session,
        actor=user.username,
        kind="process_model_changed",
        summary=f"Changed the process model {model.id}",
        data={
            "model": model.id,
            "changes": {
                k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]
            },
        },
    )
    session.flush()


def load_model(
    session: Session, definition: dict[str, Any], actor: str
) -> tuple[ProcessModel, bool]:
    """A model from a model.json definition (the shipped model); (model, created). A model
    already there takes the definition's names and contract, checked as an edit would be
    (ModelRefused when a version in use or a call of the model could not keep it)."""
    found = session.get(ProcessModel, definition["id"])
    if found is not None:
        _sync_model(session, found, definition, actor)
        return found, False
    now = wall_now()
    model = ProcessModel(
        id=definition["id"],
        names=definition.get("names", {}),
        descriptions=definition.get("descriptions", {}),
        case_process=definition["case_process"],
        call_process=definition.get("call_process"),
        case_start_data=list(definition.get("case_start_data", [])),
        call_start_data=list(definition.get("call_start_data", [])),
        messages=list(definition.get("messages", [])),
        created_by=actor,
        created_at=now,
        updated_by=actor,
        updated_at=now,
    )
    session.add(model)
    session.flush()
    return model, True


def _sync_model(
    session: Session, model: ProcessModel, definition: dict[str, Any], actor: str
) -> None:
    fields = {
        "names": definition.get("names", {}),
        "descriptions": definition.get("descriptions", {}),
        "case_process": definition["case_process"],
        "call_process": definition.get("call_process"),
        "case_start_data": list(definition.get("case_start_data", [])),
        "call_start_data": list(definition.get("call_start_data", [])),
        "messages": list(definition.get("messages", [])),
    }
    if all(getattr(model, name) == value for name, value in fields.items()):
        return
    errors = _versions_in_use_keep(session, model, fields) | _calls_give(session, model, fields)
    if errors:
        raise ModelRefused(errors)
    for name, value in fields.items():
        setattr(model, name, value)
    model.updated_by = actor
    model.updated_at = wall_now()
    record_event(
        session,
        actor=actor,
        kind="process_model_changed",
        summary=f"Loaded the process model {model.id} from its model.json",
        data={"model": model.id},
    )
    session.flush()


def set_lane_roles(
    session: Session, model: ProcessModel, lanes: list[str], chosen: dict[str, str], user: User
) -> None:
    """Map each of ``lanes`` to the role ``chosen`` for it; a lane chosen no role is the role
    its name says ('Decision maker' -> decision_maker). Mappings of lanes not on the page are
    kept. Raises ModelRefused naming a lane given something that is no role."""
    errors = {
        lane: _("Choose one of the roles.")
        for lane in lanes
        if chosen.get(lane, "") not in ("", *ROLES)
    }
    if errors:
        raise ModelRefused(errors)
    before = dict(model.lane_roles or {})
    after = {lane: role for lane, role in before.items() if lane not in lanes}
    after.update({lane: chosen[lane] for lane in lanes if chosen.get(lane)})
    if after == before:
        return
    model.lane_roles = after
    model.updated_by = user.username
    model.updated_at = wall_now()
    record_event(
        session,
        actor=user.username,
        kind="process_model_lanes_changed",
        summary=f"Changed the roles of the lanes of {model.id}",
        data={"model": model.id, "from": before, "to": after},
    )
    session.flush()
