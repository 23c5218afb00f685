"""longer_identifiers: CAP identifiers and senders up to 1000 bytes; the keys, references and audit targets naming them

Revision ID: 0012_longer_identifiers
Revises: 0011_sender_identifier
Create Date: 2026-11-27

CAP 1.2 sets no length for an identifier, and some are long URNs or URLs. The columns were 200 characters
(``sender`` 500): PostgreSQL refused a longer one with a database error while SQLite, which does not enforce
the length, stored it. Now both take identifiers and senders up to ``warning_tables.MAX_NAME_BYTES`` (1000
bytes of UTF-8; ``WarningStore`` refuses longer ones with T416 before writing anything, the same on both), and
the columns holding a key (an identifier, or ``IDENTIFIER~N``) take 1100 characters: ``warnings.id``,
``references_id``, ``superseded_by``, ``warning_log.warning_id``, ``deliveries.warning_id``; the delivery's
idempotency key (``SUBSCRIPTION:KEY``) 1200 (the audit target, ``warning:KEY``: ``0013_audit_target``, on the
access tables' branch). PostgreSQL widens a varchar
without rewriting the table; SQLite copies each table (``batch_alter_table``). Every stored row is kept as it is.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_longer_identifiers"
down_revision = "0011_sender_identifier"
branch_labels = None
depends_on = None

#: (table, column, length before, length after, comment)
_WIDENED = (
    ("warnings", "id", 200, 1100,
     "the key: the CAP identifier, or IDENTIFIER~N when another sender's message had it first"),
    ("warnings", "identifier", 200, 1000, "the CAP identifier (unique per sender)"),
    ("warnings", "sender", 500, 1000, None),
    ("warnings", "references_id", 200, 1100, "the warning this Update/Cancel replaces"),
    ("warnings", "superseded_by", 200, 1100, None),
    ("warning_log", "warning_id", 200, 1100, None),
    ("deliveries", "idempotency_key", 300, 1200, None),
    ("deliveries", "warning_id", 200, 1100, None),
)


def _alter(grow: bool) -> None:
    tables = dict.fromkeys(table for table, *_ in _WIDENED)
    for table in tables:
        with op.batch_alter_table(table) as batch:
            for name, column, before, after, comment in _WIDENED:
                if name != table:
                    continue
                old, new = (before, after) if grow else (after, before)
                extra = {"comment": comment, "existing_comment": comment} if comment else {}
                batch.alter_column(column, type_=sa.String(length=new), existing_type=sa.String(length=old),
                                   existing_nullable=column not in ("references_id", "superseded_by"), **extra)


def upgrade() -> None:
    _alter(grow=True)


def downgrade() -> None:
    """Back to the shorter columns: refused while a stored value is longer (it would be cut or refused)."""
    bind = op.get_bind()
    for table, column, before, _after, _comment in _WIDENED:
        longest = bind.execute(sa.text(f"SELECT max(length({column})) FROM {table}")).scalar()
        if longest is not None and longest > before:
            raise RuntimeError(f"{table}.{column} holds a value of {longest} characters, more than the {before} "
                               "it had before 0012_longer_identifiers; downgrading would lose it (export it first)")
    _alter(grow=False)
