"""Opening a database: URL handling, engine set-up per backend, and Alembic migrations.

The only module that knows SQL dialects apart (plus ``insert_ignore``/``upsert`` below).
SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` for write transactions
(so two writers queue instead of failing on a lock upgrade); PostgreSQL writers take one
transaction-level advisory lock so event merging sees a stable set of candidates.
"""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import StaticPool

from tocsin.errors import E, StoreError, TocsinError
from tocsin.store import codec

__all__ = [
    "BUSY_TIMEOUT_S",
    "bulk_insert",
    "bulk_update",
    "insert_missing",
    "next_ids",
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


def missing_sqlite_file(url: sa.URL) -> bool:
    """True when ``url`` names a SQLite file (not in memory) that does not exist yet."""
    database = url.database or ""
    return url.get_backend_name() == "sqlite" and database not in ("", ":memory:") and not Path(database).exists()


def resolve_url(url_or_path: str | os.PathLike[str]) -> sa.URL:
    """A SQLAlchemy URL from a URL (``sqlite:///x.db``, ``postgresql+psycopg://...``) or a plain path."""
    text = os.fspath(url_or_path)
    if "://" not in text:
        if text in ("", ":memory:"):
            return sa.make_url("sqlite://")
        return sa.URL.create("sqlite", database=str(Path(text).expanduser()))
    if text.startswith("postgres://"):
        text = "postgresql://" + text[len("postgres://"):]  # the spelling libpq and many hosts hand out
    try:
        url = sa.make_url(text)
    except (sa.exc.ArgumentError, ValueError) as exc:
        shown = _without_password(text)
        detail = str(exc).replace(text, shown)
        raise StoreError(E.T201.format(url=shown, detail=detail), url=shown) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        detail = f"backend {url.get_backend_name()!r} is not supported; use sqlite or postgresql"
        raise StoreError(E.T201.format(url=display_url(url), detail=detail), url=display_url(url))
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url


def _without_password(text: str) -> str:
    """A URL SQLAlchemy could not parse, with whatever stands between ``user:`` and ``@`` masked."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", text)


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
        return _forget_temp_tables_on_rollback(sa.create_engine(url, pool_pre_ping=True, **_JSON))
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
        raise StoreError(E.T201.format(url=shown, detail=exc), url=shown) from exc


_TEMP = "tocsin_temp_tables"  # key in a DBAPI connection's info: the staging tables it has (PostgreSQL)


def _forget_temp_tables_on_rollback(engine: sa.Engine) -> sa.Engine:
    """Any rollback may have undone a ``CREATE TEMP TABLE``: the next write then creates it again."""

    def forget(conn: sa.Connection, *_args: Any) -> None:
        conn.info.pop(_TEMP, None)

    def forget_on_reset(_dbapi_conn: Any, record: Any, _state: Any) -> None:  # SQLAlchemy 2's signature
        record.info.pop(_TEMP, None)

    def forget_on_invalidate(_dbapi_conn: Any, record: Any, _exc: Any) -> None:
        record.info.pop(_TEMP, None)

    sa.event.listen(engine, "rollback", forget)
    sa.event.listen(engine, "rollback_savepoint", forget)
    sa.event.listen(engine.pool, "reset", forget_on_reset)
    sa.event.listen(engine.pool, "invalidate", forget_on_invalidate)
    return engine


#: JSON columns through orjson (``codec.dumps``: the same documents as ``json.dumps(to_dict(...))``).
_JSON: dict[str, Any] = {"json_serializer": codec.dumps, "json_deserializer": codec.loads}


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    memory = _is_memory(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": BUSY_TIMEOUT_S}, **_JSON}
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
                conn.exec_driver_sql(f"SELECT {lock}({_PG_WRITE_LOCK})")  # a constant: no binds, no compiling
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


# -- bulk writes: a batch of rows in one or two round trips --------------------------------------
#
# Rows are tuples in the order of ``columns``; JSON columns come as JSON text (``codec.dumps``), every
# other value as Python gives it (dates, datetimes: the column type's bind processing is applied here,
# so SQLite stores exactly the text SQLAlchemy would). PostgreSQL gets ``COPY ... FROM STDIN`` for plain
# inserts and one statement over ``json_populate_recordset`` where rows must be matched (insert unless
# present, update by key); SQLite gets ``executemany`` (statements of one fixed shape, in-process).


_PROCESSORS: dict[tuple[str, str, str, tuple[str, ...]], tuple[tuple[int, Any], ...]] = {}


def _processors(dialect: sa.Dialect, table: sa.Table, columns: tuple[str, ...]) -> tuple[tuple[int, Any], ...]:
    """(position, bind processor) of the non-JSON columns that have one; once per backend and column list."""
    key = (dialect.name, dialect.driver, table.name, columns)
    found = _PROCESSORS.get(key)
    if found is None:
        pairs = []
        for i, name in enumerate(columns):
            column_type = table.c[name].type
            if isinstance(column_type, sa.JSON):
                continue
            processor = column_type.dialect_impl(dialect).bind_processor(dialect)
            limit = _INT_LIMITS.get(type(column_type)) if dialect.name == "postgresql" else None
            if limit is not None:  # a binary COPY would wrap an out-of-range integer where text fails
                processor = _in_range(f"{table.name}.{name}", limit, processor)
            if processor is not None:
                pairs.append((i, processor))
        found = _PROCESSORS[key] = tuple(pairs)
    return found


#: Integer columns a binary COPY packs into fewer than 64 bits: the bound a value must stay below.
_INT_LIMITS: dict[type, int] = {sa.SmallInteger: 2**15, sa.Integer: 2**31}


def _in_range(column: str, limit: int, then: Any) -> Any:
    """A bind processor refusing integers the column cannot hold (PostgreSQL's text input would refuse them)."""

    def check(value: Any) -> Any:
        if value is not None and not -limit <= value < limit:
            raise ValueError(f"{column}: {value!r} is out of range for the column")
        return value if then is None else then(value)

    return check


def _bound(
    conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    processors = _processors(conn.dialect, table, tuple(columns))
    if not processors:
        return rows
    return list(_bound_rows(processors, rows))


def _streamed(processors: tuple[tuple[int, Any], ...], rows: Iterable[tuple[Any, ...]]) -> Iterator[Sequence[Any]]:
    """The rows with the processors applied, one at a time, for a COPY (it sends them while later ones are built).

    PostgreSQL's processors are cheap (the UTC shortcut, range checks): no memo of repeated values here.
    """
    if not processors:
        yield from rows
        return
    for row in rows:
        values = list(row)
        for i, processor in processors:
            values[i] = processor(values[i])
        yield values


def _bound_rows(processors: tuple[tuple[int, Any], ...], rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """The rows with the processors applied; a value repeated in a column (``ctx.now``) is processed once."""
    last: dict[int, tuple[Any, Any]] = {}  # per column, the last value and its result (ctx.now repeats)
    for row in rows:
        values = list(row)
        for i, processor in processors:
            value = values[i]
            seen = last.get(i)
            if seen is not None and seen[0] is value:
                values[i] = seen[1]
            else:
                values[i] = processor(value)
                last[i] = (value, values[i])
        yield tuple(values)


def _names(conn: sa.Connection, table: sa.Table, columns: Sequence[str]) -> tuple[str, str]:
    quote = conn.dialect.identifier_preparer.quote
    return quote(table.name), ", ".join(quote(c) for c in columns)


def _driver_error(conn: sa.Connection, statement: str, exc: Exception) -> sa.exc.DBAPIError:
    """A driver error raised outside SQLAlchemy (COPY), wrapped as SQLAlchemy would (sqlstate kept)."""
    dbapi_error = conn.dialect.loaded_dbapi.Error
    return sa.exc.DBAPIError.instance(statement, None, exc, dbapi_error, dialect=conn.dialect)  # type: ignore[return-value]


def _json_rows(table: sa.Table, columns: Sequence[str], rows: list[Any]) -> str:
    """Rows as one JSON array of objects; JSON columns are embedded as they are (orjson.Fragment)."""
    json_at = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, sa.JSON)]
    objects = []
    for row in rows:
        values = list(row)
        for i in json_at:
            if values[i] is not None:
                values[i] = orjson.Fragment(values[i])
        objects.append(dict(zip(columns, values, strict=True)))
    return orjson.dumps(objects, option=orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z).decode()


def bulk_insert(conn: sa.Connection, table: sa.Table, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (COPY on PostgreSQL, executemany on SQLite).

    ``rows`` may be a generator: on PostgreSQL each row is built while the server stores the ones
    sent before it (COPY streams), so the writer's Python work and the server's overlap.
    """
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    rows = itertools.chain((first,), rows)
    name, cols = _names(conn, table, columns)
    if conn.dialect.name == "postgresql":
        bound = _streamed(_processors(conn.dialect, table, tuple(columns)), rows)
        _copy(conn, name, cols, bound, _copy_types(table, tuple(columns)))
        return
    values = _bound(conn, table, columns, list(rows))
    marks = ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {name} ({cols}) VALUES ({marks})", values)  # type: ignore[arg-type]


def _copy(
    conn: sa.Connection,
    name: str,
    cols: str,
    values: Iterable[Sequence[Any]],
    types: tuple[int, ...] | None,
    *,
    savepoint: bool = False,
) -> None:
    """``COPY name (cols) FROM STDIN`` of bound values (PostgreSQL); ``savepoint``: inside ``SAVEPOINT tocsin_copy``.

    With ``types`` (``_copy_types``) in PostgreSQL's binary format: psycopg then packs each value
    with a dumper chosen once per column (no per-value type lookup, no text escaping) and the server
    parses no text (timestamps, numbers): measured ~3x less client CPU per row, ~15% less server CPU.
    """
    statement = f"COPY {name} ({cols}) FROM STDIN" + (" (FORMAT BINARY)" if types else "")
    try:
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            if savepoint:
                cursor.execute(f"SAVEPOINT {_SAVEPOINT}")
            with cursor.copy(statement) as copy:
                if types:
                    copy.set_types(types)
                for row in values:
                    copy.write_row(row)
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _driver_error(conn, statement, exc) from exc


@cache
def _copy_types(table: sa.Table, columns: tuple[str, ...]) -> tuple[int, ...] | None:
    """PostgreSQL type OIDs for a binary COPY of ``columns``; None (text COPY) if one has no plain binary form.

    OIDs, not names: psycopg's ``set_types`` then skips a name lookup per column and COPY.

    JSON columns travel as text (``json`` takes the document's text as its binary form; ``jsonb``
    would not, so it is not listed). Values must be of the column's Python type (int for integers,
    str for text, date, aware datetime), which the callers' rows are (the checks and bind processors).
    """
    names = []
    for name in columns:
        kind = table.c[name].type
        if isinstance(kind, sa.TypeDecorator):
            kind = kind.impl_instance
        found = next((t for cls, t in _BINARY_TYPES if isinstance(kind, cls)), None)
        if found is None or (isinstance(kind, sa.DateTime) and not kind.timezone):
            return None
        names.append(found)
    from psycopg.postgres import types  # PostgreSQL only: psycopg is there

    return tuple(types[n].oid for n in names)


#: SQLAlchemy type -> PostgreSQL type of a binary COPY; subclasses before their bases.
_BINARY_TYPES: tuple[tuple[type, str], ...] = (
    (sa.SmallInteger, "int2"),
    (sa.BigInteger, "int8"),
    (sa.Integer, "int4"),
    (sa.Float, "float8"),
    (sa.Boolean, "bool"),
    (sa.DateTime, "timestamptz"),
    (sa.Date, "date"),
    (sa.JSON, "text"),
    (sa.String, "text"),
)


_SAVEPOINT = "tocsin_copy"
_UNIQUE_VIOLATION = "23505"


def _insert_missing_pg(
    conn: sa.Connection, table: sa.Table, key: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> set[Any]:
    """COPY the rows straight into the table; on a duplicate key, redo them the safe way (``_insert_via_temp``).

    Callers skip what they know is stored, so a duplicate is rare (another writer storing the same
    row at the same moment, or a caller that did not look): the straight COPY runs inside a
    savepoint, and only a unique violation rolls back to it. Rows keep the caller's order (lock order:
    two writers inserting overlapping rows in one order cannot deadlock).
    """
    at = list(columns).index(key)
    source = iter(rows)
    first = next(source, None)
    if first is None:
        return set()
    source = itertools.chain((first,), source)
    written: list[tuple[Any, ...]] = []

    def kept() -> Iterator[tuple[Any, ...]]:
        for row in source:
            written.append(row)
            yield row

    name, cols = _names(conn, table, columns)
    processors = _processors(conn.dialect, table, tuple(columns))
    try:
        _copy(conn, name, cols, _streamed(processors, kept()), _copy_types(table, tuple(columns)), savepoint=True)
        return {row[at] for row in written}
    except sa.exc.DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != _UNIQUE_VIOLATION:
            raise
    written += source  # the rows the failed COPY did not reach
    try:
        with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
            cursor.execute(f"ROLLBACK TO SAVEPOINT {_SAVEPOINT}")
    except conn.dialect.loaded_dbapi.Error as exc:
        raise _driver_error(conn, "ROLLBACK TO SAVEPOINT", exc) from exc
    return _insert_via_temp(conn, table, key, columns, written)


def _insert_via_temp(
    conn: sa.Connection, table: sa.Table, key: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> set[Any]:
    """COPY the rows into a temporary table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING``.

    The temporary table lives as long as the connection (``ON COMMIT DELETE ROWS``; created on its
    first use and after any rollback, which may have undone the creation).
    """
    quote = conn.dialect.identifier_preparer.quote
    name, cols = _names(conn, table, columns)
    staging = quote(f"tocsin_in_{table.name}")
    made: set[str] = conn.info.setdefault(_TEMP, set())
    if staging not in made:  # once per connection (and again after any rollback): saves a round trip per batch
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        made.add(staging)
    _copy(conn, staging, cols, _bound(conn, table, columns, rows), _copy_types(table, tuple(columns)))
    statement = (  # emptied as it is read: a second call in the transaction sees only its own rows
        f"WITH moved AS (DELETE FROM {staging} RETURNING {cols})"
        f" INSERT INTO {name} ({cols}) SELECT {cols} FROM moved"
        f" ON CONFLICT ({quote(key)}) DO NOTHING RETURNING {quote(key)}"
    )
    return {found for (found,) in conn.exec_driver_sql(statement)}


def insert_missing(
    conn: sa.Connection, table: sa.Table, key: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> set[Any]:
    """Insert the rows whose ``key`` is not stored yet (nor stored by another writer meanwhile); their keys.

    PostgreSQL: one COPY straight into the table inside a savepoint; only when a key is taken (a
    row another transaction inserted, committed or not: it waits for that one) it rolls back to the
    savepoint and takes the temporary table + ``INSERT ... SELECT ... ON CONFLICT DO NOTHING
    RETURNING`` path. SQLite: the caller holds the write lock (BEGIN IMMEDIATE), so reading which
    keys exist, then inserting the others, cannot race. ``rows`` may be a generator (streamed).
    """
    if conn.dialect.name == "postgresql":
        return _insert_missing_pg(conn, table, key, columns, rows)
    rows = list(rows)
    if not rows:
        return set()
    at = list(columns).index(key)
    wanted = [row[at] for row in rows]
    found: set[Any] = set()
    for i in range(0, len(wanted), 500):
        found.update(conn.execute(sa.select(table.c[key]).where(table.c[key].in_(wanted[i : i + 500]))).scalars())
    fresh = [row for row in rows if row[at] not in found]
    bulk_insert(conn, table, columns, fresh)
    return {row[at] for row in fresh}


def bulk_update(
    conn: sa.Connection,
    table: sa.Table,
    key: str,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    increments: Sequence[str] = (),
) -> None:
    """Update rows by ``key`` (the first of ``columns``); columns in ``increments`` are added to, not set."""
    if not rows:
        return
    assert columns[0] == key
    quote = conn.dialect.identifier_preparer.quote
    name, _ = _names(conn, table, columns)
    values = _bound(conn, table, columns, rows)
    if conn.dialect.name == "postgresql":
        _update_pg(conn, table, key, tuple(columns), values, tuple(increments))
        return
    sets = ", ".join(f"{quote(c)} = {quote(c)} + ?" if c in increments else f"{quote(c)} = ?" for c in columns[1:])
    conn.exec_driver_sql(
        f"UPDATE {name} SET {sets} WHERE {quote(key)} = ?", [(*row[1:], row[0]) for row in values]  # type: ignore[arg-type]
    )


def _update_pg(
    conn: sa.Connection,
    table: sa.Table,
    key: str,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    increments: tuple[str, ...],
) -> None:
    """``bulk_update`` on PostgreSQL: binary COPY into a temporary table, then one ``UPDATE ... FROM`` it.

    Was one ``json_populate_recordset`` over a JSON document of the rows: parsing it cost the server
    about as much as the update itself (~50 of ~93 us per merged event row, docs/capacity.md). The
    temporary table has just ``columns`` (no constraints), lives as long as the connection
    (``ON COMMIT DELETE ROWS``; created on first use and again after any rollback) and is emptied as
    it is read, so a second update in the same transaction sees only its own rows.
    """
    quote = conn.dialect.identifier_preparer.quote
    name, cols = _names(conn, table, columns)
    staging = quote(f"tocsin_up_{table.name}_{zlib.crc32(cols.encode()):08x}")
    made: set[str] = conn.info.setdefault(_TEMP, set())
    if staging not in made:
        conn.exec_driver_sql(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DELETE ROWS AS SELECT {cols} FROM {name} WITH NO DATA"
        )
        made.add(staging)
    _copy(conn, staging, cols, rows, _copy_types(table, columns))
    sets = ", ".join(
        f"{quote(c)} = t.{quote(c)} + v.{quote(c)}" if c in increments else f"{quote(c)} = v.{quote(c)}"
        for c in columns[1:]
    )
    conn.exec_driver_sql(
        f"WITH v AS (DELETE FROM {staging} RETURNING {cols})"
        f" UPDATE {name} AS t SET {sets} FROM v WHERE t.{quote(key)} = v.{quote(key)}"
    )


def next_ids(conn: sa.Connection, table: sa.Table, n: int) -> list[int]:
    """``n`` fresh ids for ``table`` (ascending), so rows can be inserted with their ids in one go.

    PostgreSQL draws them from the id sequence (other writers draw theirs meanwhile: no clash).
    SQLite: the ids it would give itself (max + 1 ...), safe under the caller's write lock.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        statement = sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)")
        return sorted(int(i) for i in conn.execute(statement, {"t": table.name, "n": n}).scalars())
    top = conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0
    return list(range(top + 1, top + 1 + n))


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
