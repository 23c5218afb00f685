"""A small linear classifier of text into ACLED sub-event types (or ``NONE``), in numpy.

Features are stemmed word unigrams and bigrams, trigger-lexicon hits
(``nlp/triggers_lexicon.py``), hashed character n-grams (2 to 5 characters inside word
boundaries, TF-IDF weighted, L2-normalised per text; after Piskorski et al., COLING 2020) and,
optionally, extra named features the caller computes (the parse features of ``nlp/triggers_parse.py``). The
model is multinomial logistic regression trained by full-batch Adam with L2 (deterministic).
Weights are stored as one ``.npz`` file with the vocabulary and the n-gram IDF, so loading is one
``np.load`` and prediction is a sum of weight rows plus one small dot product.

Training stays cheap without a sparse-matrix library because a text's character vector is the
sum of the (IDF-weighted) n-gram vectors of its distinct words: the n-gram part of the logits is
``A @ (P @ W)``, texts x word types x buckets, two small sparse products per step.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify_hidden import HiddenLayer, dequantize, fit_hidden, quantize
from tocsin.nlp.triggers_match import Cues, analyse

__all__ = [
    "CHAR_BITS",
    "LABELS",
    "NONE",
    "SURE_MARGIN",
    "LinearModel",
    "char_ngrams",
    "clean_note",
    "features",
    "fit",
]

#: The label for text that describes no ACLED event.
NONE = "NONE"
LABELS: tuple[str, ...] = (*SUB_EVENT_TYPES, NONE)
#: Character n-grams are hashed into 2 ** CHAR_BITS buckets (CRC-32, stable across processes).
CHAR_BITS = 15
_CHAR_SIZES = (2, 3, 4, 5)

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
_EMPTY = np.zeros(0, dtype=np.int64)
#: How far past a threshold the linear model's probabilities must lie for :meth:`LinearModel.event_scores` to
#: skip the network: far above the rounding by which the ensemble's probabilities differ from them.
SURE_MARGIN = 1e-6
#: Words whose n-gram contribution a loaded model keeps (cleared when full).
_WORD_CACHE = 200_000


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


@lru_cache(maxsize=131072)
def char_ngrams(word: str, bits: int = CHAR_BITS) -> np.ndarray:
    """Bucket ids of the 2- to 5-character n-grams of `` word `` (with boundary spaces), repeats kept."""
    padded = f" {word} "
    mask = (1 << bits) - 1
    grams = {padded[i : i + n] for n in _CHAR_SIZES for i in range(len(padded) - n + 1)}
    ids = np.array(sorted(zlib.crc32(gram.encode("utf-8")) & mask for gram in grams), dtype=np.int64)
    ids.flags.writeable = False
    return ids


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def features(text: str, cues: Cues | None = None, tokens: list[str] | None = None) -> list[str]:
    """The feature names of ``text``: bias, unigrams, bigrams and lexicon cues (``L:``, ``N:``, ``S:``, ``TERR:``)."""
    cues = cues if cues is not None else analyse(text)
    words = [_stem(w) for w in (tokens if tokens is not None else _tokens(text))]
    words = [w for w in words if w]
    feats = ["BIAS"]
    feats.extend(w for w in words if w not in _STOP)
    feats.extend(f"{a}_{b}" for a, b in zip(words, words[1:], strict=False) if not (a in _STOP and b in _STOP))
    feats.extend(f"L:{label}" for label in cues.labels)
    feats.extend(f"N:{kind}" for kind in cues.non_event)
    feats.extend(f"S:{label}" for label in cues.strong)
    feats.extend(cues.territory)
    return feats


def _softmax(logits: np.ndarray) -> np.ndarray:
    """Probabilities of ``logits`` (which it shifts in place)."""
    logits -= logits.max()
    probs = np.exp(logits)
    return probs / probs.sum()


def _reordered(linear: np.ndarray, net: np.ndarray, weight: float, subtypes: np.ndarray) -> np.ndarray:
    """The linear log-probabilities with the ``subtypes``' values reordered by (1 - weight) linear + weight net
    (:meth:`LinearModel._ensemble`; the experiment harness scores recorded runs with it)."""
    mixed = (1.0 - weight) * linear + weight * net
    order = subtypes[np.argsort(-mixed[subtypes], kind="stable")]
    out = linear.copy()
    out[order] = np.sort(linear[subtypes])[::-1]
    return out


@dataclass
class LinearModel:
    """Word/cue weights (vocabulary x labels), n-gram weights (buckets x labels) and the n-gram IDF."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray
    char_weights: np.ndarray | None = None
    idf: np.ndarray | None = None
    char_scale: float = 1.0
    parse: bool = False
    """Trained with parse features (``P:``, ``nlp/triggers_parse.py``): callers pass them as ``extra``."""
    hidden: HiddenLayer | None = None
    """A one-hidden-layer network over the same features (``nlp/classify_hidden.py``), or none."""
    hidden_weight: float = 0.0
    """The network's share of the ensemble that ranks the sub-types (:meth:`_ensemble`)."""
    _index: dict[str, int] = field(init=False, repr=False)
    _grams: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(init=False, repr=False)
    _subtypes: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {label: i for i, label in enumerate(self.labels)}
        self._grams = {}
        self._subtypes = np.array([i for i, label in enumerate(self.labels) if label != NONE])

    @property
    def char_bits(self) -> int:
        return 0 if self.char_weights is None else int(self.char_weights.shape[0]).bit_length() - 1

    def logits(self, text: str, *, bonus_scale: float = 1.0, extra: Sequence[str] = ()) -> np.ndarray:
        """Unnormalised class scores: summed weight rows, the n-gram dot product and decisive-cue bonuses.

        ``extra`` are further feature names of the text (the parse features of a ``parse`` model).
        """
        logits, rows = self._linear(text, bonus_scale, extra)
        if self.hidden is not None and self.hidden_weight:
            logits = self._ensemble(logits, self.hidden.log_probs(rows))
        return logits

    def _linear(self, text: str, bonus_scale: float, extra: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """The linear model's logits, and the vocabulary rows of the text's features (the network's input)."""
        cues = analyse(text)
        tokens = _tokens(text)
        names = features(text, cues, tokens)
        names.extend(extra)
        rows = [i for i in {self.vocab.get(f, -1) for f in names} if i >= 0]
        logits = self.weights[rows].sum(axis=0, dtype=np.float64)
        if self.char_weights is not None and self.idf is not None:
            logits += self._char_logits(tokens)
        for label, bonus in cues.bonuses.items():
            if label in self._index:
                logits[self._index[label]] += bonus * bonus_scale
        return logits, rows

    def _ensemble(self, logits: np.ndarray, net: np.ndarray) -> np.ndarray:
        """Log-probabilities: the network may reorder the sub-types, never change how sure the model is.

        The ensemble (1 - w) log p_linear + w log p_net ranks the sub-types; they get the linear model's
        sub-type probabilities in that order (its best probability goes to the ensemble's best label), and
        ``NONE`` keeps the linear model's. Every threshold on a probability (``NONE`` >= 0.5, the best
        label >= 0.15, the events module's trigger scores) decides as with the linear model alone: the
        ensemble's own probabilities are sharper and made ordinary news sentences events.
        """
        linear = logits - logits.max()
        linear -= np.log(np.exp(linear).sum())
        return _reordered(linear, net, self.hidden_weight, self._subtypes)

    def _word_grams(self, word: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(bucket ids, their IDF, their summed weighted rows) of one word, cached per model."""
        found = self._grams.get(word)
        if found is None:
            assert self.char_weights is not None and self.idf is not None
            if len(self._grams) >= _WORD_CACHE:
                self._grams.clear()
            ids = char_ngrams(word, self.char_bits)
            values = self.idf[ids]
            found = self._grams[word] = (ids, values, values @ self.char_weights.take(ids, axis=0))
        return found

    def _char_logits(self, tokens: list[str]) -> np.ndarray:
        """The n-gram block's logits: the words' cached weighted rows over the L2 norm of the text's vector."""
        if not tokens:
            return np.zeros(len(self.labels))
        parts = [self._word_grams(w) for w in sorted(set(tokens))]  # a fixed order: the same sums in every process
        ids = np.concatenate([p[0] for p in parts])
        values = np.concatenate([p[1] for p in parts])
        summed = np.bincount(ids, weights=values)[ids]  # each occurrence: its bucket's total
        norm = float(np.sqrt(summed @ values)) or 1.0
        total = parts[0][2].copy()
        for part in parts[1:]:
            total += part[2]
        return total * (self.char_scale / norm)

    def scores(self, text: str, *, bonus_scale: float = 1.0, extra: Sequence[str] = ()) -> np.ndarray:
        """Class probabilities for ``text``: softmax of :meth:`logits`."""
        return _softmax(self.logits(text, bonus_scale=bonus_scale, extra=extra))

    def event_scores(
        self, text: str, *, threshold: float, none_threshold: float, extra: Sequence[str] = ()
    ) -> np.ndarray | None:
        """:meth:`scores`, or None when the linear model alone puts ``NONE`` at ``none_threshold`` or more, or every
        sub-type below ``threshold``, by more than ``SURE_MARGIN``: then the text is no event whatever the network.

        The network only reorders the sub-types (:meth:`_ensemble`): ``NONE``'s probability and the sub-types' set
        of probabilities are the linear model's, up to rounding (~1e-16), so it is asked only when the decision is
        near a threshold or the text may be an event (it was asked for every sentence; most news sentences are
        no event).
        """
        logits, rows = self._linear(text, 1.0, extra)
        if self.hidden is None or not self.hidden_weight:
            return _softmax(logits)
        events = _softmax(logits.copy())[self._subtypes]
        if 1.0 - float(events.sum()) >= none_threshold + SURE_MARGIN or float(events.max()) < threshold - SURE_MARGIN:
            return None
        return _softmax(self._ensemble(logits, self.hidden.log_probs(rows)))

    def save(self, path: Path) -> None:
        words = json.dumps(sorted(self.vocab, key=self.vocab.__getitem__))
        arrays: dict[str, np.ndarray] = {
            "weights": self.weights.astype(np.float16),
            "vocab": np.frombuffer(words.encode("utf-8"), dtype=np.uint8),
            "labels": np.frombuffer(json.dumps(list(self.labels)).encode("utf-8"), dtype=np.uint8),
        }
        if self.char_weights is not None and self.idf is not None:
            arrays["char_weights"] = self.char_weights.astype(np.float16)
            arrays["idf"] = self.idf.astype(np.float16)
            arrays["char_scale"] = np.array([self.char_scale], dtype=np.float32)
        if self.parse:
            arrays["parse"] = np.array([1], dtype=np.uint8)
        if self.hidden is not None:
            arrays["hidden_in"], arrays["hidden_in_scale"] = quantize(self.hidden.w_in)
            arrays["hidden_in_bias"] = self.hidden.b_in.astype(np.float32)
            arrays["hidden_out"] = self.hidden.w_out.astype(np.float32)
            arrays["hidden_out_bias"] = self.hidden.b_out.astype(np.float32)
            arrays["hidden_weight"] = np.array([self.hidden_weight], dtype=np.float32)
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with np.load(path) as data:
            words = json.loads(data["vocab"].tobytes().decode("utf-8"))
            labels = tuple(json.loads(data["labels"].tobytes().decode("utf-8")))
            weights = data["weights"].astype(np.float32)
            char_weights = data["char_weights"].astype(np.float32) if "char_weights" in data else None
            idf = data["idf"].astype(np.float32) if "idf" in data else None
            char_scale = float(data["char_scale"][0]) if "char_scale" in data else 1.0
            parse = bool(data["parse"][0]) if "parse" in data else False
            hidden = None
            if "hidden_in" in data:
                hidden = HiddenLayer(w_in=dequantize(data["hidden_in"], data["hidden_in_scale"]),
                                     b_in=data["hidden_in_bias"], w_out=data["hidden_out"],
                                     b_out=data["hidden_out_bias"])
            hidden_weight = float(data["hidden_weight"][0]) if "hidden_weight" in data else 0.0
        return cls(labels=labels, vocab={w: i for i, w in enumerate(words)}, weights=weights,
                   char_weights=char_weights, idf=idf, char_scale=char_scale, parse=parse,
                   hidden=hidden, hidden_weight=hidden_weight)


@dataclass
class _Sparse:
    """A CSR matrix (rows x cols) with the two products training needs: ``M @ D`` and ``M.T @ D``."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_cols: int

    def __post_init__(self) -> None:
        self._starts = self.indptr[:-1][np.diff(self.indptr) > 0]
        self._nonempty = np.flatnonzero(np.diff(self.indptr) > 0)
        rows = np.repeat(np.arange(len(self.indptr) - 1), np.diff(self.indptr))
        order = np.argsort(self.indices, kind="stable")
        self._t_cols, self._t_starts = np.unique(self.indices[order], return_index=True)
        self._t_rows = rows[order]
        self._t_data = self.data[order]
        self._ones = bool((self.data == 1.0).all())

    @classmethod
    def of(cls, rows: list[tuple[np.ndarray, np.ndarray]], n_cols: int) -> _Sparse:
        lengths = [len(ids) for ids, _ in rows]
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        indices = np.concatenate([ids for ids, _ in rows]) if rows else _EMPTY
        data = np.concatenate([vals for _, vals in rows]) if rows else np.zeros(0)
        return cls(indptr, indices.astype(np.int64), data.astype(np.float32), n_cols)

    # The products gather along the last axis of the transposed operand (columns x entries, C order) and
    # reduce each segment there: the same sums in the same order as gathering rows, about 5x faster.
    def dot(self, dense: np.ndarray) -> np.ndarray:
        out = np.zeros((len(self.indptr) - 1, dense.shape[1]), dtype=np.float32)
        if len(self.indices):
            gathered = np.take(dense.T, self.indices, axis=1)
            if not self._ones:
                gathered *= self.data[None, :]
            out[self._nonempty] = np.add.reduceat(gathered, self._starts, axis=1).T
        return out

    def tdot(self, dense: np.ndarray) -> np.ndarray:
        out = np.zeros((self.n_cols, dense.shape[1]), dtype=np.float32)
        if len(self._t_rows):
            gathered = np.take(dense.T, self._t_rows, axis=1)
            if not self._ones:
                gathered *= self._t_data[None, :]
            out[self._t_cols] = np.add.reduceat(gathered, self._t_starts, axis=1).T
        return out


def _word_matrix(docs: list[list[str]], vocab: dict[str, int]) -> _Sparse:
    rows = []
    for feats in docs:
        ids = np.array(sorted({vocab[f] for f in feats if f in vocab}), dtype=np.int64)
        rows.append((ids, np.ones(len(ids), dtype=np.float32)))
    return _Sparse.of(rows, len(vocab))


def _char_matrices(token_lists: list[list[str]], bits: int) -> tuple[_Sparse, _Sparse, np.ndarray]:
    """(texts x word types with 1/norm, word types x buckets with count*idf, idf) for training."""
    types: dict[str, int] = {}
    doc_types = [sorted({types.setdefault(w, len(types)) for w in tokens}) for tokens in token_lists]
    words = sorted(types, key=types.__getitem__)
    grams = [np.unique(char_ngrams(w, bits), return_counts=True) for w in words]
    df = np.zeros(1 << bits, dtype=np.float64)
    for type_ids in doc_types:
        if type_ids:
            df[np.unique(np.concatenate([grams[t][0] for t in type_ids]))] += 1
    idf = np.log((1 + len(token_lists)) / (1 + df)) + 1.0
    per_type = _Sparse.of([(ids, counts * idf[ids]) for ids, counts in grams], 1 << bits)
    rows = []
    for type_ids in doc_types:
        if not type_ids:
            rows.append((_EMPTY, np.zeros(0)))
            continue
        ids, counts = np.unique(np.concatenate([grams[t][0] for t in type_ids]), return_counts=True)
        values = counts * idf[ids]
        norm = float(np.sqrt(values @ values)) or 1.0
        rows.append((np.array(type_ids, dtype=np.int64), np.full(len(type_ids), 1.0 / norm)))
    return _Sparse.of(rows, len(words)), per_type, idf


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
    char_bits: int = CHAR_BITS,
    char_scale: float = 1.0,
    extra: Sequence[Sequence[str]] | None = None,
    nb_weight: float = 0.0,
    nb_alpha: float = 0.1,
    hidden: int = 0,
    hidden_weight: float = 0.5,
    hidden_epochs: int = 150,
    hidden_learning_rate: float = 0.01,
    hidden_dropout: float = 0.0,
    char_l2: float | None = None,
) -> LinearModel:
    """Train multinomial logistic regression on ``texts`` (deterministic for a given seed).

    ``char_bits=0`` leaves out the character n-grams (word and lexicon features only).
    ``extra`` gives each text further feature names (its parse features): the model is then a
    ``parse`` model, whose callers pass the same features when scoring.
    ``nb_weight`` adds that multiple of the naive Bayes log-count ratios (Wang & Manning 2012;
    see :func:`_nb_log_ratios`) to the word and cue weights: an NB + logistic regression ensemble
    folded into one weight matrix, so prediction costs nothing more.
    ``char_l2`` is the L2 of the character n-gram block (default: ``l2``, as the other features).
    ``hidden`` > 0 also trains a network with that many hidden units on the word, cue and parse
    features (``nlp/classify_hidden.py``, ``hidden_dropout`` on its hidden units while training), averaged
    with the linear model in log space at ``hidden_weight``; its input layer is rounded to int8 per row,
    as :meth:`LinearModel.save` stores it.
    """
    rng = np.random.default_rng(seed)
    token_lists = [_tokens(t) for t in texts]
    docs = [features(t, None, tokens) for t, tokens in zip(texts, token_lists, strict=True)]
    if extra is not None:
        for feats, more in zip(docs, extra, strict=True):
            feats.extend(more)
    counts: dict[str, int] = {}
    for feats in docs:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= min_count or f[:2] in ("L:", "N:", "S:", "TE"))
    vocab = {f: i for i, f in enumerate(kept)}
    x_words = _word_matrix(docs, vocab)
    label_index = {label: i for i, label in enumerate(LABELS)}
    n_docs, n_labels = len(docs), len(LABELS)
    target = np.zeros((n_docs, n_labels), dtype=np.float32)
    target[np.arange(n_docs), [label_index[label] for label in labels]] = 1.0
    sw = np.ones(n_docs, dtype=np.float32) if sample_weights is None else np.asarray(sample_weights, np.float32)
    sw = sw / sw.sum()
    params = [rng.normal(0.0, 0.01, size=(len(vocab), n_labels)).astype(np.float32)]
    if char_bits:
        x_types, per_type, idf = _char_matrices(token_lists, char_bits)
        params.append(np.zeros((1 << char_bits, n_labels), dtype=np.float32))
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    regs = (l2, l2 if char_l2 is None else char_l2)  # zip stops at params: one block without n-grams
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        logits = x_words.dot(params[0])
        if char_bits:
            logits += char_scale * x_types.dot(per_type.dot(params[1]))
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad_docs = (probs - target) * sw[:, None]
        grads = [x_words.tdot(grad_docs)]
        if char_bits:
            grads.append(char_scale * per_type.tdot(x_types.tdot(grad_docs)))
        for param, grad, (m, v), reg in zip(params, grads, moments, regs, strict=False):
            grad += reg * param
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
    parse = extra is not None
    if nb_weight:
        params[0] += nb_weight * _nb_log_ratios(x_words, target, sw / sw.mean(), nb_alpha)
    net = None
    if hidden:
        net = fit_hidden(x_words, target, sw, hidden=hidden, epochs=hidden_epochs, learning_rate=hidden_learning_rate,
                         l2=l2, seed=seed, dropout=hidden_dropout).quantized()  # as saved: int8 input layer
    ensemble = {"hidden": net, "hidden_weight": hidden_weight if net is not None else 0.0}
    if not char_bits:
        return LinearModel(labels=LABELS, vocab=vocab, weights=params[0], parse=parse, **ensemble)
    return LinearModel(labels=LABELS, vocab=vocab, weights=params[0], char_weights=params[1], idf=idf,
                       char_scale=char_scale, parse=parse, **ensemble)


def _nb_log_ratios(x_words: _Sparse, target: np.ndarray, weights: np.ndarray, alpha: float) -> np.ndarray:
    """Per feature and label: log P(feature | label) - log P(feature | other labels), centred per feature.

    Multinomial naive Bayes over the features present in a text, counts weighted like the
    training rows (class-balanced), smoothed by ``alpha``.
    """
    counts = x_words.tdot(target * weights[:, None]).astype(np.float64)  # features x labels
    others = counts.sum(axis=1, keepdims=True) - counts
    n_features = counts.shape[0]
    own = np.log((counts + alpha) / (counts.sum(axis=0) + alpha * n_features))
    rest = np.log((others + alpha) / (others.sum(axis=0) + alpha * n_features))
    ratios = own - rest
    return (ratios - ratios.mean(axis=1, keepdims=True)).astype(np.float32)
