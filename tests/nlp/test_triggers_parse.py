"""Tests for nlp/triggers_parse.py: who-acts-on-whom features from the parse, and models trained with them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from spacy.language import Language

from tocsin.nlp import pipeline
from tocsin.nlp.classify import NONE, LinearModel, fit
from tocsin.nlp.triggers import classify_text, load_model
from tocsin.nlp.triggers_parse import parse_features, parse_texts


@pytest.fixture(scope="module")
def parser(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline("tocsin_actors")


def _features(parser: Language, text: str) -> list[str]:
    doc = parser(text)
    return parse_features(doc[:], doc._.actors)


# (sentence, features that must be present, features that must be absent)
CASES = [
    # state forces (1) act on protesters (6): the intervention / excessive-force pattern
    ("Police fired tear gas at protesters outside the parliament.", {"P:SO:@1_@6", "P:AA1_6", "P:SV:@1_fire"}, set()),
    # two armed sides: state forces and rebels (2), "rebels" read from the role-word table
    ("Soldiers clashed with rebels near the border on Monday.", {"P:AA1_2", "P:SO:@1_@2"}, {"P:VO:clash_DATE"}),
    # passive voice: the "by" phrase is the agent, the subject the victim (civilians, 7)
    ("Five villagers were killed by militants overnight.", {"P:VO:kill_@7", "P:A7"}, {"P:SV:@7_kill"}),
    # a conjoined verb shares its head's subject
    ("Rioters looted and burned shops in the market.", {"P:SV:@5_loot", "P:SV:@5_burn", "P:VO:burn_shop"}, set()),
    # negation is kept on the verb
    ("The army did not attack the village.", {"P:NEG:attack", "P:ROOT:attack"}, set()),
    # a date after "on" is no participant
    ("Troops attacked the village on Monday.", {"P:VO:attack_village"}, {"P:VO:attack_DATE"}),
]


@pytest.mark.parametrize(("sentence", "present", "absent"), CASES)
def test_parse_features(parser: Language, sentence: str, present: set[str], absent: set[str]) -> None:
    feats = set(_features(parser, sentence))
    assert present <= feats
    assert not absent & feats


def test_features_stay_inside_the_sentence(parser: Language) -> None:
    doc = parser("Police dispersed the crowd. Rebels ambushed a convoy.")
    first, second = list(doc.sents)
    assert "P:A1" in parse_features(first, doc._.actors) and "P:A2" not in parse_features(first, doc._.actors)
    assert "P:A2" in parse_features(second, doc._.actors) and "P:A1" not in parse_features(second, doc._.actors)


def test_parse_texts_matches_a_parse_of_each_text(parser: Language) -> None:
    texts = ["Police fired tear gas at protesters.", "Jets bombed the camp.", "Police fired tear gas at protesters."]
    assert parse_texts(texts) == [_features(parser, t) for t in texts]


def _parse_model() -> LinearModel:
    texts = ["police fired at the protesters", "the protesters fired at the police", "the minister visited the port"]
    labels = ["Excessive force against protesters", "Violent demonstration", NONE]
    return fit(texts * 3, labels * 3, min_count=1, epochs=60, char_bits=0, extra=parse_texts(texts) * 3)


def test_parse_model_tells_who_acted_on_whom(tmp_path: Path) -> None:
    """The same words in both texts: only the parse features (agent vs object) separate the labels."""
    model = _parse_model()
    assert model.parse
    assert any(f.startswith("P:SO:") for f in model.vocab)
    text = "Police fired at the protesters."
    assert not np.allclose(model.scores(text, extra=parse_texts([text])[0]), model.scores(text))
    target = tmp_path / "model.npz"
    model.save(target)
    loaded = LinearModel.load(target)
    assert loaded.parse
    ranked = classify_text("The protesters fired at the police.", model_path=str(target), threshold=0.0)
    assert ranked[0][0] == "Violent demonstration"
    ranked = classify_text("Police fired at the protesters.", model_path=str(target), threshold=0.0)
    assert ranked[0][0] == "Excessive force against protesters"
    load_model.cache_clear()


def test_component_passes_parse_features(tmp_path: Path) -> None:
    target = tmp_path / "model.npz"
    _parse_model().save(target)
    nlp = pipeline.load(components=("tocsin_actors", "tocsin_triggers"),
                        config={"tocsin_triggers": {"model_path": str(target), "threshold": 0.0}})
    doc = nlp("The protesters fired at the police. Police fired at the protesters.")
    assert [t.sub_event_type for t in doc._.triggers] == ["Violent demonstration", "Excessive force against protesters"]
    load_model.cache_clear()


def test_shipped_model_uses_parse_features() -> None:
    model = load_model()
    assert model.parse
    assert sum(1 for f in model.vocab if f.startswith("P:SO:")) > 50


def test_classify_text_parses_when_features_are_not_given(parser: Language) -> None:
    text = "Police fired tear gas at protesters outside the parliament."
    assert classify_text(text) == classify_text(text, extra=_features(parser, text))
    assert classify_text(text)[0][0] == "Protest with intervention"
