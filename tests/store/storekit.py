"""Hand-built records for the store tests (no NLP components involved)."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing as mp
from collections.abc import Callable
from typing import Any

from tocsin.model import Claim, Event, Extraction, Location, Notice, Report, Span, event_type_of

#: Places used across the tests: name -> (lat, lon, admin1, country).
PLACES = {
    "Aleppo": (36.2021, 37.1343, "Aleppo", "Syria"),
    "Atarib": (36.1361, 36.8303, "Aleppo", "Syria"),  # ~28 km west of Aleppo
    "Idlib": (35.9306, 36.6339, "Idlib", "Syria"),
    "Kharkiv": (49.9935, 36.2304, "Kharkivska", "Ukraine"),
    "Suva": (-18.1416, 178.4419, "Central", "Fiji"),
}
TEXT = "Local sources said {n} people were killed in {place}. The strike hit a market. Residents fled."


def event(
    sub: str = "Air/drone strike",
    *,
    day: dt.date = dt.date(2024, 3, 1),
    place: str = "Aleppo",
    fatalities: int | None = 5,
    actor1: str | None = "Military Forces of Syria",
    actor2: str | None = None,
    confidence: float = 0.8,
    precision: int = 1,
    **extra: Any,
) -> Event:
    lat, lon, admin1, country = PLACES[place]
    text = TEXT.format(n=fatalities, place=place)
    start = text.index(" people") - len(str(fatalities))
    evidence = {"fatalities": Span(start, start + len(str(fatalities)), str(fatalities))}
    return Event(
        event_type=event_type_of(sub),
        sub_event_type=sub,
        date=day,
        time_precision=precision,
        actor1=actor1,
        actor2=actor2,
        location=Location(place, lat, lon, admin1, None, country, 1),
        fatalities=fatalities,
        evidence=evidence,
        confidence=confidence,
        **extra,
    )


def report(
    rid: str, *, source: str = "Agency", published: dt.datetime | None = None, text: str | None = None
) -> Report:
    published = published or dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)
    return Report(id=rid, text=text or TEXT.format(n=5, place="Aleppo"), source=source, published=published)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def item(
    rid: str,
    events: list[Event] | None = None,
    *,
    source: str = "Agency",
    published: dt.datetime | None = None,
    notices: list[Notice] | None = None,
    skipped: str | None = None,
) -> tuple[Report, str, Extraction]:
    """One (Report, content hash, Extraction) triple; the text (and so the hash) is unique per ``rid``."""
    evs = events if events is not None else [event()]
    first = evs[0] if evs else None
    text = TEXT.format(n=first.fatalities if first else 0, place=first.location.name if first else "Aleppo")
    text = f"{text} [{rid}]"
    rep = report(rid, source=source, published=published, text=text)
    return rep, content_hash(text), Extraction(rid, evs, notices or [], skipped=skipped)


def claim(source: str, value: int) -> Claim:
    return Claim(source=source, field="fatalities", value=value, span=Span(0, 5, "Local"))


def run_processes(target: Callable[..., None], args: list[tuple[Any, ...]]) -> None:
    """Run ``target(*a, barrier)`` for each ``a`` in its own fresh interpreter (like separate workers),
    all released together by the barrier; every one must exit cleanly."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(args))
    procs = [ctx.Process(target=target, args=(*a, barrier)) for a in args]
    for p in procs:
        p.start()
    for p in procs:
        p.join(240)
    assert [p.exitcode for p in procs] == [0] * len(procs)


HAPPENING_PLACES = ("Aleppo", "Idlib", "Kharkiv", "Suva")


def happenings(start: int, stop: int) -> list[Any]:
    """Report n describes happening n // 3 (three sources each): a place and day of its own."""
    out = []
    for n in range(start, stop):
        h = n // 3
        day = dt.date(2024, 1, 1) + dt.timedelta(days=10 * h)
        ev = event("Armed clash", day=day, place=HAPPENING_PLACES[h % len(HAPPENING_PLACES)], fatalities=h % 7)
        out.append(item(f"r{n}", [ev], source=f"agency {n % 3}"))
    return out


def _write_in_batches(url: str, start: int, stop: int, batch: int, barrier: Any, staged: bool) -> None:
    from tocsin.store import Store

    with Store(url) as store:
        items = happenings(start, stop)
        write = store.stage if staged else store.add
        barrier.wait(30)
        for i in range(0, len(items), batch):
            write(items[i : i + batch])


def add_in_batches(url: str, start: int, stop: int, batch: int, barrier: Any) -> None:
    """A worker process: ``Store.add`` of reports ``start..stop`` in batches, after the others are ready."""
    _write_in_batches(url, start, stop, batch, barrier, staged=False)


def stage_in_batches(url: str, start: int, stop: int, batch: int, barrier: Any) -> None:
    """A worker process: ``Store.stage`` of reports ``start..stop`` in batches, after the others are ready."""
    _write_in_batches(url, start, stop, batch, barrier, staged=True)
