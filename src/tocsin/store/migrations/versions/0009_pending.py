"""write-behind: the pending table of staged mentions that wait for ``Store.merge_pending``

Revision ID: 0009_pending
Revises: 0006_write_path
Create Date: 2026-11-26

``Store.stage`` stores reports and notices at once but puts each report's mentions here (one row
per report, in staging order); ``Store.merge_pending`` merges them into events later, in ``id``
order, and deletes the rows it merged. Written out in full (not from ``tables.metadata``).
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
        sa.Column("report_hash", sa.String(length=128), nullable=False),
        sa.Column("n_events", sa.Integer(), nullable=False),
        sa.Column(
            "events", sa.JSON(), nullable=False, comment="the report's checked mentions (model.to_dict), in order"
        ),
        sa.Column("staged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_hash"], ["reports.content_hash"], name=op.f("fk_pending_report_hash_reports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending")),
        comment="mentions written by Store.stage and not merged into events yet (Store.merge_pending drains it)",
    )


def downgrade() -> None:
    op.drop_table("pending")
