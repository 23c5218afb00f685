"""Benchmark: events written per second through ``Store.add`` into SQLite and PostgreSQL, batched vs naive.

Every run uses the same synthetic reports (one event each; about a third are second reports of an
earlier happening, so merging is exercised), written into fresh databases in this process:

- batched: ``Store.add`` with ``--batch`` reports per call (one transaction per call);
- naive baseline: one ``Store.add`` call, i.e. one transaction, per report;
- staged (write-behind): ``Store.stage`` with ``--batch`` reports per call (reports stored, mentions
  queued in ``pending``: the durable write), then ``Store.merge_pending`` (the drain that merges them
  into events), timed apart; end-to-end = both. Same events as batched at the end.

    python bench/store_write.py [--reports N] [--timed M] [--batch B] [--postgres URL | --no-postgres]
                                [--writers N] [--staged-only] [--text-chars C]

``--writers N`` adds a run where N processes stage disjoint slices of the timed reports into one
PostgreSQL database at the same moment (aggregate events/s wall-clock over the whole span, and per
CPU second summed over the writers; the counts are checked to be exactly the union); the
single-writer "staged write" row is its baseline.

PostgreSQL: a throw-away server with default (durable) settings is started on loopback unless
``--postgres`` names an empty database to use. Each run first loads the same N reports (untimed,
so every run writes into a database of the same size), then times writing M more. Wall-clock and
CPU (this process) rates are both printed: on a shared machine the CPU rate is the steadier figure.
The server's own CPU (its processes' user+system time from /proc, measured only for the server the
bench starts itself) is printed beside them, and the goal lines add writer and server CPU per event. The last
lines compare PostgreSQL batched and staged with the goal of issue 7 (>= 20,000 events/s): for the
staged path that is the durable-write rate; merged events lag behind by the drain rate.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import math
import multiprocessing
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from tocsin.model import Event, Extraction, Location, Report, Span, event_type_of
from tocsin.store import Store

GOAL = 20_000  # events/s into PostgreSQL, batched (issue 7)
_TICK = os.sysconf("SC_CLK_TCK")
_server_pid: list[int] = []  # the postmaster of the server the bench started (its CPU is measurable)


def _server_cpu() -> float:
    """CPU seconds (user + system) used so far by the bench's own PostgreSQL server: postmaster and its children.

    Children that ended are not counted (a backend's CPU is lost when its connection closes), so the
    timed parts keep their connections open. NaN when the server is not the bench's own.
    """
    if not _server_pid:
        return math.nan
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(pid) == _server_pid[0] or int(fields[1]) == _server_pid[0]:
            total += int(fields[11]) + int(fields[12])
    return total / _TICK
SUBS = ("Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack", "Peaceful protest")
ACTORS = ("Military Forces of Syria", "Hayat Tahrir al-Sham", "Unidentified Armed Group", "Protesters (Syria)")


#: Words of the filler that lengthens report texts (``--text-chars``): news-like, compressible like news.
_FILLER = (
    "the residents said that shelling continued overnight in the northern district while local officials "
    "reported damage to a school a market and several homes near the main road according to witnesses who "
    "asked not to be named because of security concerns the army and armed groups exchanged fire again "
    "after a week of relative calm humanitarian agencies warned of displacement and shortages of water fuel "
    "and medicine in camps where thousands of families have sought shelter since the fighting began"
).split()


def _reports(n: int, seed: int = 42, text_chars: int = 0) -> list[tuple[Report, str, Extraction]]:
    """Synthetic reports, one event each; ``text_chars`` > 0 pads each text to about that length."""
    rng = random.Random(seed)
    filler = random.Random(seed + 1)
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
        while len(text) < text_chars:
            text += " " + " ".join(filler.choice(_FILLER) for _ in range(12)) + "."
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


def _timed(store: Store, items: list, batch: int) -> tuple[float, float, float]:
    """Events per second: wall-clock, per CPU second, per server CPU second; ``items`` in calls of ``batch``."""
    wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
    for i in range(0, len(items), batch):
        store.add(items[i : i + batch])
    return _rates(len(items), time.perf_counter() - wall, time.process_time() - cpu, _server_cpu() - server)


def _rates(n: int, wall: float, cpu: float, server: float) -> tuple[float, float, float]:
    return n / wall, n / max(cpu, 1e-9), n / server if server > 0 else math.nan


#: events/s wall-clock, per CPU second of the writer(s), per CPU second of the server (NaN: unknown), row counts.
Rates = tuple[float, float, float, dict[str, int]]


def _run(url: str, preload: list, timed: list, batch: int) -> Rates:
    with Store(url) as store:
        _timed(store, preload, 500)  # the same starting database for every run, untimed
        wall, cpu, server = _timed(store, timed, batch)
        return wall, cpu, server, store.counts()


def _run_staged(url: str, preload: list, timed: list, batch: int, merge_batch: int) -> dict[str, Rates]:
    """Stage ``timed`` (calls of ``batch``), then drain it; rates of each part and of both."""
    with Store(url) as store:
        _timed(store, preload, 500)
        wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
        for i in range(0, len(timed), batch):
            store.stage(timed[i : i + batch])
        stage = (time.perf_counter() - wall, time.process_time() - cpu, _server_cpu() - server)
        wall, cpu, server = time.perf_counter(), time.process_time(), _server_cpu()
        merged = store.merge_pending(batch=merge_batch)
        merge = (time.perf_counter() - wall, time.process_time() - cpu, _server_cpu() - server)
        assert merged == len(timed), (merged, len(timed))
        counts = store.counts()
    n = len(timed)
    both = tuple(a + b for a, b in zip(stage, merge, strict=True))
    return {
        "staged write": (*_rates(n, *stage), counts),
        "merge drain": (*_rates(n, *merge), counts),
        "stage + merge": (*_rates(n, *both), counts),
    }


def _stager(url: str, items: list, batch: int, barrier: Any, out: Any, release: Any) -> None:
    """One writer process of ``--writers``: stage ``items`` once every writer is connected and ready.

    Keeps its connection until ``release``: the server's CPU for it is read while its backend lives.
    """
    with Store(url) as store:
        store.pending()  # connect before the clock starts
        barrier.wait()
        start, cpu = time.monotonic(), time.process_time()
        for i in range(0, len(items), batch):
            store.stage(items[i : i + batch])
        out.put((start, time.monotonic(), time.process_time() - cpu))
        release.wait(600)


def _run_writers(url: str, preload: list, timed: list, batch: int, writers: int) -> Rates:
    """``writers`` processes stage disjoint slices of ``timed`` into one database at once; aggregate rates.

    Wall-clock: all events over the span from the first writer's start to the last one's end; CPU:
    all events over the writers' summed CPU time. Then one drain merges everything, and the counts
    are checked: every report stored once, every event staged once (the union of the slices).
    """
    ctx = multiprocessing.get_context("fork")
    with Store(url) as store:
        _timed(store, preload, 500)
    barrier, out, release = ctx.Barrier(writers + 1), ctx.Queue(), ctx.Event()  # the writers and this process
    size = -(-len(timed) // writers)
    slices = [timed[k * size : (k + 1) * size] for k in range(writers)]
    procs = [ctx.Process(target=_stager, args=(url, part, batch, barrier, out, release)) for part in slices]
    for proc in procs:
        proc.start()
    barrier.wait()  # every writer is connected: their backends live through the span
    server = _server_cpu()
    spans = [out.get(timeout=600) for _ in procs]
    server = _server_cpu() - server
    release.set()
    for proc in procs:
        proc.join()
        assert proc.exitcode == 0, f"a writer failed (exit code {proc.exitcode})"
    wall = max(end for _, end, _ in spans) - min(start for start, _, _ in spans)
    cpu = sum(c for _, _, c in spans)
    with Store(url) as store:
        waiting = store.pending()
        assert (waiting.reports, waiting.events) == (len(timed), len(timed)), waiting
        assert store.counts()["reports"] == len(preload) + len(timed)
        store.merge_pending(batch=2000)
        counts = store.counts()
    return (*_rates(len(timed), wall, cpu, server), counts)


def _fresh_pg(admin_url: str, name: str) -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000, help="reports in the database before the timed part")
    parser.add_argument("--timed", type=int, default=2000, help="reports written in the timed part")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--merge-batch", type=int, default=2000, help="reports per merge_pending transaction")
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server (default: start a temporary one)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--writers", type=int, default=0, help="also N staging processes at once into PostgreSQL")
    parser.add_argument("--staged-only", action="store_true", help="skip the batched and naive runs")
    parser.add_argument("--text-chars", type=int, default=0,
                        help="pad report texts to about this length (news articles: 2,000-5,000; default: ~100)")
    args = parser.parse_args()
    items = _reports(args.reports + args.timed, text_chars=args.text_chars)
    preload, timed = items[: args.reports], items[args.reports :]
    server = None
    if not args.no_postgres and not args.postgres:
        from tocsin.store.pgserver import TempPostgres

        server = TempPostgres(durable=True).start()
        _server_pid.append(int((server.data / "postmaster.pid").read_text().split()[0]))
    admin = args.postgres or (server.url() if server else None)
    rates: dict[str, Rates] = {}
    started, load = dt.datetime.now(dt.UTC), os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for mode, batch in () if args.staged_only else (("batched", args.batch), ("naive", 1)):
                rates[f"sqlite {mode}"] = _run(str(Path(tmp) / f"{mode}.db"), preload, timed, batch)
                if admin:
                    url = _fresh_pg(admin, f"bench_{mode}")
                    rates[f"postgresql {mode}"] = _run(url, preload, timed, batch)
            staged = _run_staged(str(Path(tmp) / "staged.db"), preload, timed, args.batch, args.merge_batch)
            rates.update({f"sqlite {k}": v for k, v in staged.items()})
            if admin:
                staged = _run_staged(_fresh_pg(admin, "bench_staged"), preload, timed, args.batch, args.merge_batch)
                rates.update({f"postgresql {k}": v for k, v in staged.items()})
            if admin and args.writers > 0:
                url = _fresh_pg(admin, "bench_writers")
                rates["postgresql staged writers"] = _run_writers(url, preload, timed, args.batch, args.writers)
    finally:
        if server is not None:
            server.stop()
    counts = rates["sqlite staged write" if args.staged_only else "sqlite batched"][3]
    end_load = os.getloadavg()[0]
    print(f"run {started:%Y-%m-%d %H:%M} UTC, load average {load:.1f} at the start, {end_load:.1f} at the end")
    size = sum(len(r.text) for r, _, _ in timed) // max(len(timed), 1)
    print(f"database: {args.reports} reports preloaded, then {args.timed} timed (texts ~{size} chars); ", end="")
    print(f"{counts['mentions']} mentions -> {counts['events']} merged events")
    modes = ("batched", "naive", "staged write", "staged writers", "merge drain", "stage + merge")
    order = {f"{b} {m}": i for i, (b, m) in enumerate((b, m) for b in ("sqlite", "postgresql") for m in modes)}
    for name, (wall, cpu, server_rate, found) in sorted(rates.items(), key=lambda kv: order[kv[0]]):
        per = args.merge_batch if "drain" in name else 1 if "naive" in name else args.batch
        per_text = "" if "+" in name else f"({per:4d} per transaction)"
        writers = "writers" in name
        if writers:
            name, per_text = f"postgresql staged x{args.writers}", f"({per:4d} per tx, summed)"
        same = "" if found == counts else "  (!! different counts)"
        if writers:  # the union of the slices; merged in the writers' interleaved order
            union = all(found[k] == counts[k] for k in ("reports", "mentions"))
            same = f"  (reports, mentions {'==' if union else '!= (!!)'} one writer's; {found['events']} events)"
        server_text = "" if math.isnan(server_rate) else f"; server {server_rate:.0f} per server CPU second"
        print(f"{name:26s} {per_text:22s}: {wall:8.0f} events/s  ({cpu:.0f} per CPU second{server_text}){same}")
    for backend in ("sqlite", "postgresql"):
        if f"{backend} naive" in rates:
            b, n = rates[f"{backend} batched"], rates[f"{backend} naive"]
            print(f"{backend}: batched/naive {b[0] / n[0]:.2f}x wall-clock, {b[1] / n[1]:.2f}x CPU")
    goals = (
        ("batched", "batched, merged at once"),
        ("staged write", "staged: durable, not merged yet"),
        ("staged writers", f"staged by {args.writers} writers at once: durable, not merged yet"),
    )
    for name, what in goals:
        if f"postgresql {name}" not in rates:
            continue
        wall, cpu, server_rate, _ = rates[f"postgresql {name}"]
        verdict = "met" if wall >= GOAL else "NOT met"
        print(f"goal >= {GOAL} events/s into PostgreSQL ({what}): {verdict} — {wall:.0f}/s wall-clock "
              f"({wall / GOAL:.2f} of the goal), {cpu:.0f} per CPU second of the writer(s) ({cpu / GOAL:.2f})")
        if not math.isnan(server_rate):
            print(f"    CPU per event: writer(s) {1e6 / cpu:.0f} us + server {1e6 / server_rate:.0f} us"
                  f" = {1e6 / cpu + 1e6 / server_rate:.0f} us (2 cores, fully overlapped: "
                  f"<= {2e6 / (1e6 / cpu + 1e6 / server_rate):.0f} events/s)")
    if "postgresql merge drain" in rates:
        wall, cpu, _, _ = rates["postgresql merge drain"]
        print(f"staged events become visible (merged) at the drain rate: {wall:.0f}/s wall-clock, {cpu:.0f} per CPU s")


if __name__ == "__main__":
    main()
