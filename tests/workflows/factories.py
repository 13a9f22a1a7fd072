"""Process models for the engine tests: the shipped model's contract, or another."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from workflows.bundles import content_hash
from workflows.models import Clock, ProcessModel, ProcessVersion, WorkflowInstance

SHIPPED_MODEL = json.loads(
    (Path(__file__).resolve().parents[2] / "bpmn" / "model.json").read_text("utf-8")
)


def process_model(
    session: Session, model_id: str = SHIPPED_MODEL["id"], **contract: Any
) -> ProcessModel:
    """The model ``model_id``: created with the shipped model's contract, or with ``contract``
    (case_process=..., call_process=..., case_start_data=..., ...) when given."""
    found = session.get(ProcessModel, model_id)
    if found is not None:
        return found
    definition = {**SHIPPED_MODEL} if not contract else {"names": {"en": model_id}, **contract}
    now = datetime.now(UTC)
    model = ProcessModel(
        id=model_id,
        names=definition["names"],
        descriptions={},
        case_process=definition["case_process"],
        call_process=definition.get("call_process"),
        case_start_data=list(definition.get("case_start_data", [])),
        call_start_data=list(definition.get("call_start_data", [])),
        messages=list(definition.get("messages", [])),
        created_by="test",
        created_at=now,
        updated_by="test",
        updated_at=now,
    )
    session.add(model)
    session.flush()
    return model


BPMN = Path(__file__).resolve().parents[2] / "bpmn"
# The start data the shipped call process reads.
CALL_DATA = {
    "call_key": "test-call",
    "idea_deadline": "2021-04-15T16:15:00+03:00",
    "application_deadline": "2021-06-02T16:15:00+03:00",
    "budget_total": 7_000_000,
    "reserved_total": 1_000_000,
    "webinar": {"title": "Webinar", "starts_at": "2021-04-20T12:30:00+03:00"},
}


def start_call(session: Session, clock: Clock, key: str = "test-call") -> WorkflowInstance:
    """An instance of the shipped call process on ``clock``, in the group ``key``."""
    from workflows.bundles import deploy_bundle, read_bundle
    from workflows.engine import start_instance
    from workflows.services import SYSTEM

    version, _ = deploy_bundle(
        session,
        read_bundle(BPMN),
        model=process_model(session, "t"),
        deployed_by="test",
        now=datetime.now(UTC),
    )
    return start_instance(
        session,
        version,
        "funding_call",
        data=CALL_DATA | {"call_key": key},
        clock=clock,
        group_key=key,
        correlation_key=f"call:{key}",
        actor=SYSTEM,
    )


def case_process_version(
    session: Session, process_id: str, files: dict[str, str]
) -> ProcessVersion:
    """A version of the model ``process_id`` whose case process is ``process_id`` (and no call
    process), holding ``files`` as they are: stored without the deploy's checks, flushed."""
    version = ProcessVersion(
        model=process_model(session, process_id, case_process=process_id, call_process=None),
        content_hash=content_hash(files),
        files=files,
        process_ids=[process_id],
        deployed_by="owner",
        deployed_at=datetime(2021, 3, 1, tzinfo=UTC),
    )
    session.add(version)
    session.flush()
    return version


def starter(
    session: Session, version: ProcessVersion, process_id: str, clock: Clock, *, keys: str = "case"
) -> Callable[..., int]:
    """``start(mode="fine")``: a new instance of ``process_id`` in the group "test-call" with
    ``{"mode": mode}`` as its data (what its test operators read), committed; its id. The
    instances are correlated as ``keys``-1, -2, ..."""
    from workflows.engine import start_instance
    from workflows.services import SYSTEM

    started: list[int] = []

    def start(mode: str = "fine") -> int:
        instance = start_instance(
            session,
            version,
            process_id,
            data={"mode": mode},
            clock=clock,
            group_key="test-call",
            correlation_key=f"{keys}-{len(started) + 1}",
            actor=SYSTEM,
        )
        session.commit()
        started.append(instance.id)
        return instance.id

    return start
