"""The watcher against loopback feeds: ingest rate, appearance-to-queryable delay, idle CPU.

    .venv/bin/python bench/watch.py [--feeds 500] [--items 20] [--interval 60] [--idle-s 30]

Phase 1 (catch-up): every feed holds ``--items`` items; one round ingests them all (reports/s).
Phase 2 (live): ``watch`` runs; every feed gets one new item at a random moment within one interval;
the delay from its appearance to its report being in the store is measured (p50, p99).
Phase 3 (idle): nothing changes (every poll is a 304); the poller's CPU time / wall time is reported.
The issue's scale is 500 feeds x 20 items at a 60 s interval; smaller numbers scale it down.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "watch"))

from watchkit import Loopback, Route, rss  # noqa: E402

from tocsin.store import Store  # noqa: E402
from tocsin.watch.config import Source  # noqa: E402
from tocsin.watch.poller import Watcher  # noqa: E402

PLACES = ["Kafr Nabl", "Khartoum", "Gao", "Rubaya", "Baghdad", "Maarat al-Numan", "Kharkiv", "Goma"]
VERBS = ["Government forces shelled", "Protesters gathered in", "An airstrike hit", "Armed men attacked"]


def _text(feed: int, n: int) -> str:
    rng = random.Random(feed * 1000 + n)
    return (f"{rng.choice(VERBS)} {rng.choice(PLACES)} on Monday, report {feed}-{n}: residents said "
            f"{rng.randint(1, 9)} people were hurt and {rng.randint(10, 99)} families left their homes.")


def _publish(loopback: Loopback, feed: int, count: int) -> None:
    items = [(f"{feed}-{n}", loopback.url(f"/s/{feed}/{n}"), _text(feed, n)) for n in range(count)]
    loopback.routes[f"/f/{feed}"] = Route(body=rss(items, title=f"feed {feed}"), etag=f'"{feed}-{count}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--interval", type=float, default=60.0)
    parser.add_argument("--idle-s", type=float, default=30.0)
    args = parser.parse_args()
    loopback = Loopback()
    for feed in range(args.feeds):
        _publish(loopback, feed, args.items)
    sources = [Source(f"feed{f}", loopback.url(f"/f/{f}"), interval_s=args.interval) for f in range(args.feeds)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        watcher = Watcher(store, sources, drafts=False, fetcher_options={"per_host": 50, "read_timeout_s": 30.0,
                                                                         "deadline_s": 60.0})
        watcher._extractor()  # load spaCy before timing
        started = time.perf_counter()
        first = watcher.run_once()
        took = time.perf_counter() - started
        print(f"catch-up: {first.ingested} reports from {args.feeds} feeds in {took:.1f} s "
              f"= {first.ingested / took:.1f} reports/s")

        stop = threading.Event()
        runner = threading.Thread(target=watcher.run, args=(stop,), kwargs={"tick_s": 0.2}, daemon=True)
        runner.start()
        rng = random.Random(9)
        schedule = sorted((rng.uniform(0, args.interval), f) for f in range(args.feeds))
        appeared: dict[str, float] = {}
        seen: dict[str, float] = {}
        t0 = time.monotonic()
        pending = list(schedule)
        while (pending or len(seen) < len(schedule)) and time.monotonic() - t0 < args.interval * 3 + 60:
            now = time.monotonic() - t0
            while pending and pending[0][0] <= now:
                _, feed = pending.pop(0)
                _publish(loopback, feed, args.items + 1)
                appeared[_text(feed, args.items)] = time.monotonic()
            for r in store.reports(limit=None, offset=0):
                if r.report.text in appeared and r.report.text not in seen:
                    seen[r.report.text] = time.monotonic()
            time.sleep(0.5)
        delays = sorted(seen[t] - appeared[t] for t in seen)
        if delays:
            print(f"live: {len(delays)}/{len(schedule)} new items queryable; delay s p50 "
                  f"{statistics.median(delays):.1f} p99 {delays[max(0, int(len(delays) * 0.99) - 1)]:.1f} "
                  f"(interval {args.interval:g} s; goal p99 <= interval + 30 s)")
        stop.set()
        runner.join()

        idle = Watcher(store, None, drafts=False, fetcher_options={"per_host": 50})
        cpu0, wall0 = time.process_time(), time.monotonic()
        rounds, polls, not_modified = 0, 0, 0
        clock = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        while time.monotonic() - wall0 < args.idle_s:
            clock += dt.timedelta(seconds=args.interval * 4)  # every source due again: all conditional polls
            s = idle.run_once(clock)
            rounds, polls, not_modified = rounds + 1, polls + s.polled, not_modified + s.not_modified
        cpu = time.process_time() - cpu0
        per_poll_ms = cpu / max(1, polls) * 1000
        print(f"idle: {rounds} rounds, {polls} conditional polls ({not_modified} answered 304), "
              f"CPU {per_poll_ms:.2f} ms per poll (server in-process) -> at one poll per source per "
              f"{args.interval:g} s: {per_poll_ms * args.feeds / (args.interval * 1000) * 100:.2f} % of one core")
    loopback.close()


if __name__ == "__main__":
    main()
