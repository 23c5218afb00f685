"""``tocsin backfill PATH... [--engine ray] [--address ADDR]``: bulk extraction of a large corpus into the store.

Registered onto the lead's typer app by ``register(app)``; the work is ``tocsin.cluster.backfill``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table

__all__ = ["backfill_command", "register"]

_NAMES = ("read", "new", "duplicate", "rejected", "skipped", "events", "notices", "drafts")


def backfill_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, RSS/Atom (.gz too).")],
    db: Annotated[str | None, typer.Option("--db", help="Database path or URL (default: $TOCSIN_DATABASE_URL, "
                                           "else ./tocsin.db).")] = None,
    engine: Annotated[str, typer.Option(help="local: this process (as `tocsin ingest`); ray: a Ray cluster.")] = (
        "local"
    ),
    address: Annotated[str | None, typer.Option(help="Ray head node to join (host:port or ray://host:port); "
                                                "default: start a local Ray on this machine.")] = None,
    actors: Annotated[int | None, typer.Option(help="Ray actors, each with one pipeline (default: the cluster's "
                                               "CPUs).")] = None,
    num_cpus: Annotated[int | None, typer.Option(help="CPUs of a local Ray (default: this machine's).")] = None,
    batch_size: Annotated[int, typer.Option(help="Reports per extraction batch and per store transaction.")] = 64,
) -> None:
    """Extract a large corpus into the store; rerun after an interruption to complete it (stored reports skip)."""
    from tocsin.cli import _errors, _progress, _store, err, out
    from tocsin.cluster import ENGINES, INSTALL_HINT, backfill, ray_available
    from tocsin.sources import count_items

    if engine == "ray" and not ray_available():
        err.print(f"the Ray engine needs the cluster extra; install it with:\n    {INSTALL_HINT}", highlight=False,
                  markup=False)
        raise typer.Exit(2)
    if engine not in ENGINES:
        err.print(f"--engine {engine!r} is not a valid option, must be one of {', '.join(ENGINES)}", markup=False)
        raise typer.Exit(2)
    with _errors():
        store = _store(db)
        try:
            total = count_items(paths)
            started = time.monotonic()
            with _progress() as bar:
                task = bar.add_task(f"backfill ({engine})", total=total)
                merging: list[TaskID] = []

                def merged(n: int) -> None:
                    if not merging:  # the first chunk is merged: what waits is known now
                        merging.append(bar.add_task("merge events", total=store.pending().events + n))
                    bar.advance(merging[0], n)

                summary = backfill(paths, store, engine=engine, address=address, actors=actors, num_cpus=num_cpus,
                                   batch_size=batch_size, progress=lambda n: bar.advance(task, n),
                                   merge_progress=merged)
            elapsed = time.monotonic() - started
        finally:
            store.close()
    for problem in summary.problems:
        err.print(f"{problem.severity}: {problem.message}", highlight=False, markup=False)
    table = Table(title=f"backfill ({engine})", show_header=True)
    for name in _NAMES:
        table.add_column(name, justify="right")
    table.add_row(*(str(getattr(summary, n)) for n in _NAMES))
    out.print(table)
    rate = summary.new / elapsed if elapsed > 0 else 0.0
    out.print(f"{summary.new} new reports extracted in {elapsed:.1f} s ({rate:.1f} reports/s)", highlight=False)
    if not summary.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``backfill`` to the ``tocsin`` app (once)."""
    if not any(c.name == "backfill" for c in app.registered_commands):
        app.command("backfill")(backfill_command)
