"""Helpers for the migration tests: a database at given Alembic heads, its rows, the rows that hang off warnings
(import as ``from migkit import ...``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import command

from tocsin.store import engine as eng

__all__ = ["seed_dependents", "table", "upgrade_to"]


def upgrade_to(url: str, heads: Sequence[str], tables: Sequence[str]) -> tuple[sa.Engine, sa.MetaData]:
    """A database at ``heads`` (as a previous tocsin left it), and the reflected ``tables`` of that schema."""
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:
        for head in heads:
            command.upgrade(eng._config(conn), head)
    meta = sa.MetaData()
    meta.reflect(engine, only=list(tables))
    return engine, meta


def seed_dependents(conn: sa.Connection, meta: sa.MetaData, rows: Sequence[dict[str, Any]], delivered: str,
                    at: dt.datetime) -> None:
    """An import log row per warning, a subscription over the first warning's area and a pending delivery of
    ``delivered`` to it."""
    conn.execute(meta.tables["warning_log"].insert(), [
        {"warning_id": r["id"], "action": "import", "who": "importer", "at": at} for r in rows])
    conn.execute(meta.tables["subscriptions"].insert(), [{
        "id": 1, "url": "http://127.0.0.1:9/hook", "secret": "s", "active": True, "created_at": at,
        "area_wkb": rows[0]["area_wkb"]}])
    conn.execute(meta.tables["deliveries"].insert(), [{
        "id": "d1", "idempotency_key": f"1:{delivered}", "subscription_id": 1, "warning_id": delivered,
        "url": "http://127.0.0.1:9/hook", "state": "pending", "attempts": 0, "next_attempt_at": at,
        "created_at": at, "updated_at": at}])


def table(url: str, name: str) -> list[dict[str, Any]]:
    """Every row of ``name``, ordered by its first column."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.text(f"SELECT * FROM {name} ORDER BY 1"))]
    engine.dispose()
    return rows
