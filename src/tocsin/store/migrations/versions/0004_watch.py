"""watch: sources' state, seen items, story families, rules, alerts

Revision ID: 0004_watch
Revises: 0002
Create Date: 2026-11-26

Written out in full (not from ``watch_tables``) so later changes need a new revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_watch"
down_revision = "0002"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "watch_sources",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("fetch_article", sa.Boolean(), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("last_fetch_at", _utc(), nullable=True),
        sa.Column("last_new_at", _utc(), nullable=True),
        sa.Column("next_poll_at", _utc(), nullable=True),
        sa.Column("consecutive_errors", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("items_total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_watch_sources")),
    )
    op.create_table(
        "watch_items",
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("item_key", sa.String(length=500), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("feed_url", sa.Text(), nullable=False),
        sa.Column("fetched_at", _utc(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("source", "item_key", name=op.f("pk_watch_items")),
    )
    op.create_index(op.f("ix_watch_items_content_hash"), "watch_items", ["content_hash"], unique=False)
    op.create_index(op.f("ix_watch_items_fetched_at"), "watch_items", ["fetched_at"], unique=False)
    op.create_table(
        "watch_families",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_families")),
    )
    op.create_index(op.f("ix_watch_families_content_hash"), "watch_families", ["content_hash"], unique=False)
    op.create_table(
        "watch_members",
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("content_hash", sa.String(length=128), nullable=False),
        sa.Column("fetched_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("family_id", "url", name=op.f("pk_watch_members")),
    )
    op.create_table(
        "watch_bands",
        sa.Column("band_key", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("band_key", "family_id", name=op.f("pk_watch_bands")),
    )
    op.create_table(
        "watch_faults",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_faults")),
    )
    op.create_index(op.f("ix_watch_faults_source"), "watch_faults", ["source", "at"], unique=False)
    op.create_table(
        "watch_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_rules")),
    )
    op.create_table(
        "watch_alerts",
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("rule_id", "target", name=op.f("pk_watch_alerts")),
    )


def downgrade() -> None:
    for name in ("watch_alerts", "watch_rules", "watch_faults", "watch_bands", "watch_members", "watch_families",
                 "watch_items", "watch_sources"):
        op.drop_table(name)
