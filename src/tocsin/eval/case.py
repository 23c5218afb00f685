"""Score sub-event classification: CASE 2021 Task 2 snippets and ACLED notes.

    python -m tocsin.eval.case [--case PATH] [--acled PATH ...] [--kfold K] [--case-folds K] [--shipped] [--json]

``score_case_cv`` scores the CASE snippets by k-fold cross-validation: the shipped model is
trained on them, so each fold is classified by a model trained on the ACLED files, the written
sentences and the other folds. ``score_case`` classifies with a given classifier (default the
shipped model: on the development snippets that is not a held-out figure). Weighted F1 is over
the 25 ACLED classes, as in CASE 2021: all rows count, a snippet of an unseen class (disaster,
crime, diplomacy, attribution) given an ACLED label is a false positive of that label, and an
ACLED snippet left unlabelled is a false negative. ``unseen_not_forced`` is the share of
unseen-class snippets given no ACLED label.

``score_acled_subtypes`` holds out by file: for each file it trains a model on the other
files (plus tocsin's written sentences and all CASE snippets) and scores that file's
``notes`` (or, with ``--kfold k``, k folds over all rows).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify import NONE, LinearModel
from tocsin.nlp.triggers import DEFAULT_NONE_THRESHOLD, DEFAULT_THRESHOLD, classify_text, load_model
from tocsin.nlp.triggers_parse import parse_texts
from tocsin.train import CASE_LABELS, PARSE, UNSEEN, build_model, read_acled

__all__ = ["CASE_LABELS", "UNSEEN", "prf", "read_case", "score_acled_subtypes", "score_case", "score_case_cv"]

Classifier = Callable[[str], str]


def read_case(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, gold) rows; gold is an ACLED sub-event type, or the CASE name of an unseen class."""
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            label = row["SubType"].strip()
            rows.append((row["id"], row["EventSnippet"], CASE_LABELS.get(label, label)))
    return rows


def prf(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, object]:
    """Per-label precision/recall/F1/support and their support-weighted means over ``labels``."""
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        n_pred = sum(1 for p in pred if p == label)
        n_gold = sum(1 for g in gold if g == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                      "support": n_gold}
    total = sum(v["support"] for v in per.values()) or 1
    weighted = {k: round(sum(v[k] * v["support"] for v in per.values()) / total, 4)
                for k in ("precision", "recall", "f1")}
    return {"weighted": weighted, "per_class": per}


def _shipped(text: str) -> str:
    ranked = classify_text(text, threshold=DEFAULT_THRESHOLD)
    return ranked[0][0] if ranked else NONE


def decide(probs: np.ndarray, labels: Sequence[str], threshold: float = DEFAULT_THRESHOLD) -> str:
    """``classify_text``'s decision on one text's probabilities: ``NONE`` when P(NONE) reaches
    ``DEFAULT_NONE_THRESHOLD`` or the best sub-type's probability is below ``threshold``, else that sub-type."""
    none = labels.index(NONE)
    others = probs.copy()
    others[none] = -1.0
    best = int(others.argmax())
    return NONE if float(probs[none]) >= DEFAULT_NONE_THRESHOLD or others[best] < threshold else labels[best]


def _with_model(model: LinearModel, threshold: float = DEFAULT_THRESHOLD) -> Classifier:
    """The decision of ``classify_text`` with an in-memory model."""

    def classify(text: str) -> str:
        return decide(model.scores(text, extra=parse_texts([text])[0] if model.parse else ()), model.labels,
                      threshold)

    return classify


def _case_scores(gold: list[str], pred: list[str]) -> dict[str, object]:
    scores = prf(gold, pred, SUB_EVENT_TYPES)
    unseen = [(g, p) for g, p in zip(gold, pred, strict=True) if g in UNSEEN]
    by_class = {
        name: round(sum(1 for g, p in unseen if g == name and p == NONE) / max(1, sum(1 for g, _ in unseen
                                                                                      if g == name)), 4)
        for name in UNSEEN
    }
    acled_rows = [(g, p) for g, p in zip(gold, pred, strict=True) if g not in UNSEEN]
    return {
        "rows": len(gold),
        "weighted_f1": scores["weighted"]["f1"],  # type: ignore[index]
        "weighted": scores["weighted"],
        "accuracy_acled_rows": round(sum(1 for g, p in acled_rows if g == p) / max(1, len(acled_rows)), 4),
        "unseen_not_forced": round(sum(1 for _, p in unseen if p == NONE) / max(1, len(unseen)), 4),
        "unseen_by_class": by_class,
        "per_class": scores["per_class"],
        "confusions": Counter(f"{g} -> {p}" for g, p in zip(gold, pred, strict=True) if g != p).most_common(25),
    }


def score_case(path: Path, classify: Classifier = _shipped) -> dict[str, object]:
    """Weighted F1 over the 25 ACLED classes and the unseen classes' share left unlabelled."""
    rows = read_case(Path(path))
    if classify is _shipped and load_model().parse:
        parse_texts([text for _, text, _ in rows])  # one batched parse, cached for the classifier
    return _case_scores([g for _, _, g in rows], [classify(text) for _, text, _ in rows])


def _as_training(rows: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(text, NONE if gold in UNSEEN else gold) for _, text, gold in rows]


def score_case_cv(
    path: Path, acled_paths: Sequence[Path], *, folds: int = 5, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, object]:
    """CASE scores when the snippets are also training data: ``folds``-fold cross-validation.

    Snippet ``i`` falls in fold ``i % folds``; each fold is scored by a model trained on the
    ACLED files, the written sentences and the other folds' snippets (as the shipped model is).
    """
    rows = read_case(Path(path))
    acled = [row for p in acled_paths for row in read_acled(Path(p))]
    if PARSE:
        parse_texts([text for text, _ in acled] + [text for _, text, _ in rows])  # batched once, cached
    pred = [NONE] * len(rows)
    for fold in range(folds):
        train_rows = _as_training([row for i, row in enumerate(rows) if i % folds != fold])
        classify = _with_model(build_model(acled, news_rows=train_rows), threshold)
        for i in range(fold, len(rows), folds):
            pred[i] = classify(rows[i][1])
    return {**_case_scores([g for _, _, g in rows], pred), "held_out": f"{folds}-fold over snippets"}


def _summary(gold: list[str], pred: list[str]) -> dict[str, object]:
    return {
        "rows": len(gold),
        "accuracy": round(sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / max(1, len(gold)), 4),
        "weighted_f1": prf(gold, pred, SUB_EVENT_TYPES)["weighted"]["f1"],  # type: ignore[index]
    }


def score_acled_subtypes(
    paths: Sequence[Path],
    *,
    folds: int | None = None,
    seed: int = 13,
    news_rows: Sequence[tuple[str, str]] = (),
) -> dict[str, object]:
    """Score ACLED ``notes`` with models that never saw the scored rows.

    By default each file is held out in turn (train on the other files plus the written
    sentences and ``news_rows``, labelled news snippets). With ``folds=k`` the rows of all
    files are shuffled (fixed seed) into k folds instead, each scored by a model trained on
    the other k-1.
    """
    files = {Path(p): read_acled(Path(p)) for p in paths}
    if PARSE:
        parse_texts([text for rows in files.values() for text, _ in rows])  # batched once, cached
    if folds:
        rows = [row for file_rows in files.values() for row in file_rows]
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        splits = {f"fold {k + 1}/{folds}": [rows[i] for i in order[k::folds]] for k in range(folds)}
        others = {name: [rows[i] for j in range(folds) if j != k for i in order[j::folds]]
                  for k, name in enumerate(splits)}
    else:
        splits = {path.name: file_rows for path, file_rows in files.items()}
        others = {path.name: [row for other, other_rows in files.items() if other != path for row in other_rows]
                  for path in files}
    gold_all: list[str] = []
    pred_all: list[str] = []
    per_split: dict[str, dict[str, object]] = {}
    for name, rows in splits.items():
        classify = _with_model(build_model(others[name], news_rows=news_rows))
        pred = [classify(text) for text, _ in rows]
        gold = [label for _, label in rows]
        per_split[name] = _summary(gold, pred)
        gold_all.extend(gold)
        pred_all.extend(pred)
    return {
        **_summary(gold_all, pred_all),
        "held_out": f"{folds}-fold over rows" if folds else "by file",
        "per_split": per_split,
        "per_class": prf(gold_all, pred_all, SUB_EVENT_TYPES)["per_class"],
    }


def _default_eval_dir() -> Path:
    for base in (Path.cwd(), *Path(__file__).resolve().parents):
        candidate = base / ".." / "shared" / "eval"
        if candidate.is_dir():
            return candidate.resolve()
    return Path("../shared/eval")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tocsin.eval.case", description=__doc__.split("\n")[0])
    parser.add_argument("--case", type=Path, help="CASE 2021 Task 2 TSV (default ../shared/eval/...)")
    parser.add_argument("--acled", type=Path, nargs="*", help="ACLED CSV files for held-out-by-file scoring")
    parser.add_argument("--kfold", type=int, default=0, help="ACLED: k-fold over rows instead of holding out by file")
    parser.add_argument("--case-folds", type=int, default=5,
                        help="CASE: k-fold cross-validation with the other folds in training (1: shipped model only)")
    parser.add_argument("--shipped", action="store_true", help="also score CASE with the shipped model")
    parser.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = parser.parse_args(argv)
    eval_dir = _default_eval_dir()
    case_path = args.case or eval_dir / "case2021_task2_dev.tsv"
    acled_paths = args.acled if args.acled is not None else sorted(eval_dir.glob("acled_*.csv"))
    result: dict[str, object] = {}
    case_rows = read_case(case_path) if case_path.exists() else []
    if case_rows and acled_paths and args.case_folds > 1:
        result["case"] = score_case_cv(case_path, acled_paths, folds=args.case_folds)
    if case_rows and (args.shipped or not acled_paths or args.case_folds <= 1):
        # the shipped model was trained on the development snippets: not a held-out figure for them
        result["case_shipped"] = score_case(case_path)
    if acled_paths:
        result["acled"] = score_acled_subtypes(acled_paths, folds=args.kfold or None, news_rows=_as_training(case_rows))
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    for name, scores in result.items():
        assert isinstance(scores, dict)
        brief = {k: v for k, v in scores.items() if k not in ("per_class", "confusions")}
        print(name, json.dumps(brief, indent=1))
        for label, s in scores["per_class"].items():
            print(f"  {label:40s} P={s['precision']:.2f} R={s['recall']:.2f} F1={s['f1']:.2f} n={s['support']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
