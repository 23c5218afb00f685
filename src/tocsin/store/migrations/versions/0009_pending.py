"""write-behind: the pending table of staged mentions that wait for ``Store.merge_pending``

Revision ID: 0009_pending
Revises: 0006_write_path
Create Date: 2026-11-26

``Store.stage`` stores reports and notices at once but puts each report's mentions here (one row
per report, in staging order); ``Store.merge_pending`` merges them into events later, in ``id``
order, and deletes the rows it merged. Written out in full (not from ``tables.metadata``).

Kept cheap to write, since staging is the fast path: ``events`` is plain text (the client writes
orjson's text and reads it back; a JSON column made the server parse every document on the way in,
JSONB even more), and no foreign key to ``reports`` (its check ran a trigger per row and locked the
report's row: ~0.015 ms of server CPU per staged report). A pending row is always written in the
transaction that inserts its report, and reports are never deleted, so the key had nothing to catch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_pending"
down_revision = "0006_write_path"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pending",
        sa.Column("id", sa.Integer(), nullable=False, comment="the merge order: staging order"),
        sa.Column(
            "report_hash", sa.String(length=128), nullable=False, comment="no foreign key: written with its report"
        ),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column(
            "events",
            sa.Text(),
            nullable=False,
            comment="the report's checked mentions as one JSON array (model.to_dict)",
        ),
        sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending")),
        comment="mentions written by Store.stage and not merged into events yet (Store.merge_pending drains it)",
    )


def downgrade() -> None:
    op.drop_table("pending")
