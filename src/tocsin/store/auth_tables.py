"""The access tables on the store's ``metadata``: API tokens (hashed) and the audit log.

Created by migration ``0003_auth``. A token's secret is never stored: only its SHA-256 hex digest.
Every write through the API (and every token change) leaves one ``audit`` row, written in the same
transaction as the change (see ``tocsin.auth``).
"""

from __future__ import annotations

import sqlalchemy as sa

from tocsin.store.tables import UTCDateTime, metadata

__all__ = ["AUDIT_TARGET_LENGTH", "audit", "tokens"]

AUDIT_TARGET_LENGTH = 1200
"""An audit target is ``KIND:KEY``; a warning's key is up to 1000 bytes (``warning_tables.MAX_NAME_BYTES``)."""

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True, comment="SHA-256 hex of the secret"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("revoked_at", UTCDateTime),
    sa.CheckConstraint("role IN ('viewer', 'analyst', 'operator', 'admin')", name="role"),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("who", sa.String(200), nullable=False, comment="the token name (or the CLI user)"),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(AUDIT_TARGET_LENGTH), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Index(None, "action"),
    sa.Index(None, "target"),
)
