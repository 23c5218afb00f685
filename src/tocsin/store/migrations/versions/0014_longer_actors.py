"""longer_actors: who acted on a warning (the log's ``who``, ``published_by``) takes 300 characters

Revision ID: 0014_longer_actors
Revises: 0012_longer_identifiers
Create Date: 2026-11-27

Both were 200 characters: PostgreSQL refused a longer operator name (``--operator``, ``--who``) with a database
error while SQLite stored it, and the importer of an authority's own Cancel, ``watch:SOURCE (the sender's own
Cancel)``, passed 200 for a source name of 175 characters or more. Now both take 300 (``warning_tables.ACTOR_LENGTH``;
``WarningStore`` refuses a longer name with T417, the same on both backends). Every stored row is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_longer_actors"
down_revision = "0012_longer_identifiers"
branch_labels = None
depends_on = None

_WIDENED = (("warnings", "published_by", True), ("warning_log", "who", False))


def _alter(old: int, new: int) -> None:
    for table, column, nullable in _WIDENED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.String(length=new), existing_type=sa.String(length=old),
                               existing_nullable=nullable)


def upgrade() -> None:
    _alter(200, 300)


def downgrade() -> None:
    """Back to 200 characters: refused while a stored name is longer (it would be lost)."""
    bind = op.get_bind()
    for table, column, _nullable in _WIDENED:
        longest = bind.execute(sa.text(f"SELECT max(length({column})) FROM {table}")).scalar()
        if longest is not None and longest > 200:
            raise RuntimeError(f"{table}.{column} holds a name of {longest} characters, more than the 200 it had "
                               "before 0014_longer_actors; downgrading would lose it (export the log first)")
    _alter(300, 200)
