"""process models and the life of calls: versions and drafts belong to a process model with a
contract; calls have a kind, a status and a model; registry numbers run per prefix and year;
a case may have no organisation (started by staff)

Revision ID: c7e1a2b3d4f5
Revises: b3c1d2e4f5a6
Create Date: 2026-12-04 12:00:00

"""

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7e1a2b3d4f5"
down_revision = "b3c1d2e4f5a6"
branch_labels = None
depends_on = None

# The name the shipped process files were deployed under, and the model they now form.
OLD_BUNDLE = "grantflow"
SHIPPED = {
    "id": "two-phase-funding",
    "names": {
        "fi": "Kaksivaiheinen rahoitushaku",
        "sv": "Finansieringsansökan i två steg",
        "en": "Two-phase funding call",
    },
    "case_process": "funding_application",
    "call_process": "funding_call",
    "case_start_data": [
        "case_key",
        "call_key",
        "lead_organisation",
        "idea_deadline",
        "application_deadline",
        "eligible_applicant_types",
        "application_object_options",
        "application_object_rules",
        "evaluators",
        "evaluation_criteria",
    ],
    "call_start_data": [
        "call_key",
        "idea_deadline",
        "application_deadline",
        "budget_total",
        "reserved_total",
        "webinar",
    ],
    "messages": ["webinar_invitation", "funding_decision"],
}
UQ = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_name(table, column):
    if op.get_bind().dialect.name == "postgresql":
        return f"{table}_{column}_key"
    return f"uq_{table}_{column}"


def upgrade():
    op.create_table(
        "process_models",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("descriptions", sa.JSON(), nullable=False),
        sa.Column("case_process", sa.String(length=100), nullable=False),
        sa.Column("call_process", sa.String(length=100), nullable=True),
        sa.Column("case_start_data", sa.JSON(), nullable=False),
        sa.Column("call_start_data", sa.JSON(), nullable=False),
        sa.Column("messages", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    models = _create_models()

    for table in ("process_versions", "process_drafts"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("model_id", sa.String(length=200), nullable=True))
        for bundle, model_id in models.items():
            op.execute(
                sa.text(f"UPDATE {table} SET model_id = :model WHERE bundle = :bundle").bindparams(
                    model=model_id, bundle=bundle
                )
            )
    with op.batch_alter_table("process_versions", schema=None, naming_convention=UQ) as batch_op:
        batch_op.drop_constraint(_unique_name("process_versions", "content_hash"), type_="unique")
        batch_op.drop_index("ix_process_versions_bundle")
        batch_op.drop_column("bundle")
        batch_op.alter_column("model_id", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index("ix_process_versions_model_id", ["model_id"], unique=False)
        batch_op.create_index("ix_process_versions_content_hash", ["content_hash"], unique=False)
        batch_op.create_unique_constraint(
            "uq_process_versions_model_id_content_hash", ["model_id", "content_hash"]
        )
        batch_op.create_foreign_key(
            "fk_process_versions_model_id_process_models", "process_models", ["model_id"], ["id"]
        )
    with op.batch_alter_table("process_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_process_drafts_bundle")
        batch_op.drop_column("bundle")
        batch_op.alter_column("model_id", existing_type=sa.String(length=200), nullable=False)
        batch_op.create_index("ix_process_drafts_model_id", ["model_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_process_drafts_model_id_process_models", "process_models", ["model_id"], ["id"]
        )

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("model_id", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    _convert_calls(models)
    with op.batch_alter_table("calls", schema=None) as batch_op:
        for column in ("kind", "status"):
            batch_op.alter_column(column, existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("model_id", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("created_by", existing_type=sa.String(length=100), nullable=False)
        batch_op.create_index("ix_calls_model_id", ["model_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_calls_model_id_process_models", "process_models", ["model_id"], ["id"]
        )
        batch_op.create_check_constraint(
            "ck_call_status", "status IN ('draft', 'published', 'closed', 'decided', 'archived')"
        )
        batch_op.create_check_constraint(
            "ck_call_kind", "kind IN ('call', 'rehearsal', 'standing')"
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=True)

    op.create_table(
        "registry_sequences_by_prefix",
        sa.Column("prefix", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year"),
    )
    op.execute(
        "INSERT INTO registry_sequences_by_prefix (prefix, year, last_number) "
        "SELECT 'VN', year, last_number FROM registry_sequences"
    )
    op.drop_table("registry_sequences")
    op.rename_table("registry_sequences_by_prefix", "registry_sequences")


def _create_models():
    """A model per bundle name in use: the shipped one with its contract, others bare."""
    bind = op.get_bind()
    bundles = {
        row[0]
        for table in ("process_versions", "process_drafts")
        for row in bind.execute(sa.text(f"SELECT DISTINCT bundle FROM {table}"))
    }
    used = bind.execute(sa.text("SELECT COUNT(*) FROM calls")).scalar()
    if used:
        bundles.add(OLD_BUNDLE)
    now = datetime.now(timezone.utc)
    models = {}
    table = sa.table(
        "process_models",
        *(
            sa.column(name, sa.JSON())
            for name in ("names", "descriptions", "case_start_data", "call_start_data", "messages")
        ),
        *(sa.column(name) for name in ("id", "case_process", "call_process")),
        *(sa.column(name) for name in ("created_by", "created_at", "updated_by", "updated_at")),
    )
    for bundle in sorted(bundles):
        definition = dict(SHIPPED) if bundle == OLD_BUNDLE else {"id": bundle, "names": {}}
        models[bundle] = definition["id"]
        op.bulk_insert(
            table,
            [
                {
                    "id": definition["id"],
                    "names": definition.get("names") or {"en": bundle},
                    "descriptions": {},
                    "case_process": definition.get("case_process", ""),
                    "call_process": definition.get("call_process"),
                    "case_start_data": definition.get("case_start_data", []),
                    "call_start_data": definition.get("call_start_data", []),
                    "messages": definition.get("messages", []),
                    "created_by": "migration",
                    "created_at": now,
                    "updated_by": "migration",
                    "updated_at": now,
                }
            ],
        )
    return models


def _convert_calls(models):
    """Existing calls (the demo's format) in the new settings, published, of the shipped model."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, config, version_id FROM calls")).all()
    for call_id, config, version_id in rows:
        old = config if isinstance(config, dict) else json.loads(config)
        bind.execute(
            sa.text(
                "UPDATE calls SET kind = :kind, status = 'published', model_id = :model, "
                "created_by = 'migration', config = :config WHERE id = :id"
            ),
            {
                "kind": "rehearsal" if version_id is not None else "call",
                "model": models.get(OLD_BUNDLE, SHIPPED["id"]),
                "config": json.dumps(convert_config(old)),
                "id": call_id,
            },
        )


def _texts(value):
    return value if isinstance(value, dict) else {"en": str(value)}


def convert_config(old):
    """The settings of the demo call's earlier format in today's."""
    objects = {"theme_network": (4, 2, "Theme network"), "growth_zone": (2, 1, "Growth zone")}
    new = {
        "title": _texts(old.get("title", "")),
        "budget_total": old.get("budget_total"),
        "phases": [
            {"key": key, "title": {"en": title}, "deadline": old[f"{key}_deadline"]}
            for key, title in (("idea", "Idea proposals"), ("application", "Applications"))
            if old.get(f"{key}_deadline")
        ],
        "eligible_applicant_types": old.get("eligible_applicant_types", []),
        "application_objects": [
            {
                "key": key,
                "title": {"en": objects.get(key, (0, 0, key))[2]},
                "min_municipalities": objects.get(key, (0, 0, key))[0],
                "min_regions": objects.get(key, (0, 0, key))[1],
            }
            for key in old.get("application_objects", [])
        ],
        "evaluation_scale": {"minimum": 1, "maximum": 5},
        "evaluation_criteria": [
            {"key": c["key"], "title": _texts(c.get("title", c["key"])), "weight": 1}
            for c in old.get("evaluation_criteria", [])
        ],
        "evaluators": old.get("evaluators", []),
        "registry_prefix": "VN",
    }
    if old.get("regional_city_reserve"):
        new["reserves"] = [
            {
                "key": "regional_cities",
                "title": {"en": "Theme networks of regional cities"},
                "amount": old["regional_city_reserve"],
                "application_objects": ["theme_network"],
            }
        ]
    if old.get("webinar"):
        webinar = dict(old["webinar"])
        webinar["title"] = _texts(webinar.get("title", ""))
        new["webinar"] = webinar
    if old.get("period"):
        new["funding_period"] = old["period"]
    contact = old.get("contact")
    if isinstance(contact, dict):
        new["contacts"] = [
            {"name": contact.get("name", ""), "title": _texts(contact.get("title", ""))}
            | ({"phone": contact["phone"]} if contact.get("phone") else {})
        ]
    for key in ("reporting_deadline", "notes"):
        if old.get(key):
            new[key] = old[key]
    return {key: value for key, value in new.items() if value is not None}


def downgrade():
    op.create_table(
        "registry_sequences_by_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.execute(
        "INSERT INTO registry_sequences_by_year (year, last_number) "
        "SELECT year, MAX(last_number) FROM registry_sequences GROUP BY year"
    )
    op.drop_table("registry_sequences")
    op.rename_table("registry_sequences_by_year", "registry_sequences")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("organisation_id", existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_constraint("ck_call_kind", type_="check")
        batch_op.drop_constraint("ck_call_status", type_="check")
        batch_op.drop_constraint("fk_calls_model_id_process_models", type_="foreignkey")
        batch_op.drop_index("ix_calls_model_id")
        for column in ("published_at", "updated_at", "created_by", "model_id", "status", "kind"):
            batch_op.drop_column(column)

    for table in ("process_drafts", "process_versions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("bundle", sa.String(length=100), nullable=True))
        op.execute(f"UPDATE {table} SET bundle = model_id")
    with op.batch_alter_table("process_drafts", schema=None) as batch_op:
        batch_op.drop_constraint("fk_process_drafts_model_id_process_models", type_="foreignkey")
        batch_op.drop_index("ix_process_drafts_model_id")
        batch_op.drop_column("model_id")
        batch_op.alter_column("bundle", existing_type=sa.String(length=100), nullable=False)
        batch_op.create_index("ix_process_drafts_bundle", ["bundle"], unique=False)
    with op.batch_alter_table("process_versions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_process_versions_model_id_process_models", type_="foreignkey")
        batch_op.drop_constraint("uq_process_versions_model_id_content_hash", type_="unique")
        batch_op.drop_index("ix_process_versions_content_hash")
        batch_op.drop_index("ix_process_versions_model_id")
        batch_op.drop_column("model_id")
        batch_op.alter_column("bundle", existing_type=sa.String(length=100), nullable=False)
        batch_op.create_index("ix_process_versions_bundle", ["bundle"], unique=False)
        batch_op.create_unique_constraint(
            _unique_name("process_versions", "content_hash"), ["content_hash"]
        )
    op.drop_table("process_models")
