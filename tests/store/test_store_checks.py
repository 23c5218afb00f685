"""The store's input checks and row shaping: sentences for highlighting, notice windows, corrections."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.errors import InputError
from tocsin.model import Span
from tocsin.store.checks import check_correction, evidence_sentences, notice_time

TEXT = 'Shelling hit Atarib on Monday. "Five died," a medic said! Later, 3 more.\n\nA new paragraph here'


def _span(word: str) -> Span:
    start = TEXT.index(word)
    return Span(start, start + len(word), word)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["Atarib"], ["Shelling hit Atarib on Monday."]),  # the first sentence
        (["Five"], ['"Five died," a medic said!']),  # quotes and "!" end a sentence
        (["Atarib", "Monday"], ["Shelling hit Atarib on Monday."]),  # two spans, one sentence
        (["3 more"], ["Later, 3 more."]),  # before a paragraph break
        (["paragraph"], ["A new paragraph here"]),  # the last sentence has no full stop
        (['Monday. "Five'], ["Shelling hit Atarib on Monday.", '"Five died," a medic said!']),  # across a boundary
    ],
)
def test_evidence_sentences(words: list[str], expected: list[str]) -> None:
    got = evidence_sentences(TEXT, [_span(w) for w in words])
    assert [s.text for s in got] == expected
    assert all(TEXT[s.start : s.end] == s.text for s in got)


def test_evidence_sentences_ignore_spans_outside_the_text() -> None:
    assert evidence_sentences(TEXT, [Span(0, 0), Span(500, 510)]) == []


@pytest.mark.parametrize(
    ("value", "tz", "end", "expected"),
    [
        (dt.datetime(2024, 3, 1, 22), "Europe/Kyiv", False, dt.datetime(2024, 3, 1, 20, tzinfo=dt.UTC)),  # local
        (dt.datetime(2024, 3, 1, 22, tzinfo=dt.UTC), "Europe/Kyiv", False, dt.datetime(2024, 3, 1, 22, tzinfo=dt.UTC)),
        (dt.datetime(2024, 3, 1, 22), None, False, dt.datetime(2024, 3, 1, 22, tzinfo=dt.UTC)),  # no zone: UTC
        (dt.datetime(2024, 3, 1, 22), "Mars/Olympus", False, dt.datetime(2024, 3, 1, 22, tzinfo=dt.UTC)),  # bad zone
        (dt.date(2024, 3, 1), None, False, dt.datetime(2024, 3, 1, tzinfo=dt.UTC)),  # a day starts at midnight
        (
            dt.date(2024, 3, 1),
            None,
            True,
            dt.datetime(2024, 3, 1, 23, 59, 59, 999999, tzinfo=dt.UTC),
        ),  # ends at its end
        (None, "Europe/Kyiv", False, None),  # open window
    ],
)
def test_notice_time(value, tz, end: bool, expected) -> None:
    assert notice_time(value, tz, end=end) == expected


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("latitude", "36.2", ("location.latitude", 36.2)),  # column name alias, text parsed
        ("location_name", "Atarib", ("location.name", "Atarib")),  # column name alias
        ("date", dt.date(2024, 3, 2), ("date", "2024-03-02")),  # stored as ISO text
        ("inter1", 2, ("inter1", 2)),  # a valid inter code
        ("notes", "null", ("notes", None)),  # cleared
    ],
)
def test_check_correction(field: str, value, expected) -> None:
    assert check_correction(field, value) == expected


def test_check_correction_refuses_unknown_inter_codes() -> None:
    with pytest.raises(InputError) as err:
        check_correction("inter2", 9)
    assert err.value.code == "T208" and "inter codes" in err.value.message
