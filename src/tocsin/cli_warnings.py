"""``tocsin warnings|status|subscriptions|outbox``: thin commands over ``tocsin.warnings``.

Mounted into the main CLI with :func:`register`. Each command parses options, calls one library
function and prints; domain errors become a one-line ``error: [Txxx] ...`` with exit status 2.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tocsin import settings
from tocsin.cli_common import DbOption, err, out
from tocsin.cli_common import errors as _errors
from tocsin.errors import E, InputError

__all__ = ["outbox_app", "register", "status", "subscriptions_app", "warnings_app"]

warnings_app = typer.Typer(help="Civilian warnings as CAP 1.2 alerts: drafts, publish, update, cancel, export.",
                           no_args_is_help=True)
subscriptions_app = typer.Typer(help="Webhook subscriptions to warnings in an area.", no_args_is_help=True)
outbox_app = typer.Typer(help="The webhook delivery outbox.", no_args_is_help=True)


WhoOption = Annotated[str, typer.Option("--who", help="Who is acting (recorded in the warning log).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
SenderOption = Annotated[str | None, typer.Option(
    "--sender", help="The CAP sender: ID is then that sender's CAP identifier (needed only when several senders "
                     "use one identifier; `warnings list` shows each message's own id).")]


@contextlib.contextmanager
def _warning_store(db: str | None) -> Iterator[Any]:
    from tocsin.store import Store
    from tocsin.warnings.store import WarningStore

    store = Store(db or settings.get("database_url"))
    try:
        yield WarningStore(store)
    finally:
        store.close()


def _time(value: str | None, name: str) -> dt.datetime | None:
    """ISO 8601; a time without offset is UTC."""
    if value is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(E.T010.format(where=f"--{name}", field=name, expected="an ISO 8601 date-time",
                                       value=value)) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


def _summary(stored: Any) -> dict[str, Any]:
    from tocsin.model import to_dict

    w = stored.warning
    return to_dict({
        "id": stored.key, "identifier": w.id, "sender": w.sender,
        "state": stored.state, "kind": w.kind, "msg_type": w.msg_type, "status": w.status,
        "headline": w.headline, "instruction": w.instruction, "issuer": w.sender_name or w.sender,
        "sent": w.sent, "starts": w.starts, "ends": w.ends, "areas": [a.description for a in w.areas],
        "corridors": [c.name for c in w.corridors], "window": w.window.to_text() if w.window else None,
        "references": [r.to_text() for r in w.references], "report_id": w.report_id,
        "published_by": stored.published_by, "published_at": stored.published_at,
        "superseded_by": stored.superseded_by, "version": stored.version, "imported": stored.imported,
    })


def _print_warnings(items: list[Any], as_json: bool) -> None:
    if as_json:
        for stored in items:
            out.print_json(json.dumps(_summary(stored)))
        return
    table = Table(show_header=True)
    # the id is what `publish`, `update` and `show` take: never cut it, let the other columns wrap
    table.add_column("id", no_wrap=True, min_width=max((len(s.key) for s in items), default=2))
    for name in ("state", "kind", "type", "headline", "starts", "ends"):
        table.add_column(name)
    for stored in items:
        w = stored.warning
        table.add_row(stored.key, stored.state, w.kind, w.msg_type, w.headline or "", w.starts.isoformat(),
                      w.ends.isoformat() if w.ends else "")
    out.print(table)


# -- warnings -----------------------------------------------------------------------------------------


@warnings_app.command("create")
def warnings_create(
    kind: Annotated[str, typer.Option(help="evacuation_order, strike_warning, curfew, safe_corridor, deadline, "
                                           "all_clear")] = "evacuation_order",
    polygon: Annotated[list[str] | None, typer.Option(help="A CAP polygon 'lat,lon lat,lon ...' (repeatable).")] = None,
    circle: Annotated[list[str] | None, typer.Option(help="A CAP circle 'lat,lon radius_km' (repeatable).")] = None,
    area: Annotated[list[str] | None, typer.Option(help="A named place from the gazetteer (repeatable).")] = None,
    radius_km: Annotated[float | None, typer.Option(help="Radius for named places that have no polygon.")] = None,
    area_name: Annotated[str | None, typer.Option(help="areaDesc for --polygon/--circle.")] = None,
    route: Annotated[Path | None, typer.Option(help="Corridor route file: GeoJSON or 'lat,lon ...'.")] = None,
    width_m: Annotated[float, typer.Option(help="Corridor width in metres.")] = 1000.0,
    corridor_name: Annotated[str, typer.Option(help="Corridor name.")] = "corridor",
    window: Annotated[str | None, typer.Option(help="'daily 22:00-06:00 Europe/Kyiv' or 'START/END'.")] = None,
    effective: Annotated[str | None, typer.Option(help="ISO 8601 start.")] = None,
    expires: Annotated[str | None, typer.Option(help="ISO 8601 end.")] = None,
    headline: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    instruction: Annotated[str | None, typer.Option()] = None,
    issuer: Annotated[str | None, typer.Option(help="senderName: the authority that ordered it.")] = None,
    sender: Annotated[str, typer.Option(help="CAP sender (identifies this tocsin).")] = "tocsin@localhost",
    severity: Annotated[str, typer.Option()] = "Severe",
    urgency: Annotated[str, typer.Option()] = "Immediate",
    certainty: Annotated[str, typer.Option()] = "Likely",
    category: Annotated[str, typer.Option(help="CAP category (Safety, Security, ...).")] = "Safety",
    from_cap: Annotated[Path | None, typer.Option("--from-cap", help="Create from a CAP XML file instead.")] = None,
    who: WhoOption = "cli",
    db: DbOption = None,
) -> None:
    """Create a warning as a draft (nothing is public until `tocsin warnings publish`)."""
    from tocsin.warnings.cap import read_cap_file
    from tocsin.warnings.drafts import new_identifier
    from tocsin.warnings.geometry import gazetteer_resolver, parse_circle, parse_polygon, parse_route
    from tocsin.warnings.records import Corridor, Warning, WarningArea
    from tocsin.warnings.timewindow import parse_window

    with _errors(), _warning_store(db) as ws:
        if from_cap is not None:
            out.print(ws.create(read_cap_file(from_cap), who=who).key)
            return
        areas = []
        if polygon or circle:
            areas.append(WarningArea(
                area_name or "area",
                polygons=tuple(parse_polygon(p, f"--polygon {i}") for i, p in enumerate(polygon or [], 1)),
                circles=tuple(parse_circle(c, f"--circle {i}") for i, c in enumerate(circle or [], 1)),
            ))
        if area:
            from shapely.geometry import MultiPolygon, Polygon

            from tocsin.warnings.geometry import resolve_named_area

            resolver = gazetteer_resolver(ws_places(db))
            for name in area:
                shape = resolve_named_area(name, resolver, radius_km)
                polys = tuple(shape.geoms) if isinstance(shape, MultiPolygon) else (shape,)
                areas.append(WarningArea(name, polygons=tuple(p for p in polys if isinstance(p, Polygon))))
        corridors = []
        if route is not None:
            if not route.is_file():
                raise InputError(E.T008.format(path=route))
            corridors.append(Corridor(corridor_name, parse_route(route.read_text(), str(route)), width_m))
        warning = Warning(
            id=new_identifier(), kind=kind, sender=sender, sent=dt.datetime.now(dt.UTC), status="Draft",
            category=category, event=kind.replace("_", " "), urgency=urgency, severity=severity, certainty=certainty,
            effective=_time(effective, "effective"), expires=_time(expires, "expires"), sender_name=issuer,
            headline=headline, description=description, instruction=instruction, areas=areas,
            window=parse_window(window) if window else None, corridors=corridors,
        )
        out.print(ws.create(warning, who=who).key)


def _key(ws: Any, warning_id: str, sender: str | None) -> str:
    """The stored message's key; a note when other senders use the same CAP identifier."""
    key: str = ws.key_of(warning_id, sender)
    if sender is None:
        for other, other_sender in ws.namesakes(key):
            err.print(f"note: {key} is from {ws.get(key).warning.sender}; {other_sender} sent a message of the same "
                      f"identifier, stored as {other} (or name it with --sender {other_sender})",
                      highlight=False, markup=False)
    return key


def ws_places(db: str | None) -> list[Any]:
    """The user's gazetteer places (neighbourhood polygons) from the store."""
    from tocsin.store import Store

    store = Store(db or settings.get("database_url"))
    try:
        return list(store.places())
    finally:
        store.close()


@warnings_app.command("update")
def warnings_update(
    warning_id: str,
    headline: Annotated[str | None, typer.Option()] = None,
    description: Annotated[str | None, typer.Option()] = None,
    instruction: Annotated[str | None, typer.Option()] = None,
    expires: Annotated[str | None, typer.Option(help="ISO 8601 end.")] = None,
    window: Annotated[str | None, typer.Option(help="A new time window.")] = None,
    severity: Annotated[str | None, typer.Option()] = None,
    sender: SenderOption = None,
    who: WhoOption = "cli",
    db: DbOption = None,
) -> None:
    """Edit a draft, or draft a CAP Update of a published warning (publish it to take effect)."""
    from tocsin.warnings.timewindow import parse_window

    changes: dict[str, Any] = {k: v for k, v in {"headline": headline, "description": description,
                                                  "instruction": instruction, "severity": severity}.items()
                               if v is not None}
    if expires is not None:
        changes["expires"] = _time(expires, "expires")
    with _errors(), _warning_store(db) as ws:
        if window is not None:
            changes["window"] = parse_window(window)
        if not changes:
            raise InputError(E.T010.format(where="warnings update", field="changes", expected="at least one option",
                                           value="none"))
        stored = ws.update(_key(ws, warning_id, sender), who, **changes)
        out.print(f"{stored.key} ({stored.state}, {stored.warning.msg_type})")


@warnings_app.command("cancel")
def warnings_cancel(
    warning_id: str,
    note: Annotated[str | None, typer.Option(help="Why (sent in the CAP note).")] = None,
    sender: SenderOption = None,
    who: WhoOption = "cli",
    db: DbOption = None,
) -> None:
    """Cancel a published warning (publishes a CAP Cancel) or discard a draft."""
    with _errors(), _warning_store(db) as ws:
        stored = ws.cancel(_key(ws, warning_id, sender), who, note)
        out.print(f"{stored.key} ({stored.state}, {stored.warning.msg_type})")


@warnings_app.command("publish")
def warnings_publish(
    warning_id: str,
    operator: Annotated[str, typer.Option(help="The authorised operator publishing it (required).")],
    status: Annotated[str, typer.Option(help="CAP status once public: Actual, Exercise, Test.")] = "Actual",
    sender: SenderOption = None,
    db: DbOption = None,
) -> None:
    """Publish a draft: it enters the feed, status answers and webhook deliveries."""
    with _errors(), _warning_store(db) as ws:
        stored = ws.publish(_key(ws, warning_id, sender), operator, status)
        pending = len(ws.deliveries(warning_id=stored.key))
        out.print(f"{stored.key} published by {operator}; {pending} deliveries queued")


@warnings_app.command("list")
def warnings_list(
    state: Annotated[str | None, typer.Option(help="draft, published, superseded, cancelled")] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List warnings, newest first."""
    with _errors(), _warning_store(db) as ws:
        _print_warnings(ws.list(state=state, kind=kind), as_json)


@warnings_app.command("drafts")
def warnings_drafts(
    from_notices: Annotated[bool, typer.Option("--from-notices", help="First draft every stored notice.")] = False,
    as_json: JsonOption = False,
    who: WhoOption = "cli",
    db: DbOption = None,
) -> None:
    """List drafts waiting for review; with --from-notices, draft the notices found in reports first."""
    from tocsin.ingestion import report_countries
    from tocsin.store import Store
    from tocsin.warnings.geometry import gazetteer_resolver
    from tocsin.warnings.store import WarningStore

    with _errors():
        store = Store(db or settings.get("database_url"))
        try:
            ws = WarningStore(store)
            if from_notices:
                notices = store.notices()
                countries = report_countries(store, (n.report_hash for n in notices))
                made = ws.drafts_from_notices(notices, who, resolver=gazetteer_resolver(store.places()),
                                              countries=countries)
                err.print(f"{len(made)} drafts made, or given the shapes of imported places, from notices")
            _print_warnings(ws.drafts(), as_json)
        finally:
            store.close()


@warnings_app.command("show")
def warnings_show(
    warning_id: str,
    cap: Annotated[bool, typer.Option("--cap", help="Print the CAP XML.")] = False,
    sender: SenderOption = None,
    db: DbOption = None,
) -> None:
    """Show one warning (JSON), or its CAP XML."""
    with _errors(), _warning_store(db) as ws:
        stored = ws.get(_key(ws, warning_id, sender))
        if cap:
            sys.stdout.write(stored.cap_xml.decode("utf-8", errors="replace"))
        else:
            out.print_json(json.dumps(_summary(stored)))


@warnings_app.command("export")
def warnings_export(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for warnings/<key>.xml, warnings.geojson, "
                                                       "warnings.atom.")],
    base_url: Annotated[str, typer.Option(help="Public base URL of the CAP files, for the feed links.")] = (
        "http://localhost:8000"),
    at: Annotated[str | None, typer.Option(help="Active at this time (default now).")] = None,
    db: DbOption = None,
) -> None:
    """Write the CAP XML of every alert the feed lists, the active ones as GeoJSON, and the Atom feed."""
    from urllib.parse import quote

    from tocsin.warnings.feed import cap_file_name, warnings_geojson

    with _errors(), _warning_store(db) as ws:
        when = _time(at, "at") or dt.datetime.now(dt.UTC)
        active = ws.active(when)
        (out_dir / "warnings").mkdir(parents=True, exist_ok=True)
        listed = ws.in_feed(when)
        for warning in listed:  # also those starting later and Cancels: the feed links to each
            (out_dir / "warnings" / f"{cap_file_name(warning)}.xml").write_bytes(ws.cap_xml(warning.handle))
        # real alerts only (the default): a map layer does not say "exercise"
        (out_dir / "warnings.geojson").write_text(json.dumps(warnings_geojson(active)), encoding="utf-8")
        base = base_url.rstrip("/")  # a web server decodes the link once: the file name's own % is encoded
        href = lambda w: f"{base}/warnings/{quote(cap_file_name(w), safe='~')}.xml"  # noqa: E731
        (out_dir / "warnings.atom").write_bytes(ws.feed(base_url, when, cap_href=href, listed=listed))
        out.print(f"{len(active)} active warnings written to {out_dir}")


@warnings_app.command("import")
def warnings_import(
    paths: Annotated[list[Path], typer.Argument(help="CAP XML files, or Atom/RSS index feeds.")],
    who: WhoOption = "cli",
    db: DbOption = None,
    reorder: Annotated[bool, typer.Option(
        "--reorder", help="Read elements out of the CAP schema's order in its order (with a note) instead of "
                          "refusing the message as invalid CAP.")] = False,
) -> None:
    """Import CAP alerts from other authorities as drafts (original bytes kept, signatures intact)."""
    failed = 0
    with _errors(), _warning_store(db) as ws:
        for path in paths:
            for result in ws.import_path(path, who, reorder=reorder):
                if result.error:
                    failed += 1
                    err.print(f"skipped {result.where}: {result.error}", highlight=False, markup=False)
                else:
                    out.print(f"imported {result.warning_id} ({result.where})", highlight=False)
                for note in result.notes:  # what tocsin repaired or decided while reading it
                    err.print(f"  note: {note}", highlight=False, markup=False)
    if failed:
        raise typer.Exit(1)


# -- status -------------------------------------------------------------------------------------------


def status(
    lat: Annotated[float | None, typer.Argument(help="Latitude.")] = None,
    lon: Annotated[float | None, typer.Argument(help="Longitude.")] = None,
    at: Annotated[str | None, typer.Option(help="ISO 8601 time (default now; no offset means UTC).")] = None,
    route: Annotated[Path | None, typer.Option(help="A route file: GeoJSON LineString or 'lat,lon ...'.")] = None,
    points: Annotated[Path | None, typer.Option(help="A CSV with lat,lon columns (and optional id).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Where --points writes its CSV.")] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """What applies here and now: active warnings, curfew and until when, the nearest open corridor.

    Negative coordinates need `--` before them: `tocsin status -- -33.92 18.42`.
    """
    from tocsin.warnings.geometry import parse_route

    with _errors(), _warning_store(db) as ws:
        when = _time(at, "at") or dt.datetime.now(dt.UTC)
        if points is not None:
            _status_points(ws.status_index(), points, when, output)
        elif route is not None:
            if not route.is_file():
                raise InputError(E.T008.format(path=route))
            answer = ws.status_index().status_route(parse_route(route.read_text(), str(route)), when)
            out.print_json(json.dumps(answer.to_dict()))
        else:
            if lat is None or lon is None:
                raise InputError(E.T010.format(where="status", field="LAT LON", expected="two numbers",
                                               value="missing"))
            result = ws.status(lat, lon, when)  # one point: PostGIS on PostgreSQL, not every warning loaded
            if as_json:
                out.print_json(json.dumps(result.to_dict()))
            else:
                _print_status(result)


def _print_status(answer: Any) -> None:
    if not answer.warnings:
        out.print(f"No active warning at {answer.lat}, {answer.lon} at {answer.at.isoformat()}.")
    for hit in answer.warnings:
        state = "IN FORCE" if hit.in_force else f"not in force now (next {hit.next_change})"
        until = f" until {hit.until.isoformat()}" if hit.until else ""
        out.print(f"[bold]{hit.kind}[/bold] {hit.warning_id}: {hit.headline or ''} — {state}{until}")
        if hit.instruction:
            out.print(f"  {hit.instruction}  ({hit.issuer})", highlight=False)
    if answer.curfew:
        until = answer.curfew_until.isoformat() if answer.curfew_until else "further notice"
        out.print(f"Curfew in force until {until}")
    if answer.nearest_corridor is not None:
        c = answer.nearest_corridor
        out.print(f"Nearest open corridor: {c.name} ({c.warning_id}), {c.distance_m:.0f} m away")


def _status_points(index: Any, path: Path, when: dt.datetime, output: Path | None) -> None:
    if not path.is_file():
        raise InputError(E.T008.format(path=path))
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    lats, lons = [], []
    for line, row in enumerate(rows, start=2):
        try:
            lats.append(float(row.get("lat") or row.get("latitude") or ""))
            lons.append(float(row.get("lon") or row.get("longitude") or ""))
        except ValueError:
            raise InputError(E.T010.format(where=f"{path}:{line}", field="lat/lon", expected="numbers",
                                           value=row)) from None
    bulk = index.status_many(lats, lons, when)
    target = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.writer(target)
        writer.writerow(["id", "lat", "lon", "warnings", "kinds", "curfew"])
        for i, row in enumerate(rows):
            found = bulk.warnings_at(i)
            writer.writerow([row.get("id", i + 1), lats[i], lons[i], ";".join(w.handle for w in found),
                             ";".join(sorted({w.kind for w in found})), int(bool(bulk.curfew[i]))])
    finally:
        if output:
            target.close()


# -- subscriptions and outbox -------------------------------------------------------------------------


@subscriptions_app.command("add")
def subscriptions_add(
    url: Annotated[str, typer.Argument(help="The webhook URL (http/https).")],
    secret: Annotated[str, typer.Option(help="Shared secret for the X-Tocsin-Signature HMAC.")],
    polygon: Annotated[str | None, typer.Option(help="CAP polygon 'lat,lon lat,lon ...'.")] = None,
    point: Annotated[str | None, typer.Option(help="'lat,lon' with --radius-km.")] = None,
    radius_km: Annotated[float | None, typer.Option()] = None,
    name: Annotated[str | None, typer.Option()] = None,
    db: DbOption = None,
) -> None:
    """Subscribe a webhook to warnings in an area."""
    with _errors(), _warning_store(db) as ws:
        sub = ws.add_subscription(url, secret, polygon=polygon, point=point, radius_km=radius_km, name=name)
        out.print(str(sub.id))


@subscriptions_app.command("list")
def subscriptions_list(db: DbOption = None) -> None:
    """List active subscriptions."""
    with _errors(), _warning_store(db) as ws:
        table = Table(show_header=True)
        for column in ("id", "name", "url", "area"):
            table.add_column(column)
        for sub in ws.subscriptions():
            where = (f"{sub.latitude},{sub.longitude} r={sub.radius_km} km" if sub.radius_km
                     else f"polygon {sub.area.bounds}")
            table.add_row(str(sub.id), sub.name or "", sub.url, where)
        out.print(table)


@subscriptions_app.command("remove")
def subscriptions_remove(subscription_id: int, db: DbOption = None) -> None:
    """Remove a subscription (its delivery records are kept)."""
    with _errors(), _warning_store(db) as ws:
        ws.remove_subscription(subscription_id)
        out.print(f"subscription {subscription_id} removed")


@outbox_app.command("run")
def outbox_run(
    forever: Annotated[bool, typer.Option("--forever", help="Keep running (default: stop when idle).")] = False,
    max_attempts: Annotated[int, typer.Option(help="Tries before a delivery is dead.")] = 8,
    base_delay_s: Annotated[float, typer.Option(help="First retry delay; doubles each try.")] = 2.0,
    timeout_s: Annotated[float, typer.Option(help="HTTP timeout per POST.")] = 10.0,
    db: DbOption = None,
) -> None:
    """Deliver pending webhook messages (signed, retried with backoff; survives restarts)."""
    from tocsin.warnings.outbox import DeliveryWorker

    with _errors(), _warning_store(db) as ws:
        worker = DeliveryWorker(ws, max_attempts=max_attempts, base_delay_s=base_delay_s, timeout_s=timeout_s)
        attempts = worker.run(until_idle=not forever)
        counts = {s: len(ws.deliveries(state=s)) for s in ("pending", "delivered", "dead")}
        out.print(f"{attempts} attempts; " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@outbox_app.command("list")
def outbox_list(
    state: Annotated[str | None, typer.Option(help="pending, delivered, dead")] = None,
    db: DbOption = None,
) -> None:
    """List deliveries with their attempts and last outcome."""
    with _errors(), _warning_store(db) as ws:
        table = Table(show_header=True)
        deliveries = ws.deliveries(state=state)
        table.add_column("id", no_wrap=True)
        table.add_column("warning", no_wrap=True, min_width=max((len(d.warning_id) for d in deliveries), default=7))
        for column in ("subscription", "state", "attempts", "last"):
            table.add_column(column)
        for d in deliveries:
            table.add_row(d.id, d.warning_id, str(d.subscription_id), d.state, str(d.attempts),
                          d.last_error or (str(d.last_status) if d.last_status else ""))
        out.print(table)


def register(app: typer.Typer) -> None:
    """Mount ``warnings``, ``status``, ``subscriptions`` and ``outbox`` into the main ``tocsin`` app."""
    app.add_typer(warnings_app, name="warnings")
    app.command("status")(status)
    app.add_typer(subscriptions_app, name="subscriptions")
    app.add_typer(outbox_app, name="outbox")
