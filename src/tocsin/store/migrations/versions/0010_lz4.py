"""lz4: the big text columns of the write path are compressed with lz4, not pglz (PostgreSQL only)

Revision ID: 0010_lz4
Revises: 0009_pending
Create Date: 2026-11-26

PostgreSQL compresses a value bigger than ~2 kB (a news report's text, a long JSON document)
before storing it, with pglz unless the column says otherwise. pglz cost the server more than
everything else of a staged write of ~3 kB reports: ~97 us of server CPU per report against ~46 us
with lz4 (docs/capacity.md). lz4 also decompresses faster for readers. Only the column's setting
changes: no rewrite, stored values stay as they are, new values use lz4. A server built without
lz4 keeps pglz (the step is skipped, not an error). SQLite: nothing to do.
"""

from __future__ import annotations

from alembic import op

revision = "0010_lz4"
down_revision = "0009_pending"
branch_labels = None
depends_on = None

#: (table, column) holding report texts or JSON documents that are often above the 2 kB threshold.
COLUMNS = (
    ("reports", "text"),
    ("reports", "toponyms"),
    ("pending", "events"),
    ("mentions", "event"),
    ("events", "event"),
)


def _set(method: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    alters = " ".join(f"ALTER TABLE {t} ALTER COLUMN {c} SET COMPRESSION {method};" for t, c in COLUMNS)
    # feature_not_supported: a server built without lz4 keeps its default
    op.execute(f"DO $$ BEGIN {alters} EXCEPTION WHEN feature_not_supported THEN NULL; END $$")


def upgrade() -> None:
    _set("lz4")


def downgrade() -> None:
    _set("pglz")
