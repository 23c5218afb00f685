"""A line break after a finished sentence starts a new sentence (tocsin_paragraphs, before the parser)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from tocsin.nlp.paragraphs import dateline_end, dateline_place, mark_paragraphs

CORRIDOR = ("The army said two safe corridors would stay open until 6 p.m.\n"
            "It published maps of the areas it said it would strike.")


@pytest.fixture(scope="module")
def nlp(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline()


def _sentences(nlp: Language, text: str) -> list[str]:
    return [s.text.strip() for s in nlp(text).sents if s.text.strip()]


def test_runs_before_the_parser(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names.index("tocsin_paragraphs") < names.index("parser")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an abbreviation's full stop ends the line: the next paragraph is a new sentence
        (CORRIDOR, 2),
        # a quotation closing a paragraph
        ('"Leave now," the spokesman said.\n"The strikes will start at noon."', 2),
        # text hard-wrapped in the middle of a sentence stays one sentence
        ("The army said on Thursday that\nthe corridors would stay open until noon.", 1),
    ],
)
def test_paragraph_breaks(nlp: Language, text: str, expected: int) -> None:
    assert len(_sentences(nlp, text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a zone after a clock time's "a.m." is no new sentence
        ("The ministry said a corridor would open at 10 a.m. Moscow time on Wednesday to let civilians leave.", 1),
        ("The curfew starts at 8 p.m. GMT and ends at dawn.", 1),
    ],
)
def test_a_zone_after_a_clock_time_stays_in_its_sentence(nlp: Language, text: str, expected: int) -> None:
    assert len(_sentences(nlp, text)) == expected


def test_only_a_finished_line_before_a_capital_is_marked(nlp: Language) -> None:
    doc = mark_paragraphs(nlp.make_doc("Shelling hit the district.\nand residents fled\nTwo were hurt.\nPolice came."))
    marked = [t.text for t in doc if t.is_sent_start and t.i > 0]
    assert marked == ["Police"]  # not "and" (lower case), not "Two" (the line before is unfinished)


def test_the_parser_alone_joins_the_corridor_paragraphs(nlp: Language) -> None:
    with nlp.select_pipes(disable=["tocsin_paragraphs"]):
        assert len(_sentences(nlp, CORRIDOR)) == 1  # why the component exists


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("ALEPPO, Jan 8 (Reuters) - The army gave the fighters until 1 p.m.", "ALEPPO, Jan 8 (Reuters) - "),
        ("QAMISHLI, Jan 8 - The SDF denied the shelling.", "QAMISHLI, Jan 8 - "),
        ("Naypyidaw [Myanmar], February 8 : The junta said ...", "Naypyidaw [Myanmar], February 8 : "),
        ("KYIV, Ukraine (AP) — Russian drones struck the port.", "KYIV, Ukraine (AP) — "),
        ("Looting: On 29 April 2020, soldiers looted shops.", ""),  # a label, not a place
        ("Five civilians were killed - the ministry said.", ""),  # a sentence with a dash
        ("Gunmen killed 5: police.", ""),
    ],
)
def test_dateline_end(text: str, dateline: str) -> None:
    assert text[: dateline_end(text)] == dateline


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("BEIRUT, Oct 20 - The Lebanese army declared a curfew.", "BEIRUT"),
        ("Naypyidaw [Myanmar], February 8 : The junta said ...", "Naypyidaw"),
        ("Looting: On 29 April 2020, soldiers looted shops.", None),  # no dateline
    ],
)
def test_dateline_place(text: str, place: str | None) -> None:
    assert dateline_place(text) == place


def test_the_words_after_a_dateline_are_one_sentence(nlp: Language) -> None:
    # the parser had made "Russia" and "and" sentences of their own once "Russia" started one
    text = "KYIV, March 15 - Russia and Ukraine agreed to open a corridor, officials said. Buses left at noon."
    assert _sentences(nlp, text) == [
        "KYIV, March 15 -", "Russia and Ukraine agreed to open a corridor, officials said.", "Buses left at noon."
    ]


def test_a_dateline_is_not_the_first_sentence_s_subject(nlp: Language) -> None:
    doc = nlp("QAMISHLI, Jan 8 - The SDF denied shelling civilian areas in Aleppo on Wednesday.")
    first_word = next(t for t in doc if t.text == "The")
    assert first_word.is_sent_start
    assert not any(t.dep_ == "nsubj" for t in doc if t.idx < first_word.idx)
