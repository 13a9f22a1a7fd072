"""process drafts and rehearsal calls: drafts of process files; a call may pin a version and be
discarded (a rehearsal of a draft)

Revision ID: b3c1d2e4f5a6
Revises: 4a44b76192f2
Create Date: 2026-11-29 10:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b3c1d2e4f5a6"
down_revision = "4a44b76192f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "process_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["base_version_id"], ["process_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("process_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_process_drafts_bundle"), ["bundle"], unique=False)

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("discarded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_calls_version_id_process_versions", "process_versions", ["version_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint("fk_calls_version_id_process_versions", type_="foreignkey")
        batch_op.drop_column("discarded_at")
        batch_op.drop_column("version_id")

    with op.batch_alter_table("process_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_drafts_bundle"))

    op.drop_table("process_drafts")
