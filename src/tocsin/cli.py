"""The ``tocsin`` command: a thin layer that parses options, calls the library, and formats.

Domain errors (``TocsinError``) are turned into a one-line message with their code and
exit status 2, here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from tocsin import settings
from tocsin.cli_common import DbOption, err, out
from tocsin.cli_common import errors as _errors
from tocsin.errors import InputError
from tocsin.model import EVENT_TYPES, SUB_EVENT_TYPES, to_dict

if TYPE_CHECKING:
    from tocsin.store.records import StoredEvent

app = typer.Typer(help="tocsin: conflict reports in; sourced, geo-referenced events and CAP warnings out.",
                  no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)
events_app = typer.Typer(help="Stored events: list, show, split a merge, correct a field.")
places_app = typer.Typer(help="The user gazetteer: import neighbourhoods and villages.", no_args_is_help=True)
db_app = typer.Typer(help="The database: create or migrate the schema.", no_args_is_help=True)
app.add_typer(events_app, name="events")
app.add_typer(places_app, name="places")
app.add_typer(db_app, name="db")

PublishedOption = Annotated[
    str | None,
    typer.Option("--published", help="Publication time of reports that give none (ISO 8601 or a date), "
                 "so 'on Thursday' can be dated."),
]


def _published(value: str | None) -> dt.datetime | None:
    from tocsin.errors import E
    from tocsin.sources import parse_published

    if value is None:
        return None
    parsed = parse_published(value)
    if parsed is None:
        raise InputError(E.T018.format(where="--published", value=value))
    return parsed


def _store(db: str | None, *, create: bool = True) -> Any:
    """The store; ``create=False`` for commands that only read or change what is stored."""
    from tocsin.store import Store

    return Store(db or settings.get("database_url"), create=create)


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.speed} /s"),
        TimeRemainingColumn(), console=err, transient=False, disable=not err.is_terminal,
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders: .txt, .html, .jsonl, RSS/Atom (.gz too).")],
    db: DbOption = None,
    batch_size: Annotated[int, typer.Option(help="Reports per extraction batch.")] = 64,
    published: PublishedOption = None,
) -> None:
    """Read reports, store each once (by content hash), extract and merge their events."""
    from tocsin.extraction import Extractor
    from tocsin.ingestion import ingest as run_ingest
    from tocsin.sources import count_items

    with _errors():
        default_published = _published(published)
        store = _store(db)
        total = count_items(paths)
        with _progress() as bar:
            task = bar.add_task("ingest", total=total)
            extractor = Extractor(places=store.places())
            summary = run_ingest(paths, store, extractor=extractor, batch_size=batch_size,
                                 progress=lambda n: bar.advance(task, n), published=default_published)
        for problem in summary.problems:
            err.print(f"{problem.severity}: {problem.message}", highlight=False, markup=False)
        table = Table(title="ingest", show_header=True)
        names = ("read", "new", "duplicate", "rejected", "skipped", "events", "notices", "drafts")
        for name in names:
            table.add_column(name, justify="right")
        table.add_row(*(str(getattr(summary, n)) for n in names))
        out.print(table)
        store.close()
    if not summary.ok:
        raise typer.Exit(1)


@app.command()
def extract(
    source: Annotated[Path, typer.Argument(help="A .jsonl file of reports (or any readable report file).")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write JSONL here (default stdout).")] = None,
    batch_size: Annotated[int, typer.Option(help="Reports per extraction batch.")] = 64,
    published: PublishedOption = None,
) -> None:
    """Extract events, notices and toponyms with no database: one output line per input report."""
    from tocsin.extraction import Extractor
    from tocsin.sources import Problem, read_paths

    failed = 0
    with _errors():
        default_published = _published(published)
        extractor = Extractor()
        target = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            pending: list[Any] = []

            def flush() -> None:
                reports = [item for item in pending if not isinstance(item, Problem)]
                results = iter(extractor.extract_reports(reports, batch_size=batch_size))
                for item in pending:
                    if isinstance(item, Problem):
                        line = {"id": None, "origin": item.origin, "error": item.message}
                    else:
                        line = to_dict(next(results))
                    target.write(json.dumps(line, ensure_ascii=False) + "\n")
                pending.clear()

            for item in read_paths([source], published=default_published):
                if isinstance(item, Problem):
                    err.print(f"{item.severity}: {item.message}", highlight=False, markup=False)
                    if item.severity != "rejected":
                        continue
                    failed += 1
                pending.append(item)
                if len(pending) >= batch_size:
                    flush()
            flush()
        finally:
            if output:
                target.close()
    if failed:
        raise typer.Exit(1)


def _parse_day(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"[T010] --{name}: field {name!r} must be a date YYYY-MM-DD, got {value!r}") from None


def _parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != 4 or not (-180 <= parts[0] <= parts[2] <= 180 and -90 <= parts[1] <= parts[3] <= 90):
        raise InputError(f"[T010] --bbox: field 'bbox' must be min_lon,min_lat,max_lon,max_lat, got {value!r}")
    return parts  # type: ignore[return-value]


def _check_choice(value: str | None, name: str, valid: tuple[str, ...]) -> None:
    if value is not None and value not in valid:
        raise InputError(f"[T102] {name}: {value!r} is not a valid option, must be one of {', '.join(valid)}")


FORMATS = ("table", "json", "csv", "geojson")


@events_app.callback(invoke_without_command=True)
def events(
    ctx: typer.Context,
    db: DbOption = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Earliest date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Latest date, YYYY-MM-DD.")] = None,
    event_type: Annotated[str | None, typer.Option("--type", help="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, typer.Option("--sub-type", help="ACLED sub-event type.")] = None,
    country: Annotated[str | None, typer.Option(help="Country name.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level region (governorate, province).")] = None,
    actor: Annotated[str | None, typer.Option(help="Part of an actor's name.")] = None,
    bbox: Annotated[str | None, typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv (ACLED columns) or geojson.")] = "table",
    show_claims: Annotated[bool, typer.Option("--show-claims", help="Show every source's claims.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")] = None,
) -> None:
    """List stored events with filters, as a table, JSON, ACLED CSV or GeoJSON."""
    if ctx.invoked_subcommand is not None:
        return
    from tocsin.exports import to_acled_csv, to_geojson
    from tocsin.store import EventFilter

    with _errors():
        _check_choice(fmt, "--format", FORMATS)
        _check_choice(event_type, "--type", tuple(EVENT_TYPES))
        _check_choice(sub_event_type, "--sub-type", SUB_EVENT_TYPES)
        flt = EventFilter(date_from=_parse_day(date_from, "from"), date_to=_parse_day(date_to, "to"),
                          event_type=event_type, sub_event_type=sub_event_type, country=country, admin1=admin1,
                          actor=actor, bbox=_parse_bbox(bbox))
        store = _store(db, create=False)
        stored = store.events(flt, limit=limit)
        pairs = [(s.id, s.event) for s in stored]
        if fmt == "table":
            _print_events(stored, show_claims)
            return
        if fmt == "json":
            text = json.dumps([{"id": i, **to_dict(e)} for i, e in pairs], ensure_ascii=False, indent=1)
        elif fmt == "csv":
            text = to_acled_csv(pairs)
        else:
            text = to_geojson(pairs)
        if output:
            output.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")


events_app.command("list")(events)


def _print_events(stored: list[StoredEvent], show_claims: bool) -> None:
    """The events as a table; "reports" counts the reports merged into each (``events show ID`` lists them)."""
    table = Table(show_header=True, header_style="bold", title=f"{len(stored)} events")
    for name in ("id", "date", "sub-event type", "actors", "location", "fatal.", "displ.", "reports"):
        table.add_column(name, overflow="fold")
    for item in stored:
        event_id, e = item.id, item.event
        actors = " vs ".join(a for a in (e.actor1, e.actor2) if a) or "-"
        loc = e.location
        where = ", ".join(p for p in (loc.name, loc.admin1, loc.country) if p) or "-"
        table.add_row(str(event_id), e.date.isoformat() if e.date else "-", e.sub_event_type, actors, where,
                      "-" if e.fatalities is None else str(e.fatalities),
                      "-" if e.displaced is None else str(e.displaced), str(len(item.mentions) or 1))
        if show_claims:
            for claim in e.claims:
                table.add_row("", "", f"  claim: {claim.field}", claim.source, repr(claim.value), "", "", "")
    out.print(table)


@events_app.command("show")
def events_show(event_id: int, db: DbOption = None) -> None:
    """One event with its sources and evidence, as JSON."""
    with _errors():
        stored = _store(db, create=False).event(event_id)
        out.print_json(json.dumps(_stored_dict(stored), ensure_ascii=False))


def _stored_dict(stored: Any) -> dict[str, Any]:
    return {"id": stored.id, "version": stored.version, **to_dict(stored.event),
            "mentions": [to_dict(m) for m in stored.mentions]}


@events_app.command("split")
def events_split(event_id: int, db: DbOption = None) -> None:
    """Undo a merge: every source report's event becomes its own event again."""
    with _errors():
        ids = _store(db, create=False).split(event_id)
        out.print(f"event {event_id} split into {', '.join(str(i) for i in ids)}")


@events_app.command("correct")
def events_correct(
    event_id: int,
    field: str,
    value: str,
    db: DbOption = None,
    who: Annotated[str, typer.Option(help="Who makes the correction.")] = "cli",
    reason: Annotated[str | None, typer.Option(help="Why.")] = None,
) -> None:
    """Correct one field of an event; the correction is recorded with before and after."""
    with _errors():
        _store(db, create=False).correct(event_id, field, value, who=who, reason=reason)
        out.print(f"event {event_id}: {field} corrected")


@places_app.command("import")
def places_import(
    path: Path,
    db: DbOption = None,
) -> None:
    """Import places from a GeoNames dump (.txt, tab-separated) or a GeoJSON file of named areas."""
    from tocsin.geo.importers import read_geojson, read_geonames_dump

    with _errors():
        if not path.exists():
            raise InputError(f"[T008] {path}: no such file or directory")
        reader = read_geojson if path.suffix.lower() in (".geojson", ".json") else read_geonames_dump
        places = list(reader(path))
        store = _store(db)
        store.add_places(places)
        out.print(f"{len(places)} places imported from {path}")


@places_app.command("list")
def places_list(db: DbOption = None) -> None:
    """The user places in the store."""
    with _errors():
        table = Table("name", "parent", "country", "lat", "lon", "area")
        for p in _store(db, create=False).places():
            table.add_row(p.name, p.parent or "", p.country_code, f"{p.latitude:.4f}", f"{p.longitude:.4f}",
                          "polygon" if p.geometry else "point")
        out.print(table)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the schema, or migrate it to this version of tocsin."""
    with _errors():
        store = _store(db)
        store.upgrade()
        out.print(f"schema up to date: {store.url}")


@app.command("eval")
def evaluate(
    data: Annotated[Path, typer.Option(help="Folder with the annotated data sets.")] = Path("../shared/eval"),
) -> None:
    """Score extraction against annotated data (CASE 2021, ACLED notes, TR-News, news notices)."""
    from tocsin.eval.run import run_all

    with _errors():
        run_all(data, console=out)


#: Modules that add their commands to ``app`` through a ``register(app)`` function.
COMMAND_MODULES = (
    "tocsin.cli_warnings", "tocsin.cli_api", "tocsin.cli_db", "tocsin.cli_cluster", "tocsin.cli_watch",
)


@app.command()
def train(
    exports: Annotated[list[Path], typer.Argument(help="ACLED CSV exports (notes and sub_event_type columns).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the model file.")] = Path("model"),
    case: Annotated[
        list[Path] | None,
        typer.Option("--case", help="News snippets with ACLED labels (CASE 2021 Task 2 TSV: id, EventSnippet, "
                                    "SubType); repeat for several files."),
    ] = None,
) -> None:
    """Retrain the sub-event classifier on your own ACLED export; use it with TOCSIN_CLASSIFIER_MODEL."""
    from tocsin.train import train as run_train

    with _errors():
        for path in [*exports, *(case or [])]:
            if not path.exists():
                raise InputError(f"[T008] {path}: no such file or directory")
        target = run_train(exports, output, case_paths=case or [])
        out.print(f"model written to {target}; use it with TOCSIN_CLASSIFIER_MODEL={target}")


def _register_optional() -> None:
    import importlib
    import importlib.util

    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(app)


_register_optional()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
