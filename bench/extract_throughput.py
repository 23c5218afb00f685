"""Throughput of tocsin's extraction against a bare spaCy ``nlp.pipe`` of the same model.

Both run in this process over the same texts, alternating (bare, tocsin, bare, tocsin, ...)
so machine noise hits both; the best round of each is compared. Goal: tocsin/bare >= 0.8.

    python bench/extract_throughput.py [--reports N] [--rounds R]

Texts: the news articles of ../shared/eval/trnews.xml and ACLED notes when present (real
prose of mixed length), else the shipped samples repeated.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import re
import time
from pathlib import Path

import spacy

from tocsin.extraction import Extractor
from tocsin.model import Report
from tocsin.nlp.pipeline import MODEL_NAMES

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def _texts(n: int) -> list[str]:
    texts: list[str] = []
    trnews = EVAL / "trnews.xml"
    if trnews.exists():
        texts += [t.strip() for t in re.findall(r"<text><!\[CDATA\[(.*?)\]\]></text>", trnews.read_text(), re.S)]
    for path in sorted(EVAL.glob("acled_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            texts += [row["notes"] for row in itertools.islice(csv.DictReader(handle), 300)]
    if not texts:
        with (ROOT / "samples" / "reports.jsonl").open(encoding="utf-8") as handle:
            texts = [json.loads(line)["text"] for line in handle if line.strip()]
    return list(itertools.islice(itertools.cycle(texts), n))


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

    texts = _texts(args.reports)
    reports = [Report(id=str(i), text=t) for i, t in enumerate(texts)]
    bare = _bare_model()
    extractor = Extractor()
    sentences = sum(1 for doc in bare.pipe(texts[:50]) for _ in doc.sents) / 50 * len(texts)
    list(extractor.extract_reports(reports[:20]))  # warm caches (gazetteer, models)

    best_bare = best_tocsin = cpu_bare = cpu_tocsin = float("inf")
    events = 0
    for _ in range(args.rounds):
        started, cpu = time.perf_counter(), time.process_time()
        for _doc in bare.pipe(texts, batch_size=args.batch_size):
            pass
        best_bare = min(best_bare, time.perf_counter() - started)
        cpu_bare = min(cpu_bare, time.process_time() - cpu)
        started, cpu = time.perf_counter(), time.process_time()
        events = sum(len(x.events) for x in extractor.extract_reports(reports, batch_size=args.batch_size))
        best_tocsin = min(best_tocsin, time.perf_counter() - started)
        cpu_tocsin = min(cpu_tocsin, time.process_time() - cpu)

    chars = sum(map(len, texts))
    print(f"texts: {len(texts)} reports, {chars / len(texts):.0f} chars on average, ~{sentences:.0f} sentences")
    for name, seconds in (("bare spaCy nlp.pipe", best_bare), ("tocsin extract", best_tocsin)):
        print(f"{name:20s} {len(texts) / seconds:8.1f} reports/s {sentences / seconds:9.1f} sentences/s "
              f"({seconds:.2f} s, best of {args.rounds})")
    print(f"events found by tocsin: {events}")
    print(f"ratio tocsin/bare: {best_bare / best_tocsin:.2f} wall-clock, {cpu_bare / cpu_tocsin:.2f} CPU time "
          f"(goal >= 0.80; CPU time is steadier on a shared machine)")


if __name__ == "__main__":
    main()
