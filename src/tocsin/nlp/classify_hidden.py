"""A one-hidden-layer network over the linear classifier's sparse features, for a log-linear ensemble.

The linear model (``nlp/classify.py``) adds one weight row per feature, so it cannot learn that two
words together mean something neither means alone ("protesters" + "police fired" is excessive
force, "observed" + "explosions" in a monitoring report is shelling). This network reads the same
binary features (words, bigrams, lexicon cues, parse features; not the character n-grams):
``h = relu(x W_in / sqrt(|x|) + b_in)``, ``p = softmax(h W_out + b_out)``. A text's input is the sum
of its features' rows of ``W_in`` over the square root of their count, so prediction is one gather
of ~100 rows and a (hidden x labels) product. It is trained in numpy by full-batch Adam with L2
and the linear model's class-balanced row weights, fixed seed (the recipe of a feed-forward text
classifier over bag-of-n-gram features, as in fastText (Joulin et al., EACL 2017) with a ReLU layer
in place of the linear one). The two models are combined by a weighted average of their
log-probabilities (``LinearModel.hidden_weight``).

The input layer is most of the network's size (features x hidden units), so it is kept as int8 with
one float32 scale per feature row (:meth:`HiddenLayer.quantized`: row / (max |row| / 127), rounded);
training ends with that rounding, so the model that is evaluated is the one that is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

__all__ = ["HiddenLayer", "SparseRows", "dequantize", "fit_hidden", "quantize"]


class SparseRows(Protocol):
    """A texts x features CSR matrix with the two products training needs (``classify._Sparse``)."""

    indptr: np.ndarray
    n_cols: int

    def dot(self, dense: np.ndarray) -> np.ndarray: ...

    def tdot(self, dense: np.ndarray) -> np.ndarray: ...


def quantize(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 rows, float32 scale per row) of a float matrix: ``row ~= int8_row * scale`` (max error scale / 2)."""
    peak = np.abs(weights).max(axis=1).astype(np.float32)
    scale = np.where(peak > 0, peak / np.float32(127), np.float32(1)).astype(np.float32)
    return np.rint(weights / scale[:, None]).astype(np.int8), scale


def dequantize(rows: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The float32 matrix of int8 ``rows`` and their per-row ``scale`` (inverse of :func:`quantize`)."""
    return rows.astype(np.float32) * scale.astype(np.float32)[:, None]


@dataclass
class HiddenLayer:
    """Weights of the network: features x hidden, hidden, hidden x labels, labels."""

    w_in: np.ndarray
    b_in: np.ndarray
    w_out: np.ndarray
    b_out: np.ndarray

    def log_probs(self, rows: list[int]) -> np.ndarray:
        """Log class probabilities of a text given the vocabulary rows of its features."""
        pre = self.w_in[rows].sum(axis=0, dtype=np.float32) / np.float32(np.sqrt(max(len(rows), 1))) + self.b_in
        logits = (np.maximum(pre, 0.0) @ self.w_out + self.b_out).astype(np.float64)
        logits -= logits.max()
        return logits - np.log(np.exp(logits).sum())

    def quantized(self) -> HiddenLayer:
        """The same network with the input layer rounded to int8 per row, as it is saved (``LinearModel.save``)."""
        return HiddenLayer(w_in=dequantize(*quantize(self.w_in)), b_in=self.b_in, w_out=self.w_out,
                           b_out=self.b_out)


def fit_hidden(
    x: SparseRows,
    target: np.ndarray,
    weights: np.ndarray,
    *,
    hidden: int = 64,
    epochs: int = 150,
    learning_rate: float = 0.01,
    l2: float = 1e-4,
    seed: int = 13,
    dropout: float = 0.0,
    on_step: Callable[[int, HiddenLayer], None] | None = None,
) -> HiddenLayer:
    """Train the network on binary features ``x`` (texts x features), one-hot ``target`` and row ``weights``.

    ``weights`` are normalised to sum to 1 (as the linear model's); deterministic for a given seed.
    ``dropout`` is the share of hidden units zeroed at random in each step (inverted dropout,
    Srivastava et al., JMLR 2014); it regularises the network much better than a stronger L2 did.
    ``on_step(step, network)`` is called after each step with the live (not copied) weights: the
    experiment harness (``bench/classify_harness.py``) keeps snapshots at chosen steps that way.
    """
    rng = np.random.default_rng(seed)
    n_labels = target.shape[1]
    sw = (np.asarray(weights, dtype=np.float32) / np.float32(np.sum(weights)))[:, None]
    lengths = np.diff(x.indptr).astype(np.float32)
    scale = (1.0 / np.sqrt(np.maximum(lengths, 1.0)))[:, None]
    w_in = rng.normal(0.0, 1.0, size=(x.n_cols, hidden)).astype(np.float32)
    b_in = np.zeros(hidden, dtype=np.float32)
    w_out = (rng.normal(0.0, 1.0, size=(hidden, n_labels)) * np.sqrt(2.0 / hidden)).astype(np.float32)
    b_out = np.zeros(n_labels, dtype=np.float32)
    params = [w_in, b_in, w_out, b_out]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for step in range(1, epochs + 1):
        pre = x.dot(w_in) * scale + b_in
        h = np.maximum(pre, 0.0)
        keep = None
        if dropout:
            keep = (rng.random(h.shape) >= dropout).astype(np.float32) / np.float32(1 - dropout)
            h *= keep
        logits = h @ w_out + b_out
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        grad_logits = (probs - target) * sw
        grad_h = (grad_logits @ w_out.T) * (pre > 0)
        if keep is not None:
            grad_h *= keep
        grads = [
            x.tdot(grad_h * scale) + l2 * w_in,
            grad_h.sum(axis=0),
            h.T @ grad_logits + l2 * w_out,
            grad_logits.sum(axis=0),
        ]
        for param, grad, (m, v) in zip(params, grads, moments, strict=True):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            param -= learning_rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + eps)
        if on_step is not None:
            on_step(step, HiddenLayer(w_in=w_in, b_in=b_in, w_out=w_out, b_out=b_out))
    return HiddenLayer(w_in=w_in, b_in=b_in, w_out=w_out, b_out=b_out)
