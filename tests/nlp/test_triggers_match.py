"""Tests for nlp/triggers_match.py: the one-pass anchor index agrees with testing every anchor."""

from __future__ import annotations

import pytest

from tocsin.nlp import triggers_match as tm
from tocsin.nlp.triggers_match import AnchorIndex, Gated, best_span

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


def test_best_span_prefers_a_cue_outside_what_is_denied() -> None:
    text = "The SDF denied shelling civilian areas and said government artillery had hit the district."
    label = "Shelling/artillery/missile attack"
    first = best_span(text, label)
    assert first is not None and text[slice(*first)] == "shelling"  # the most specific cue, nothing avoided
    denied = (text.index("shelling"), text.index(" and said"))
    found = best_span(text, label, [denied])
    assert found is not None and text[slice(*found)] == "artillery"
    only = best_span("The SDF denied shelling civilian areas.", label, [(15, 38)])
    assert only == (15, 23)  # no cue outside: the denied one, which the events stage then drops
