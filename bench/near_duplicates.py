"""Near-duplicate lookup with 100,000 stored story signatures: time to find a new report's family.

    .venv/bin/python bench/near_duplicates.py [--stored 100000] [--lookups 2000]

Stored signatures are random (distinct stories; building 100,000 from texts only costs more set-up
time, not lookup time). Half the lookups are copies of a stored story (a dateline added), half are new.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import numpy as np

from tocsin.watch.families import NUM_PERM, FamilyIndex, signature

WORDS = ("army rebels shelled town village market civilians killed wounded residents said monday tuesday "
         "police protesters gathered capital airstrike hit district fighters clashes border camp displaced").split()


def _story(rng: random.Random, n: int = 80) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(5)
    nprng = np.random.default_rng(5)
    index = FamilyIndex()
    started = time.perf_counter()
    for fid in range(args.stored):
        index.add(fid, nprng.integers(0, 2**32 - 5, size=NUM_PERM, dtype=np.uint64).astype(np.uint32))
    stories = [_story(rng) for _ in range(args.lookups // 2)]
    base = args.stored
    for n, story in enumerate(stories):
        index.add(base + n, signature(story))
    build = time.perf_counter() - started
    queries = [("BEIRUT (Wire) - " + s, True) for s in stories] + [(_story(rng), False) for _ in stories]
    times, cpu_times, hits, correct = [], [], 0, 0
    for text, is_copy in queries:
        t, c = time.perf_counter(), time.thread_time()
        found, _ = index.find(signature(text))
        cpu_times.append((time.thread_time() - c) * 1000)
        times.append((time.perf_counter() - t) * 1000)
        hits += found is not None
        correct += (found is not None) == is_copy
    times.sort()
    cpu_times.sort()
    p99 = int(len(times) * 0.99) - 1
    print(f"stored signatures: {len(index)} (index built in {build:.1f} s)")
    print(f"lookups: {len(queries)}  signature+find ms wall: p50 {statistics.median(times):.2f}  "
          f"p99 {times[p99]:.2f}  max {times[-1]:.2f}")
    print(f"                 signature+find ms CPU (this thread): p50 {statistics.median(cpu_times):.2f}  "
          f"p99 {cpu_times[p99]:.2f}  max {cpu_times[-1]:.2f}  (goal <= 5 ms)")
    print(f"copies found: {hits} of {len(stories)} expected; decisions right: {correct}/{len(queries)}")


if __name__ == "__main__":
    main()
