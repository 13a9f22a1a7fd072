from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app import create_app
from app.extensions import db
from workflows.models import Base

MIGRATIONS = str(Path(__file__).resolve().parents[1] / "migrations")


def test_migrations_build_exactly_the_schema_of_the_models(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            refusal = _change_an_audit_event(connection)
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
    assert differences == []
    assert "audit_events is append-only" in refusal


def _change_an_audit_event(connection) -> str:
    connection.execute(
        text(
            "INSERT INTO audit_events (at, actor, kind, summary, data) "
            "VALUES (CURRENT_TIMESTAMP, 'test', 'test', 'test', '{}')"
        )
    )
    connection.commit()
    try:
        connection.execute(text("UPDATE audit_events SET summary = 'rewritten'"))
    except DBAPIError as refused:
        connection.rollback()
        return str(refused)
    connection.rollback()
    return "the update went through"
