"""``tocsin sources``, ``tocsin watch`` and ``tocsin rules``: live monitoring commands over ``tocsin.watch``.

Mounted into the main CLI with :func:`register`. Sources are declared in ``sources.toml`` (``--sources``,
default ``$TOCSIN_SOURCES`` or ``./sources.toml``); their state (validators, errors, next poll) lives
in the store. Domain errors print one ``error: [Txxx] ...`` line and exit with status 2.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from tocsin import settings
from tocsin.cli_common import DbOption, err, out
from tocsin.cli_common import errors as _errors

__all__ = ["register", "rules", "rules_app", "sources_app", "watch"]

sources_app = typer.Typer(help="The sources tocsin watches (sources.toml) and their state.",
                          invoke_without_command=True)
rules_app = typer.Typer(help="Watch rules: alerts by webhook or e-mail on new events and notices.",
                        invoke_without_command=True)


SourcesOption = Annotated[Path | None, typer.Option("--sources", help="sources.toml (default: $TOCSIN_SOURCES or "
                                                                      "./sources.toml).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON lines instead of a table.")]


def _sources_path(path: Path | None) -> Path:
    return path or Path(os.environ.get("TOCSIN_SOURCES", "sources.toml"))


@contextlib.contextmanager
def _store(db: str | None) -> Iterator[Any]:
    from tocsin.store import Store

    store = Store(db or settings.get("database_url"))
    try:
        yield store
    finally:
        store.close()


def _when(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value is not None else ""


@sources_app.callback()
def sources(ctx: typer.Context, sources_file: SourcesOption = None, db: DbOption = None,
            as_json: JsonOption = False) -> None:
    """List the sources with their state: last fetch, last new item, items today, errors, next poll."""
    if ctx.invoked_subcommand is not None:
        return
    from tocsin.watch.config import load_sources
    from tocsin.watch.state import WatchStore

    with _errors(), _store(db) as store:
        ws = WatchStore(store)
        ws.sync_sources(load_sources(_sources_path(sources_file)))
        states = ws.states()
    if as_json:
        for s in states:
            print(json.dumps({"name": s.source.name, "url": s.source.url, "kind": s.source.kind,
                              "interval_s": s.source.interval_s, "last_fetch": _when(s.last_fetch_at) or None,
                              "last_new_item": _when(s.last_new_at) or None, "items_today": s.items_today,
                              "consecutive_errors": s.consecutive_errors, "last_error": s.last_error,
                              "next_poll": _when(s.next_poll_at) or None}))
        return
    table = Table(show_header=True)
    for name in ("name", "kind", "url", "last fetch", "last new item", "items today", "errors", "next poll",
                 "last error"):
        table.add_column(name)
    for s in states:
        table.add_row(s.source.name, s.source.kind, s.source.url, _when(s.last_fetch_at), _when(s.last_new_at),
                      str(s.items_today), str(s.consecutive_errors), _when(s.next_poll_at) or "now",
                      (s.last_error or "")[:60])
    out.print(table)


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="A short unique name.")],
    url: Annotated[str, typer.Argument(help="The feed or page URL.")],
    kind: Annotated[str, typer.Option(help="rss | atom | json | html | cap")] = "rss",
    interval_s: Annotated[float, typer.Option("--interval", help="Seconds between polls.")] = 60.0,
    language: Annotated[str | None, typer.Option(help="Language of the items (e.g. en).")] = None,
    fetch_article: Annotated[bool, typer.Option("--fetch-article", help="Fetch each item's page.")] = False,
    trust: Annotated[int, typer.Option(help="1 (low) .. 5 (official)")] = 3,
    sources_file: SourcesOption = None,
) -> None:
    """Add a source to sources.toml."""
    from tocsin.watch.config import Source, add_source

    with _errors():
        source = Source(name=name, url=url, kind=kind, interval_s=interval_s, language=language,
                        fetch_article=fetch_article, trust=trust)
        path = _sources_path(sources_file)
        add_source(path, source)
    out.print(f"added {name} to {path}")


def watch(
    once: Annotated[bool, typer.Option("--once", help="Do one round (every due source) and exit.")] = False,
    sources_file: SourcesOption = None,
    db: DbOption = None,
    max_new: Annotated[int, typer.Option("--max-new", help="New items stored per source per round.")] = 2000,
    timeout_s: Annotated[float, typer.Option("--timeout", help="Read timeout per request (s).")] = 10.0,
    per_host: Annotated[int, typer.Option("--per-host", help="Concurrent requests per host.")] = 2,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest response accepted.")] = 10 * 1024 * 1024,
) -> None:
    """Poll the sources on their intervals, ingest new items, fold syndicated copies, send rule alerts.

    SIGTERM or Ctrl-C stops after the items in hand are stored; a restart resumes from the stored state.
    """
    from tocsin.watch.config import load_sources
    from tocsin.watch.notify import Notifier
    from tocsin.watch.poller import Watcher

    stop = threading.Event()

    def _stop(_signum: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with _errors(), _store(db) as store:
        watcher = Watcher(
            store, load_sources(_sources_path(sources_file)), max_new_per_round=max_new, notifier=Notifier(store),
            fetcher_options={"read_timeout_s": timeout_s, "per_host": per_host, "max_bytes": max_bytes,
                             "deadline_s": max(30.0, 3 * timeout_s)},
        )
        if once:
            s = watcher.run_once(stop=stop)
            out.print(f"polled {s.polled}, not modified {s.not_modified}, errors {s.errors}, new items "
                      f"{s.new_items}, ingested {s.ingested}, linked copies {s.linked}, alerts {s.alerts}")
        else:
            rounds = watcher.run(stop)
            out.print(f"stopped after {rounds} rounds")


def _conditions(data: dict[str, Any]) -> str:
    parts = []
    if data.get("km") is not None:
        where = data.get("place") or f"{data.get('lat')}, {data.get('lon')}"
        parts.append(f"within {data['km']:g} km of {where}")
    if data.get("admin1"):
        parts.append(f"in {data['admin1']}" + (f" ({data['country']})" if data.get("country") else "")
                     + (" [polygon]" if data.get("area") else ""))
    if data.get("kinds"):
        parts.append("kind " + "|".join(data["kinds"]))
    if data.get("actors"):
        parts.append("actor " + "|".join(data["actors"]))
    if data.get("min_fatalities") is not None:
        parts.append(f"fatalities >= {data['min_fatalities']}")
    looks = [w for w, on in (("events", data.get("events", True)), ("notices", data.get("notices", True))) if on]
    return "; ".join([" and ".join(looks) or "nothing", *parts])


def _rule_rows(store: Any) -> list[dict[str, Any]]:
    from tocsin.watch.outbox import AlertOutbox, RuleStats
    from tocsin.watch.state import WatchStore

    stats = AlertOutbox(store).stats()
    rows = []
    for rule_id, _name, data in WatchStore(store).rules():
        s = stats.get(rule_id, RuleStats())
        rows.append({"id": rule_id, **data, "secret": "***" if data.get("secret") else None,
                     "area": "polygon" if data.get("area") else None,
                     "matches": s.matches, "waiting_for_digest": s.waiting, "delivered": s.delivered,
                     "pending": s.pending, "failed": s.failed, "last_delivery": _when(s.last_delivered_at) or None,
                     "last_failure": s.last_error, "last_failure_at": _when(s.last_error_at) or None})
    return rows


@rules_app.callback()
def rules(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the watch rules with their deliveries: matches, delivered, pending, failed, last delivery, last failure."""
    if ctx.invoked_subcommand is not None:
        return
    with _errors(), _store(db) as store:
        rows = _rule_rows(store)
    if as_json:
        for row in rows:
            print(json.dumps(row, sort_keys=True, default=str))
        return
    table = Table(show_header=True)
    for name in ("id", "name", "conditions", "to", "digest", "matches", "delivered", "pending", "failed",
                 "last delivery", "last failure"):
        table.add_column(name)
    for r in rows:
        to = ", ".join(x for x in (r.get("webhook"), r.get("email")) if x)
        digest = f"{r['digest_minutes']:g} min" if r.get("digest_minutes") else ""
        failure = f"{r['last_failure_at']} {r['last_failure']}"[:80] if r["last_failure"] else ""
        table.add_row(str(r["id"]), r.get("name") or "", _conditions(r), to, digest, str(r["matches"]),
                      str(r["delivered"]), str(r["pending"]), str(r["failed"]), r["last_delivery"] or "", failure)
    out.print(table)


@rules_app.command("add")
def rules_add(
    name: Annotated[str | None, typer.Option(help="A name shown in alerts.")] = None,
    near: Annotated[str | None, typer.Option(help="A place name (\"Aleppo\", \"Aleppo, Syria\"); with --km.")] = None,
    lat: Annotated[float | None, typer.Option(help="Latitude of the place (with --lon and --km).")] = None,
    lon: Annotated[float | None, typer.Option(help="Longitude of the place.")] = None,
    km: Annotated[float | None, typer.Option(help="Radius around the place in km.")] = None,
    within: Annotated[str | None, typer.Option("--in", help="A first-level area by name (\"Idleb\", \"Idlib, Syria\"), "
                                                            "resolved through the gazetteer.")] = None,
    admin1: Annotated[str | None, typer.Option(help="First-level admin area name, taken as written.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Event type, sub-type or notice kind (repeatable).")] = None,
    actor: Annotated[list[str] | None, typer.Option(help="Actor name substring (repeatable).")] = None,
    min_fatalities: Annotated[int | None, typer.Option(help="Events with at least this many fatalities.")] = None,
    no_events: Annotated[bool, typer.Option("--no-events", help="Notices only.")] = False,
    no_notices: Annotated[bool, typer.Option("--no-notices", help="Events only.")] = False,
    webhook: Annotated[str | None, typer.Option(help="URL to POST each match to (JSON).")] = None,
    secret: Annotated[str | None, typer.Option(help="HMAC secret for X-Tocsin-Signature.")] = None,
    email: Annotated[str | None, typer.Option(help="Address to mail each match to.")] = None,
    digest: Annotated[float | None, typer.Option("--digest", help="Send one digest every N minutes instead of "
                                                                  "one message per match.")] = None,
    db: DbOption = None,
) -> None:
    """Save a watch rule."""
    from tocsin.errors import E, InputError
    from tocsin.warnings.subscriptions import check_webhook_url
    from tocsin.watch.places import resolve_admin1, resolve_near
    from tocsin.watch.rules import Rule
    from tocsin.watch.state import WatchStore

    with _errors(), _store(db) as store:
        if webhook:
            check_webhook_url(webhook)
        place = country = country_code = None
        area = None
        if near is not None:
            if lat is not None or lon is not None or km is None:
                raise InputError(E.T010.format(where="rules add", field="--near", expected="used with --km and "
                                               "without --lat/--lon", value=near))
            found = resolve_near(near, user_places=store.places())
            lat, lon = found.latitude, found.longitude
            place = ", ".join(dict.fromkeys(p for p in (found.name, found.admin1, found.country) if p))
        if within is not None:
            if admin1 is not None:
                raise InputError(E.T010.format(where="rules add", field="--in", expected="used without --admin1",
                                               value=within))
            region = resolve_admin1(within, user_places=store.places())
            admin1, country, country_code, area = region.name, region.country, region.country_code, region.geometry
        rule = Rule(name=name, lat=lat, lon=lon, km=km, admin1=admin1, kinds=list(kind or []),
                    actors=list(actor or []), min_fatalities=min_fatalities, events=not no_events,
                    notices=not no_notices, webhook=webhook, secret=secret, email=email, digest_minutes=digest,
                    place=place, country=country, country_code=country_code, area=area)
        rule_id = WatchStore(store).add_rule(rule.to_dict(), name)
    out.print(f"rule {rule_id} saved: {_conditions(rule.to_dict())}")


@rules_app.command("list")
def rules_list(db: DbOption = None) -> None:
    """List the watch rules with their deliveries (JSON lines; `tocsin rules` shows a table)."""
    with _errors(), _store(db) as store:
        for row in _rule_rows(store):
            print(json.dumps(row, sort_keys=True, default=str))


@rules_app.command("remove")
def rules_remove(rule_id: Annotated[int, typer.Argument()], db: DbOption = None) -> None:
    """Delete a watch rule."""
    from tocsin.watch.state import WatchStore

    with _errors(), _store(db) as store:
        removed = WatchStore(store).remove_rule(rule_id)
    if not removed:
        err.print(f"error: no rule {rule_id}")
        raise typer.Exit(2)
    out.print(f"rule {rule_id} removed")


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")
    app.command("watch")(watch)
    app.add_typer(rules_app, name="rules")
