"""tocsin_dates: dates and clock times resolved against the publication time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from tocsin.nlp.dates import NO_DATE_FOR_TIME, NO_PUBLISHED, NO_YEAR, find_dates, resolve

#: Friday 9 January 2026, 10:00 UTC.
FRIDAY = dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC)
D = dt.date
UTC = dt.UTC


def at(published: str) -> dt.datetime:
    return dt.datetime.fromisoformat(published).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "published", "value", "precision", "relative"),
    [
        # a weekday before the publication day: the most recent one
        ("Gunmen attacked the village on Thursday.", FRIDAY, D(2026, 1, 8), 1, True),
        # the publication weekday itself is that day
        ("Gunmen attacked the village on Friday.", FRIDAY, D(2026, 1, 9), 1, True),
        # "last Thursday" in a Friday report: the one strictly before
        ("A bomb exploded last Thursday.", FRIDAY, D(2026, 1, 8), 1, True),
        # "last Friday" in a Friday report: a week back
        ("A bomb exploded last Friday.", FRIDAY, D(2026, 1, 2), 1, True),
        # a future-tense sentence reads a weekday forward
        ("The ministry will open the corridor on Monday.", FRIDAY, D(2026, 1, 12), 1, True),
        # "next Monday": the first Monday after publication
        ("Talks resume next Monday.", FRIDAY, D(2026, 1, 12), 1, True),
        # a weekday right after a reporting verb is the day of the statement, despite "will"
        ("The army said on Monday that it will withdraw.", FRIDAY, D(2026, 1, 5), 1, True),
        # "until Sunday" points forward even without "will"
        ("The curfew stays in force until Sunday.", FRIDAY, D(2026, 1, 11), 1, True),
        # a deadline points forward when the day is nearer ahead ...
        ("Baghdad set a pre-dawn Sunday deadline for the fighters.", FRIDAY, D(2026, 1, 11), 1, True),
        # ... and back when it is nearer behind (the deadline has passed)
        ("They were given a deadline to withdraw by Tuesday.", FRIDAY, D(2026, 1, 6), 1, True),
        # "starting from" a day just past
        ("A curfew was declared starting from Thursday.", FRIDAY, D(2026, 1, 8), 1, True),
        # a duration as a deadline: whole days from publication
        ("Fighters must surrender within 72 hours.", FRIDAY, D(2026, 1, 12), 1, True),
        ("The army issued a 48-hour ultimatum.", FRIDAY, D(2026, 1, 11), 1, True),
        # relative words
        ("Today the town was shelled.", FRIDAY, D(2026, 1, 9), 1, True),
        ("The town was shelled yesterday.", FRIDAY, D(2026, 1, 8), 1, True),
        ("The town was shelled the day before yesterday.", FRIDAY, D(2026, 1, 7), 1, True),
        ("The town will be shelled tomorrow.", FRIDAY, D(2026, 1, 10), 1, True),
        ("Shelling is expected tonight.", FRIDAY, D(2026, 1, 9), 1, True),
        # "last night" is dated to the evening before publication
        ("The town was shelled last night.", FRIDAY, D(2026, 1, 8), 1, True),
        ("The town was shelled this morning.", FRIDAY, D(2026, 1, 9), 1, True),
        ("The town was shelled three days ago.", FRIDAY, D(2026, 1, 6), 1, True),
        ("The town was shelled 2 days ago.", FRIDAY, D(2026, 1, 7), 1, True),
        # a week: precision 2, valued at the Monday of that week
        ("The town was shelled last week.", FRIDAY, D(2025, 12, 29), 2, True),
        # a month: precision 3, valued at the first of that month
        ("The town was shelled earlier this month.", FRIDAY, D(2026, 1, 1), 3, True),
        ("The town was shelled last month.", FRIDAY, D(2025, 12, 1), 3, True),
        # explicit dates in the common formats
        ("Clashes on 9 January 2026 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        ("Clashes on January 9, 2026 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        ("Clashes on 2026-01-09 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        ("Clashes on 22-Feb-20 left the road closed.", FRIDAY, D(2020, 2, 22), 1, False),
        ("Clashes on the 9th of January 2026 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        # slash dates are day-first
        ("Clashes on 09/01/2026 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        # ... unless the second part cannot be a month
        ("Clashes on 01/22/2026 left the road closed.", FRIDAY, D(2026, 1, 22), 1, False),
        # no year: the year of publication when that is not after it
        ("Clashes on Jan. 9 left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        ("Clashes on 9 Jan left the road closed.", FRIDAY, D(2026, 1, 9), 1, False),
        # no year and later in the year than publication: last year
        ("On December 31, gunmen attacked a compound.", FRIDAY, D(2025, 12, 31), 1, False),
        # no year in a forward-looking phrase: the nearest such date
        ("Residents were warned to leave by Aug. 25.", at("2022-08-16"), D(2022, 8, 25), 1, False),
        ("The crossing will reopen on 2 January.", at("2025-12-30"), D(2026, 1, 2), 1, False),
        # ACLED notes style, both layouts, with and without a year
        ("On 27 November 2020, protesters gathered in the square.", FRIDAY, D(2020, 11, 27), 1, False),
        ("On Feb 29 IS militants attacked TMF fighters.", at("2020-03-02"), D(2020, 2, 29), 1, False),
        ("On7 February 2020 airstrikes targeted the area.", FRIDAY, D(2020, 2, 7), 1, False),
        # "on the 9th": this month's 9th
        ("The town was shelled on the 9th.", FRIDAY, D(2026, 1, 9), 1, True),
        # "on the 20th" after the publication day: last month's
        ("The town was shelled on the 20th.", FRIDAY, D(2025, 12, 20), 1, True),
        # month and year: precision 3
        ("Fighting resumed in January 2026.", FRIDAY, D(2026, 1, 1), 3, False),
        # a month alone takes its year from publication
        ("Fighting resumed in December.", FRIDAY, D(2025, 12, 1), 3, False),
        # a weekday and an explicit date together are one mention, valued from the explicit date
        ("Thursday, January 8, 2026 was calm.", FRIDAY, D(2026, 1, 8), 1, False),
    ],
)
def test_resolve_dates(
    text: str, published: dt.datetime, value: dt.date, precision: int, relative: bool
) -> None:
    mention = resolve(text, published)
    assert mention is not None
    assert (mention.value, mention.precision, mention.relative) == (value, precision, relative)
    assert text[mention.start : mention.end] == mention.text
    assert not mention.has_time


@pytest.mark.parametrize(
    ("text", "value", "reason"),
    [
        # a weekday needs the publication date
        ("Gunmen attacked on Thursday.", None, NO_PUBLISHED),
        # so does "yesterday"
        ("Gunmen attacked yesterday.", None, NO_PUBLISHED),
        # and "last week"
        ("Gunmen attacked last week.", None, NO_PUBLISHED),
        # an explicit date with its year still resolves
        ("On 27 November 2020, gunmen attacked.", D(2020, 11, 27), None),
        # a day and month with no year does not
        ("On 9 January, gunmen attacked.", None, NO_YEAR),
        # a bare clock time has no day to sit on
        ("Gunmen attacked at 3 p.m.", None, NO_DATE_FOR_TIME),
        # a clock time with an explicit date keeps it
        ("Gunmen attacked at 3 p.m. on 9 January 2026.", dt.datetime(2026, 1, 9, 15, 0), None),
    ],
)
def test_without_publication_date(text: str, value: object, reason: str | None) -> None:
    mention = resolve(text, None)
    assert mention is not None
    assert (mention.value, mention.reason) == (value, reason)


@pytest.mark.parametrize(
    ("text", "value", "span", "relative"),
    [
        # local time with its GMT equivalent: the zoned one wins, the span covers both
        ("Fire from 3 p.m. local time (12:00 GMT).", dt.datetime(2026, 1, 9, 12, tzinfo=UTC),
         "3 p.m. local time (12:00 GMT)", True),
        # a time takes the date written after it, in one mention
        ("The army shelled at 3 p.m. on Thursday.", dt.datetime(2026, 1, 8, 15), "3 p.m. on Thursday", True),
        # ... or before it
        ("The army shelled on Thursday at 3pm.", dt.datetime(2026, 1, 8, 15), "Thursday at 3pm", True),
        # an explicit date makes the time absolute (not relative)
        ("Shelling began at 15:00 on 8 January 2026.", dt.datetime(2026, 1, 8, 15), "15:00 on 8 January 2026", False),
        # a bare time gets the publication date and is marked relative
        ("Shelling began at 15:00.", dt.datetime(2026, 1, 9, 15), "15:00", True),
        # military time with a zone
        ("Shelling began at 1500 GMT.", dt.datetime(2026, 1, 9, 15, tzinfo=UTC), "1500 GMT", True),
        # Zulu suffix
        ("Shelling began at 1200Z.", dt.datetime(2026, 1, 9, 12, tzinfo=UTC), "1200Z", True),
        # noon and midnight
        ("Shelling began at noon.", dt.datetime(2026, 1, 9, 12), "noon", True),
        # a bare midnight in a past sentence: the one just past
        ("Shelling began at midnight.", dt.datetime(2026, 1, 9, 0), "midnight", True),
        # a bare midnight in a forward-looking sentence: the coming one
        ("The curfew will start at midnight.", dt.datetime(2026, 1, 10, 0), "midnight", True),
        # midnight on a day is the end of that day
        ("The curfew starts at midnight on Friday.", dt.datetime(2026, 1, 10, 0), "midnight on Friday", True),
        # ... also when only its GMT equivalent carries the day
        ("The curfew began at midnight (18:00 GMT on Friday).", dt.datetime(2026, 1, 9, 18, tzinfo=UTC),
         "midnight (18:00 GMT on Friday", True),
        # ISO 8601 date-times, with a zone, an offset or none
        ("Posted 2026-01-08T15:00Z.", dt.datetime(2026, 1, 8, 15, tzinfo=UTC), "2026-01-08T15:00Z", False),
        ("Posted 2026-01-08T15:30:00+03:00.", dt.datetime(2026, 1, 8, 12, 30, tzinfo=UTC),
         "2026-01-08T15:30:00+03:00", False),
        ("Posted 2026-01-08T08:00.", dt.datetime(2026, 1, 8, 8), "2026-01-08T08:00", False),
        # a.m. with dots
        ("Shelling began at 6 a.m.", dt.datetime(2026, 1, 9, 6), "6 a.m.", True),
        # "6.00pm"
        ("A curfew starts at 6.00pm.", dt.datetime(2026, 1, 9, 18), "6.00pm", True),
        # explicit offsets, converted to UTC
        ("Shelling began at 10:00 UTC+3.", dt.datetime(2026, 1, 9, 7, tzinfo=UTC), "10:00 UTC+3", True),
        ("Shelling began at 09:00 +03:00.", dt.datetime(2026, 1, 9, 6, tzinfo=UTC), "09:00 +03:00", True),
        # a named zone abbreviation
        ("Shelling began at 9 am EEST.", dt.datetime(2026, 1, 9, 6, tzinfo=UTC), "9 am EEST", True),
        # a city's time
        ("Shelling began at 8 pm Moscow time.", dt.datetime(2026, 1, 9, 17, tzinfo=UTC), "8 pm Moscow time", True),
        # the GMT equivalent of an early local hour falls on the day before
        ("Fire at 1 a.m. local time (22:00 GMT) on Thursday.", dt.datetime(2026, 1, 7, 22, tzinfo=UTC),
         "1 a.m. local time (22:00 GMT) on Thursday", True),
    ],
)  # fmt: skip
def test_resolve_times(text: str, value: dt.datetime, span: str, relative: bool) -> None:
    mention = resolve(text, FRIDAY)
    assert mention is not None
    assert mention.value == value
    assert (mention.value.tzinfo is None) == (value.tzinfo is None)  # type: ignore[union-attr]
    assert (mention.text, mention.has_time, mention.relative) == (span, True, relative)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # an end earlier than the start rolls to the next day
        ("The curfew runs from 3 p.m. to 6 a.m.", FRIDAY,
         [(dt.datetime(2026, 1, 9, 15), "start"), (dt.datetime(2026, 1, 10, 6), "end")]),
        # both ends take the date written after the range
        ("The IDF said it would open a corridor from 10 a.m. to 3 p.m. on Wednesday.", at("2023-11-08"),
         [(dt.datetime(2023, 11, 8, 10), "start"), (dt.datetime(2023, 11, 8, 15), "end")]),
        # a range in a sentence dated elsewhere takes the sentence's date, and the end rolls over
        ("A curfew from 8 pm to 4 am was imposed on Monday.", FRIDAY,
         [(dt.datetime(2026, 1, 5, 20), "start"), (dt.datetime(2026, 1, 6, 4), "end"), (D(2026, 1, 5), None)]),
        # "between ... and ..." with zones on both ends
        ("The corridor will be open between 8 am (0500 GMT) and 8 pm Moscow time Wednesday.", at("2022-06-14"),
         [(dt.datetime(2022, 6, 15, 5, tzinfo=UTC), "start"), (dt.datetime(2022, 6, 15, 17, tzinfo=UTC), "end")]),
        # a day range in ACLED's style
        ("Between 20 and 21 February 2020 forces fired missiles.", FRIDAY,
         [(D(2020, 2, 20), "start"), (D(2020, 2, 21), "end")]),
        # "February 18-21"
        ("As reported between February 18-21 2020, 158 migrants were detained.", FRIDAY,
         [(D(2020, 2, 18), "start"), (D(2020, 2, 21), "end")]),
        # a range that ends at midnight does not roll over twice
        ("A curfew from 8 pm to midnight was imposed on Monday.", FRIDAY,
         [(dt.datetime(2026, 1, 5, 20), "start"), (dt.datetime(2026, 1, 6, 0), "end"), (D(2026, 1, 5), None)]),
        # "and" without "between" is two separate times, not a range
        ("Sirens sounded at 3 p.m. and 5 p.m.", FRIDAY,
         [(dt.datetime(2026, 1, 9, 15), None), (dt.datetime(2026, 1, 9, 17), None)]),
    ],
)  # fmt: skip
def test_ranges(text: str, published: dt.datetime, expected: list[tuple[object, str | None]]) -> None:
    assert [(m.value, m.role) for m in find_dates(text, published)] == expected


def test_relative_word_with_explicit_date_in_brackets() -> None:
    mentions = find_dates("An island-wide curfew will be imposed at 6.00pm today (April 02).", at("2022-04-02"))
    assert [(m.text, m.value, m.relative) for m in mentions] == [
        ("6.00pm today (April 02)", dt.datetime(2022, 4, 2, 18), False)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The 9th brigade moved north.",  # an ordinal unit name
        "He was 22 years old.",  # an age
        "The blast wounded 1.5 million people.",  # a decimal
        "The convoy drove 3.5 km.",  # a distance
        "At 10 he left school.",  # a bare small number
        "The score was 2-1.",  # a score
        "Version 3.12.1 was released.",  # a version number
        "Markets close every Friday.",  # a recurring day
        "Thanksgiving falls on the fourth Thursday.",  # an ordinal weekday
        "Lincoln proclaimed the last Thursday of each month a holiday.",  # a weekday of a month
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, FRIDAY) == []


def test_several_mentions_in_order() -> None:
    text = "On 3 January 2026 gunmen attacked. Yesterday the army responded at 15:00."
    mentions = find_dates(text, FRIDAY)
    assert [(m.text, m.value) for m in mentions] == [
        ("3 January 2026", D(2026, 1, 3)),
        ("Yesterday", D(2026, 1, 8)),
        ("15:00", dt.datetime(2026, 1, 8, 15)),  # the nearest day-precise date of its own sentence
    ]
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_component_sets_doc_dates(load_pipeline: Callable[..., Language]) -> None:
    nlp = load_pipeline("tocsin_dates")
    text = "Gunmen attacked the village on Thursday at 3 p.m. local time (12:00 GMT)."
    doc = nlp.make_doc(text)
    doc._.published = FRIDAY
    doc = nlp(doc)
    assert [(m.text, m.value) for m in doc._.dates] == [
        ("Thursday at 3 p.m. local time (12:00 GMT)", dt.datetime(2026, 1, 8, 12, tzinfo=UTC))
    ]
    assert doc._.dates == find_dates(text, FRIDAY)


def test_component_without_publication_date(load_pipeline: Callable[..., Language]) -> None:
    doc = load_pipeline("tocsin_dates")("Gunmen attacked the village on Thursday.")
    assert [(m.value, m.reason) for m in doc._.dates] == [(None, NO_PUBLISHED)]


def test_import_registers_extensions() -> None:
    assert Doc.has_extension("dates") and Doc.has_extension("published")


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        # "around" makes a day-precise date week-precise, as ACLED codes it
        ("Around 7 May 2020, a man was found dead.", D(2020, 5, 7), 2),
        # so does "as reported on"
        ("As reported on 1 May 2020, airstrikes hit a compound.", D(2020, 5, 1), 2),
        # a plain "on" keeps the day
        ("On 1 May 2020, airstrikes hit a compound.", D(2020, 5, 1), 1),
        # "mid-October": the 15th, month precision
        ("In mid-October 2019, gendarmes entered the market.", D(2019, 10, 15), 3),
        # "mid-October" without a year
        ("In mid-October, gendarmes entered the market.", D(2025, 10, 15), 3),
    ],
)
def test_approximate_dates(text: str, value: dt.date, precision: int) -> None:
    mention = resolve(text, FRIDAY)
    assert mention is not None
    assert (mention.value, mention.precision) == (value, precision)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # "the 31st" when neither this month nor the last has one that is not in the future
        ("It happened on the 31st.", at("2024-03-02"), [D(2024, 3, 31)]),
        # a year no report speaks of is not a date, nor is a time on it
        ("Stamped 9999-12-31 at 12:00 GMT-12.", FRIDAY, [None]),
        # an absurd publication date is no anchor for relative words
        ("It happened yesterday.", at("0001-01-02"), [None]),
        # nor near the end of the calendar
        ("It happened 99 days ago.", at("9999-12-30"), [None]),
        # a day that does not exist
        ("It happened on 30 February 2020.", FRIDAY, [None]),
    ],
)
def test_odd_inputs_do_not_fail(text: str, published: dt.datetime, expected: list[object]) -> None:
    assert [m.value for m in find_dates(text, published)] == expected
