import warnings
from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError, SAWarning

from app import create_app
from app.extensions import db
from tests.workflows.test_models import STATE_COMPRESSION
from workflows.models import Base, lz4_compression_available

MIGRATIONS = str(Path(__file__).resolve().parents[1] / "migrations")


def test_migrations_build_exactly_the_schema_of_the_models(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection, warnings.catch_warnings():
            # Alembic compares no index on an expression (My tasks' (due_at IS NULL)): those
            # are checked by name below.
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
            warnings.filterwarnings("ignore", "autogenerate skipping", UserWarning)
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            indexes = _index_names(connection)
            refusal = _change_an_audit_event(connection)
            lz4 = lz4_compression_available(connection)
            compression = connection.scalar(STATE_COMPRESSION) if lz4 else None
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
    assert differences == []
    assert {i.name for t in Base.metadata.tables.values() for i in t.indexes} <= indexes
    assert "audit_events is append-only" in refusal
    if lz4:  # as the models make it (tests/workflows/test_models.py)
        assert compression == "l"


def _index_names(connection) -> set[str]:
    if connection.dialect.name == "sqlite":
        found = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'"))
    else:
        found = connection.execute(text("SELECT indexname FROM pg_indexes"))
    return set(found.scalars())


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


def test_a_case_of_before_is_filed_under_its_first_documents_number(database_url):
    """b5e2f8a1c3d7: a case whose documents were each numbered on their own keeps those
    numbers; its case number is its first document's, and its next document counts on after
    those it has. A case without documents has no number yet."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        flask_migrate.upgrade(directory=MIGRATIONS, revision="a4d7e1c9b2f3")
        with db.engine.begin() as connection:
            _two_cases_of_before(connection)
        flask_migrate.upgrade(directory=MIGRATIONS, revision="b5e2f8a1c3d7")
        with db.engine.connect() as connection:
            filed = [
                tuple(row)
                for row in connection.execute(
                    text("SELECT case_number, last_document_number FROM cases ORDER BY id")
                )
            ]
        with db.engine.begin() as connection:  # the migrations before would refuse them
            for table in ("documents", "cases", "calls", "clocks", "process_models"):
                connection.execute(text(f"DELETE FROM {table}"))
        flask_migrate.downgrade(directory=MIGRATIONS, revision="base")
        db.engine.dispose()
    assert filed == [("VN/1/2021", 3), (None, 0)]


def _two_cases_of_before(connection) -> None:
    now = "CURRENT_TIMESTAMP"
    connection.execute(
        text(
            "INSERT INTO process_models (id, names, descriptions, case_process, case_start_data,"
            " call_start_data, messages, created_by, created_at, updated_by, updated_at) VALUES"
            f" ('m', '{{}}', '{{}}', 'p', '[]', '[]', '[]', 't', {now}, 't', {now})"
        )
    )
    connection.execute(text("INSERT INTO clocks (id, name, rehearsal) VALUES (1, 'c', false)"))
    connection.execute(
        text(
            "INSERT INTO calls (id, key, title, config, kind, status, model_id, clock_id,"
            f" created_by, created_at) VALUES (1, 'c', 'C', '{{}}', 'call', 'draft', 'm', 1,"
            f" 't', {now})"
        )
    )
    for case_id in (1, 2):
        connection.execute(
            text(
                "INSERT INTO cases (id, call_id, language, regional_city_network, phase, closed,"
                f" created_by, created_at, updated_at) VALUES ({case_id}, 1, 'fi', false, 'p',"
                f" false, 't', {now}, {now})"
            )
        )
    # filed out of order of their ids: the first to arrive is the case's number
    for document_id, number, received in (
        (1, "VN/2/2021", "2021-04-20 09:00:00"),
        (2, "VN/1/2021", "2021-03-16 09:00:00"),
        (3, "VN/4/2021", "2021-06-01 09:00:00"),
    ):
        connection.execute(
            text(
                "INSERT INTO documents (id, case_id, kind, outgoing, registry_number,"
                f" received_at, data, sent_by) VALUES ({document_id}, 1, 'k', false,"
                f" '{number}', '{received}', '{{}}', 't')"
            )
        )
