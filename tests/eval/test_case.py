"""The CASE/ACLED-by-file scorer decides as classify_text does."""

from __future__ import annotations

import numpy as np
import pytest

from tocsin.eval.case import _with_model, decide
from tocsin.nlp.classify import NONE
from tocsin.nlp.triggers import DEFAULT_NONE_THRESHOLD, DEFAULT_THRESHOLD, classify_text, load_model

LABELS = ("Armed clash", "Attack", NONE)


@pytest.mark.parametrize(
    ("probs", "expected"),
    [
        ((0.6, 0.3, 0.1), "Armed clash"),  # the best sub-type
        ((0.25, 0.35, 0.4), "Attack"),  # NONE most likely, yet below the none threshold: the sub-types together win
        ((0.2, 0.3, DEFAULT_NONE_THRESHOLD), NONE),  # NONE reaches its threshold
        ((DEFAULT_THRESHOLD / 2, DEFAULT_THRESHOLD / 2, 0.3 - DEFAULT_THRESHOLD), NONE),  # no sub-type reaches its own
    ],
)
def test_decide(probs: tuple[float, ...], expected: str) -> None:
    assert decide(np.array(probs), LABELS) == expected


@pytest.mark.parametrize("text", [
    "Warplanes bombed the market, killing six.",
    "An earthquake struck the coast.",
    "Protesters marched peacefully to the ministry to demand higher wages.",
    "Gunmen abducted two aid workers on the road to the town.",
])
def test_the_scorer_decides_as_classify_text(text: str) -> None:
    ranked = classify_text(text)
    assert _with_model(load_model(None))(text) == (ranked[0][0] if ranked else NONE)
