"""Benchmark: events written per second into SQLite through ``Store.add``, batched vs naive.

Both runs use the same synthetic reports (one event each; about a third are second reports of an
earlier happening, so merging is exercised) written into fresh SQLite files in this process:

- batched: ``Store.add`` with ``--batch`` reports per call (one transaction per call);
- naive baseline: one ``Store.add`` call, i.e. one transaction, per report.

    python bench/store_write.py [--reports N] [--batch B] [--naive M]

The naive run writes the first M reports only (it is slow); rates are per second, so they compare.
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


def _rate(path: Path, items: list, batch: int) -> tuple[float, dict[str, int]]:
    with Store(path) as store:
        start = time.perf_counter()
        for i in range(0, len(items), batch):
            store.add(items[i : i + batch])
        elapsed = time.perf_counter() - start
        counts = store.counts()
    return len(items) / elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--naive", type=int, default=500, help="reports written by the naive baseline")
    args = parser.parse_args()
    items = _reports(args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        batched, counts = _rate(Path(tmp) / "batched.db", items, args.batch)
        naive, _ = _rate(Path(tmp) / "naive.db", items[: args.naive], 1)
    print(f"reports/events written: {args.reports} -> {counts['events']} merged events ({counts['mentions']} mentions)")
    print(f"batched ({args.batch} per transaction): {batched:10.0f} events/s")
    print(f"naive   (1 per transaction, {args.naive}):  {naive:10.0f} events/s")
    print(f"ratio batched/naive: {batched / naive:.1f}x")


if __name__ == "__main__":
    main()
