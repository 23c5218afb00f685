"""Tests for nlp/triggers_match.py: the one-pass anchor index agrees with testing every anchor."""

from __future__ import annotations

import pytest

from tocsin.nlp import triggers_match as tm
from tocsin.nlp.triggers_match import AnchorIndex, Gated

GROUPS = (
    *tm._CUES.values(), *tm._NON_EVENT.values(), *(g for _, g in tm._STRONG.values()),
    *(g for _, g in tm._STRONG_NON_EVENT.values()), tm._TERRITORY, tm._WITHDRAWAL, tm._PROTEST, tm._RIOTING,
)

TEXTS = [
    # several anchors, one inside another's word ("killing" holds "kill")
    "Militants attacked a checkpoint, killing two soldiers; the army shelled their positions in return.",
    # a protest turned riot, with territory taken back
    "Protesters rioted and torched cars before troops recaptured the town from rebels who withdrew.",
    # anchors at the very start and end of the text
    "airstrike",
    # no anchor at all
    "The weather was mild.",
    # shorter than any anchor
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_index_finds_exactly_the_anchors_in_the_text(text: str) -> None:
    lower = text.lower()
    anchors = {a for g in GROUPS for a in g.anchors or ()}
    assert tm._INDEX.find(lower) == {a for a in anchors if a in lower}


@pytest.mark.parametrize("text", TEXTS)
def test_open_groups_are_the_possible_ones(text: str) -> None:
    lower = text.lower()
    open_ids = tm._INDEX.open_groups(lower)
    assert [id(g) in open_ids for g in GROUPS] == [g.possible(lower) for g in GROUPS]


def test_index_of_overlapping_anchors() -> None:
    # three anchors with one start, and one found twice
    index = AnchorIndex((Gated.of(r"kill(?:ed|ing)"), Gated.of(r"killings?"), Gated.of(r"skill\w*")))
    assert index.find("the killing of a skilled killer") == {"kill", "killing", "skill"}
    assert index.find("ki") == set()
