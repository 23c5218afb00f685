"""tocsin_attribute_ruler finds the model's attribute rules by lookup: the Matcher's matches, the same attributes."""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from tocsin.nlp import pipeline
from tocsin.nlp.attributes import AttributeIndex, FastAttributeRuler, use_fast_ruler

TEXTS = (
    # tag map rules, 'I'/'it' as subject and object (DEP), a determiner read as a pronoun
    "I gave it to you; you got it, and that is what they said.",
    # two-token rules (gonna, let's, y'all, c'mon, ain't), a regex rule, an expletive 'there is'
    "Y'all gonna let's c'm on, it ain't got ta be. There is nothing here.",
    # white space tokens (IS_SPACE rules), an auxiliary, a subordinating 'that'
    "  Gunmen had attacked the village\n\n on Monday, killing 3 people.  Officials said that they fled.\n",
    "",
)


@pytest.fixture(scope="module")
def nlp(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def stock() -> Language:
    """The model as shipped, with spaCy's own AttributeRuler."""
    return pipeline._load_base(None)


def test_the_pipeline_swaps_the_ruler_and_keeps_its_place(nlp: Language, stock: Language) -> None:
    assert type(stock.get_pipe("attribute_ruler")) is AttributeRuler
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.get_pipe("attribute_ruler").patterns == stock.get_pipe("attribute_ruler").patterns
    spacy_part = [name for name in nlp.pipe_names if not name.startswith("tocsin_")]
    assert spacy_part == stock.pipe_names


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_as_the_matcher(stock: Language, text: str) -> None:
    ruler = stock.get_pipe("attribute_ruler")
    index = AttributeIndex.of(ruler)
    assert index is not None
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = stock(text)
    expected = ruler.match(doc)
    assert index.match(doc) == expected
    assert index.match(doc) == expected  # again, from the remembered tokens


@pytest.fixture(scope="module")
def swapped() -> Language:
    """The model with the ruler swapped, and nothing else of tocsin's."""
    nlp = pipeline._load_base(None)
    use_fast_ruler(nlp)
    return nlp


@pytest.mark.parametrize("text", TEXTS)
def test_same_attributes_as_the_model(swapped: Language, stock: Language, text: str) -> None:
    expected, doc = stock(text), swapped(text)
    assert [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc] == [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in expected
    ]
    assert any(t.pos_ for t in doc) or not text.strip()


def test_a_used_pipeline_pickles(swapped: Language) -> None:
    text = TEXTS[0]
    before = [(t.pos_, str(t.morph), t.lemma_) for t in swapped(text)]  # the index is built
    copy = pickle.loads(pickle.dumps(swapped))  # the index's closures did not pickle
    assert [(t.pos_, str(t.morph), t.lemma_) for t in copy(text)] == before


def test_other_patterns_keep_the_matcher() -> None:
    blank = spacy.blank("en")
    ruler = FastAttributeRuler(blank.vocab)
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
    assert AttributeIndex.of(ruler) is not None
    ruler.add([[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], {"LEMMA": "good"}, index=-1)
    assert AttributeIndex.of(ruler) is None
    doc = ruler(blank("very very good , gonna"))
    # spaCy's Matcher ran: the repeated 'very' is matched, and 'gonna' (two tokens) still is
    assert [t.lemma_ for t in doc] == ["", "", "good", "", "go", ""]
