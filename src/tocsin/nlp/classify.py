"""A small linear classifier of text into ACLED sub-event types (or ``NONE``), in numpy.

Features are stemmed word unigrams and bigrams plus trigger-lexicon hits
(``nlp/triggers_lexicon.py``); the model is multinomial logistic regression trained by
full-batch Adam with L2 (deterministic). Weights are stored as one ``.npz`` file with the
vocabulary, so loading is one ``np.load`` and prediction is a sum of weight rows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.triggers_match import Cues, analyse

__all__ = [
    "LABELS",
    "NONE",
    "LinearModel",
    "clean_note",
    "features",
    "fit",
]

#: The label for text that describes no ACLED event.
NONE = "NONE"
LABELS: tuple[str, ...] = (*SUB_EVENT_TYPES, NONE)

_WORD = re.compile(r"[a-z][a-z0-9'-]*|[0-9]+")
_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "s")
_STOP = frozenset(
    "a an the of in on at to and or by for from with as is was were be been has have had that this it its "
    "their his her they he she which who after while into near during also than said says".split()
)
# ACLED coders' conventions that news text lacks: a leading date clause, bracketed notes.
_NOTE_DATE = re.compile(
    r"^\s*(?:(?:on|around|between|during|as of|overnight|in the (?:night|morning|evening) of|since|from|"
    r"in|by|before|after)\b[^,]{0,60},\s*)+",
    re.IGNORECASE,
)
_NOTE_BARE_DATE = re.compile(
    r"^\s*(?:on|around|as of)\s+(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+\s+\d{4}\s+", re.IGNORECASE
)
_NOTE_BRACKETS = re.compile(r"\[[^\]]*\]")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if word.isdigit():
        return "<num>"
    word = word.strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            elif word[-1] == word[-2:-1] and word[-1] not in "ls":
                word = word[:-1]
            break
    return word


def clean_note(note: str) -> str:
    """An ACLED ``notes`` text without the coder's date clause and bracketed remarks."""
    text = _NOTE_DATE.sub("", note, count=1)
    text = _NOTE_BARE_DATE.sub("", text, count=1)
    return _NOTE_BRACKETS.sub(" ", text).strip()


def features(text: str, cues: Cues | None = None) -> list[str]:
    """The feature names of ``text``: bias, unigrams, bigrams and lexicon cues (``L:``, ``N:``, ``S:``, ``TERR:``)."""
    cues = cues if cues is not None else analyse(text)
    words = [_stem(w) for w in _WORD.findall(text.lower())]
    words = [w for w in words if w]
    feats = ["BIAS"]
    feats.extend(w for w in words if w not in _STOP)
    feats.extend(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False) if not (a in _STOP and b in _STOP))
    feats.extend(f"L:{label}" for label in cues.labels)
    feats.extend(f"N:{kind}" for kind in cues.non_event)
    feats.extend(f"S:{label}" for label in cues.strong)
    feats.extend(cues.territory)
    return feats


@dataclass
class LinearModel:
    """Weights (features x labels) and the vocabulary that indexes their rows."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray

    def __post_init__(self) -> None:
        self._index = {label: i for i, label in enumerate(self.labels)}

    def scores(self, text: str, *, bonus_scale: float = 1.0) -> np.ndarray:
        """Class probabilities for ``text``: softmax of the summed weight rows plus decisive-cue bonuses."""
        cues = analyse(text)
        rows = [i for i in {self.vocab.get(f, -1) for f in features(text, cues)} if i >= 0]
        logits = self.weights[rows].sum(axis=0, dtype=np.float64)
        for label, bonus in cues.bonuses.items():
            if label in self._index:
                logits[self._index[label]] += bonus * bonus_scale
        logits -= logits.max()
        probs = np.exp(logits)
        return probs / probs.sum()

    def save(self, path: Path) -> None:
        words = json.dumps(sorted(self.vocab, key=self.vocab.__getitem__))
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            vocab=np.frombuffer(words.encode("utf-8"), dtype=np.uint8),
            labels=np.frombuffer(json.dumps(list(self.labels)).encode("utf-8"), dtype=np.uint8),
        )

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path) as data:
            words = json.loads(data["vocab"].tobytes().decode("utf-8"))
            labels = tuple(json.loads(data["labels"].tobytes().decode("utf-8")))
            weights = data["weights"].astype(np.float32)
        return cls(labels=labels, vocab={w: i for i, w in enumerate(words)}, weights=weights)


def _vectorise(docs: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    indices: list[int] = []
    indptr = [0]
    for feats in docs:
        indices.extend(sorted({vocab[f] for f in feats if f in vocab}))
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int64)
    rows = np.repeat(np.arange(len(docs)), np.diff(indptr))
    return cols, rows, np.asarray(indptr, dtype=np.int64)


def fit(
    texts: list[str],
    labels: list[str],
    *,
    sample_weights: list[float] | None = None,
    min_count: int = 2,
    l2: float = 1e-4,
    epochs: int = 200,
    learning_rate: float = 0.05,
    seed: int = 13,
) -> LinearModel:
    """Train multinomial logistic regression on ``texts`` (deterministic for a given seed)."""
    rng = np.random.default_rng(seed)
    docs = [features(t) for t in texts]
    counts: dict[str, int] = {}
    for feats in docs:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= min_count or f[:2] in ("L:", "N:", "S:", "TE"))
    vocab = {f: i for i, f in enumerate(kept)}
    cols, rows, indptr = _vectorise(docs, vocab)
    label_index = {label: i for i, label in enumerate(LABELS)}
    y = np.array([label_index[label] for label in labels])
    n_docs, n_labels = len(docs), len(LABELS)
    target = np.zeros((n_docs, n_labels), dtype=np.float32)
    target[np.arange(n_docs), y] = 1.0
    sw = np.ones(n_docs, dtype=np.float32) if sample_weights is None else np.asarray(sample_weights, np.float32)
    sw = sw / sw.sum()
    order = np.argsort(cols, kind="stable")
    uniq, starts = np.unique(cols[order], return_index=True)
    rows_by_feature = rows[order]
    weights = rng.normal(0.0, 0.01, size=(len(vocab), n_labels)).astype(np.float32)
    m = np.zeros_like(weights)
    v = np.zeros_like(weights)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        logits = np.add.reduceat(weights[cols], indptr[:-1], axis=0)
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad_docs = (probs - target) * sw[:, None]
        grad = np.zeros_like(weights)
        grad[uniq] = np.add.reduceat(grad_docs[rows_by_feature], starts, axis=0)
        grad += l2 * weights
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        m_hat = m / (1 - beta1**step)
        v_hat = v / (1 - beta2**step)
        weights -= learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return LinearModel(labels=LABELS, vocab=vocab, weights=weights)
