"""``tocsin db copy SRC DST``: move a whole store between SQLite and PostgreSQL, verified.

Registered onto the lead's ``tocsin db`` sub-app (``tocsin.cli.db_app``) by ``register(app)``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

__all__ = ["db_copy", "register"]


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


def register(app: typer.Typer) -> None:
    """Add ``copy`` to the ``tocsin db`` sub-app (once)."""
    from tocsin.cli import db_app

    if not any(c.name == "copy" for c in db_app.registered_commands):
        db_app.command("copy")(db_copy)
