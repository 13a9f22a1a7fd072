"""case numbers: a case is filed under one number (VN/12/2021) when its first document
arrives and its documents are numbered inside it (VN/12/2021-1, -2, ...); document numbers
get room for the longer form

A case of before keeps the numbers its documents were filed and acknowledged under: its case
number is the number of its first document, and its next documents count on after those it
has (VN/4/2021 with three documents: VN/4/2021-4).

Revision ID: b5e2f8a1c3d7
Revises: b5d6e7f8a9c0
Create Date: 2026-12-15 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b5e2f8a1c3d7"
down_revision = "b5d6e7f8a9c0"
branch_labels = None
depends_on = None

CASES = sa.table(
    "cases", sa.column("id"), sa.column("case_number"), sa.column("last_document_number")
)
DOCUMENTS = sa.table(
    "documents",
    sa.column("id"),
    sa.column("case_id"),
    sa.column("registry_number"),
    sa.column("received_at"),
)


def upgrade():
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_number", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column("last_document_number", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_unique_constraint("uq_cases_case_number", ["case_number"])
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column(
            "registry_number",
            existing_type=sa.String(length=40),
            type_=sa.String(length=100),
            existing_nullable=False,
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(DOCUMENTS.c.case_id, DOCUMENTS.c.registry_number).order_by(
            DOCUMENTS.c.case_id, DOCUMENTS.c.received_at, DOCUMENTS.c.id
        )
    ).all()
    filed: dict[int, tuple[str, int]] = {}
    for case_id, number in rows:
        first, count = filed.get(case_id, (number, 0))
        filed[case_id] = (first, count + 1)
    for case_id, (first, count) in filed.items():
        connection.execute(
            CASES.update()
            .where(CASES.c.id == case_id)
            .values(case_number=first, last_document_number=count)
        )


def downgrade():
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column(
            "registry_number",
            existing_type=sa.String(length=100),
            type_=sa.String(length=40),
            existing_nullable=False,
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("uq_cases_case_number", type_="unique")
        batch_op.drop_column("last_document_number")
        batch_op.drop_column("case_number")
