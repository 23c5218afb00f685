"""The watcher against loopback feeds: ingest rate, appearance-to-queryable delay, idle CPU.

    .venv/bin/python bench/watch.py [--feeds 500] [--items 20] [--interval 60] [--idle-s 30]

Phase 1 (catch-up): every feed holds ``--items`` items; one round ingests them all (reports/s).
Phase 2 (live): ``watch`` runs; every feed gets one new item at a random moment within one interval;
the delay from its appearance to its report being in the store is measured (p50, p99).
Phase 3 (idle): nothing changes (every poll is a 304). The feeds are served by a separate process, so
the CPU time measured is the poller's own: ``watch`` runs for ``--idle-s`` of wall-clock time on the
real interval (with one watch rule, so the notifier's idle path is included) and its CPU time / wall
time is the share of one core; the CPU per conditional poll is printed beside it.
The issue's scale is 500 feeds x 20 items at a 60 s interval; smaller numbers scale it down.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "watch"))

from watchkit import Loopback, Route, rss  # noqa: E402

from tocsin.store import Store  # noqa: E402
from tocsin.watch.config import Source  # noqa: E402
from tocsin.watch.notify import Notifier  # noqa: E402
from tocsin.watch.poller import Watcher  # noqa: E402
from tocsin.watch.rules import Rule  # noqa: E402
from tocsin.watch.state import WatchStore  # noqa: E402

PLACES = ["Kafr Nabl", "Khartoum", "Gao", "Rubaya", "Baghdad", "Maarat al-Numan", "Kharkiv", "Goma"]
VERBS = ["Government forces shelled", "Protesters gathered in", "An airstrike hit", "Armed men attacked"]


def _text(feed: int, n: int) -> str:
    rng = random.Random(feed * 1000 + n)
    return (f"{rng.choice(VERBS)} {rng.choice(PLACES)} on Monday, report {feed}-{n}: residents said "
            f"{rng.randint(1, 9)} people were hurt and {rng.randint(10, 99)} families left their homes.")


def _publish(loopback: Loopback, feed: int, count: int) -> None:
    items = [(f"{feed}-{n}", loopback.url(f"/s/{feed}/{n}"), _text(feed, n)) for n in range(count)]
    loopback.routes[f"/f/{feed}"] = Route(body=rss(items, title=f"feed {feed}"), etag=f'"{feed}-{count}"')


def _serve(feeds: int, items: int) -> None:
    """The feeds on loopback in this process until stdin closes (the idle phase's server)."""
    loopback = Loopback()
    for feed in range(feeds):
        _publish(loopback, feed, items)
    print(loopback.base, flush=True)
    sys.stdin.read()
    print(len(loopback.requests), flush=True)
    loopback.close()


def _idle(args: argparse.Namespace) -> None:
    server = subprocess.Popen([sys.executable, __file__, "--serve", "--feeds", str(args.feeds), "--items",
                               str(args.items)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdin is not None
    base = server.stdout.readline().strip()
    sources = [Source(f"feed{f}", f"{base}/f/{f}", interval_s=args.interval) for f in range(args.feeds)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "idle.db") as store:
        ws = WatchStore(store)
        ws.sync_sources(sources)
        for f in range(args.feeds):  # as after a first poll: the validators are known, so every poll is a 304
            ws.update_source(f"feed{f}", etag=f'"{f}-{args.items}"')
        ws.add_rule(Rule(name="idle", admin1="Idlib", webhook="http://127.0.0.1:9/hook").to_dict(), "idle")
        watcher = Watcher(store, None, drafts=False, notifier=Notifier(store), fetcher_options={"per_host": 50})
        stop = threading.Event()
        runner = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
        cpu0, wall0 = time.process_time(), time.monotonic()
        runner.start()
        stop.wait(args.idle_s)
        stop.set()
        runner.join()
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        states = ws.states()
    server.stdin.close()
    polls = int(server.stdout.readline().strip() or 0)
    server.wait()
    statuses = sorted({str(s.last_status) for s in states})
    print(f"idle: {args.feeds} sources every {args.interval:g} s for {wall:.0f} s wall: {polls} conditional polls "
          f"(last answers {statuses}); poller CPU {cpu:.1f} s = {cpu / wall * 100:.1f} % of one core "
          f"(goal < 10 %), {cpu / max(1, polls) * 1000:.2f} ms CPU per poll")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--interval", type=float, default=60.0)
    parser.add_argument("--idle-s", type=float, default=150.0)
    parser.add_argument("--idle-only", action="store_true", help="Only the idle phase.")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _serve(args.feeds, args.items)
        return
    if args.idle_only:
        _idle(args)
        return
    loopback = Loopback()
    for feed in range(args.feeds):
        _publish(loopback, feed, args.items)
    sources = [Source(f"feed{f}", loopback.url(f"/f/{f}"), interval_s=args.interval) for f in range(args.feeds)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        watcher = Watcher(store, sources, drafts=False, fetcher_options={"per_host": 50, "read_timeout_s": 30.0,
                                                                         "deadline_s": 60.0})
        watcher._extractor()  # load spaCy before timing
        started, cpu0 = time.perf_counter(), time.process_time()
        first = watcher.run_once()
        took, cpu = time.perf_counter() - started, time.process_time() - cpu0
        print(f"catch-up: {first.ingested} reports from {args.feeds} feeds in {took:.1f} s wall "
              f"= {first.ingested / took:.1f} reports/s ({cpu:.1f} s CPU = {first.ingested / cpu:.1f} reports per CPU "
              f"second; the loopback server runs in this process)")

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

        _idle(args)
    loopback.close()


if __name__ == "__main__":
    main()
