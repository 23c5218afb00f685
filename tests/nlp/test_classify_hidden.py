"""Tests for nlp/classify_hidden.py and the ensemble of ``LinearModel``: a hidden layer learns interactions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tocsin.nlp.classify import LABELS, NONE, LinearModel, _Sparse, features, fit
from tocsin.nlp.classify_hidden import dequantize, fit_hidden, quantize

# XOR of two features: "a" alone or "b" alone is class 0, both or neither class 1. No linear model
# over the two features (and a bias) can fit it; one hidden layer can.
XOR_ROWS = [[0], [1], [0, 1], [2]] * 5  # feature 2 is the bias-like "neither" marker
XOR_LABELS = [0, 0, 1, 1] * 5


def _matrix(rows: list[list[int]], n_cols: int) -> _Sparse:
    return _Sparse.of([(np.array(r, dtype=np.int64), np.ones(len(r), dtype=np.float32)) for r in rows], n_cols)


def test_hidden_layer_learns_an_interaction() -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    net = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=16, epochs=300, learning_rate=0.05, l2=0.0)
    predicted = [int(net.log_probs(rows).argmax()) for rows in XOR_ROWS[:4]]
    assert predicted == XOR_LABELS[:4]


def test_hidden_layer_is_deterministic() -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    first = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=8, epochs=20)
    second = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=8, epochs=20)
    assert np.array_equal(first.w_in, second.w_in) and np.array_equal(first.w_out, second.w_out)


def test_on_step_sees_each_step_and_snapshots_match_a_shorter_run() -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    kept: dict[int, np.ndarray] = {}
    fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=8, epochs=20,
               on_step=lambda step, net: kept.setdefault(step, net.w_out.copy()))
    assert sorted(kept) == list(range(1, 21))
    shorter = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=8, epochs=12)
    assert np.array_equal(kept[12], shorter.w_out)  # a snapshot at step 12 is the 12-step network


def test_log_probs_are_normalised() -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    net = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=8, epochs=5)
    assert np.exp(net.log_probs([0, 1])).sum() == pytest.approx(1.0, abs=1e-6)
    assert np.exp(net.log_probs([])).sum() == pytest.approx(1.0, abs=1e-6)  # a text without known features


TEXTS = ["jets bombed the camp", "warplanes bombed a depot", "students marched to the ministry",
         "workers marched in the capital", "the minister visited the port"] * 2
LABELS_OF = ["Air/drone strike", "Air/drone strike", "Peaceful protest", "Peaceful protest", NONE] * 2


def _both(hidden_weight: float) -> tuple[LinearModel, LinearModel]:
    both = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0, hidden=8, hidden_weight=hidden_weight,
               hidden_epochs=30)
    plain = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0)
    assert both.hidden is not None
    return both, plain


SUBTYPES = [i for i, label in enumerate(LABELS) if label != NONE]


def test_ensemble_weight_zero_is_the_linear_model() -> None:
    both, plain = _both(0.0)
    assert np.allclose(both.scores("jets bombed the ministry"), plain.scores("jets bombed the ministry"), atol=1e-5)


@pytest.mark.parametrize("hidden_weight", [0.3, 1.0])
def test_ensemble_reorders_the_subtypes_and_keeps_the_linear_models_certainty(hidden_weight: float) -> None:
    both, plain = _both(hidden_weight)
    assert both.hidden is not None
    text = "jets bombed the ministry"
    probs, linear = both.scores(text), plain.scores(text)
    none = LABELS.index(NONE)
    # event or not, and how sure: the linear model's (NONE, and the same set of sub-type probabilities)
    assert probs[none] == pytest.approx(linear[none], abs=1e-6)
    assert np.allclose(np.sort(probs[SUBTYPES]), np.sort(linear[SUBTYPES]), atol=1e-6)
    if hidden_weight == 1.0:  # weight 1: the network alone ranks the sub-types
        rows = [i for i in {both.vocab.get(f, -1) for f in features(text)} if i >= 0]
        net = both.hidden.log_probs(rows)
        assert [int(i) for i in np.argsort(-probs[SUBTYPES], kind="stable")] == [
            int(i) for i in np.argsort(-net[SUBTYPES], kind="stable")
        ]


def test_ensemble_round_trips_through_the_file(tmp_path: Path) -> None:
    model = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0, hidden=8, hidden_weight=0.4, hidden_epochs=30)
    model.save(tmp_path / "model.npz")
    loaded = LinearModel.load(tmp_path / "model.npz")
    assert loaded.hidden is not None and loaded.hidden_weight == pytest.approx(0.4)
    text = "warplanes bombed the camp"
    # float16 storage of the linear weights: the same ranking, probabilities within rounding
    assert np.allclose(loaded.scores(text), model.scores(text), atol=1e-2)
    assert LABELS[int(loaded.scores(text).argmax())] == "Air/drone strike"
    # the network's input layer is already rounded to int8 in training: the file holds the same weights
    assert model.hidden is not None and np.allclose(loaded.hidden.w_in, model.hidden.w_in, rtol=1e-6, atol=0)
    with np.load(tmp_path / "model.npz") as data:
        assert data["hidden_in"].dtype == np.int8 and data["hidden_in_scale"].shape == (len(model.vocab),)


@pytest.mark.parametrize(
    "weights",
    [
        np.random.default_rng(1).normal(0.0, 1.0, size=(50, 16)),  # a trained layer's spread
        np.array([[0.0, 0.0, 0.0], [1e-6, -2e-6, 0.0], [300.0, -1.0, 0.5]]),  # an all-zero row, a tiny and a huge one
    ],
)
def test_quantize_keeps_each_weight_within_half_a_step(weights: np.ndarray) -> None:
    rows, scale = quantize(weights)
    assert rows.dtype == np.int8 and scale.dtype == np.float32 and np.abs(rows).max() <= 127
    error = np.abs(dequantize(rows, scale) - weights)
    assert (error <= scale[:, None] / 2 * (1 + 1e-5) + 1e-12).all()
    assert np.array_equal(quantize(dequantize(rows, scale))[0], rows)  # rounding twice changes nothing


def test_quantized_network_predicts_as_before() -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    net = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=16, epochs=300, learning_rate=0.05, l2=0.0)
    small = net.quantized()
    assert not np.array_equal(small.w_in, net.w_in)
    for rows in XOR_ROWS[:4]:
        assert np.allclose(np.exp(small.log_probs(rows)), np.exp(net.log_probs(rows)), atol=1e-3)


def test_no_hidden_layer_by_default(tmp_path: Path) -> None:
    model = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0)
    model.save(tmp_path / "model.npz")
    loaded = LinearModel.load(tmp_path / "model.npz")
    assert model.hidden is None and loaded.hidden is None and loaded.hidden_weight == 0.0


@pytest.mark.parametrize("dropout", [0.3, 0.5])  # dropout changes training, stays deterministic and still learns
def test_dropout_trains_deterministically(dropout: float) -> None:
    x = _matrix(XOR_ROWS, 3)
    target = np.eye(2, dtype=np.float32)[XOR_LABELS]
    plain = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=32, epochs=300, learning_rate=0.05, l2=0.0)
    first = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=32, epochs=300, learning_rate=0.05, l2=0.0,
                       dropout=dropout)
    second = fit_hidden(x, target, np.ones(len(XOR_ROWS)), hidden=32, epochs=300, learning_rate=0.05, l2=0.0,
                        dropout=dropout)
    assert np.array_equal(first.w_in, second.w_in)
    assert not np.array_equal(first.w_in, plain.w_in)
    assert [int(first.log_probs(rows).argmax()) for rows in XOR_ROWS[:4]] == XOR_LABELS[:4]
