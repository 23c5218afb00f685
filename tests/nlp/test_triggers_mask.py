"""Tests for nlp/triggers_mask.py: names masked by their entity label, and models trained on masked text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from tocsin.model import ActorMention
from tocsin.nlp import pipeline
from tocsin.nlp.classify import NONE, LinearModel, fit
from tocsin.nlp.triggers import classify_text, load_model
from tocsin.nlp.triggers_mask import mask_names, mask_span
from tocsin.nlp.triggers_parse import masked_texts

TEXT = "Troops shelled Kafr Nabl in Idlib on Monday."


@pytest.mark.parametrize(
    ("entities", "actors", "expected"),
    [
        # a place name becomes one placeholder word, whatever its length
        ([(15, 24, "GPE")], [], "Troops shelled  entgpe  in Idlib on Monday."),
        # two places; the date is no name and stays
        ([(15, 24, "GPE"), (28, 33, "GPE"), (37, 43, "DATE")], [], "Troops shelled  entgpe  in  entgpe  on Monday."),
        # an entity inside an actor mention stays (the actor dictionary knows it)
        ([(0, 6, "ORG"), (28, 33, "GPE")], [(0, 6)], "Troops shelled Kafr Nabl in  entgpe  on Monday."),
        # an entity overlapping an earlier one is skipped
        ([(15, 24, "GPE"), (20, 33, "LOC")], [], "Troops shelled  entgpe  in Idlib on Monday."),
        # no entity of a masked label: the text itself
        ([(37, 43, "DATE")], [], TEXT),
    ],
)
def test_mask_names(entities: list[tuple[int, int, str]], actors: list[tuple[int, int]], expected: str) -> None:
    assert mask_names(TEXT, entities, actors) == expected


@pytest.fixture(scope="module")
def parser(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline("tocsin_actors")


def test_mask_span_reads_the_sentence_entities(parser: Language) -> None:
    doc = parser("Protesters marched in Paris on Monday. Police arrested John Smith in London.")
    first, second = list(doc.sents)
    masked = mask_span(second, doc.text[second.start_char : second.end_char], doc._.actors)
    assert "entperson" in masked and "entgpe" in masked
    assert "London" not in masked and "Smith" not in masked and masked.startswith("Police arrested")
    assert "Paris" not in mask_span(first, doc.text[first.start_char : first.end_char], doc._.actors)


def test_mask_span_keeps_actor_names() -> None:
    text = "Boko Haram attacked Maiduguri."
    actor = ActorMention(name="Boko Haram", inter=2, start=0, end=10, text="Boko Haram")
    masked = mask_names(text, [(0, 10, "ORG"), (20, 29, "GPE")], [(actor.start, actor.end)])
    assert masked.startswith("Boko Haram attacked") and "Maiduguri" not in masked


def _mask_model() -> LinearModel:
    texts = ["Warplanes bombed a market in Homs on Monday.", "Protesters marched in Paris on Monday.",
             "The minister visited Rome on Monday."]
    labels = ["Air/drone strike", "Peaceful protest", NONE]
    return fit(texts * 3, labels * 3, min_count=1, epochs=60, masked=masked_texts(texts) * 3)


def test_mask_model_ignores_which_place_it_is(tmp_path: Path) -> None:
    model = _mask_model()
    assert model.mask and "entgpe" in model.vocab and "warplan" in model.vocab  # the capitalised noun kept
    assert not any("homs" in f or "paris" in f for f in model.vocab)
    one, other = "Warplanes bombed a market in Kabul on Monday.", "Warplanes bombed a market in Kandahar on Monday."
    first, second = masked_texts([one, other])
    assert first == second.replace("Kandahar", "Kabul")  # both places became the same placeholder
    np.testing.assert_allclose(model.scores(one, masked=first), model.scores(other, masked=second))
    target = tmp_path / "model.npz"
    model.save(target)
    assert LinearModel.load(target).mask
    assert classify_text(one, model_path=str(target), threshold=0.0) == classify_text(
        other, model_path=str(target), threshold=0.0)
    load_model.cache_clear()


def test_component_passes_the_masked_sentence(tmp_path: Path) -> None:
    target = tmp_path / "model.npz"
    _mask_model().save(target)
    nlp = pipeline.load(components=("tocsin_actors", "tocsin_triggers"),
                        config={"tocsin_triggers": {"model_path": str(target), "threshold": 0.0}})
    doc = nlp("Warplanes bombed a market in Kandahar on Monday. Protesters marched in Berlin on Monday.")
    assert [t.sub_event_type for t in doc._.triggers] == ["Air/drone strike", "Peaceful protest"]
    load_model.cache_clear()
