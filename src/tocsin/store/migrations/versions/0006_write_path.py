"""write path: a partial index of the events whose date stands for more than a day (week, month)

Revision ID: 0006_write_path
Revises: 0002
Create Date: 2026-11-26

The batched write path (``store/bulk.py``) looks up merge candidates per search window. A
day-precision event meets a window only if it starts inside it, so ``ix_events_event_type``
(event_type, date_lo, date_hi) finds those with a range scan of the window's few days; week and
month precision events (up to 30 days either side) can start two months earlier, and get this
index of their own, so no window has to scan two months of every event of its type.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_write_path"
down_revision = "0002"
branch_labels = None
depends_on = None

_WIDE = "time_precision IS NOT NULL AND time_precision NOT IN (0, 1)"


def upgrade() -> None:
    op.create_index(
        "ix_events_wide",
        "events",
        ["event_type", "date_lo", "date_hi"],
        sqlite_where=sa.text(_WIDE),
        postgresql_where=sa.text(_WIDE),
    )


def downgrade() -> None:
    op.drop_index("ix_events_wide", table_name="events")
