"""Benchmark: status queries against 10,000 active warning areas.

Prints p50/p99 of single-point ``StatusIndex.status`` (in-process, including the nearest-corridor
search), bulk ``status_many`` throughput over 1,000,000 points, and the ratio against a naive
baseline measured in the same run: for each point, ``shapely.intersects`` against every area (no
index). The baseline is run on a sample of points and extrapolated to the full count (printed as such).

    .venv/bin/python bench/status.py [--areas 10000] [--points 1000000] [--queries 20000] [--naive 2000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

import numpy as np
import shapely
from shapely.geometry import Point

from tocsin.warnings.geometry import circle_polygons, parse_line
from tocsin.warnings.records import Corridor, Warning, WarningArea
from tocsin.warnings.status import StatusIndex
from tocsin.warnings.timewindow import parse_window

BBOX = (44.0, 52.0, 22.0, 40.0)  # lat_min, lat_max, lon_min, lon_max: a country-sized region
AT = dt.datetime(2026, 3, 28, 21, 30, tzinfo=dt.UTC)


def make_warnings(n_areas: int, n_corridors: int, rng: np.random.Generator) -> list[Warning]:
    lat0, lat1, lon0, lon1 = BBOX
    lats = rng.uniform(lat0, lat1, n_areas)
    lons = rng.uniform(lon0, lon1, n_areas)
    radii = rng.uniform(0.5, 5.0, n_areas)
    polygons = circle_polygons(lats, lons, radii, segments=24)
    sent = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    kinds = ("evacuation_order", "strike_warning", "curfew")
    curfew = parse_window("daily 22:00-06:00 Europe/Kyiv")
    warnings = []
    for i, polygon in enumerate(polygons):
        kind = kinds[i % 3]
        warnings.append(
            Warning(
                id=f"w{i}", kind=kind, sender="bench", sent=sent, status="Actual",
                areas=[WarningArea(f"area {i}", polygons=(polygon,))],
                window=curfew if kind == "curfew" else None,
            )
        )
    for j in range(n_corridors):
        a, b = rng.uniform(lat0, lat1, 2), rng.uniform(lon0, lon1, 2)
        route = parse_line(f"{a[0]},{b[0]} {a[1]},{b[1]}")
        warnings.append(
            Warning(id=f"c{j}", kind="safe_corridor", sender="bench", sent=sent, status="Actual",
                    corridors=[Corridor(f"corridor {j}", route, 1000.0)])
        )
    return warnings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--areas", type=int, default=10_000)
    parser.add_argument("--corridors", type=int, default=20)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--naive", type=int, default=2_000, help="points for the naive baseline sample")
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    lat0, lat1, lon0, lon1 = BBOX

    t0 = time.perf_counter()
    warnings = make_warnings(args.areas, args.corridors, rng)
    t1 = time.perf_counter()
    index = StatusIndex(warnings)
    t2 = time.perf_counter()
    print(f"areas: {len(index)} (+{args.corridors} corridors); made in {t1 - t0:.2f} s; index built in {t2 - t1:.3f} s")

    qlat, qlon = rng.uniform(lat0, lat1, args.queries), rng.uniform(lon0, lon1, args.queries)
    for i in range(200):  # warm-up
        index.status(float(qlat[i]), float(qlon[i]), AT)
    times = np.empty(args.queries)
    cpu = np.empty(args.queries)
    covered = 0
    for i in range(args.queries):
        s, c = time.perf_counter(), time.thread_time()
        answer = index.status(float(qlat[i]), float(qlon[i]), AT)
        times[i], cpu[i] = time.perf_counter() - s, time.thread_time() - c
        covered += bool(answer.warnings)
    p50, p99 = np.percentile(times, 50) * 1e3, np.percentile(times, 99) * 1e3
    print(f"point status: {args.queries} queries, wall p50 {p50:.3f} ms, p99 {p99:.3f} ms (goal p99 <= 1 ms); "
          f"CPU p50 {np.percentile(cpu, 50) * 1e3:.3f} ms, p99 {np.percentile(cpu, 99) * 1e3:.3f} ms; "
          f"{covered / args.queries:.1%} of points covered")

    blat, blon = rng.uniform(lat0, lat1, args.points), rng.uniform(lon0, lon1, args.points)
    s, c = time.perf_counter(), time.process_time()
    bulk = index.status_many(blat, blon, AT)
    bulk_s, bulk_cpu = time.perf_counter() - s, time.process_time() - c
    rate = args.points / bulk_s
    print(f"bulk status: {args.points} points in {bulk_s:.2f} s wall ({bulk_cpu:.2f} s CPU) = {rate:,.0f} points/s "
          f"(goal >= 500,000); {int((bulk.counts() > 0).sum())} points covered, {int(bulk.curfew.sum())} under curfew")

    geoms = np.array([a.shape for w in index.warnings for a in w.areas], dtype=object)
    sample = min(args.naive, args.points)
    s = time.perf_counter()
    naive_hits = 0
    for i in range(sample):
        naive_hits += int(shapely.intersects(geoms, Point(blon[i], blat[i])).any())
    naive_s = time.perf_counter() - s
    naive_rate = sample / naive_s
    indexed_hits = int((bulk.counts()[:sample] > 0).sum())
    print(f"naive baseline (shapely.intersects against all {len(geoms)} areas per point, no index): "
          f"{sample} points in {naive_s:.2f} s = {naive_rate:,.0f} points/s; extrapolated to {args.points} "
          f"points: {args.points / naive_rate:,.0f} s")
    print(f"ratio bulk/naive: {rate / naive_rate:,.0f}x (same answers on the sample: {naive_hits == indexed_hits})")
    print(f"machine load average (1, 5, 15 min): {os.getloadavg()}; {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
