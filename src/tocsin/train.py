"""Retrain the sub-event classifier from ACLED CSV exports: ``train(csv_paths, out_dir)``.

The shipped model (``tocsin/data/triggers/model.npz``) was built by this function from ACLED
rows (see docs/classification.md) plus tocsin's own written sentences; an organisation can
rebuild it from its own licensed ACLED export. Training is deterministic (fixed seed).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from tocsin.errors import E, InputError
from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify import NONE, LinearModel, clean_note, fit
from tocsin.nlp.triggers_corpus import written_examples

__all__ = ["MODEL_FILE", "build_model", "read_acled", "train"]

MODEL_FILE = "model.npz"
#: Class balancing: a row's weight is proportional to (rows of its label) ** -BALANCE.
BALANCE = 1.0
#: Each written sentence counts this many ACLED rows (they carry the news wording).
WRITTEN_WEIGHT = 3.0
#: Extra factor for the written ``NONE`` sentences (the label has no ACLED rows).
NONE_WEIGHT = 1.0
EPOCHS = 80
LEARNING_RATE = 0.1


def read_acled(path: Path) -> list[tuple[str, str]]:
    """(cleaned notes, sub_event_type) pairs from an ACLED CSV export (either column layout)."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"notes", "sub_event_type"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(E.T501.format(path=path, fields=", ".join(sorted(missing))))
        rows = []
        for row in reader:
            label = (row.get("sub_event_type") or "").strip()
            text = clean_note(row.get("notes") or "")
            if label in SUB_EVENT_TYPES and text:
                rows.append((text, label))
    return rows


def build_model(acled_rows: list[tuple[str, str]], *, seed: int = 13) -> LinearModel:
    """Fit the classifier on ACLED rows plus tocsin's written sentences (balanced by label)."""
    written = written_examples()
    examples = acled_rows + written
    counts = Counter(label for _, label in examples)
    weights = [counts[label] ** -BALANCE for _, label in acled_rows]
    weights += [
        WRITTEN_WEIGHT * (NONE_WEIGHT if label == NONE else 1.0) * counts[label] ** -BALANCE for _, label in written
    ]
    return fit(
        [t for t, _ in examples],
        [label for _, label in examples],
        sample_weights=weights,
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        seed=seed,
    )


def train(csv_paths: list[Path], out_dir: Path) -> Path:
    """Rebuild the model from ACLED CSV files into ``out_dir``; returns the model file's path."""
    rows: list[tuple[str, str]] = []
    for path in csv_paths:
        rows.extend(read_acled(Path(path)))
    model = build_model(rows)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / MODEL_FILE
    model.save(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m tocsin.train OUT_DIR EXPORT.csv [EXPORT.csv ...]``"""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        print("usage: python -m tocsin.train OUT_DIR EXPORT.csv [EXPORT.csv ...]", file=sys.stderr)
        return 2
    target = train([Path(p) for p in args[1:]], Path(args[0]))
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
