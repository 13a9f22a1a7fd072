"""How process files are checked here: with the roles that exist and the data the app starts
each process with, so a lane must be a role and a timer may read only names it will have."""

from __future__ import annotations

from app.auth.models import ROLES
from app.calls.operations import CALL_PROCESS, CALL_START_DATA
from app.cases.operations import APPLICATION_PROCESS, CASE_START_DATA
from app.processes.models import ProcessDraft
from workflows import Problem
from workflows.lint import check_bundle

KNOWN_ROLES = frozenset(ROLES)
START_DATA = {CALL_PROCESS: CALL_START_DATA, APPLICATION_PROCESS: CASE_START_DATA}


def check_draft(draft: ProcessDraft) -> list[Problem]:
    """Every problem of the draft's files, errors and warnings, as a deploy would check them."""
    return check_bundle(dict(draft.files), known_roles=KNOWN_ROLES, start_data=START_DATA)
