"""process models keep SpiffArena's group path, a lane-to-role mapping and the
process_model.json they were imported from

Revision ID: c1d2e3f4a5b6
Revises: b5e2f8a1c3d7
Create Date: 2026-12-05 00:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c1d2e3f4a5b6"
down_revision = "b5e2f8a1c3d7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("process_models", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("group_path", sa.String(length=500), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("lane_roles", sa.JSON(), nullable=False, server_default="{}"))
        batch_op.add_column(sa.Column("spiffarena_metadata", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("process_models", schema=None) as batch_op:
        batch_op.drop_column("spiffarena_metadata")
        batch_op.drop_column("lane_roles")
        batch_op.drop_column("group_path")
