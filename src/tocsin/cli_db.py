"""``tocsin db copy|status|merge``: move a store between backends; see and drain the write-behind queue.

Registered onto the lead's ``tocsin db`` sub-app (``tocsin.cli.db_app``) by ``register(app)``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from tocsin.cli_common import DbOption

__all__ = ["db_copy", "db_merge", "db_status", "register"]


def db_copy(
    src: Annotated[str, typer.Argument(help="Source store: a SQLite path or a database URL (read only).")],
    dst: Annotated[str, typer.Argument(help="Destination store: new or empty; created and migrated if needed.")],
) -> None:
    """Copy every table from SRC to DST, then verify row counts and a content checksum per table."""
    from tocsin.cli import _errors, out
    from tocsin.store.copy import copy_store

    with _errors():
        report = copy_store(src, dst)
    table = Table("table", "rows", "checksum (sha256)", title=f"{report.src} -> {report.dst}")
    for t in report.tables:
        table.add_row(t.table, str(t.rows), t.checksum)
    out.print(table)
    out.print(f"copied {report.rows} rows in {len(report.tables)} tables; verified: counts and checksums match")


def db_status(db: DbOption = None) -> None:
    """Rows per table, and the staged events still waiting for `tocsin db merge`."""
    from tocsin.cli import _errors, _store, out

    with _errors():
        store = _store(db, create=False)
        try:
            counts, waiting, revision = store.counts(), store.pending(), store.revision
        finally:
            store.close()
    table = Table("table", "rows", title=f"{store.url} (schema {', '.join(revision)})")
    for name, rows in counts.items():
        table.add_row(name, str(rows))
    out.print(table)
    if waiting.reports:
        since = waiting.oldest.isoformat(timespec="seconds") if waiting.oldest else "?"
        out.print(f"pending: {waiting.events} events of {waiting.reports} staged reports, oldest staged {since}; "
                  "they appear in events after `tocsin db merge`", highlight=False)
    else:
        out.print("pending: none (every stored event is merged)", highlight=False)


def db_merge(
    db: DbOption = None,
    batch: Annotated[int, typer.Option(help="Staged reports merged per transaction.")] = 2000,
) -> None:
    """Merge staged events (from `tocsin backfill` or `Store.stage`) into the stored events, oldest first."""
    from tocsin.cli import _errors, _progress, _store, out

    with _errors():
        store = _store(db)
        try:
            total = store.pending().events
            with _progress() as bar:
                task = bar.add_task("merge", total=total)
                merged = store.merge_pending(batch=batch, progress=lambda n: bar.advance(task, n))
            left = store.pending().events
        finally:
            store.close()
    out.print(f"merged {merged} staged events; {left} pending", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``copy``, ``status`` and ``merge`` to the ``tocsin db`` sub-app (once each)."""
    from tocsin.cli import db_app

    names = {c.name for c in db_app.registered_commands}
    for name, command in (("copy", db_copy), ("status", db_status), ("merge", db_merge)):
        if name not in names:
            db_app.command(name)(command)
