"""Benchmark: publishing one warning against 1,000,000 subscription areas.

Builds 1,000,000 circular subscription areas (point + radius 0.5-5 km, geodesic 16-gons) over a
country-sized region, indexes them in a ``SubscriptionIndex`` (STRtree, built once, as the store keeps
it between publishes), then times finding every subscriber a city-sized warning polygon intersects.
The baseline in the same run is ``shapely.intersects`` of the warning against every area (no index).

    .venv/bin/python bench/fanout.py [--subscriptions 1000000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely

from tocsin.warnings.geometry import circle_polygons, parse_polygon
from tocsin.warnings.subscriptions import SubscriptionIndex

BBOX = (44.0, 52.0, 22.0, 40.0)
#: A warning area of about 20 x 15 km around a city centre.
WARNING = parse_polygon("50.35,30.40 50.55,30.40 50.55,30.65 50.35,30.65 50.35,30.40")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--store", type=int, default=0, help="also run end to end with this many stored subscriptions")
    parser.add_argument("--city-share", type=float, default=0.05, help="share of subscriptions in the warned city")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    n = args.subscriptions
    lat0, lat1, lon0, lon1 = BBOX
    lats, lons = rng.uniform(lat0, lat1, n), rng.uniform(lon0, lon1, n)
    city = rng.random(n) < args.city_share  # many subscribers cluster in the city, as aid groups and residents do
    lats[city], lons[city] = rng.normal(50.45, 0.08, city.sum()), rng.normal(30.52, 0.12, city.sum())
    radii = rng.uniform(0.5, 5.0, n)

    t0 = time.perf_counter()
    areas = circle_polygons(lats, lons, radii, segments=16)
    t1 = time.perf_counter()
    index = SubscriptionIndex(np.arange(1, n + 1), areas)
    t2 = time.perf_counter()
    print(f"{n:,} subscription areas made in {t1 - t0:.1f} s; STRtree built in {t2 - t1:.2f} s (once, kept)")

    times = []
    matched = np.zeros(0)
    for _ in range(args.repeat):
        s = time.perf_counter()
        matched = index.matching(WARNING)
        times.append(time.perf_counter() - s)
    best, worst = min(times), max(times)
    print(f"fan-out: {len(matched):,} matching subscribers in {best * 1e3:.1f} ms (worst of {args.repeat}: "
          f"{worst * 1e3:.1f} ms; goal <= 1000 ms)")

    s = time.perf_counter()
    naive = np.flatnonzero(shapely.intersects(WARNING, areas)) + 1
    naive_s = time.perf_counter() - s
    print(f"baseline (shapely.intersects against all {n:,} areas, no index): {naive_s * 1e3:.0f} ms; "
          f"ratio {naive_s / best:,.0f}x; same subscribers: {np.array_equal(np.sort(naive), matched)}")

    if args.store:
        store_run(areas[: args.store], lats[: args.store], lons[: args.store], radii[: args.store])


def store_run(areas: np.ndarray, lats: np.ndarray, lons: np.ndarray, radii: np.ndarray) -> None:
    """End to end in a SQLite store: load the subscription index, publish one warning, enqueue deliveries."""
    import datetime as dt
    import tempfile
    from pathlib import Path

    from tocsin.store import Store
    from tocsin.store.warning_tables import subscriptions
    from tocsin.warnings.records import Warning, WarningArea
    from tocsin.warnings.store import WarningStore

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "fanout.db") as store:
        now = dt.datetime.now(dt.UTC)
        wkb = shapely.to_wkb(areas)
        rows = [
            {"url": f"http://127.0.0.1:9/{i}", "secret": "s", "area_wkb": wkb[i], "latitude": float(lats[i]),
             "longitude": float(lons[i]), "radius_km": float(radii[i]), "active": True, "created_at": now}
            for i in range(len(areas))
        ]
        with store.transaction() as conn:  # bulk load for the benchmark (the API adds one at a time)
            conn.execute(subscriptions.insert(), rows)
        ws = WarningStore(store)
        s = time.perf_counter()
        ws.subscription_index()
        load_s = time.perf_counter() - s
        ws.create(Warning(id="bench-1", kind="evacuation_order", sender="bench", sent=now,
                          areas=[WarningArea("city", polygons=(WARNING,))]), who="bench")
        s = time.perf_counter()
        ws.publish("bench-1", operator="bench")
        publish_s = time.perf_counter() - s
        queued = len(ws.deliveries(warning_id="bench-1"))
        print(f"store: {len(areas):,} subscriptions in SQLite; index loaded in {load_s:.2f} s (first publish after a "
              f"start; kept afterwards); publish with {queued:,} deliveries enqueued in {publish_s:.2f} s")


if __name__ == "__main__":
    main()
