"""audit log append-only: the database refuses UPDATE and DELETE on audit_events

Revision ID: 8016846e073c
Revises: 7fc2a9b17c62
Create Date: 2026-11-29 06:36:00.071365

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "8016846e073c"
down_revision = "7fc2a9b17c62"
branch_labels = None
depends_on = None

UPGRADE = {
    "sqlite": [
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
        "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
        "FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    ],
}
DOWNGRADE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_events_no_update",
        "DROP TRIGGER IF EXISTS audit_events_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
        "DROP FUNCTION IF EXISTS audit_events_append_only()",
    ],
}


def upgrade():
    for statement in UPGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DOWNGRADE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
