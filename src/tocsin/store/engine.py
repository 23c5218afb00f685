"""Opening a database: URL handling, engine set-up per backend, and Alembic migrations.

The only module that knows SQL dialects apart (plus ``insert_ignore``/``upsert`` below).
SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for write transactions
(so two writers queue instead of failing on a lock upgrade); PostgreSQL writers take one
transaction-level advisory lock so event merging sees a stable set of candidates.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import StaticPool

from tocsin.errors import E, StoreError, TocsinError

__all__ = [
    "BUSY_TIMEOUT_S",
    "MIGRATIONS_DIR",
    "TABLE_MODULES",
    "check_known",
    "create_engine",
    "current_revisions",
    "display_url",
    "head_revisions",
    "insert_for",
    "insert_ignore",
    "known_revisions",
    "load_table_modules",
    "reset_sequence",
    "resolve_url",
    "upgrade",
    "upsert",
    "write_transaction",
]

BUSY_TIMEOUT_S = 60.0
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_WRITE = "tocsin_write"
_PG_WRITE_LOCK = 0x70C51


#: Modules that add tables to ``tables.metadata``; imported when present (migrations, counts).
TABLE_MODULES: tuple[str, ...] = (
    "tocsin.store.warning_tables",
    "tocsin.store.auth_tables",
    "tocsin.store.watch_tables",
)


def load_table_modules() -> None:
    for name in TABLE_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def resolve_url(url_or_path: str | os.PathLike[str]) -> sa.URL:
    """A SQLAlchemy URL from a URL (``sqlite:///x.db``, ``postgresql+psycopg://...``) or a plain path."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        if text in ("", ":memory:"):
            return sa.make_url("sqlite://")
        return sa.URL.create("sqlite", database=str(Path(text).expanduser()))
    try:
        url = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise StoreError(E.T201.format(url=text, detail=exc), url=text) from exc
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        detail = f"backend {url.get_backend_name()!r} is not supported; use sqlite or postgresql"
        raise StoreError(E.T201.format(url=display_url(url), detail=detail), url=display_url(url))
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def display_url(url: sa.URL) -> str:
    """The URL as shown to people: password hidden, SQLite as its file path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _is_memory(url: sa.URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def create_engine(url: sa.URL) -> sa.Engine:
    """An engine with tocsin's per-backend settings; raises StoreError T201 when it cannot be made."""
    shown = display_url(url)
    if url.get_backend_name() == "sqlite" and not _is_memory(url):
        parent = Path(url.database or "").expanduser().resolve().parent
        if not parent.is_dir():
            raise StoreError(E.T201.format(url=shown, detail=f"directory {parent} does not exist"), url=shown)
    try:
        if url.get_backend_name() == "sqlite":
            return _sqlite_engine(url)
        return sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreError(E.T201.format(url=shown, detail=exc), url=shown) from exc


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    memory = _is_memory(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}}
    if memory:
        kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
    engine = sa.create_engine(url, **kwargs)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # tocsin emits BEGIN itself (see _on_begin)
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
            if not memory:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
        finally:
            cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: sa.Engine, *, exclusive: bool = True) -> Iterator[sa.Connection]:
    """One write transaction: committed on success, rolled back whole on any error.

    On SQLite every write transaction is exclusive (``BEGIN IMMEDIATE``). On PostgreSQL an exclusive
    one (migrations, split, remerge) holds the store-wide advisory lock alone; the others
    (``exclusive=False``: adding reports, corrections, warnings) share it and coordinate finer:
    per merge key (``bulk.lock_merge_keys``), version columns and row locks.
    """
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
                conn.execute(sa.text(f"SELECT {lock}(:k)"), {"k": _PG_WRITE_LOCK})
            yield conn


def insert_for(conn: sa.Connection) -> Any:
    """The dialect's ``insert`` (with ``on_conflict_do_nothing``/``on_conflict_do_update``)."""
    return _insert_for(conn)


def _insert_for(conn: sa.Connection) -> Any:
    if conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    elif conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        raise StoreError(E.T201.format(url=conn.dialect.name, detail="only SQLite and PostgreSQL are supported"))
    return insert


_IGNORE_CACHE: dict[tuple[str, str, tuple[str, ...]], Any] = {}


def insert_ignore(conn: sa.Connection, table: sa.Table, values: dict[str, Any], keys: Sequence[str]) -> bool:
    """Insert unless a row with the same ``keys`` exists; True when inserted."""
    cache_key = (conn.dialect.name, table.name, tuple(keys))
    stmt = _IGNORE_CACHE.get(cache_key)
    if stmt is None:
        stmt = _insert_for(conn)(table).on_conflict_do_nothing(index_elements=list(keys))
        stmt = stmt.returning(*table.primary_key.columns)  # rowcount is not reliable on every driver
        _IGNORE_CACHE[cache_key] = stmt
    return conn.execute(stmt, values).first() is not None


def upsert(conn: sa.Connection, table: sa.Table, values: dict[str, Any], keys: Sequence[str]) -> None:
    """Insert, or update the row with the same ``keys``."""
    stmt = _insert_for(conn)(table).values(**values)
    changed = {k: stmt.excluded[k] for k in values if k not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changed))


def reset_sequence(conn: sa.Connection, table: sa.Table) -> None:
    """After rows were inserted with explicit ids: make the next generated id follow them (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        name = table.name
        conn.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE((SELECT MAX(id) FROM {name}), 1))")
        )


def _config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revisions() -> tuple[str, ...]:
    return tuple(sorted(_script().get_heads()))


def known_revisions() -> set[str]:
    return {s.revision for s in _script().walk_revisions()}


def current_revisions(conn: sa.Connection) -> tuple[str, ...]:
    return tuple(sorted(MigrationContext.configure(conn).get_current_heads()))


def check_known(found: Sequence[str], shown: str) -> None:
    """StoreError T202 when the database carries a revision this tocsin does not ship."""
    unknown = [r for r in found if r not in known_revisions()]
    if unknown:
        raise StoreError(
            E.T202.format(url=shown, found=", ".join(unknown), known=", ".join(head_revisions())), url=shown
        )


def upgrade(engine: sa.Engine, shown: str) -> bool:
    """Bring the schema to the newest revision in one write transaction; True if anything ran."""
    with write_transaction(engine) as conn:
        found = current_revisions(conn)
        check_known(found, shown)
        if found == head_revisions():
            return False
        try:
            command.upgrade(_config(conn), "heads")
        except TocsinError:
            raise
        except Exception as exc:  # a failing migration step: the transaction rolls every step back
            detail = getattr(exc, "orig", None) or exc
            at = ", ".join(found) or "an empty database"
            raise StoreError(
                E.T213.format(url=shown, detail=f"migrating from {at} failed: {type(exc).__name__}: {detail}"),
                url=shown,
            ) from exc
        return True
