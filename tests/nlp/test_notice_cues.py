"""Tests for nlp/_notice_cues.py: CueMatcher finds what one spaCy Matcher of all the cue patterns finds."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.matcher import Matcher

from tocsin.nlp._notice_cues import CueMatcher, matcher_patterns


@pytest.fixture(scope="module")
def nlp(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline()


TEXTS = [
    # two kinds on one word ("evacuate" is a deadline action and an evacuation verb), a curfew, a warning
    "The army ordered residents to evacuate within 24 hours and imposed a curfew, warning of strikes.",
    # multi-word patterns: a safe passage, a grace period, a stay-at-home order
    "A safe passage opened during the grace period; officials issued a stay-at-home order.",
    # a strike "is coming", a ceasefire, a map
    "They said an airstrike was coming and posted a map; the truce collapsed.",
    # no cue at all: the doc is not matched
    "Two soldiers were killed in a clash near the border.",
    # empty
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_in_the_same_order_as_one_matcher(nlp: Language, text: str) -> None:
    full = Matcher(nlp.vocab)
    for kind, patterns in matcher_patterns().items():
        full.add(kind, patterns)
    doc = nlp(text)
    assert CueMatcher(nlp.vocab, matcher_patterns())(doc) == full(doc)


def test_cues_found_and_unmatched_docs(nlp: Language) -> None:
    matcher = CueMatcher(nlp.vocab, matcher_patterns())
    found = {nlp.vocab.strings[key] for key, _, _ in matcher(nlp(TEXTS[0]))}
    assert found == {"deadline", "evacuation_order", "curfew", "strike_warning"}
    assert matcher(nlp(TEXTS[3])) == []
    assert matcher._matchers and () not in matcher._matchers  # a doc without first words builds no Matcher


def test_first_words_of_a_pattern_without_a_word_constraint(nlp: Language) -> None:
    # a first token given by shape alone can start anywhere: the pattern is always tried
    matcher = CueMatcher(nlp.vocab, {"number": [[{"LIKE_NUM": True}, {"LOWER": "hours"}]]})
    doc = nlp("They were given 72 hours.")
    assert [(doc[s:e].text) for _, s, e in matcher(doc)] == ["72 hours"]
