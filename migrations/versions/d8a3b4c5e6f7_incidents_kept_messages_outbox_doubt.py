"""incidents, kept messages and their deliveries, at-most-once outbox: a failed automatic step
becomes an incident; a thrown message is kept and delivered per receiving instance; an email
is marked sending before it goes and put in doubt when its worker died

Revision ID: d8a3b4c5e6f7
Revises: c7e1a2b3d4f5
Create Date: 2026-12-04 16:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d8a3b4c5e6f7"
down_revision = "c7e1a2b3d4f5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=True),
        sa.Column("element", sa.String(length=200), nullable=True),
        sa.Column("element_name", sa.String(length=300), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clock_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["workflow_instances.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_instance_id", ["instance_id"], unique=False)
        batch_op.create_index("ix_incidents_status", ["status"], unique=False)

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("correlation_key", sa.String(length=100), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("correlations", sa.JSON(), nullable=False),
        sa.Column("thrown_by", sa.Integer(), nullable=True),
        sa.Column("thrown_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["thrown_by"], ["workflow_instances.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_group_name", ["group_key", "name"], unique=False)

    op.create_table(
        "message_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["instance_id"], ["workflow_instances.id"]),
        sa.ForeignKeyConstraint(["message_id"], ["messages.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "message_id", "instance_id", name="uq_message_deliveries_message_instance"
        ),
    )
    with op.batch_alter_table("message_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_message_deliveries_instance_id", ["instance_id"], unique=False
        )
        batch_op.create_index("ix_message_deliveries_status", ["status"], unique=False)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("in_doubt_since", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("in_doubt_since")
        batch_op.drop_column("sending_since")
        batch_op.drop_column("message_id")
    op.drop_table("message_deliveries")
    op.drop_table("messages")
    op.drop_table("incidents")
