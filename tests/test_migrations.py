from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
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


def test_organisations_get_a_unique_business_id_and_their_typed_places_become_codes(
    database_url,
):
    """a4d7e1c9b2f3: regions and municipalities typed as names (in any language) become
    Statistics Finland's 2021 codes; a name it does not know stays as typed. Business IDs
    are unique, and the organisations of before have none. Downgrading names the codes in
    Finnish."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade(directory=MIGRATIONS, revision="f1a2b3c4d5e6")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO organisations (name, org_type, region, municipality) VALUES "
                    "('Tampere', 'municipality', 'Pirkanmaa', 'Tampere'), "
                    "('Leader', 'leader_group', 'Lapland', 'inari'), "
                    "('Turku', 'municipality', 'Egentliga Finland', 'Åbo'), "
                    "('Council', 'organisation', 'Birkaland', NULL), "
                    "('Other', 'organisation', 'Region X', 'M1')"
                )
            )
        flask_migrate.upgrade(directory=MIGRATIONS, revision="a4d7e1c9b2f3")
        with db.engine.begin() as connection:
            upgraded = _places(connection)
            connection.execute(
                text("UPDATE organisations SET business_id = '0245442-8' WHERE id = 1")
            )
        duplicate = _duplicate_business_id(db.engine)
        flask_migrate.downgrade(directory=MIGRATIONS, revision="f1a2b3c4d5e6")
        with db.engine.connect() as connection:
            downgraded = _places(connection)
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
    assert upgraded == [
        ("06", "837", None),
        ("19", "148", None),
        ("02", "853", None),
        ("06", None, None),
        ("Region X", "M1", None),
    ]
    assert "business_id" in duplicate  # the unique constraint's name, or its column
    assert downgraded == [
        ("Pirkanmaa", "Tampere"),
        ("Lappi", "Inari"),
        ("Varsinais-Suomi", "Turku"),
        ("Pirkanmaa", None),
        ("Region X", "M1"),
    ]


def _places(connection) -> list[tuple]:
    columns = "region, municipality" + (
        ", business_id" if "business_id" in _columns(connection) else ""
    )
    return [
        tuple(row)
        for row in connection.execute(text(f"SELECT {columns} FROM organisations ORDER BY id"))
    ]


def _columns(connection) -> set[str]:
    return {column["name"] for column in inspect(connection).get_columns("organisations")}


def _duplicate_business_id(engine) -> str:
    with engine.connect() as connection:
        try:
            connection.execute(
                text("UPDATE organisations SET business_id = '0245442-8' WHERE id = 2")
            )
        except DBAPIError as refused:
            connection.rollback()
            return str(refused)
        connection.rollback()
    return "the duplicate went in"
