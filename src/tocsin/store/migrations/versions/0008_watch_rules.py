"""watch rules: alert payloads and digests, the rule-alert deliveries outbox

Revision ID: 0008_watch_rules
Revises: 0004_watch
Create Date: 2026-11-26

Written out in full (not from ``watch_tables``) so later changes need a new revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_watch_rules"
down_revision = "0004_watch"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("watch_alerts", sa.Column("payload", sa.JSON(), nullable=True))
    op.add_column("watch_alerts", sa.Column("digest", sa.String(length=128), nullable=True))
    op.create_table(
        "watch_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=True),
        sa.Column("last_attempt_at", _utc(), nullable=True),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_deliveries")),
        sa.UniqueConstraint("rule_id", "channel", "key", name=op.f("uq_watch_deliveries_rule_id")),
    )
    op.create_index(op.f("ix_watch_deliveries_state"), "watch_deliveries", ["state", "next_attempt_at"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_watch_deliveries_state"), table_name="watch_deliveries")
    op.drop_table("watch_deliveries")
    with op.batch_alter_table("watch_alerts") as batch:
        batch.drop_column("digest")
        batch.drop_column("payload")
