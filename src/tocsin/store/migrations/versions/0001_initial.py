"""initial schema: reports, events, mentions, separations, notices, corrections, places

Revision ID: 0001
Revises:
Create Date: 2026-11-26

Written out in full (not from ``tables.metadata``) so that later changes to tables.py need a
new revision instead of silently changing what this one creates.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("report_id", sa.String(length=500), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", _utc(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("origin", sa.Text(), nullable=True),
        sa.Column("ingested_at", _utc(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("skipped_reason", sa.Text(), nullable=True),
        sa.Column("toponyms", sa.JSON(), nullable=False),
        sa.CheckConstraint("status IN ('extracted', 'skipped')", name=op.f("ck_reports_status")),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_reports")),
    )
    op.create_index(op.f("ix_reports_published"), "reports", ["published"], unique=False)
    op.create_index(op.f("ix_reports_report_id"), "reports", ["report_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("sub_event_type", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_lo", sa.Date(), nullable=True, comment="first day the date may stand for (time precision)"),
        sa.Column("date_hi", sa.Date(), nullable=True, comment="last day the date may stand for (time precision)"),
        sa.Column("time_precision", sa.SmallInteger(), nullable=True),
        sa.Column("actor1", sa.Text(), nullable=True),
        sa.Column("actor2", sa.Text(), nullable=True),
        sa.Column("assoc_actor_1", sa.Text(), nullable=True),
        sa.Column("assoc_actor_2", sa.Text(), nullable=True),
        sa.Column("inter1", sa.SmallInteger(), nullable=True),
        sa.Column("inter2", sa.SmallInteger(), nullable=True),
        sa.Column("location_name", sa.Text(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.Column("geo_precision", sa.SmallInteger(), nullable=True),
        sa.Column("geonames_id", sa.BigInteger(), nullable=True),
        sa.Column("fatalities", sa.Integer(), nullable=True),
        sa.Column("displaced", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("n_sources", sa.Integer(), nullable=False),
        sa.Column(
            "event", sa.JSON(), nullable=False, comment="the merged Event (model.to_dict) with corrections applied"
        ),
        sa.Column(
            "overrides", sa.JSON(), nullable=False, comment="field -> corrected value, applied over every re-merge"
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    op.create_index(op.f("ix_events_country"), "events", ["country"], unique=False)
    op.create_index(op.f("ix_events_date"), "events", ["date", "id"], unique=False)
    op.create_index(op.f("ix_events_event_type"), "events", ["event_type", "date_lo", "date_hi"], unique=False)
    op.create_index(op.f("ix_events_longitude"), "events", ["longitude", "latitude"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_hash", sa.String(length=128), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False, comment="this report's Event (model.to_dict), with its evidence"),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_mentions_event_id_events"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["report_hash"], ["reports.content_hash"], name=op.f("fk_mentions_report_hash_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentions")),
        sa.UniqueConstraint("report_hash", "ordinal", name=op.f("uq_mentions_report_hash")),
    )
    op.create_index(op.f("ix_mentions_event_id"), "mentions", ["event_id"], unique=False)

    op.create_table(
        "separations",
        sa.Column("mention_a", sa.Integer(), nullable=False),
        sa.Column("mention_b", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mention_a"], ["mentions.id"], name=op.f("fk_separations_mention_a_mentions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mention_b"], ["mentions.id"], name=op.f("fk_separations_mention_b_mentions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("mention_a", "mention_b", name=op.f("pk_separations")),
        comment="pairs of mentions a split declared to be different events; merging never joins them again",
    )

    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_hash", sa.String(length=128), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("starts_at", _utc(), nullable=True),
        sa.Column("ends_at", _utc(), nullable=True),
        sa.Column("notice", sa.JSON(), nullable=False, comment="the Notice (model.to_dict)"),
        sa.ForeignKeyConstraint(
            ["report_hash"], ["reports.content_hash"], name=op.f("fk_notices_report_hash_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint("report_hash", "ordinal", name=op.f("uq_notices_report_hash")),
    )
    op.create_index(op.f("ix_notices_kind"), "notices", ["kind", "starts_at"], unique=False)

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "event_id", sa.Integer(), nullable=False, comment="no foreign key: the log outlives re-merged events"
        ),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corrections")),
    )
    op.create_index(op.f("ix_corrections_event_id"), "corrections", ["event_id"], unique=False)

    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False, comment="country|admin1|parent|name, casefolded"),
        sa.Column("geonames_id", sa.BigInteger(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("country_code", sa.String(length=8), nullable=False),
        sa.Column("country", sa.Text(), nullable=False),
        sa.Column("admin1", sa.Text(), nullable=True),
        sa.Column("admin2", sa.Text(), nullable=True),
        sa.Column("feature_class", sa.String(length=8), nullable=False),
        sa.Column("feature_code", sa.String(length=16), nullable=False),
        sa.Column("population", sa.BigInteger(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("alternate_names", sa.JSON(), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=True),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
        sa.UniqueConstraint("key", name=op.f("uq_places_key")),
    )


def downgrade() -> None:
    for table in ("places", "corrections", "notices", "separations", "mentions", "events", "reports"):
        op.drop_table(table)
