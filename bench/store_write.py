"""Benchmark: events written per second into SQLite through ``Store.add``, batched vs naive.

Both runs use the same synthetic reports (one event each; about a third are second reports of an
earlier happening, so merging is exercised) written into fresh SQLite files in this process:

- batched: ``Store.add`` with ``--batch`` reports per call (one transaction per call);
- naive baseline: one ``Store.add`` call, i.e. one transaction, per report.

    python bench/store_write.py [--reports N] [--timed M] [--batch B]

Each run first loads the same N reports (untimed, so both write into a database of the same size),
then times writing M more. Wall-clock and CPU rates are both printed: on a shared machine the CPU
rate is the steadier figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import tempfile
import time
from pathlib import Path

from tocsin.model import Event, Extraction, Location, Report, Span, event_type_of
from tocsin.store import Store

SUBS = ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack", "Peaceful protest")
ACTORS = ("Military Forces of Syria", "Hayat Tahrir al-Sham", "Unidentified Armed Group", "Protesters (Syria)")


def _reports(n: int, seed: int = 42) -> list[tuple[Report, str, Extraction]]:
    rng = random.Random(seed)
    happenings: list[tuple[str, dt.date, float, float, str]] = []
    items = []
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    for i in range(n):
        if happenings and rng.random() < 0.33:
            sub, day, lat, lon, actor = rng.choice(happenings)  # another source on a known happening
        else:
            sub, actor = rng.choice(SUBS), rng.choice(ACTORS)
            day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(365))
            lat, lon = rng.uniform(32.5, 37.0), rng.uniform(35.8, 42.0)
            happenings.append((sub, day, lat, lon, actor))
        killed = rng.randrange(0, 30)
        text = f"Report {i}: {killed} people were killed on {day:%d %B} near {lat:.3f},{lon:.3f}, sources said."
        event = Event(
            event_type=event_type_of(sub),
            sub_event_type=sub,
            date=day,
            time_precision=1,
            actor1=actor,
            location=Location(f"place {lat:.2f}", lat, lon, "Somewhere", None, "Syria", 1),
            fatalities=killed,
            evidence={"fatalities": Span(text.index(str(killed)), text.index(str(killed)) + len(str(killed)))},
            confidence=rng.random(),
            notes=text,
        )
        report = Report(f"r{i}", text, source=f"source {i % 17}", published=t0 + dt.timedelta(minutes=i))
        items.append((report, hashlib.sha256(text.encode()).hexdigest(), Extraction(report.id, [event])))
    return items


def _timed(store: Store, items: list, batch: int) -> tuple[float, float]:
    """Events per wall-clock second and per CPU second writing ``items`` in calls of ``batch``."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(items), batch):
        store.add(items[i : i + batch])
    return len(items) / (time.perf_counter() - wall), len(items) / max(time.process_time() - cpu, 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000, help="reports in the database before the timed part")
    parser.add_argument("--timed", type=int, default=1000, help="reports written in the timed part")
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    items = _reports(args.reports + args.timed)
    preload, timed = items[: args.reports], items[args.reports :]
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, batch in (("batched", args.batch), ("naive", 1)):
            with Store(Path(tmp) / f"{name}.db") as store:
                _timed(store, preload, 500)  # the same starting database for both, untimed
                rates[name] = _timed(store, timed, batch)
                counts = store.counts()
    print(f"database: {args.reports} reports preloaded, then {args.timed} timed; ", end="")
    print(f"{counts['mentions']} mentions -> {counts['events']} merged events")
    print(f"batched ({args.batch} per transaction): {rates['batched'][0]:8.0f} events/s  ", end="")
    print(f"({rates['batched'][1]:.0f} per CPU second)")
    print(f"naive   (1 per transaction):   {rates['naive'][0]:8.0f} events/s  ({rates['naive'][1]:.0f} per CPU second)")
    print(f"ratio batched/naive: {rates['batched'][0] / rates['naive'][0]:.2f}x wall-clock, ", end="")
    print(f"{rates['batched'][1] / rates['naive'][1]:.2f}x CPU")


if __name__ == "__main__":
    main()
