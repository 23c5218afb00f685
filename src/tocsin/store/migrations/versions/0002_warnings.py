"""warnings: warnings, warning_log, subscriptions, deliveries

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Written out in full (not from ``warning_tables``) so later changes need a new revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "warnings",
        sa.Column("id", sa.String(length=200), nullable=False, comment="the CAP identifier"),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False, comment="CAP status (Draft until published)"),
        sa.Column("msg_type", sa.String(length=16), nullable=False),
        sa.Column("sender", sa.String(length=500), nullable=False),
        sa.Column("sent", _utc(), nullable=False),
        sa.Column("starts_at", _utc(), nullable=False),
        sa.Column("ends_at", _utc(), nullable=True),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("report_id", sa.String(length=500), nullable=True),
        sa.Column("references_id", sa.String(length=200), nullable=True,
                  comment="the warning this Update/Cancel replaces"),
        sa.Column("superseded_by", sa.String(length=200), nullable=True),
        sa.Column("cap_xml", sa.LargeBinary(), nullable=False,
                  comment="the CAP message as served (original bytes if imported)"),
        sa.Column("imported", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("published_at", _utc(), nullable=True),
        sa.Column("published_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'published', 'superseded', 'cancelled')", name=op.f("ck_warnings_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warnings")),
    )
    op.create_index(op.f("ix_warnings_state"), "warnings", ["state", "ends_at"], unique=False)
    op.create_index(op.f("ix_warnings_report_id"), "warnings", ["report_id"], unique=False)

    op.create_table(
        "warning_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("warning_id", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warning_log")),
    )
    op.create_index(op.f("ix_warning_log_warning_id"), "warning_log", ["warning_id"], unique=False)

    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("area_wkb", sa.LargeBinary(), nullable=False,
                  comment="the area as WKB (x = longitude, y = latitude)"),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("radius_km", sa.Float(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    op.create_index(op.f("ix_subscriptions_active"), "subscriptions", ["active"], unique=False)

    op.create_table(
        "deliveries",
        sa.Column("id", sa.String(length=64), nullable=False, comment="sent as X-Tocsin-Delivery"),
        sa.Column("idempotency_key", sa.String(length=300), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False,
                  comment="no foreign key: the record outlives it"),
        sa.Column("warning_id", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'delivered', 'dead')", name=op.f("ck_deliveries_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_deliveries_idempotency_key")),
    )
    op.create_index(op.f("ix_deliveries_state"), "deliveries", ["state", "next_attempt_at"], unique=False)
    op.create_index(op.f("ix_deliveries_warning_id"), "deliveries", ["warning_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_warning_id"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_state"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_subscriptions_active"), table_name="subscriptions")
    op.drop_table("subscriptions")
    op.drop_index(op.f("ix_warning_log_warning_id"), table_name="warning_log")
    op.drop_table("warning_log")
    op.drop_index(op.f("ix_warnings_report_id"), table_name="warnings")
    op.drop_index(op.f("ix_warnings_state"), table_name="warnings")
    op.drop_table("warnings")
