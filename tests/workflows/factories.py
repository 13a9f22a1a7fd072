"""Process models for the engine tests: the shipped model's contract, or another."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from workflows.models import ProcessModel

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
