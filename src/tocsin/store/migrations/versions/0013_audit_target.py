"""audit_target: the audit log's target takes 1200 characters (``warning:KEY`` with the longer keys of 0012)

Revision ID: 0013_audit_target
Revises: 0003_auth
Create Date: 2026-11-27

``0012_longer_identifiers`` lets warning keys grow to 1100 characters; the API audits each change of a warning
under the target ``warning:KEY``, which the 500 characters of ``audit.target`` refused on PostgreSQL. On the
access tables' own branch so that it follows ``0003_auth``; every stored row is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_audit_target"
down_revision = "0003_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("target", type_=sa.String(length=1200), existing_type=sa.String(length=500),
                           existing_nullable=False)


def downgrade() -> None:
    """Back to 500 characters: refused while a stored target is longer (it would be lost)."""
    longest = op.get_bind().execute(sa.text("SELECT max(length(target)) FROM audit")).scalar()
    if longest is not None and longest > 500:
        raise RuntimeError(f"audit.target holds a value of {longest} characters, more than the 500 it had before "
                           "0013_audit_target; downgrading would lose it (export the audit log first)")
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("target", type_=sa.String(length=500), existing_type=sa.String(length=1200),
                           existing_nullable=False)
