"""process ids as long as SpiffArena's models write them: 255 characters for a model's case and
call process and an instance's process

Revision ID: f4a5b6c7d8e9
Revises: e3f4a5b6c7d8
Create Date: 2026-12-05 02:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f4a5b6c7d8e9"
down_revision = "e3f4a5b6c7d8"
branch_labels = None
depends_on = None

COLUMNS = [
    ("process_models", "case_process", False),
    ("process_models", "call_process", True),
    ("workflow_instances", "process_id", False),
]


def upgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=100),
                type_=sa.String(length=255),
                existing_nullable=nullable,
            )


def downgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=255),
                type_=sa.String(length=100),
                existing_nullable=nullable,
            )
