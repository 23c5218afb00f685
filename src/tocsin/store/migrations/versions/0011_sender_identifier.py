"""sender_identifier: warnings are unique by (sender, CAP identifier); ``warnings.id`` becomes tocsin's key

Revision ID: 0011_sender_identifier
Revises: 0007_spatial
Create Date: 2026-11-27

CAP 1.2 makes an identifier unique per *sender* only: two authorities numbering their alerts both send
"1234". Until now ``warnings.id`` was the identifier, so the second one was refused. The new column
``warnings.identifier`` holds the CAP identifier, unique together with ``sender``; ``warnings.id`` stays the
primary key that deliveries, the log, ``references_id`` and ``superseded_by`` name. Every stored row keeps
its id (so its URLs keep working) and gets ``identifier = id``, which is what it was.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_sender_identifier"
down_revision = "0007_spatial"
branch_labels = None
depends_on = None

_ID_COMMENT = "the key: the CAP identifier, or IDENTIFIER~N when another sender's message had it first"
_IDENTIFIER_COMMENT = "the CAP identifier (unique per sender)"


def upgrade() -> None:
    op.add_column("warnings", sa.Column("identifier", sa.String(length=200), nullable=True,
                                        comment=_IDENTIFIER_COMMENT))
    op.execute("UPDATE warnings SET identifier = id")
    with op.batch_alter_table("warnings") as batch:
        batch.alter_column("identifier", existing_type=sa.String(length=200), nullable=False,
                           existing_comment=_IDENTIFIER_COMMENT)
        batch.alter_column("id", existing_type=sa.String(length=200), existing_nullable=False,
                           comment=_ID_COMMENT, existing_comment="the CAP identifier")
        batch.create_unique_constraint(op.f("uq_warnings_sender"), ["sender", "identifier"])
        batch.create_index(op.f("ix_warnings_identifier"), ["identifier"], unique=False)


def downgrade() -> None:
    """Back to one row per identifier: refused while two senders' messages share one (it would lose one)."""
    bind = op.get_bind()
    shared = bind.execute(sa.text("SELECT identifier FROM warnings GROUP BY identifier HAVING COUNT(*) > 1")).first()
    if shared is not None or bind.execute(sa.text("SELECT 1 FROM warnings WHERE id <> identifier")).first():
        raise RuntimeError("warnings from different senders share a CAP identifier; downgrading would lose "
                           "one of them (export them first)")
    with op.batch_alter_table("warnings") as batch:
        batch.drop_index(op.f("ix_warnings_identifier"))
        batch.drop_constraint(op.f("uq_warnings_sender"), type_="unique")
        batch.alter_column("id", existing_type=sa.String(length=200), existing_nullable=False,
                           comment="the CAP identifier", existing_comment=_ID_COMMENT)
        batch.drop_column("identifier")
