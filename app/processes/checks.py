"""How process files are checked here: lanes must be roles, and a draft must keep its model's
contract with the application (the processes it names, the start data it gives, the messages
its calls send), for every call that starts its cases on the model's current version."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.auth.models import ROLES
from app.calls.queries import bound_calls
from app.processes.models import ProcessDraft
from workflows import Contract, Problem
from workflows.bundles import check_bundle, deployed_elsewhere

KNOWN_ROLES = frozenset(ROLES)


def check_draft(
    session: Session,
    draft: ProcessDraft,
    alongside: Mapping[str, str] | None = None,
    deployed: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Problem]:
    """Every problem of the draft's files, errors and warnings, as a deploy would check them.
    ``alongside``: BPMN files of models deployed together with it ("<model id>/<file>"), whose
    messages count as the deployed models' do; ``deployed``: the deployed ones, when the caller
    checks many drafts against them (workflows.bundles.deployed_bpmn)."""
    return check_bundle(
        dict(draft.files),
        known_roles=KNOWN_ROLES,
        lane_roles=draft.model.lane_roles,
        deployed={
            **deployed_elsewhere(session, draft.model_id, deployed),
            **(alongside or {}),
        },
        contract=Contract.of(draft.model),
        bound=bound_calls(session, draft.model_id),
    )
