"""The demo: the shipped process model, one account per role, the 2021 call of the press release
on its rehearsal clock, and the 2022 round copied from it on a clock of its own. Idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.auth.operations import create_organisation, create_user
from app.calls.operations import (
    SettingsRefused,
    copied_data,
    create_call,
    publish_call,
    setup_call,
)
from app.calls.queries import get_call_by_key
from app.processes.model_operations import load_model
from app.processes.operations import deploy_files
from workflows import SYSTEM, read_bundle
from workflows.models import ProcessModel, ProcessVersion

DEMO_PASSWORD = "demo"
DEMO_CALL = "regional-networks-2021"
COPIED_CALL = "regional-networks-2022"
DEMO_ORGANISATIONS = [
    {
        "name": "City of Tampere",
        "org_type": "municipality",
        "region": "06",  # Pirkanmaa (Statistics Finland's codes, app/reference)
        "municipality": "837",  # Tampere
        "business_id": "1234567-1",  # made up, with a valid check digit
    },
    {
        "name": "Leader Pohjoisin Lappi",
        "org_type": "leader_group",
        "region": "19",  # Lappi
        "municipality": "148",  # Inari
        "business_id": "7654321-2",
    },
]
# username, display name, roles, organisation index
DEMO_USERS = [
    ("applicant", "Anna Applicant", ("applicant",), 0),
    ("applicant2", "Aaro Applicant (another organisation)", ("applicant",), 1),
    ("specialist", "Petra Specialist", ("specialist",), None),
    ("evaluator", "Eero Evaluator", ("specialist",), None),
    ("evaluator2", "Eila Evaluator (reserve)", ("specialist",), None),
    ("decision_maker", "Daniel Decision Maker", ("decision_maker",), None),
    ("process_owner", "Paula Process Owner", ("process_owner",), None),
    ("admin", "Alex Admin", ("admin",), None),
]


def load_folder_model(session: Session, folder: Path) -> ProcessModel:
    """The process model a folder describes in its model.json (created when missing)."""
    definition = json.loads((folder / "model.json").read_text("utf-8"))
    model, _created = load_model(session, definition, SYSTEM.username)
    return model


def deploy_folder(session: Session, folder: Path, deployed_by: str) -> tuple[ProcessVersion, bool]:
    """Deploy a folder's process files as a version of its model (model.json)."""
    model = load_folder_model(session, folder)
    return deploy_files(session, read_bundle(folder), model, deployed_by)


def load_demo_accounts(session: Session) -> int:
    organisations = []
    for spec in DEMO_ORGANISATIONS:
        found = session.scalar(select(Organisation).where(Organisation.name == spec["name"]))
        organisations.append(found or create_organisation(**spec))
    created = 0
    for username, display_name, roles, org_index in DEMO_USERS:
        if session.scalar(select(User).where(User.username == username)) is not None:
            continue
        create_user(
            username=username,
            password=DEMO_PASSWORD,
            display_name=display_name,
            email=f"{username}@demo.grantflow.example",
            roles=roles,
            organisation=organisations[org_index] if org_index is not None else None,
        )
        created += 1
    session.flush()
    return created


def setup_demo(session: Session, bpmn_folder: Path) -> list[str]:
    """Deploy the process files, load the demo accounts and the demo calls; say what changed."""
    said = []
    version, created = deploy_folder(session, bpmn_folder, SYSTEM.username)
    said.append(
        f"process model {version.model_id}: version {version.content_hash[:12]} "
        + ("deployed" if created else "already deployed")
    )
    said.append(f"{load_demo_accounts(session)} demo account(s) created")
    for path in sorted((bpmn_folder / "calls").glob("*.json")):
        try:
            call, created = setup_call(session, json.loads(path.read_text("utf-8")), actor=SYSTEM)
        except SettingsRefused as refused:
            raise ValueError(f"{path.name}: {refused}") from refused
        said.append(f"call {call.key} " + ("set up" if created else "already set up"))
    said.append(copy_demo_call(session))
    return said


def copy_demo_call(session: Session) -> str:
    """The 2022 round: the 2021 call copied one year on, as a process owner would copy it."""
    if get_call_by_key(session, COPIED_CALL) is not None:
        return f"call {COPIED_CALL} already set up"
    source = get_call_by_key(session, DEMO_CALL)
    if source is None:
        return f"call {COPIED_CALL} not copied: there is no {DEMO_CALL}"
    call = create_call(session, copied_data(source, years=1), SYSTEM)
    publish_call(session, call, SYSTEM)
    return f"call {call.key} copied from {DEMO_CALL} and set up"
