"""Backfill throughput: single process (``--engine local``) vs Ray with 2 actors, same files, same run.

Both backfill the same JSONL corpus into a fresh SQLite store each. The rate is measured after the first
batch is stored (steady state: model loading and Ray start-up excluded, they are printed apart as wall
time). Goal: Ray/single >= 1.5 on this 2-core machine. Bare spaCy ``nlp.pipe`` with n_process=1 and 2 on the
same texts is printed for reference (it reaches about 1.7x here).

    python bench/backfill.py [--reports N] [--batch-size B] [--actors A]

Texts: ACLED notes of shared/eval when present (real prose; found as the throughput bench finds it, also from a git
worktree), else the shipped samples, made distinct; the corpus line says which.

Start-up is printed apart: for the single process, the time to the first stored batch (pipeline load and one
batch); for Ray, ``ray.init`` and then the time to the first stored batch (actor processes start, each loads
the pipeline, one batch). CPU seconds are those of this process and every process under it (a local Ray's
daemons and actors are its descendants), sampled from /proc every 0.2 s (actors exit before the backfill returns),
so a busy machine shows in wall time, not CPU time.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import spacy
from shared_eval import EVAL

from tocsin.cluster import backfill, start_ray
from tocsin.nlp.pipeline import MODEL_NAMES
from tocsin.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _texts(n: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(EVAL.glob("acled_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["notes"] for row in itertools.islice(csv.DictReader(handle), 400) if row["notes"].strip()]
    if not texts:
        with (ROOT / "samples" / "reports.jsonl").open(encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle if line.strip()]
    # every text distinct: a duplicate would be counted (and reported to the clock) before any extraction
    return [f"{t} (Ref {i}.)" for i, t in enumerate(itertools.islice(itertools.cycle(texts), n))]


class _Clock:
    """Records when the first batch was stored and how many reports came after it."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: float | None = None
        self.after_first = 0
        self.end = self.start

    def __call__(self, n: int) -> None:
        now = time.perf_counter()
        if self.first is None:
            self.first = now
        else:
            self.after_first += n
        self.end = now

    def steady(self) -> float:
        return self.after_first / (self.end - self.first) if self.first and self.end > self.first else 0.0


def _tree_ticks(root: int) -> dict[int, int]:
    """Own CPU ticks (utime + stime) of process ``root`` and each live descendant, from /proc (Linux)."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        parent[pid] = int(fields[1])
        ticks[pid] = int(fields[11]) + int(fields[12])
    mine = {}
    for pid, own in ticks.items():
        p = pid
        while p > 1 and p != root:
            p = parent.get(p, 0)
        if p == root:
            mine[pid] = own
    return mine


class _TreeCpu:
    """CPU seconds of this process and every process under it, sampled every ``interval`` seconds.

    Ray's actors exit (and are reaped by its daemons, not by us) before a backfill returns, so one reading at
    the end misses them; sampling keeps each process's last figure, losing at most ``interval`` per process.
    """

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.seen: dict[int, int] = {}
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        ticks = _tree_ticks(os.getpid())
        with self.lock:
            for pid, own in ticks.items():
                self.seen[pid] = max(own, self.seen.get(pid, 0))

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> _TreeCpu:
        self._sample()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()

    def seconds(self) -> float:
        """CPU seconds used so far by the tree (pids are not reused within one run on Linux's pid space)."""
        self._sample()
        with self.lock:
            return sum(self.seen.values()) / os.sysconf("SC_CLK_TCK")


def _run(
    corpus: Path, folder: Path, engine: str, batch_size: int, actors: int, tree: _TreeCpu
) -> tuple[_Clock, int, float]:
    with Store(folder / f"{engine}.db") as store:
        cpu = tree.seconds()
        clock = _Clock()
        summary = backfill([corpus], store, engine=engine, batch_size=batch_size, actors=actors, progress=clock,
                           drafts=False)
        clock.end = time.perf_counter() if clock.first is None else clock.end
        return clock, summary.new, tree.seconds() - cpu


def _bare(texts: list[str], batch_size: int) -> tuple[float, float]:
    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    else:
        raise SystemExit("no en_core_web_sm model installed")
    rates = []
    for n_process in (1, 2):
        started = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
            pass
        rates.append(len(texts) / (time.perf_counter() - started))
    return rates[0], rates[1]


def _engines(corpus: Path, folder: Path, args: argparse.Namespace, tree: _TreeCpu) -> tuple:
    local, local_new, local_cpu = _run(corpus, folder, "local", args.batch_size, args.actors, tree)
    init_cpu, started = tree.seconds(), time.perf_counter()
    session = start_ray(num_cpus=args.actors, object_store_memory=200 * 1024 * 1024)
    init_wall = time.perf_counter() - started
    try:
        ray, ray_new, ray_cpu = _run(corpus, folder, "ray", args.batch_size, args.actors, tree)
        ray_cpu_total = tree.seconds() - init_cpu
    finally:
        session.close()
    return local, local_new, local_cpu, ray, ray_new, ray_cpu, ray_cpu_total, init_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--actors", type=int, default=2)
    args = parser.parse_args()

    texts = _texts(args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)))
        bare1, bare2 = _bare(texts, args.batch_size)
        with _TreeCpu() as tree:
            local, local_new, local_cpu, ray, ray_new, ray_cpu, ray_cpu_total, init_wall = _engines(
                corpus, folder, args, tree
            )

    origin = f"ACLED notes of {EVAL}" if any(EVAL.glob("acled_*.csv")) else "the shipped samples"
    print(f"corpus: {len(texts)} reports from {origin}, {sum(map(len, texts)) / len(texts):.0f} chars on average")
    print(f"bare spaCy nlp.pipe n_process=1  {bare1:8.1f} reports/s")
    print(f"bare spaCy nlp.pipe n_process=2  {bare2:8.1f} reports/s   ratio {bare2 / bare1:.2f}")
    for name, clock, new in (("tocsin backfill local", local, local_new), ("tocsin backfill ray", ray, ray_new)):
        wall = clock.end - clock.start
        print(f"{name:32s} {clock.steady():8.1f} reports/s steady; {new} stored in {wall:.1f} s wall "
              f"({new / wall:.1f}/s incl. start-up)")
    print(f"start-up, single: first batch stored after {(local.first or local.end) - local.start:.1f} s wall "
          "(pipeline load + 1 batch)")
    print(f"start-up, ray: ray.init {init_wall:.1f} s wall, then first batch stored after "
          f"{(ray.first or ray.end) - ray.start:.1f} s wall (actors start, load the pipeline, 1 batch)")
    ray_wall = ray.end - ray.start + init_wall
    print(f"ray including ray.init: {ray_new} stored in {ray_wall:.1f} s wall ({ray_new / ray_wall:.1f}/s)")
    print(f"CPU seconds: single {local_cpu:.1f}; ray {ray_cpu_total:.1f} incl. ray.init "
          f"({ray_cpu:.1f} during the backfill, driver + daemons + actors)")
    ratio = ray.steady() / local.steady() if local.steady() else 0.0
    print(f"ratio ray({args.actors} actors)/single, steady: {ratio:.2f} (goal >= 1.5)")


if __name__ == "__main__":
    main()
