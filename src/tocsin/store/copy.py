"""Moving a whole store between databases (SQLite <-> PostgreSQL), verified table by table.

``copy_store`` reads every table of the schema from the source (never writing to it), writes the
rows into an empty destination in ONE transaction, then recomputes row counts and a content
checksum per table on the destination inside that transaction and compares them with the source's:
any difference rolls the destination back (StoreError T212), so a copy is either whole or absent.

The checksum is backend-neutral: SHA-256 over the rows in primary-key order, each row as canonical
JSON (datetimes as UTC ISO text, bytes as hex, JSON documents with sorted keys, floats by ``repr``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tocsin.errors import E, StoreError, TocsinError
from tocsin.store import engine as eng
from tocsin.store.db import Store
from tocsin.store.tables import metadata

__all__ = ["CopyReport", "TableCopy", "copy_store", "table_checksums"]

_CHUNK = 2000


@dataclass(frozen=True)
class TableCopy:
    table: str
    rows: int
    checksum: str
    """SHA-256 (hex) of the table's content, identical on the source and the destination."""


@dataclass
class CopyReport:
    src: str
    dst: str
    tables: list[TableCopy] = field(default_factory=list)
    verified: bool = False

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, float):
        return repr(value)
    return value


def _tables() -> list[sa.Table]:
    eng.load_table_modules()
    return list(metadata.sorted_tables)


def _ordered(table: sa.Table) -> sa.Select[Any]:
    return sa.select(table).order_by(*table.primary_key.columns)


def _rows(conn: sa.Connection, table: sa.Table) -> Iterable[dict[str, Any]]:
    result = conn.execution_options(yield_per=_CHUNK).execute(_ordered(table))
    for row in result.mappings():
        yield dict(row)


def _checksum(rows: Iterable[dict[str, Any]]) -> tuple[int, str]:
    digest = hashlib.sha256()
    n = 0
    for row in rows:
        n += 1
        line = json.dumps({k: _canonical(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=True)
        digest.update(line.encode())
        digest.update(b"\n")
    return n, digest.hexdigest()


def table_checksums(conn: sa.Connection) -> dict[str, tuple[int, str]]:
    """Table name -> (row count, content checksum) for every table of the schema present in the database."""
    existing = set(sa.inspect(conn).get_table_names())
    return {t.name: _checksum(_rows(conn, t)) for t in _tables() if t.name in existing}


def copy_store(src_url: str, dst_url: str) -> CopyReport:
    """Copy every table from ``src_url`` into the (new or empty) store at ``dst_url`` and verify it.

    The destination is created or migrated first; a non-empty destination is refused (T211).
    """
    with Store(src_url, upgrade=False) as src:
        report = CopyReport(src=src.url, dst="")
        with Store(dst_url) as dst:
            report.dst = dst.url
            if src.revision != dst.revision:
                detail = f"schema {', '.join(src.revision)} vs {', '.join(dst.revision)}"
                raise StoreError(E.T211.format(src=src.url, dst=dst.url, detail=detail))
            if any(dst.counts().values()):
                raise StoreError(E.T211.format(src=src.url, dst=dst.url, detail="the destination is not empty"))
            try:
                with src.engine.connect() as read, eng.write_transaction(dst.engine) as write:
                    expected = table_checksums(read)
                    for table in _tables():
                        if table.name in expected:
                            _copy_table(read, write, table)
                    found = table_checksums(write)
                    for name, (rows, checksum) in expected.items():
                        if found.get(name) != (rows, checksum):
                            got = found.get(name, (0, "missing"))
                            detail = f"source {rows} rows {checksum[:12]}, destination {got[0]} rows {got[1][:12]}"
                            raise StoreError(E.T212.format(src=src.url, dst=dst.url, table=name, detail=detail))
                        report.tables.append(TableCopy(name, rows, checksum))
            except TocsinError:
                raise
            except sa.exc.SQLAlchemyError as exc:
                detail = getattr(exc, "orig", None) or exc
                raise StoreError(E.T211.format(src=src.url, dst=dst.url, detail=detail)) from exc
    report.verified = True
    return report


def _copy_table(read: sa.Connection, write: sa.Connection, table: sa.Table) -> None:
    batch: list[dict[str, Any]] = []
    insert = sa.insert(table)
    for row in _rows(read, table):
        batch.append(row)
        if len(batch) >= _CHUNK:
            write.execute(insert, batch)
            batch = []
    if batch:
        write.execute(insert, batch)
    if "id" in table.c and isinstance(table.c.id.type, sa.Integer) and table.c.id.primary_key:
        eng.reset_sequence(write, table)
