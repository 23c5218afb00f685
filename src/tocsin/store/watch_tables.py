"""The watcher's tables on the store's ``metadata``: sources' state, seen items, story families, rules, alerts.

Created by migrations ``0004_watch`` and ``0008_watch_rules`` (alert payloads and digests, the rule
alerts' deliveries outbox). ``watch_items`` is the per-source cursor: an item key is written only
after its report is stored, so a restart re-reads (and de-duplicates by content hash) whatever was
in hand when the process stopped, and never skips an item.
"""

from __future__ import annotations

import sqlalchemy as sa

from tocsin.store.tables import UTCDateTime, metadata

__all__ = [
    "watch_alerts",
    "watch_bands",
    "watch_deliveries",
    "watch_faults",
    "watch_families",
    "watch_items",
    "watch_members",
    "watch_rules",
    "watch_sources",
]

watch_sources = sa.Table(
    "watch_sources",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("interval_s", sa.Float, nullable=False),
    sa.Column("language", sa.String(16)),
    sa.Column("fetch_article", sa.Boolean, nullable=False),
    sa.Column("trust", sa.Integer, nullable=False),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_fetch_at", UTCDateTime),
    sa.Column("last_new_at", UTCDateTime),
    sa.Column("next_poll_at", UTCDateTime),
    sa.Column("consecutive_errors", sa.Integer, nullable=False),
    sa.Column("last_error", sa.Text),
    sa.Column("last_status", sa.Integer),
    sa.Column("items_total", sa.Integer, nullable=False),
)

watch_items = sa.Table(
    "watch_items",
    metadata,
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("item_key", sa.String(500), nullable=False),
    sa.Column("content_hash", sa.String(128), nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("feed_url", sa.Text, nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.Column("family_id", sa.Integer),
    sa.PrimaryKeyConstraint("source", "item_key"),
    sa.Index(None, "content_hash"),
    sa.Index(None, "fetched_at"),
)

watch_families = sa.Table(
    "watch_families",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("content_hash", sa.String(128), nullable=False),
    sa.Column("signature", sa.LargeBinary, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "content_hash"),
)

watch_members = sa.Table(
    "watch_members",
    metadata,
    sa.Column("family_id", sa.Integer, nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("outlet", sa.String(200)),
    sa.Column("content_hash", sa.String(128), nullable=False),
    sa.Column("fetched_at", UTCDateTime, nullable=False),
    sa.PrimaryKeyConstraint("family_id", "url"),
)

watch_bands = sa.Table(
    "watch_bands",
    metadata,
    sa.Column("band_key", sa.String(64), nullable=False),
    sa.Column("family_id", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("band_key", "family_id"),
)

watch_faults = sa.Table(
    "watch_faults",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index(None, "source", "at"),
)

watch_rules = sa.Table(
    "watch_rules",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("rule", sa.JSON, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

watch_alerts = sa.Table(
    "watch_alerts",
    metadata,
    sa.Column("rule_id", sa.Integer, nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("outcome", sa.Text),
    sa.Column("payload", sa.JSON),
    sa.Column("digest", sa.String(128)),  # the digest it went out in; NULL while it waits (digest rules)
    sa.PrimaryKeyConstraint("rule_id", "target"),
)

watch_deliveries = sa.Table(
    "watch_deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("rule_id", sa.Integer, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("key", sa.String(128), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime),
    sa.Column("last_attempt_at", UTCDateTime),
    sa.Column("delivered_at", UTCDateTime),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.UniqueConstraint("rule_id", "channel", "key"),
    sa.Index(None, "state", "next_attempt_at"),
)
