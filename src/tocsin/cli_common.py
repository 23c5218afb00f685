"""What every ``tocsin`` command module shares: consoles, the ``--db`` option, and error handling.

Domain errors (``TocsinError``) become a one-line message with their code and exit status 2,
here and nowhere else.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Annotated

import typer
from rich.console import Console

from tocsin.errors import TocsinError

__all__ = ["DbOption", "err", "errors", "out"]

_WIDE = 160  # when not on a terminal (pipes, logs, tests), don't fold tables to 80 columns
out = Console(width=None if sys.stdout.isatty() else _WIDE)
err = Console(stderr=True, width=None if sys.stderr.isatty() else _WIDE)

DbOption = Annotated[str | None, typer.Option("--db", help="Database path or URL (default: $TOCSIN_DATABASE_URL, "
                                              "else ./tocsin.db).")]


@contextlib.contextmanager
def errors() -> Iterator[None]:
    try:
        yield
    except TocsinError as error:
        err.print(f"[red]error:[/red] {error.message}", highlight=False, markup=True)
        raise typer.Exit(2) from None
