"""My tasks reads its pages and its filter's values from indexes: the assigned tasks and a
group's unassigned tasks in their default order, a group's task names, the open cases' phases

Revision ID: d2e3f4a5b6c7
Revises: c1d2e3f4a5b6
Create Date: 2026-12-05 01:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d2e3f4a5b6c7"
down_revision = "c1d2e3f4a5b6"
branch_labels = None
depends_on = None

DUE_ORDER = [sa.text("(due_at IS NULL)"), "due_at", "created_at", "id"]
UNASSIGNED = sa.text("assignee IS NULL")


def upgrade():
    op.drop_index("ix_human_tasks_assignee", table_name="human_tasks")
    op.create_index("ix_human_tasks_mine", "human_tasks", ["assignee", *DUE_ORDER])
    op.create_index(
        "ix_human_tasks_queue",
        "human_tasks",
        ["candidate_group", *DUE_ORDER],
        postgresql_where=UNASSIGNED,
        sqlite_where=UNASSIGNED,
    )
    op.create_index(
        "ix_human_tasks_queue_titles",
        "human_tasks",
        ["candidate_group", "title"],
        postgresql_where=UNASSIGNED,
        sqlite_where=UNASSIGNED,
    )
    op.create_index("ix_cases_open_phase", "cases", ["closed", "phase"])


def downgrade():
    op.drop_index("ix_cases_open_phase", table_name="cases")
    op.drop_index("ix_human_tasks_queue_titles", table_name="human_tasks")
    op.drop_index("ix_human_tasks_queue", table_name="human_tasks")
    op.drop_index("ix_human_tasks_mine", table_name="human_tasks")
    op.create_index("ix_human_tasks_assignee", "human_tasks", ["assignee"])
