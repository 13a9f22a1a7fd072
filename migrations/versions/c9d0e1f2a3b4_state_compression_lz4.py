"""workflow state compressed with lz4 on PostgreSQL: a case's state, 15 KB and more of JSON
written on every save, costs PostgreSQL a fraction of the CPU to compress with lz4 that it
costs with the default pglz. Rows keep how they were stored until their next save.

PostgreSQL 14 and later built with lz4 only; elsewhere (and on SQLite) nothing changes.

Revision ID: c9d0e1f2a3b4
Revises: f4a5b6c7d8e9
Create Date: 2026-12-05 19:30:00

"""

from alembic import op

from workflows.models import STATE_COMPRESSION_LZ4, lz4_compression_available

# revision identifiers, used by Alembic.
revision = "c9d0e1f2a3b4"
down_revision = "f4a5b6c7d8e9"
branch_labels = None
depends_on = None


def upgrade():
    if lz4_compression_available(op.get_bind()):
        op.execute(STATE_COMPRESSION_LZ4)


def downgrade():
    if lz4_compression_available(op.get_bind()):
        op.execute("ALTER TABLE workflow_instances ALTER COLUMN state SET COMPRESSION default")
