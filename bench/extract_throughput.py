"""Throughput of tocsin's extraction against a bare spaCy ``nlp.pipe`` of the same model.

Both run in this process over the same texts, in rounds of one run each (bare then tocsin, and
tocsin then bare in the next round, so a drift in the machine's load favours neither); garbage is
collected before each run, so neither pays for the other's. Printed: the best run of each side
compared (wall-clock and CPU time), and the median of the per-round ratios with their range: the
two runs of a round are seconds apart and share the machine's load, so on a shared machine the
median CPU-time ratio is the steadiest figure. Goal: tocsin/bare >= 0.8.

    python bench/extract_throughput.py [--reports N] [--rounds R]

Texts: the news articles of shared/eval/trnews.xml and ACLED notes (real prose of mixed length), from
the first ``shared/eval`` beside the checkout or a folder above it (a git worktree in ../wt/NAME finds
the main checkout's); else the shipped samples repeated, which the first printed line says.
"""

from __future__ import annotations

import argparse
import csv
import gc
import itertools
import json
import re
import statistics
import time
from pathlib import Path

import spacy
from shared_eval import EVAL

from tocsin.extraction import Extractor
from tocsin.model import Report
from tocsin.nlp.pipeline import MODEL_NAMES

ROOT = Path(__file__).resolve().parent.parent


def _texts(n: int) -> tuple[list[str], str]:
    """``n`` texts (cycled), and where they come from."""
    texts: list[str] = []
    trnews = EVAL / "trnews.xml"
    if trnews.exists():
        texts += [t.strip() for t in re.findall(r"<text><!\[CDATA\[(.*?)\]\]></text>", trnews.read_text(), re.S)]
    for path in sorted(EVAL.glob("acled_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["notes"] for row in itertools.islice(csv.DictReader(handle), 300)]
    source = f"TR-News and ACLED notes of {EVAL}"
    if not texts:
        source = "the shipped samples repeated (no shared/eval found)"
        with (ROOT / "samples" / "reports.jsonl").open(encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(texts), n)), source


def _bare_model() -> spacy.language.Language:
    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no en_core_web_sm model installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()

    texts, source = _texts(args.reports)
    reports = [Report(id=str(i), text=t) for i, t in enumerate(texts)]
    bare = _bare_model()
    extractor = Extractor()
    sentences = sum(1 for doc in bare.pipe(texts[:50]) for _ in doc.sents) / 50 * len(texts)
    # one untimed run of each: lazy loads (gazetteer, models, time zones) and caches are not timed
    list(extractor.extract_reports(reports, batch_size=args.batch_size))
    list(bare.pipe(texts, batch_size=args.batch_size))

    def run_bare() -> int:
        for _doc in bare.pipe(texts, batch_size=args.batch_size):
            pass
        return 0

    def run_tocsin() -> int:
        return sum(len(x.events) for x in extractor.extract_reports(reports, batch_size=args.batch_size))

    wall: dict[str, list[float]] = {"bare": [], "tocsin": []}
    cpu: dict[str, list[float]] = {"bare": [], "tocsin": []}
    events = 0
    for round_ in range(args.rounds):
        order = (("bare", run_bare), ("tocsin", run_tocsin))
        for name, run in order if round_ % 2 == 0 else order[::-1]:
            gc.collect()
            started, cpu_started = time.perf_counter(), time.process_time()
            found = run()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - cpu_started)
            events = found if name == "tocsin" else events

    chars = sum(map(len, texts))
    print(f"texts: {len(texts)} reports ({len(set(texts))} distinct) from {source}, {chars / len(texts):.0f} chars "
          f"on average, ~{sentences:.0f} sentences")
    for label, name in (("bare spaCy nlp.pipe", "bare"), ("tocsin extract", "tocsin")):
        seconds = min(wall[name])
        print(f"{label:20s} {len(texts) / seconds:8.1f} reports/s {sentences / seconds:9.1f} sentences/s "
              f"({seconds:.2f} s, best of {args.rounds}; CPU {min(cpu[name]):.2f} s)")
    print(f"events found by tocsin: {events}")
    print(f"ratio tocsin/bare, best runs: {min(wall['bare']) / min(wall['tocsin']):.2f} wall-clock, "
          f"{min(cpu['bare']) / min(cpu['tocsin']):.2f} CPU time (goal >= 0.80)")
    for label, times in (("wall-clock", wall), ("CPU time", cpu)):
        ratios = [b / t for b, t in zip(times["bare"], times["tocsin"], strict=True)]
        print(f"ratio tocsin/bare per round, {label:10s}: median {statistics.median(ratios):.2f} "
              f"(range {min(ratios):.2f}-{max(ratios):.2f} over {len(ratios)} rounds)")


if __name__ == "__main__":
    main()
