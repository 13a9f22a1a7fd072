"""notices for audiences, drafts with their tasks: a notice is one row for its audience (a
person, a role of an organisation, or an organisation) with reads kept per person; a draft
belongs to its task's index row and goes with it

Revision ID: e9b4c5d6f7a8
Revises: d8a3b4c5e6f7
Create Date: 2026-12-04 18:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e9b4c5d6f7a8"
down_revision = "d8a3b4c5e6f7"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("notices_read_through", sa.Integer(), nullable=False, server_default="0")
        )

    op.create_table(
        "notice_reads",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("notice_id", "user_id"),
    )
    op.execute(
        "INSERT INTO notice_reads (notice_id, user_id, read_at) "
        "SELECT id, user_id, read_at FROM notices WHERE read_at IS NOT NULL"
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_user_read")
        batch_op.drop_column("read_at")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("role", sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_notices_organisation_id_organisations", "organisations", ["organisation_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_notice_audience",
            "user_id IS NOT NULL OR role IS NOT NULL OR organisation_id IS NOT NULL",
        )
        batch_op.create_index("ix_notices_user_id", ["user_id"], unique=False)
        batch_op.create_index("ix_notices_organisation_id", ["organisation_id"], unique=False)
        batch_op.create_index("ix_notices_role", ["role", "organisation_id"], unique=False)

    # A draft of a task that is no longer ready was never shown again: it goes now.
    op.execute(
        "DELETE FROM task_drafts WHERE NOT EXISTS (SELECT 1 FROM human_tasks "
        "WHERE human_tasks.instance_id = task_drafts.instance_id "
        "AND human_tasks.task_id = task_drafts.task_id)"
    )
    with op.batch_alter_table("task_drafts", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_task_drafts_human_task",
            "human_tasks",
            ["instance_id", "task_id"],
            ["instance_id", "task_id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("task_drafts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_task_drafts_human_task", type_="foreignkey")
    op.execute("DELETE FROM notices WHERE user_id IS NULL")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ix_notices_role")
        batch_op.drop_index("ix_notices_organisation_id")
        batch_op.drop_index("ix_notices_user_id")
        batch_op.drop_constraint("ck_notice_audience", type_="check")
        batch_op.drop_constraint("fk_notices_organisation_id_organisations", type_="foreignkey")
        batch_op.drop_column("organisation_id")
        batch_op.drop_column("role")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.add_column(sa.Column("read_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_notices_user_read", ["user_id", "read_at"], unique=False)
    op.drop_table("notice_reads")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("notices_read_through")
