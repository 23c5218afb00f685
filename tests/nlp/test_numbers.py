"""tocsin_numbers: counts of people and what happened to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from tocsin.model import CountMention
from tocsin.nlp.numbers import parse_count

PUBLISHED = dt.datetime(2026, 1, 9, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def counts(load_pipeline: Callable[..., Language]) -> Callable[[str], list[CountMention]]:
    nlp = load_pipeline("tocsin_dates", "tocsin_numbers")

    def run(text: str) -> list[CountMention]:
        doc = nlp.make_doc(text)
        doc._.published = PUBLISHED
        return list(nlp(doc)._.counts)

    return run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (12, False)),  # digits
        ("1,200", (1200, False)),  # thousands separator
        ("1.5 million", (1_500_000, False)),  # decimal with a scale word
        ("three", (3, False)),  # a number word
        ("Twenty-five", (25, False)),  # hyphenated, capitalised
        ("twenty five", (25, False)),  # unhyphenated
        ("two hundred", (200, False)),  # with a scale word
        ("two hundred and fifty", (250, False)),  # British "and"
        ("three thousand", (3000, False)),  # thousands
        ("a dozen", (12, False)),  # a dozen is exact
        ("half a dozen", (6, False)),  # half a dozen
        ("a hundred", (100, False)),  # a hundred
        ("dozens", (12, True)),  # ACLED: dozens = 12
        ("hundreds", (100, True)),  # ACLED: hundreds = 100
        ("thousands", (1000, True)),  # thousands = 1000
        ("scores", (20, True)),  # a score is twenty
        ("several", (10, True)),  # ACLED: several = 10
        ("many", (10, True)),  # ACLED: many = 10
        ("a number of", (10, True)),  # treated like "several"
        ("an unknown number of", (10, True)),  # ACLED: unknown = 10
        ("a few", (3, True)),  # a few = 3
        ("at least 12", (12, False)),  # qualifiers keep the stated figure
        ("more than 20", (20, False)),  # the most conservative reading
        ("nearly 300", (300, False)),  # ditto
        ("soldiers", None),  # not a number
        ("some", None),  # too vague to count
    ],
)
def test_parse_count(text: str, expected: tuple[int, bool] | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the governing verb: passive subject of "kill"
        ("5 people were killed in the attack.", [("fatalities", 5)]),
        # a gerund with the count as its object, and the "including" subset dropped
        ("Militants attacked the village, killing 6 civilians, including 2 women.", [("fatalities", 6)]),
        # a bare count as object of "killing"
        ("The blast ripped through the market, killing 6.", [("fatalities", 6)]),
        # coordinated groups stay separate mentions
        ("Two soldiers and three civilians were killed.", [("fatalities", 2), ("fatalities", 3)]),
        # "dead" and "wounded" after "left"
        ("The attack left 3 fighters dead and 12 wounded.", [("fatalities", 3), ("injured", 12)]),
        # "died"
        ("Activists said 12 died in the shelling.", [("fatalities", 12)]),
        # "deaths", "bodies"
        ("Hospitals recorded 14 deaths.", [("fatalities", 14)]),
        ("Police found 8 bodies near the river.", [("fatalities", 8)]),
        # "lost their lives"
        ("Twenty-five people lost their lives.", [("fatalities", 25)]),
        # "death toll rose to"
        ("The death toll rose to 40 on Saturday.", [("fatalities", 40)]),
        # a source gives the figure: "put the death toll at", "raised the number of wounded to"
        ("The Red Crescent put the death toll at 15.", [("fatalities", 15)]),
        ("Officials raised the number of wounded to 40.", [("injured", 40)]),
        ("The UN put the number of displaced at 12,000.", [("displaced", 12000)]),
        ("The army put the cost at 15 million dollars.", []),
        # "shot and killed"
        ("1 policeman was shot and killed by militants.", [("fatalities", 1)]),
        # "the killing of"
        ("Clashes led to the killing of 4 militants.", [("fatalities", 4)]),
        # "a"/"an" with a singular victim noun
        ("A soldier was killed and two others were injured.", [("fatalities", 1), ("injured", 2)]),
        # "one" is a number word
        ("The sniper killed one civilian.", [("fatalities", 1)]),
        # the object of a place preposition is not a victim
        ("Eight people were killed in a road accident.", [("fatalities", 8)]),
        ("Two soldiers died in a helicopter crash.", [("fatalities", 2)]),
        # ... but person nouns the parser hangs on a date's preposition still count
        ("On Feb 14 two police personnel were killed by sniper fire.", [("fatalities", 2)]),
        # a title is one person
        ("The general was killed in an ambush.", [("fatalities", 1)]),
        # the subject of "shot dead" with an object is the perpetrator
        ("Two gunmen shot dead a man in the market.", [("people", 2), ("fatalities", 1)]),
        # "shot to death", "fatally shot"
        ("Two men were shot to death near the market.", [("fatalities", 2)]),
        ("Gunmen fatally shot three guards.", [("fatalities", 3)]),
        # the verb says more than the noun: refugees who were killed are fatalities
        ("Two refugees were killed in the crossfire.", [("fatalities", 2)]),
        # a range counts as its lower figure
        ("Between 11-12 militants were killed.", [("fatalities", 11)]),
        # "killing and injuring" share their object: the first verb's kind
        ("The forces repelled the attack, killing and injuring dozens of fighters.", [("fatalities", 12)]),
        # a compound noun after the number
        ("Two mining company employees were killed.", [("fatalities", 2)]),
        # a person-shaped noun after "a"
        ("A suspected drug trafficker was killed.", [("fatalities", 1)]),
        # ... but not any noun after "a"
        ("A firefight killed two rebels.", [("fatalities", 2)]),
        ("As a result, two rebels died.", [("fatalities", 2)]),
        # a participle right after the counted noun, where the parse hangs it elsewhere
        ("It resulted in the death of 15 people with six others injured.", [("fatalities", 15), ("injured", 6)]),
        # "how many" asks, it does not count
        ("There was no word on how many people were injured.", []),
        # a number in a name is not a count of people
        ("Sharjah 24 reported that a state of emergency was declared.", []),
        # a definite singular victim is one person ...
        ("Gunmen killed the watchman.", [("fatalities", 1)]),
        ("Unknown gunmen opened fire on a civilian, killing him.", [("fatalities", 1)]),
        ("The officer and her daughter died.", [("fatalities", 1), ("fatalities", 1)]),
        ("The clashes resulted in the death of the commander.", [("fatalities", 1)]),
        # ... also next to another victim it is coordinated with
        ("Gunmen opened fire, killing a woman and her son.", [("fatalities", 1), ("fatalities", 1)]),
        ("A former councilor and his wife were shot dead.", [("fatalities", 1), ("fatalities", 1)]),
        # ... unless it repeats an earlier count of the same kind
        ("A soldier was shot dead. The soldier died at once.", [("fatalities", 1)]),
        # ... and a collective is no one person
        ("The police were attacked and shot back.", []),
        # deaths without a figure: ACLED's 10
        ("Forces repelled the attack, incurring fatalities.", [("fatalities", 10)]),
        # ... unless the sentence gives one
        ("The clashes resulted in fatalities, with 5 fighters killed.", [("fatalities", 5)]),
        # injured kinds
        ("At least 20 people were wounded.", [("injured", 20)]),
        ("Nine protesters were hurt.", [("injured", 9)]),
        # displaced kinds
        ("Hundreds of civilians fled their homes.", [("displaced", 100)]),
        ("About 1,200 residents were forced to leave their homes.", [("displaced", 1200)]),
        ("Some 3,000 families left their homes.", [("displaced", 3000)]),
        ("Officials evacuated 9,000 children.", [("displaced", 9000)]),
        ("The camp shelters 4,000 IDPs.", [("displaced", 4000)]),
        # arrested and abducted kinds
        ("Police arrested a dozen protesters and detained 30 others.", [("arrested", 12), ("arrested", 30)]),
        ("Gunmen kidnapped 22 students.", [("abducted", 22)]),
        ("More than 50 people were taken into custody.", [("arrested", 50)]),
        ("Rebels took 7 aid workers hostage.", [("abducted", 7)]),
        ("Bandits abducted two farmers.", [("abducted", 2)]),
        # vague counts as ACLED codes them
        ("Dozens were killed in the raid.", [("fatalities", 12)]),
        ("Several people were reported killed.", [("fatalities", 10)]),
        # the perpetrators of an active verb are people, not fatalities
        ("Five gunmen killed 3 villagers.", [("people", 5), ("fatalities", 3)]),
        # a count of people with nothing done to them
        ("About 300 protesters gathered in the square.", [("people", 300)]),
        # conflicting figures in one sentence are both kept
        ("State media said 5 were killed, while activists said 12 died.", [("fatalities", 5), ("fatalities", 12)]),
        # no casualties: a fatalities count of zero
        ("Neither fatalities nor injuries were reported.", [("fatalities", 0)]),
        ("There were no casualties.", [("fatalities", 0)]),
        ("No one was killed in the blast.", [("fatalities", 0)]),
        ("Fatalities were not reported.", [("fatalities", 0)]),
        # numbers that are not people
        ("The militants fired 12 rockets at the base.", []),
        ("The convoy drove 5 km and 3 vehicles burned.", []),
        ("A 22-year-old man was arrested.", [("arrested", 1)]),
        ("A 24-hour curfew was imposed.", []),
        ("Gunmen stole $500 from the shop.", []),
        ("The strike killed 40 percent of the herd.", []),
        # a date's day number is not a count
        ("On 12 May, 3 soldiers were killed.", [("fatalities", 3)]),
        # a clock time is not a count
        ("At 10 pm, 2 soldiers were killed.", [("fatalities", 2)]),
        # the speaker of a report is its source, not one of the people it counts
        ("Thousands of people fled the neighbourhoods overnight, a local council official said.",
         [("displaced", 1000)]),
        ("Four people were killed, two officials said.", [("fatalities", 4)]),
        ("Three were killed; one source says up to ten thousand fled.", [("fatalities", 3), ("displaced", 10000)]),
        # ACLED's "N fatalities reported" (no "were") is a count, not a speaker
        ("4 fatalities reported.", [("fatalities", 4)]),
        # but someone hurt who speaks is still counted
        ("Five wounded soldiers said the base was shelled.", [("injured", 5)]),
    ],
)
def test_counts(counts: Callable[[str], list[CountMention]], text: str, expected: list[tuple[str, int]]) -> None:
    assert [(c.kind, c.value) for c in counts(text)] == expected


def test_vague_flag_and_span(counts: Callable[[str], list[CountMention]]) -> None:
    text = "Dozens were killed and 4 were injured."
    found = counts(text)
    assert [(c.kind, c.value, c.vague, c.text) for c in found] == [
        ("fatalities", 12, True, "Dozens"),
        ("injured", 4, False, "4"),
    ]
    assert all(text[c.start : c.end] == c.text for c in found)


def test_component_standalone(load_pipeline: Callable[..., Language]) -> None:
    doc = load_pipeline("tocsin_numbers")("Two soldiers were killed.")
    assert [(c.kind, c.value, c.text) for c in doc._.counts] == [("fatalities", 2, "Two")]
    assert Doc.has_extension("counts")
