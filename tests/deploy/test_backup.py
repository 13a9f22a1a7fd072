"""The backup and restore drill of the README, on PostgreSQL: deploy/backup.sh saves a
database with a case and an attachment, deploy/restore.sh brings both back into a new database
and upload folder, and the app finds the case and the file there."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import create_app
from app.attachments.models import Attachment
from app.attachments.operations import attach_files
from app.auth.models import User
from app.calls.models import Call
from app.cases.models import Case
from app.cases.operations import start_case
from app.demo import setup_demo
from app.extensions import db
from tests.deploy.processes import ROOT

BPMN = ROOT / "bpmn"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def restored_url(database_url: str) -> Iterator[str]:
    """A new, empty database beside the test database; dropped afterwards."""
    if not database_url.startswith("postgresql"):
        pytest.skip("pg_dump and pg_restore: PostgreSQL (GRANTFLOW_TEST_DATABASE_URL)")
    source = make_url(database_url)
    name = f"{source.database}_restored"
    admin = source.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield source.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_case_with_attachment(app) -> int:
    """The demo applicant's case with plan.pdf attached; its id."""
    with app.app_context():
        setup_demo(db.session, BPMN)
        user = db.session.scalar(select(User).where(User.username == "applicant"))
        call = db.session.scalar(select(Call).where(Call.key == "regional-networks-2021"))
        case = start_case(db.session, call, user)
        folder = Path(app.config["UPLOAD_FOLDER"])
        attach_files(db.session, case, [("plan.pdf", io.BytesIO(PDF))], user, folder)
        db.session.commit()
        return case.id


def script(name: str, folder: Path, database_url: str, uploads: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url}
    env["GRANTFLOW_UPLOAD_FOLDER"] = str(uploads)
    done = subprocess.run(
        [str(ROOT / "deploy" / name), str(folder)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_a_backup_restored_into_a_new_database_has_the_case_and_its_file(
    app, database_url, restored_url, tmp_path
):
    case_id = make_case_with_attachment(app)
    backup = tmp_path / "backup"
    script("backup.sh", backup, database_url, Path(app.config["UPLOAD_FOLDER"]))
    assert sorted(p.name for p in backup.iterdir()) == [
        "SHA256SUMS",
        "database.dump",
        "uploads.tar.gz",
    ]

    restored_uploads = tmp_path / "restored-uploads"
    script("restore.sh", backup, restored_url, restored_uploads)

    restored = create_app(
        {"SQLALCHEMY_DATABASE_URI": restored_url, "SECRET_KEY": "x"}
        | {"UPLOAD_FOLDER": str(restored_uploads)}
    )
    with restored.app_context():
        case = db.session.get_one(Case, case_id)
        assert (case.created_by, case.call.key) == ("applicant", "regional-networks-2021")
        assert case.instance is not None
        [attachment] = db.session.scalars(select(Attachment)).all()
        assert (attachment.case_id, attachment.original_name) == (case.id, "plan.pdf")
        assert (restored_uploads / attachment.stored_name).read_bytes() == PDF
    with restored.app_context():
        db.engine.dispose()


def test_restore_refuses_a_database_that_is_not_empty(app, database_url, tmp_path, restored_url):
    make_case_with_attachment(app)
    backup = tmp_path / "backup"
    script("backup.sh", backup, database_url, Path(app.config["UPLOAD_FOLDER"]))
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url}
    env["GRANTFLOW_UPLOAD_FOLDER"] = str(tmp_path / "elsewhere")
    done = subprocess.run(
        [str(ROOT / "deploy" / "restore.sh"), str(backup)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "the database already has tables" in done.stderr
