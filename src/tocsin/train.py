"""Retrain the sub-event classifier: ``train(csv_paths, out_dir, case_paths=...)``.

The shipped model (``tocsin/data/triggers/model.npz``) was built by this module from ACLED
rows, tocsin's own written sentences and the CASE 2021 Task 2 development snippets (see
docs/classification.md); an organisation can rebuild it from its own licensed ACLED export,
with or without labelled news snippets. Training is deterministic (fixed seed).

    python -m tocsin.train OUT_DIR EXPORT.csv [EXPORT.csv ...] [--case SNIPPETS.tsv ...]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from tocsin.errors import E, InputError
from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify import CHAR_BITS, NONE, LinearModel, clean_note, fit
from tocsin.nlp.triggers_corpus import written_examples
from tocsin.nlp.triggers_parse import parse_texts

__all__ = ["CASE_LABELS", "MODEL_FILE", "UNSEEN", "build_model", "read_acled", "read_case_examples", "train"]

MODEL_FILE = "model.npz"
#: Class balancing: a row's weight is proportional to (rows of its label) ** -BALANCE.
BALANCE = 1.0
#: Each written sentence counts this many ACLED rows (they carry the news wording).
WRITTEN_WEIGHT = 3.0
#: Each labelled news snippet (CASE 2021) counts this many ACLED rows: it is the domain tocsin reads.
NEWS_WEIGHT = 3.0
#: Extra factor for the written ``NONE`` sentences (the label has no ACLED rows).
NONE_WEIGHT = 1.0
EPOCHS = 80
LEARNING_RATE = 0.1
L2 = 1e-4
#: L2 of the character n-gram block (session 7 grid over the feature groups' L2, docs/classification.md).
CHAR_L2 = 1e-4
#: Weight of the character n-gram block against the word features (its vector has unit length).
CHAR_SCALE = 1.0
#: Naive Bayes log-count ratios added to the logistic weights (``fit(nb_weight=...)``), and their smoothing.
#: Chosen by cross-validation on the development data (CASE 5-fold, ACLED by file; docs/classification.md).
NB_WEIGHT = 0.02
NB_ALPHA = 0.1
#: Hidden units of the network that reorders the linear model's sub-types (0: linear model alone), its share
#: of the ranking (log-probabilities), its full-batch Adam steps and dropout (``nlp/classify_hidden.py``).
#: The last three were chosen by cross-validation on the development data with 64 units (docs/classification.md).
HIDDEN = 64
HIDDEN_WEIGHT = 0.3
HIDDEN_EPOCHS = 400
HIDDEN_DROPOUT = 0.5
#: Train with the parse features (who acts on whom, ``nlp/triggers_parse.py``); each text is parsed once.
PARSE = True

#: CASE 2021 Task 2 label -> ACLED sub-event type.
CASE_LABELS: dict[str, str] = {
    "ARMED_CLASH": "Armed clash",
    "AIR_STRIKE": "Air/drone strike",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SUIC_BOMB": "Suicide bomb",
    "CHEM_WEAP": "Chemical weapon",
    "GRENADE": "Grenade",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "SEX_VIOL": "Sexual violence",
    "ATTACK": "Attack",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
#: CASE's classes that are not ACLED events (trained as ``NONE``).
UNSEEN: tuple[str, ...] = ("NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME", "DIPLO", "ATTRIB")


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


def read_case_examples(path: Path) -> list[tuple[str, str]]:
    """(snippet, label) pairs from a CASE 2021 Task 2 TSV (``EventSnippet``, ``SubType``); unseen classes: NONE."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"EventSnippet", "SubType"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(E.T501.format(path=path, fields=", ".join(sorted(missing))))
        rows = []
        for row in reader:
            name = (row.get("SubType") or "").strip()
            label = CASE_LABELS.get(name, NONE if name in UNSEEN else "")
            text = (row.get("EventSnippet") or "").strip()
            if label and text:
                rows.append((text, label))
    return rows


def build_model(
    acled_rows: list[tuple[str, str]],
    *,
    news_rows: Sequence[tuple[str, str]] = (),
    seed: int = 13,
    char_bits: int = CHAR_BITS,
    parse: bool = PARSE,
) -> LinearModel:
    """Fit the classifier on ACLED rows, labelled news snippets and tocsin's written sentences (balanced by label).

    With ``parse`` every text is parsed (spaCy and the actor dictionary) for the parse features.
    """
    written = written_examples()
    factors = [1.0] * len(acled_rows)
    factors += [WRITTEN_WEIGHT * (NONE_WEIGHT if label == NONE else 1.0) for _, label in written]
    factors += [NEWS_WEIGHT] * len(news_rows)
    examples = [*acled_rows, *written, *news_rows]
    counts = Counter(label for _, label in examples)
    weights = [factor * counts[label] ** -BALANCE for factor, (_, label) in zip(factors, examples, strict=True)]
    texts = [t for t, _ in examples]
    return fit(
        texts,
        [label for _, label in examples],
        sample_weights=weights,
        epochs=EPOCHS,
        learning_rate=LEARNING_RATE,
        l2=L2,
        char_l2=CHAR_L2,
        seed=seed,
        char_bits=char_bits,
        char_scale=CHAR_SCALE,
        extra=parse_texts(texts) if parse else None,
        nb_weight=NB_WEIGHT,
        nb_alpha=NB_ALPHA,
        hidden=HIDDEN,
        hidden_weight=HIDDEN_WEIGHT,
        hidden_epochs=HIDDEN_EPOCHS,
        hidden_dropout=HIDDEN_DROPOUT,
    )


def train(csv_paths: Sequence[Path], out_dir: Path, *, case_paths: Sequence[Path] = ()) -> Path:
    """Rebuild the model from ACLED CSV files (and CASE-style news TSVs) into ``out_dir``; returns the file's path."""
    rows: list[tuple[str, str]] = []
    for path in csv_paths:
        rows.extend(read_acled(Path(path)))
    news: list[tuple[str, str]] = []
    for path in case_paths:
        news.extend(read_case_examples(Path(path)))
    model = build_model(rows, news_rows=news)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / MODEL_FILE
    model.save(target)
    return target


def main(argv: list[str] | None = None) -> int:
    """``python -m tocsin.train OUT_DIR EXPORT.csv [EXPORT.csv ...] [--case SNIPPETS.tsv ...]``"""
    parser = argparse.ArgumentParser(prog="python -m tocsin.train", description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("exports", type=Path, nargs="+", help="ACLED CSV exports (notes, sub_event_type)")
    parser.add_argument("--case", type=Path, nargs="*", default=[], help="CASE 2021 Task 2 style TSVs of news snippets")
    args = parser.parse_args(argv)
    print(train(args.exports, args.out_dir, case_paths=args.case))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
