"""Tests for nlp/classify.py: the naive Bayes ensemble and the source-private feature copies of ``fit``."""

from __future__ import annotations

import numpy as np
import pytest

from tocsin.nlp.classify import LABELS, NONE, fit

STRIKE = LABELS.index("Air/drone strike")
PROTEST = LABELS.index("Peaceful protest")
NONE_I = LABELS.index(NONE)

TEXTS = ["jets bombed the camp", "warplanes bombed a depot", "students marched to the ministry",
         "workers marched in the capital", "the minister visited the port"] * 2
LABELS_OF = ["Air/drone strike", "Air/drone strike", "Peaceful protest", "Peaceful protest", NONE] * 2


def test_nb_weight_adds_log_count_ratios_to_the_word_weights() -> None:
    plain = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0)
    mixed = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0, nb_weight=0.5)
    added = mixed.weights - plain.weights
    bombed = added[plain.vocab["bomb"]]
    # a word seen only with strikes: its ratio favours strikes over every other label
    assert bombed[STRIKE] > 0 and bombed.argmax() == STRIKE
    assert bombed[PROTEST] < 0 and bombed[NONE_I] < 0
    # ratios are centred per feature, so they move labels against each other, not all at once
    assert abs(float(added.sum(axis=1).max())) < 1e-3


def test_nb_weight_zero_is_the_plain_model() -> None:
    plain = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0)
    zero = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0, nb_weight=0.0)
    assert np.array_equal(plain.weights, zero.weights)


@pytest.mark.parametrize("alpha", [0.01, 1.0])  # light and heavy smoothing both keep the ratio's sign
def test_nb_smoothing_keeps_the_direction(alpha: float) -> None:
    plain = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0)
    mixed = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_bits=0, nb_weight=0.5, nb_alpha=alpha)
    marched = (mixed.weights - plain.weights)[plain.vocab["march"]]
    assert marched.argmax() == PROTEST


def test_char_l2_defaults_to_the_common_l2() -> None:
    common = fit(TEXTS, LABELS_OF, min_count=1, epochs=30)
    explicit = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_l2=1e-4)
    assert common.char_weights is not None and explicit.char_weights is not None
    assert np.array_equal(common.char_weights, explicit.char_weights)


@pytest.mark.parametrize("strong", [0.1, 1.0])  # a stronger L2 on the n-gram block alone shrinks that block
def test_char_l2_shrinks_the_ngram_block(strong: float) -> None:
    common = fit(TEXTS, LABELS_OF, min_count=1, epochs=30)
    shrunk = fit(TEXTS, LABELS_OF, min_count=1, epochs=30, char_l2=strong)
    assert common.char_weights is not None and shrunk.char_weights is not None
    assert np.abs(shrunk.char_weights).sum() < 0.9 * np.abs(common.char_weights).sum()


def test_the_shipped_model_scores_alike_in_every_process() -> None:
    """The n-gram block sums its words' rows in a fixed order: Python's per-process string hashing must not
    move a score (a score on a threshold would flip from run to run)."""
    import os
    import subprocess
    import sys

    code = (
        "from tocsin.nlp.triggers import load_model;"
        "m = load_model();"
        "print(m.logits('Warplanes bombed the crowded market in the old town, killing six villagers.').tobytes().hex())"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1


# clear events, clear non-events and sentences between (a threat, a toll over months, a denial)
SENTENCES = [
    "Warplanes bombed the crowded market in the old town, killing six villagers.",
    "Protesters marched to the governor's office to demand the release of detainees.",
    "The minister visited the port and met business leaders on Tuesday.",
    "Shares of the company rose 3 percent after the earnings report.",
    "The rebels threatened to attack the city if the army did not withdraw.",
    "More than 300 people have been killed in the region over the past year.",
    "The army denied that its soldiers had fired on the crowd.",
    "Gunmen abducted two aid workers near the border, police said.",
    "The weather will be sunny with light winds.",
]


@pytest.mark.parametrize("threshold", [0.15, 0.5])
def test_event_scores_skip_the_network_only_where_the_text_is_surely_no_event(threshold: float) -> None:
    from tocsin.nlp.triggers import load_model

    model = load_model()
    assert model.hidden is not None and model.hidden_weight > 0  # the shipped model is an ensemble
    skipped = 0
    for text in SENTENCES:
        full = model.scores(text)
        events = np.delete(full, LABELS.index(NONE))
        no_event = 1.0 - events.sum() >= 0.5 or events.max() < threshold  # classify_text's decision
        found = model.event_scores(text, threshold=threshold, none_threshold=0.5)
        if found is None:
            skipped += 1
            assert no_event
        else:
            assert found.tobytes() == full.tobytes()  # asked: the very probabilities of scores()
    assert 0 < skipped < len(SENTENCES)
