"""deadline reminder notices: a notice may remind an applicant that a draft is not sent

Revision ID: b5d6e7f8a9c0
Revises: a4d7e1c9b2f3
Create Date: 2026-12-16 12:00:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b5d6e7f8a9c0"
down_revision = "a4d7e1c9b2f3"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint("ck_notice_kind", type_="check")
        batch_op.create_check_constraint(
            "ck_notice_kind", "kind IN ('task_assigned', 'message_received', 'deadline_reminder')"
        )


def downgrade():
    op.execute("DELETE FROM notices WHERE kind = 'deadline_reminder'")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_constraint("ck_notice_kind", type_="check")
        batch_op.create_check_constraint(
            "ck_notice_kind", "kind IN ('task_assigned', 'message_received')"
        )
