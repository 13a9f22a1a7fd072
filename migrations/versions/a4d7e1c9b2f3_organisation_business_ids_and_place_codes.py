"""organisation business ids and place codes: an organisation has a business ID (Y-tunnus),
unique, none for the organisations registered before it was asked; regions and municipalities
typed as names become Statistics Finland's codes of 2021

Revision ID: a4d7e1c9b2f3
Revises: a7c8d9e0f1b2
Create Date: 2026-12-14 12:00:00

"""

import sqlalchemy as sa
from alembic import op

from app.reference.places import finland

# revision identifiers, used by Alembic.
revision = "a4d7e1c9b2f3"
down_revision = "a7c8d9e0f1b2"
branch_labels = None
depends_on = None

# The classification of the names typed before codes: the one of the shipped call.
YEAR = 2021
ORGANISATIONS = sa.table(
    "organisations", sa.column("id"), sa.column("region"), sa.column("municipality")
)


def upgrade():
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("business_id", sa.String(length=9), nullable=True))
        batch_op.create_unique_constraint("uq_organisations_business_id", ["business_id"])
    places = finland(YEAR)
    # A name in any language becomes its code; a known municipality decides the region; a
    # name the classification does not know stays as typed, for the organisation to choose.
    _rewrite(lambda region, municipality: places.place_codes(region, municipality))


def downgrade():
    places = finland(YEAR)
    _rewrite(
        lambda region, municipality: (
            places.region_name(region, "fi") or region,
            places.municipality_name(municipality or "", "fi") or municipality,
        )
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint("uq_organisations_business_id", type_="unique")
        batch_op.drop_column("business_id")


def _rewrite(change):
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(ORGANISATIONS.c.id, ORGANISATIONS.c.region, ORGANISATIONS.c.municipality)
    ).all()
    for organisation_id, region, municipality in rows:
        new_region, new_municipality = change(region, municipality)
        new_municipality = new_municipality or None
        if (new_region, new_municipality) != (region, municipality):
            connection.execute(
                ORGANISATIONS.update()
                .where(ORGANISATIONS.c.id == organisation_id)
                .values(region=new_region, municipality=new_municipality)
            )
