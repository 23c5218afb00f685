"""Tests for nlp/pipeline.py: the Doc text every component reads is built once and stays right."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language

from tocsin.nlp.pipeline import doc_text, make_doc


def test_doc_text_is_the_text_built_once(load_pipeline: Callable[..., Language]) -> None:
    nlp = load_pipeline()
    text = "Shelling hit  Kharkiv\non Monday.  Two civilians died."
    doc = nlp(text)
    first = doc_text(doc)
    assert first == doc.text == text
    assert doc_text(doc) is first  # kept, not joined from the tokens again


def test_doc_text_survives_retokenizing_and_copies(load_pipeline: Callable[..., Language]) -> None:
    nlp = load_pipeline()
    doc = nlp("Forces entered New York City today.")
    doc_text(doc)
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[2:5])
    assert doc_text(doc) == doc.text == "Forces entered New York City today."
    assert doc_text(doc.copy()) == doc.text


def test_make_doc_keeps_the_text_it_was_given(load_pipeline: Callable[..., Language]) -> None:
    nlp = load_pipeline()
    text = "Shelling hit  Kharkiv\non Monday.\u00a0 Two civilians died.\n\n"
    doc = nlp(make_doc(nlp, text))
    assert doc_text(doc) is text  # the given string, not one joined from the tokens
    assert doc.text == text  # which spaCy's tokenizer guarantees
