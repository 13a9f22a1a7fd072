"""The demo: the 2021 call from the press release and one account per role. Idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.auth.operations import create_organisation, create_user
from app.calls.models import BUNDLE
from app.calls.operations import setup_call
from app.processes.checks import KNOWN_ROLES, START_DATA
from workflows import SYSTEM, deploy_bundle, read_bundle, wall_now
from workflows.models import ProcessVersion

DEMO_PASSWORD = "demo"
DEMO_ORGANISATIONS = [
    {
        "name": "City of Tampere",
        "org_type": "municipality",
        "region": "Pirkanmaa",
        "municipality": "Tampere",
    },
    {
        "name": "Leader Pohjoisin Lappi",
        "org_type": "leader_group",
        "region": "Lapland",
        "municipality": "Inari",
    },
]
# username, display name, roles, organisation index
DEMO_USERS = [
    ("applicant", "Anna Applicant", ("applicant",), 0),
    ("applicant2", "Aaro Applicant (another organisation)", ("applicant",), 1),
    ("specialist", "Petra Specialist", ("specialist",), None),
    ("evaluator", "Eero Evaluator", ("specialist",), None),
    ("decision_maker", "Daniel Decision Maker", ("decision_maker",), None),
    ("process_owner", "Paula Process Owner", ("process_owner",), None),
    ("admin", "Alex Admin", ("admin",), None),
]


def deploy_folder(session: Session, folder: Path, deployed_by: str) -> tuple[ProcessVersion, bool]:
    return deploy_bundle(
        session,
        read_bundle(folder),
        bundle=BUNDLE,
        deployed_by=deployed_by,
        now=wall_now(),
        known_roles=KNOWN_ROLES,
        start_data=START_DATA,
    )


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
    """Deploy the process files, load the demo accounts and the demo call; say what changed."""
    said = []
    version, created = deploy_folder(session, bpmn_folder, SYSTEM.username)
    said.append(
        f"process version {version.content_hash[:12]} "
        + ("deployed" if created else "already deployed")
    )
    said.append(f"{load_demo_accounts(session)} demo account(s) created")
    for path in sorted((bpmn_folder / "calls").glob("*.json")):
        try:
            call, created = setup_call(session, json.loads(path.read_text("utf-8")), actor=SYSTEM)
        except (ValueError, ValidationError) as err:
            raise ValueError(f"{path.name}: {err}") from err
        said.append(f"call {call.key} " + ("set up" if created else "already set up"))
    return said
