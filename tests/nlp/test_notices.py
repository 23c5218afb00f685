"""tocsin_notices: civilian-protection notices read from the parse, with times localised by zone.

The earlier components' output (dates, toponyms, attributions) is built by hand here, so these tests
check the notices stage alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from tocsin.model import ActorMention, Attribution, DateMention, Notice, Toponym
from tocsin.nlp._notice_times import localise, read_dates, window

UTC = dt.UTC


@pytest.fixture(scope="module")
def nlp(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline("tocsin_notices")


# --- building the earlier stages' records by hand ---------------------------------------------------------
@dataclass
class D:
    """A date mention: its words in the text, and the value tocsin_dates would give."""

    words: str
    value: dt.date | dt.datetime
    role: str | None = None
    relative: bool = False


@dataclass
class P:
    """A toponym: its words in the text, and its zone (None = unresolved)."""

    words: str
    timezone: str | None = None
    country_code: str | None = None


@dataclass
class Case:
    text: str
    published: dt.datetime
    dates: list[D] = field(default_factory=list)
    places: list[P] = field(default_factory=list)


def _at(text: str, words: str) -> int:
    start = text.find(words)
    assert start >= 0, f"{words!r} is not in the test text"
    return start


def make_doc(nlp: Language, case: Case, attributions: list[Attribution] | None = None, *, run: bool = True) -> Doc:
    doc = nlp.make_doc(case.text)
    doc._.published = case.published
    dates = []
    for d in case.dates:
        start = _at(case.text, d.words)
        dates.append(DateMention(d.words, start, start + len(d.words), d.value,
                                 has_time=isinstance(d.value, dt.datetime), role=d.role, relative=d.relative))
    doc._.dates = dates
    toponyms = []
    for p in case.places:
        start = _at(case.text, p.words)
        resolved = p.timezone is not None
        toponyms.append(Toponym(p.words, start, start + len(p.words), latitude=1.0 if resolved else None,
                                longitude=2.0 if resolved else None, geonames_id=7 if resolved else None,
                                timezone=p.timezone, country_code=p.country_code,
                                reason=None if resolved else "not in gazetteer"))
    doc._.toponyms = toponyms
    doc._.attributions = attributions or []
    return nlp(doc) if run else doc


def notices(nlp: Language, case: Case, attributions: list[Attribution] | None = None) -> list[Notice]:
    return list(make_doc(nlp, case, attributions)._.notices)


JAN_8 = dt.datetime(2026, 1, 8, 6, 0, tzinfo=UTC)  # 09:00 in Aleppo, a Thursday

# --- the worked example --------------------------------------------------------------------------------------
ALEPPO = "The army announced a curfew over Sheikh Maqsoud and Ashrafieh from 3 p.m. local time (12:00 GMT) on Thursday."


@pytest.mark.parametrize(
    "dates",
    [
        # tocsin_dates reads "3 p.m. local time (12:00 GMT) on Thursday" as one zoned mention
        [D("3 p.m. local time (12:00 GMT) on Thursday", dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC))],
        # ... or as a naive local time, a GMT time and a day: the GMT time fixes the offset
        [
            D("3 p.m.", dt.datetime(2026, 1, 8, 15, 0)),
            D("12:00 GMT", dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC)),
            D("Thursday", dt.date(2026, 1, 8)),
        ],
        # ... or without the GMT time: the area's zone (Asia/Damascus, UTC+3) localises 3 p.m.
        [D("3 p.m.", dt.datetime(2026, 1, 8, 15, 0)), D("Thursday", dt.date(2026, 1, 8))],
    ],
)
def test_aleppo_curfew(nlp: Language, dates: list[D]) -> None:
    case = Case(ALEPPO, JAN_8, dates, [P("Sheikh Maqsoud", "Asia/Damascus"), P("Ashrafieh", "Asia/Damascus")])
    (notice,) = notices(nlp, case)
    assert notice.kind == "curfew"
    assert [a.name for a in notice.areas] == ["Sheikh Maqsoud", "Ashrafieh"]
    assert notice.start == dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC)
    assert notice.end is None
    assert notice.issuer == "The army"
    assert notice.evidence is not None and notice.evidence.text == ALEPPO
    assert notice.spans["issuer"].text == "The army"
    assert notice.timezone == "Asia/Damascus"


def test_areas_keep_resolution_or_reason(nlp: Language) -> None:
    case = Case(ALEPPO, JAN_8, [], [P("Sheikh Maqsoud", "Asia/Damascus"), P("Ashrafieh")])
    resolved, unresolved = notices(nlp, case)[0].areas
    assert (resolved.latitude, resolved.longitude, resolved.geonames_id, resolved.reason) == (1.0, 2.0, 7, None)
    assert unresolved.latitude is None and unresolved.reason == "not in gazetteer"


# --- kinds ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # ordered residents to evacuate
        ("The military ordered residents of Khan Yunis to evacuate immediately.", "evacuation_order"),
        # urged ... to leave
        ("The army urged civilians in Rafah to leave their homes.", "evacuation_order"),
        # an evacuation order issued for a city
        ("The governor issued a mandatory evacuation order for Pokrovsk.", "evacuation_order"),
        # imperative in a quoted statement
        ('"Move south immediately," the army told residents of Gaza City.', "evacuation_order"),
        # warned it will strike
        ("The army warned residents of Dahiyeh that it will strike Hezbollah sites.", "strike_warning"),
        # maps of buildings it would target
        ("The military published maps of buildings in Tyre that it would target.", "strike_warning"),
        # threatened to bomb
        ("The coalition threatened to bomb the port of Hodeidah.", "strike_warning"),
        # stay away ahead of strikes
        ("Leaflets urged residents of Raqqa to stay away from militant positions.", "strike_warning"),
        # evacuate buildings ahead of planned strikes: a strike warning, not an evacuation order
        ("The army told residents of two buildings in Beirut to evacuate ahead of planned strikes.",
         "strike_warning"),
        # a curfew imposed
        ("Authorities imposed a curfew on Kaduna.", "curfew"),
        # a lockdown declared
        ("Police declared a lockdown in the town of Jos.", "curfew"),
        # a curfew that begins to be enforced
        ("The government began enforcing a 3-day curfew in 31 provinces.", "curfew"),
        # a curfew given by its hours only
        ("A curfew from 8 pm to 4 am is in force in Mandalay.", "curfew"),
        # a humanitarian corridor opened
        ("Russia opened a humanitarian corridor from Mariupol to Zaporizhzhia.", "safe_corridor"),
        # safe passage announced
        ("The government announced safe passage for civilians leaving Aleppo.", "safe_corridor"),
        # a humanitarian pause
        ("Putin ordered a daily humanitarian pause in Eastern Ghouta.", "safe_corridor"),
        # an ultimatum
        ("The prime minister gave Tigray forces a 72-hour ultimatum to surrender.", "deadline"),
        # a deadline to withdraw
        ("Baghdad set a deadline for the Peshmerga to withdraw from Kirkuk.", "deadline"),
        # leave by a date
        ("Residents of Lachin were warned to leave the town by Aug. 25.", "deadline"),
        # hours given to leave
        ("The army gave RSF fighters 72 hours to leave El Fasher.", "deadline"),
        # moved to a place, not only in a direction
        ("The army ordered civilians living near the airport to move to the city centre.", "evacuation_order"),
        # "until" parsed as the mark of "to leave", not a preposition of "gave"
        ("The junta's local command gave residents of three villages near Lashio until noon on Thursday to leave, "
         "warning that air strikes would follow.", "deadline"),
    ],
)
def test_kinds(nlp: Language, text: str, kind: str) -> None:
    found = notices(nlp, Case(text, JAN_8))
    assert [n.kind for n in found] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        # a past curfew lifted is not a new curfew
        "The curfew was lifted on Monday.",
        # lifting, active voice
        "Authorities lifted the curfew in Kaduna after a week.",
        # a clock time that belongs to an attack
        "Gunmen stormed the village around 9:30pm and killed three people.",
        # a state of emergency is none of the five kinds
        "A state of emergency was declared in Tripoli and its suburbs.",
        # people fleeing is a description, not an order
        "Thousands fled their homes as the fighting spread.",
        # residents stuck at home: a description
        "We have been stuck in our houses for five days because we are afraid of going out.",
        # a back-reference to an earlier order
        "Following the evacuation orders, warplanes struck the suburbs.",
        # curfew passes are not a curfew
        "Airline tickets can be used as curfew passes.",
        # a named road is not a safe corridor
        "Russian troops will leave the villages along the Lachin corridor.",
        # a missile strike report
        "A missile hit an apartment building in Kharkiv, killing one person.",
        # a protest during a lockdown is not a new lockdown
        "Hundreds of workers protested in Warangal amid the coronavirus lockdown.",
        # "had to leave" describes what happened
        "Journalists covering the rally had to leave under police escort.",
        # "never approached" is no instruction
        "The family said they never approached the police.",
        # a deadline as a modifier
        "Drivers gathered in Manaus to demand deadline extensions for loans.",
        # enforcing or breaking an existing curfew is not a new one
        "Police were enforcing the lockdown in Bhopal when the clash broke out.",
        "Hundreds gathered in Belgrade, breaking curfew.",
        # a labour strike threatened
        "The unions threatened to strike if nothing was done.",
        # leave as part of a compound word
        "The ministers criticised a take-it-or-leave-it offer from the government.",
        # an ultimatum in politics, with nothing to leave or surrender
        "The provinces said the funding proposal was presented as an ultimatum.",
        # a warning about food, and one about aftershocks
        "The agency is warning people not to eat the recalled chicken product.",
        "An official warned people in the region to stay outdoors because of the risk of aftershocks.",
        # "asked them to leave the scene": no residents, no place
        "The crowd stoned the fire engines and asked them to leave the scene.",
        # a move away from the past
        "He said the day marks a move away from the horrors of the past.",
        # a participle: "leaving" people dead
        "Gunmen attacked the market in Maiduguri, leaving five people dead.",
        # days given for something other than leaving
        "The court gave the defence three days to prepare its case.",
        # what an issuer keeps doing, told in an opinion piece: no order of the day
        "Every week the army tells people to move south, and every week the south is bombed.",
        "The army routinely warns residents of Rafah to evacuate buildings before strikes.",
        # an order as the subject of a general statement
        "Ordering a population to flee without a safe destination is not protection.",
        # moved to a place that is no refuge
        "Organisers urged people to head to the stadium for the match.",
        # a curfew or an evacuation asked for, not given
        "An opposition lawmaker on Thursday called for a 24-hour curfew in Jos to stop the killings.",
        "Residents demanded the imposition of a curfew in the city.",
        "Rights groups issued calls for the evacuation of the wounded.",
    ],
)
def test_no_notice(nlp: Language, text: str) -> None:
    assert notices(nlp, Case(text, JAN_8)) == []


# --- times ---------------------------------------------------------------------------------------------------
HEBRON = "The army imposed a curfew on Hebron from 8 p.m."


@pytest.mark.parametrize(
    ("published", "start"),
    [
        # summer: Israel Daylight Time, UTC+3
        (dt.datetime(2024, 7, 10, 9, tzinfo=UTC), dt.datetime(2024, 7, 10, 17, 0, tzinfo=UTC)),
        # winter: Israel Standard Time, UTC+2
        (dt.datetime(2024, 1, 10, 9, tzinfo=UTC), dt.datetime(2024, 1, 10, 18, 0, tzinfo=UTC)),
    ],
)
def test_curfew_localised_with_dst(nlp: Language, published: dt.datetime, start: dt.datetime) -> None:
    local = dt.datetime.combine(published.date(), dt.time(20, 0))
    case = Case(HEBRON, published, [D("8 p.m.", local)], [P("Hebron", "Asia/Jerusalem")])
    (notice,) = notices(nlp, case)
    assert notice.start == start
    assert notice.timezone == "Asia/Jerusalem"


def test_zone_from_country_when_toponym_has_none(nlp: Language) -> None:
    case = Case(HEBRON, dt.datetime(2024, 7, 10, 9, tzinfo=UTC), [D("8 p.m.", dt.datetime(2024, 7, 10, 20, 0))],
                [P("Hebron", None, country_code="IL")])
    assert notices(nlp, case)[0].start == dt.datetime(2024, 7, 10, 17, 0, tzinfo=UTC)


MANDALAY = "Authorities imposed a curfew from 8 pm to 4 am on Monday in Mandalay."


def test_nightly_curfew_crosses_midnight(nlp: Language) -> None:
    case = Case(
        MANDALAY,
        dt.datetime(2021, 2, 8, 3, tzinfo=UTC),
        [D("8 pm", dt.datetime(2021, 2, 8, 20, 0), "start"), D("4 am", dt.datetime(2021, 2, 9, 4, 0), "end"),
         D("Monday", dt.date(2021, 2, 8))],
        [P("Mandalay", "Asia/Yangon")],
    )
    (notice,) = notices(nlp, case)
    assert notice.start == dt.datetime(2021, 2, 8, 13, 30, tzinfo=UTC)  # 20:00 at UTC+06:30
    assert notice.end == dt.datetime(2021, 2, 8, 21, 30, tzinfo=UTC)  # 04:00 the next morning
    assert notice.recurring == "daily"


@pytest.mark.parametrize(
    ("text", "recurring"),
    [
        # "every day" makes a window recur
        ("The governor declared a curfew in Gedarif from 7 p.m. to 6 a.m. every day.", "daily"),
        # a continuous curfew with an end day does not recur
        ("The governor declared a curfew in Gedarif from 7 p.m. until 6 a.m. on Sunday.", None),
    ],
)
def test_recurring(nlp: Language, text: str, recurring: str | None) -> None:
    pub = dt.datetime(2024, 7, 4, 9, tzinfo=UTC)  # a Thursday
    dates = [D("7 p.m.", dt.datetime(2024, 7, 4, 19, 0)), D("6 a.m.", dt.datetime(2024, 7, 5, 6, 0))]
    if "Sunday" in text:
        dates.append(D("Sunday", dt.date(2024, 7, 7)))
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Gedarif", "Africa/Khartoum")]))
    assert notice.recurring == recurring
    assert notice.start == dt.datetime(2024, 7, 4, 17, 0, tzinfo=UTC)
    expected_end = dt.datetime(2024, 7, 7 if recurring is None else 5, 4, 0, tzinfo=UTC)
    assert notice.end == expected_end


def test_until_further_notice_has_no_end(nlp: Language) -> None:
    text = "Police imposed a curfew on Jos from 6 p.m. until further notice."
    pub = dt.datetime(2018, 10, 21, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("6 p.m.", dt.datetime(2018, 10, 21, 18, 0))],
                                  [P("Jos", "Africa/Lagos")]))
    assert notice.start == dt.datetime(2018, 10, 21, 17, 0, tzinfo=UTC)
    assert notice.end is None


def test_a_daily_curfew_until_further_notice_keeps_its_hours(nlp: Language) -> None:
    text = "Authorities in Kharkiv imposed a curfew from 11 p.m. to 5 a.m. every night until further notice."
    pub = dt.datetime(2026, 1, 8, 9, 30, tzinfo=UTC)
    dates = [D("11 p.m.", dt.datetime(2026, 1, 8, 23, 0)), D("5 a.m.", dt.datetime(2026, 1, 9, 5, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kharkiv", "Europe/Kyiv")]))
    assert notice.recurring == "daily"
    assert notice.start == dt.datetime(2026, 1, 8, 21, 0, tzinfo=UTC)
    assert notice.end == dt.datetime(2026, 1, 9, 3, 0, tzinfo=UTC)  # the nightly end, not dropped


def test_hours_starting_one_day_and_running_until_another_repeat_daily(nlp: Language) -> None:
    # the last day is not written beside the hours: still the day they last apply, not one long night
    text = ("The government declared a curfew in Petion-Ville from 6 p.m. to 5 a.m. starting Thursday and running "
            "until Monday.")
    pub = dt.datetime(2026, 4, 18, 11, tzinfo=UTC)  # a Saturday
    dates = [D("6 p.m.", dt.datetime(2026, 4, 18, 18, 0)), D("5 a.m.", dt.datetime(2026, 4, 19, 5, 0)),
             D("Thursday", dt.date(2026, 4, 16), relative=True), D("Monday", dt.date(2026, 4, 20), relative=True)]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Petion-Ville", "America/Port-au-Prince")]))
    assert notice.recurring == "daily"
    assert notice.start == dt.datetime(2026, 4, 16, 22, 0, tzinfo=UTC)  # Thursday 6 p.m. in Haiti (UTC-4)
    assert notice.end == dt.datetime(2026, 4, 17, 9, 0, tzinfo=UTC)  # the first night ends Friday 5 a.m.
    assert notice.until == dt.date(2026, 4, 20)


def test_how_long_the_order_lasts_in_the_next_sentence(nlp: Language) -> None:
    # the next sentence refers back to the order and gives its length, with no date of its own
    text = ("The military declared a curfew in Sittwe on Thursday, from 8 p.m. to 4 a.m. "
            "State media said the order would remain in force for two weeks.")
    pub = dt.datetime(2026, 7, 10, 9, tzinfo=UTC)  # a Friday
    dates = [D("Thursday", dt.date(2026, 7, 9), relative=True), D("8 p.m.", dt.datetime(2026, 7, 9, 20, 0)),
             D("4 a.m.", dt.datetime(2026, 7, 10, 4, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Sittwe", "Asia/Yangon")]))
    assert notice.recurring == "daily"
    assert notice.start == dt.datetime(2026, 7, 9, 13, 30, tzinfo=UTC)
    assert notice.until == dt.date(2026, 7, 23)  # fourteen nights from Thursday: out on the morning of the 23rd


def test_a_report_without_zoned_places_takes_its_dateline_s_zone(nlp: Language) -> None:
    text = ("BEIRUT, Oct 20 - The Lebanese army declared a curfew in Bab al-Tabbaneh from 11 p.m. to 5 a.m. "
            "every night.")
    pub = dt.datetime(2026, 10, 20, 7, tzinfo=UTC)
    dates = [D("11 p.m.", dt.datetime(2026, 10, 20, 23, 0)), D("5 a.m.", dt.datetime(2026, 10, 21, 5, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Bab al-Tabbaneh")]))
    assert notice.timezone == "Asia/Beirut"
    assert notice.start == dt.datetime(2026, 10, 20, 20, 0, tzinfo=UTC)  # 11 p.m. in Beirut (UTC+3)


def test_the_hour_an_order_takes_effect_in_the_next_sentence(nlp: Language) -> None:
    text = ("The army said on Tuesday it had ordered residents of Khan Younis to evacuate. "
            "It said the order would take effect at 6 a.m. on Wednesday.")
    pub = dt.datetime(2026, 7, 7, 9, tzinfo=UTC)  # a Tuesday
    dates = [D("Tuesday", dt.date(2026, 7, 7), relative=True), D("6 a.m. on Wednesday", dt.datetime(2026, 7, 8, 6, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Khan Younis", "Asia/Gaza")]))
    assert notice.start == dt.datetime(2026, 7, 8, 3, 0, tzinfo=UTC)  # 6 a.m. in Gaza (UTC+3), not the bare Tuesday


def test_a_curfew_until_a_day_repeats_its_hours_until_then(nlp: Language) -> None:
    text = "Authorities in Kharkiv imposed a curfew from 11 p.m. to 5 a.m. until Sunday."
    pub = dt.datetime(2026, 1, 8, 9, 30, tzinfo=UTC)  # a Thursday
    # tocsin_dates gives the clock times the until-day, as it reads "from ... to ... until Sunday" as one range
    dates = [D("11 p.m.", dt.datetime(2026, 1, 11, 23, 0), role="start"), D("5 a.m.", dt.datetime(2026, 1, 12, 5, 0),
             role="end"), D("Sunday", dt.date(2026, 1, 4), relative=True)]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kharkiv", "Europe/Kyiv")]))
    assert notice.recurring == "daily"
    assert notice.start == dt.datetime(2026, 1, 8, 21, 0, tzinfo=UTC)  # tonight, not Sunday night
    assert notice.end == dt.datetime(2026, 1, 9, 3, 0, tzinfo=UTC)
    assert notice.until == dt.date(2026, 1, 11)  # the coming Sunday, not the past one


def test_nightly_hours_for_a_number_of_hours_end_on_the_last_night(nlp: Language) -> None:
    text = "Authorities imposed a curfew on Port-au-Prince from 6 p.m. to 5 a.m. that will last 72 hours."
    pub = dt.datetime(2025, 3, 2, 15, tzinfo=UTC)  # a Sunday
    dates = [D("6 p.m.", dt.datetime(2025, 3, 2, 18, 0)), D("5 a.m.", dt.datetime(2025, 3, 3, 5, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Port-au-Prince", "America/Port-au-Prince")]))
    assert notice.recurring == "daily"
    assert notice.start == dt.datetime(2025, 3, 2, 23, 0, tzinfo=UTC)
    assert notice.until == dt.date(2025, 3, 5)  # the nights of Sunday, Monday and Tuesday: out on Wednesday


#: A curfew imposed on Kherson from 8 p.m. (local) on Saturday 1 March 2025: 18:00 UTC.
KHERSON_CURFEW_START = dt.datetime(2025, 3, 1, 18, 0, tzinfo=UTC)


def kherson_curfew(nlp: Language, text: str) -> Notice:
    pub = dt.datetime(2025, 3, 1, 9, tzinfo=UTC)
    dates = [D("8 p.m. on Saturday", dt.datetime(2025, 3, 1, 20, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kherson", "Europe/Kyiv")]))
    assert notice.start == KHERSON_CURFEW_START and notice.recurring is None
    return notice


@pytest.mark.parametrize(("text", "hours"), [
    ("The army imposed a 48-hour curfew on Kherson from 8 p.m. on Saturday.", 48),
    ("The army imposed a curfew for 24 hours on Kherson from 8 p.m. on Saturday.", 24),
    ("The army imposed a 24-hour curfew on Kherson from 8 p.m. on Saturday.", None),  # round the clock, no length
    # the same in words: not a "four-hour curfew"
    ("The army imposed a twenty-four-hour curfew on Kherson from 8 p.m. on Saturday.", None),
    ("The army imposed a curfew for twelve hours on Kherson from 8 p.m. on Saturday.", 12),  # any number word
    ("The army imposed an eight-day curfew on Kherson from 8 p.m. on Saturday.", 192),
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday, will last 48 hours.", 48),
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday, is expected to last for two days.", 48),
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday, lasting 48 hours.", 48),
    # the time before the news is no length of the curfew
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday after shelling killed 12 people in the last 24 "
     "hours.", None),
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday after shelling killed 12 people over the last "
     "three days.", None),
    # without the article, as Indian papers write it
    ("The army imposed a curfew on Kherson from 8 p.m. on Saturday after shelling killed 12 people in last 48 "
     "hours.", None),
])
def test_a_curfew_of_a_number_of_hours_ends_that_long_after_it_starts(nlp: Language, text: str,
                                                                      hours: int | None) -> None:
    notice = kherson_curfew(nlp, text)
    assert notice.end == (None if hours is None else KHERSON_CURFEW_START + dt.timedelta(hours=hours))


def test_corridor_window_between_hours(nlp: Language) -> None:
    text = "Russia said a humanitarian corridor from Mariupol to Zaporizhzhia would open between 10 a.m. and 2 p.m."
    pub = dt.datetime(2022, 3, 5, 6, tzinfo=UTC)
    dates = [D("10 a.m.", dt.datetime(2022, 3, 5, 10, 0)), D("2 p.m.", dt.datetime(2022, 3, 5, 14, 0))]
    places = [P("Mariupol", "Europe/Kyiv"), P("Zaporizhzhia", "Europe/Kyiv")]
    (notice,) = notices(nlp, Case(text, pub, dates, places))
    assert notice.kind == "safe_corridor"
    assert [a.name for a in notice.areas] == ["Mariupol", "Zaporizhzhia"]
    assert notice.start == dt.datetime(2022, 3, 5, 8, tzinfo=UTC)  # 10:00 at UTC+2
    assert notice.end == dt.datetime(2022, 3, 5, 12, tzinfo=UTC)
    assert notice.issuer == "Russia"


def test_deadline_end_from_clock_and_day(nlp: Language) -> None:
    text = "The army gave fighters in Kirkuk until 2 a.m. on Sunday to withdraw."
    pub = dt.datetime(2017, 10, 14, 9, tzinfo=UTC)
    dates = [D("2 a.m. on Sunday", dt.datetime(2017, 10, 15, 2, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kirkuk", "Asia/Baghdad")]))
    assert notice.kind == "deadline"
    assert notice.start is None
    assert notice.end == dt.datetime(2017, 10, 14, 23, 0, tzinfo=UTC)


def test_deadline_within_hours_counts_from_publication(nlp: Language) -> None:
    text = "The prime minister gave Tigray forces a 72-hour ultimatum to surrender."
    (notice,) = notices(nlp, Case(text, dt.datetime(2020, 11, 22, 18, tzinfo=UTC)))
    assert notice.end == dt.date(2020, 11, 25)


def test_hours_given_to_leave_count_from_publication(nlp: Language) -> None:
    text = "The army gave the militants 48 hours to withdraw from Afrin and hand over their weapons."
    (notice,) = notices(nlp, Case(text, dt.datetime(2020, 11, 22, 18, tzinfo=UTC), [], [P("Afrin", "Asia/Damascus")]))
    assert notice.kind == "deadline" and notice.end == dt.date(2020, 11, 24)


def test_the_time_left_before_a_deadline_gives_its_end(nlp: Language) -> None:
    text = ("The army vowed to resume its offensive if the fighters do not withdraw from Afrin by the end of the "
            "truce. A minister said that they have roughly \"30 hours left.\"")
    (notice,) = notices(nlp, Case(text, dt.datetime(2020, 11, 22, 6, tzinfo=UTC), [], [P("Afrin", "Asia/Damascus")]))
    # counted from publication, as "within 30 hours" is
    assert notice.kind == "deadline" and notice.end == dt.date(2020, 11, 23)


def test_clock_without_a_day_takes_the_publication_day(nlp: Language) -> None:
    text = "The army announced a curfew over Afrin from 3 p.m."
    (notice,) = notices(nlp, Case(text, JAN_8, [], [P("Afrin", "Asia/Damascus")]), None)
    assert notice.start is None  # no date mention given: nothing to read
    # with the fallback reader (no tocsin_dates in the pipeline) the publication day is used
    mentions = read_dates(nlp.make_doc(text), JAN_8)
    win = window(text, 0, mentions, published=JAN_8, prev_day=None, zone="Asia/Damascus")
    assert win.start == dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC)


def test_day_only_gives_a_date(nlp: Language) -> None:
    text = "The army ordered residents of Khan Yunis to leave on Monday."
    pub = dt.datetime(2024, 7, 22, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("Monday", dt.date(2024, 7, 22))], [P("Khan Yunis", "Asia/Gaza")]))
    assert notice.start == dt.date(2024, 7, 22)


def test_reporting_day_is_not_the_start(nlp: Language) -> None:
    text = "The government decided on a mandatory evacuation of the Donetsk region, the president said on Saturday."
    pub = dt.datetime(2022, 7, 31, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("Saturday", dt.date(2022, 7, 30))], [P("Donetsk", "Europe/Kyiv")]))
    assert notice.kind == "evacuation_order"
    assert notice.start is None


def test_localise_dst() -> None:
    assert localise(dt.datetime(2024, 3, 31, 12), "Europe/Kyiv") == dt.datetime(2024, 3, 31, 9, tzinfo=UTC)
    assert localise(dt.datetime(2024, 3, 30, 12), "Europe/Kyiv") == dt.datetime(2024, 3, 30, 10, tzinfo=UTC)


# --- issuer, areas, merging ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "issuer"),
    [
        # subject of the announcing verb
        ("The Syrian army imposed a curfew on Afrin.", "The Syrian army"),
        # a day the parser hangs on the subject is not part of the issuer
        ("The Israeli military on Thursday ordered residents of Tyre to evacuate.", "The Israeli military"),
        # subject of the reporting verb when the notice is passive
        ("A curfew was imposed on Afrin, the interior ministry said.", "the interior ministry"),
        # appositive kept, relative clause dropped
        (
            "Avichay Adraee, the army spokesman, ordered residents of Tyre to evacuate.",
            "Avichay Adraee, the army spokesman",
        ),
        # speaker after a quotation
        ('"Leave your homes now," said the Israeli military\'s Arabic-language spokesman.',
         "the Israeli military's Arabic-language spokesman"),
    ],
)
def test_issuer(nlp: Language, text: str, issuer: str) -> None:
    places = [P("Afrin", "Asia/Damascus")] if "Afrin" in text else [P("Tyre", "Asia/Beirut")] if "Tyre" in text else []
    (notice,) = notices(nlp, Case(text, JAN_8, [], places))
    assert notice.issuer == issuer
    span = notice.spans["issuer"]
    assert text[span.start : span.end] == issuer


def test_issuer_from_attribution(nlp: Language) -> None:
    text = "A curfew has been imposed on Jos."
    source = "police"
    attribution = Attribution(source, 0, len(text), 0, 0)
    (notice,) = notices(nlp, Case(text, JAN_8, [], [P("Jos", "Africa/Lagos")]), [attribution])
    assert notice.issuer == "police"


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # the issuer's country is not an area
        ("Israel's military ordered residents of Jabalia to evacuate.", ["Jabalia"]),
        # the destination of an evacuation is not an area
        ("The army ordered residents of Khan Yunis to evacuate to Al-Mawasi.", ["Khan Yunis"]),
        # places listed in the next sentence after "several villages"
        ("The army ordered residents of several villages to evacuate. The villages include Yater, Zibqin and Qouzah.",
         ["Yater", "Zibqin", "Qouzah"]),
    ],
)
def test_areas(nlp: Language, text: str, areas: list[str]) -> None:
    names = ["Israel", "Jabalia", "Khan Yunis", "Al-Mawasi", "Yater", "Zibqin", "Qouzah"]
    places = [P(n, "Asia/Gaza") for n in names if n in text]
    (notice,) = notices(nlp, Case(text, JAN_8, [], places))
    assert [a.name for a in notice.areas] == areas


def test_an_armed_group_named_in_the_warning_is_no_area(nlp: Language) -> None:
    text = ("The military ordered residents of 12 villages, including Kfar Kila and Odaisseh, to evacuate, saying it "
            "would strike Hezbollah targets there.")
    doc = nlp.make_doc(text)
    doc._.published = JAN_8
    start = text.index("Hezbollah")
    doc._.actors = [ActorMention("Hezbollah", 2, start, start + len("Hezbollah"), "Hezbollah")]
    (notice,) = nlp(doc)._.notices
    assert [a.name for a in notice.areas] == ["Kfar Kila", "Odaisseh"]
    doc = nlp.make_doc(text)  # without the actor dictionary's reading the parse takes it for a place
    doc._.published = JAN_8
    assert "Hezbollah" in [a.name for a in nlp(doc)._.notices[0].areas]


def test_a_warning_without_places_takes_its_neighbours_places_but_not_their_roads(nlp: Language) -> None:
    text = ("The army announced a curfew over Sheikh Maqsoud and Ashrafieh and said two safe corridors, via the "
            "Castello road and the Al-Awarid crossing, would stay open until 6 p.m.\n"
            "It urged civilians to stay away from SDF positions.")
    names = ["Sheikh Maqsoud", "Ashrafieh", "Castello", "Al-Awarid"]
    found = notices(nlp, Case(text, JAN_8, [], [P(n, "Asia/Damascus") for n in names]))
    by_kind = {n.kind: [a.name for a in n.areas] for n in found}
    assert by_kind["safe_corridor"] == ["Castello", "Al-Awarid"]
    assert by_kind["strike_warning"] == ["Sheikh Maqsoud", "Ashrafieh"]  # never the corridors civilians are sent to


def test_areas_without_a_resolver_come_from_the_parse(nlp: Language) -> None:
    doc = nlp.make_doc("The army imposed a curfew on Afrin and Jinderes.")
    doc._.published = JAN_8
    (notice,) = nlp(doc)._.notices
    assert [a.name for a in notice.areas] == ["Afrin", "Jinderes"]
    assert all(a.reason and a.latitude is None for a in notice.areas)


def test_names_before_a_place_noun_are_areas_and_the_city_holding_them_is_not(nlp: Language) -> None:
    # the tagger reads "Sheikh Maqsoud" as a person; "of Aleppo" says where the neighbourhoods are
    doc = nlp.make_doc("The army ordered civilians to leave the Sheikh Maqsoud and Ashrafieh neighbourhoods of Aleppo.")
    doc._.published = JAN_8
    (notice,) = nlp(doc)._.notices
    assert notice.kind == "evacuation_order"
    assert [a.name for a in notice.areas] == ["Sheikh Maqsoud", "Ashrafieh"]


def test_coordinated_clauses_state_two_notices(nlp: Language) -> None:
    text = ("The army on Thursday ordered civilians to leave the Hamra and Salam neighbourhoods and declared a "
            "curfew over both districts from 3 p.m. local time (12:00 GMT).")
    dates = [D("Thursday", dt.date(2026, 1, 8)), D("3 p.m. local time (12:00 GMT)",
                                                   dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC))]
    found = notices(nlp, Case(text, JAN_8, dates, [P("Hamra", "Asia/Damascus"), P("Salam", "Asia/Damascus")]))
    by_kind = {n.kind: n for n in found}
    assert sorted(by_kind) == ["curfew", "evacuation_order"]
    order, curfew = by_kind["evacuation_order"], by_kind["curfew"]
    assert order.start == dt.date(2026, 1, 8)  # "on Thursday", not the curfew's hour
    assert curfew.start == dt.datetime(2026, 1, 8, 12, 0, tzinfo=UTC)
    assert [a.name for a in curfew.areas] == ["Hamra", "Salam"]  # "both districts": the clause before
    assert order.issuer == curfew.issuer == "The army"
    assert order.spans["kind"].text != curfew.spans["kind"].text


def test_one_clause_with_two_cues_stays_one_notice(nlp: Language) -> None:
    # "evacuate" is a cue of two kinds and "curfew" a third, all under one verb: one notice
    text = "The army ordered residents of Afrin to evacuate before a curfew that begins at 6 p.m."
    assert len(notices(nlp, Case(text, JAN_8, [], [P("Afrin", "Asia/Damascus")]))) == 1


def test_sentences_about_one_notice_merge(nlp: Language) -> None:
    text = ("An island-wide curfew will be imposed at 6 p.m. today in Colombo. "
            "The curfew will be effective until 6 a.m. on Monday.")
    pub = dt.datetime(2022, 4, 2, 3, tzinfo=UTC)
    dates = [D("6 p.m. today", dt.datetime(2022, 4, 2, 18, 0)), D("6 a.m. on Monday", dt.datetime(2022, 4, 4, 6, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Colombo", "Asia/Colombo")]))
    assert notice.start == dt.datetime(2022, 4, 2, 12, 30, tzinfo=UTC)
    assert notice.end == dt.datetime(2022, 4, 4, 0, 30, tzinfo=UTC)


def test_two_curfews_on_different_days_stay_apart(nlp: Language) -> None:
    text = ("Authorities extended the curfew in Latakia on Friday. "
            "On Thursday evening, security forces imposed a curfew on Homs and Latakia until Friday morning.")
    pub = dt.datetime(2025, 3, 7, 9, tzinfo=UTC)
    dates = [D("Friday", dt.date(2025, 3, 7)), D("Thursday evening", dt.date(2025, 3, 6)),
             D("Friday morning", dt.date(2025, 3, 7))]
    dates[2] = D("Friday morning", dt.date(2025, 3, 7), "end")
    places = [P("Latakia", "Asia/Damascus"), P("Homs", "Asia/Damascus")]
    found = notices(nlp, Case(text, pub, dates, places))
    friday, thursday = dt.date(2025, 3, 7), dt.date(2025, 3, 6)
    assert [(n.start, n.end) for n in found] == [(friday, None), (thursday, friday)]


# --- scoring -------------------------------------------------------------------------------------------------
def test_score_notices_on_a_small_file(tmp_path: Path) -> None:
    from tocsin.eval.notices import score_notices

    rows = [
        {"id": "a", "published": "2026-01-08", "text": "The army imposed a curfew on Afrin and Jinderes.",
         "gold_notices": [{"kind": "curfew", "areas": ["Afrin", "Azaz"], "start": None, "end": None,
                           "recurring": None, "issuer": "the army", "evidence": "The army imposed a curfew."}]},
        {"id": "b", "published": "2026-01-08", "text": "A missile hit a house in Kharkiv.", "gold_notices": []},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = score_notices(path, components=("tocsin_notices",))
    assert (result["kind_precision"], result["kind_recall"]) == (1.0, 1.0)
    assert result["area_match"] == 0.5
    assert result["issuer_match"] == 1.0
    assert result["negatives_clean"] == 1.0


# --- context from neighbouring sentences ---------------------------------------------------------------------
def test_leaflets_take_issuer_and_day_from_the_drop(nlp: Language) -> None:
    text = ("Government warplanes on Monday dropped leaflets over the town of Zabid. "
            "The leaflets urged residents to keep away from militia positions.")
    pub = dt.datetime(2018, 10, 1, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("Monday", dt.date(2018, 10, 1))], [P("Zabid", "Asia/Aden")]))
    assert notice.kind == "strike_warning"
    assert notice.issuer == "Government warplanes"
    assert notice.start == dt.date(2018, 10, 1)
    assert [a.name for a in notice.areas] == ["Zabid"]  # from the previous sentence: this one names none


@pytest.mark.parametrize(
    ("verb", "read_as", "start"),
    [
        # past tense: "late Thursday" is the Thursday before the Friday report
        ("issued", dt.date(2024, 10, 10), dt.date(2024, 10, 3)),
        # future: the coming Thursday stays
        ("will issue", dt.date(2024, 10, 10), dt.date(2024, 10, 10)),
        # future, read as past by tocsin_dates: moved to the coming Thursday
        ("will issue", dt.date(2024, 10, 3), dt.date(2024, 10, 10)),
        # past, read as past: stays
        ("issued", dt.date(2024, 10, 3), dt.date(2024, 10, 3)),
    ],
)
def test_weekday_follows_the_tense(nlp: Language, verb: str, read_as: dt.date, start: dt.date) -> None:
    text = f"The army {verb} evacuation orders late Thursday to residents of Tyre ahead of planned strikes."
    pub = dt.datetime(2024, 10, 4, 9, tzinfo=UTC)  # a Friday
    dates = [D("late Thursday", read_as, relative=True)]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Tyre", "Asia/Beirut")]))
    assert notice.kind == "strike_warning"
    assert notice.start == start


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The army gave the militia's fighters until Friday to leave the town of Kadugli.", "deadline"),
        ("The governor imposed a curfew on Kadugli until Friday.", "curfew"),
    ],
)
def test_a_day_given_as_the_end_is_not_moved_before_the_report(nlp: Language, text: str, kind: str) -> None:
    # "gave ... until Friday": the past tense is the giving's; the end lies after it, not the Friday before
    pub = dt.datetime(2026, 3, 4, 9, tzinfo=UTC)  # a Wednesday
    dates = [D("Friday", dt.date(2026, 3, 6), role="end", relative=True)]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kadugli", "Africa/Khartoum")]))
    assert notice.kind == kind
    assert notice.end == dt.date(2026, 3, 6)


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # the attack that caused the curfew happened elsewhere: its place is not the curfew's
        ("The junta imposed a night curfew on the town of Kayes after gunmen attacked a convoy near Kita.",
         ["Kayes"]),
        ("The governor imposed a curfew on Kayes following clashes in Kita.", ["Kayes"]),
        # the cause's place is the only place: it is the curfew's
        ("The governor imposed a curfew after clashes in Kita.", ["Kita"]),
    ],
)
def test_the_place_of_a_notice_s_cause_is_not_its_area(nlp: Language, text: str, areas: list[str]) -> None:
    pub = dt.datetime(2026, 12, 1, 9, tzinfo=UTC)
    places = [P(name, "Africa/Bamako") for name in ("Kayes", "Kita") if name in text]
    (notice,) = notices(nlp, Case(text, pub, [], places))
    assert notice.kind == "curfew"
    assert [a.name for a in notice.areas] == areas


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        # dated years before the report
        ("In March 2022, the occupation authorities told civilians to leave Kherson within days.",
         [D("March 2022", dt.date(2022, 3, 1))]),
        # a year alone, which tocsin_dates does not read: on the order's own words
        ("Thousands gathered on Thursday to mark the anniversary of the atomic bombing, recalling how survivors "
         "were told to leave the burning city in 1945.",
         [D("Thursday", dt.date(2026, 10, 1), relative=True)]),
        # the order inside "N years after"
        ("Three years after the army ordered the evacuation of Kherson, residents live under shelling.", []),
    ],
)
def test_a_notice_told_as_history_is_none(nlp: Language, text: str, dates: list[D]) -> None:
    pub = dt.datetime(2026, 10, 2, 9, tzinfo=UTC)
    places = [P("Kherson", "Europe/Kyiv")] if "Kherson" in text else []
    assert notices(nlp, Case(text, pub, dates, places)) == []


def test_an_order_dated_near_the_report_is_no_history(nlp: Language) -> None:
    text = "On September 20, the army ordered residents to leave Kherson, three years after the first evacuation."
    pub = dt.datetime(2026, 10, 2, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("September 20", dt.date(2026, 9, 20))], [P("Kherson", "Europe/Kyiv")]))
    assert notice.kind == "evacuation_order"


def test_an_order_coordinated_with_a_passive_takes_the_speaker_and_its_own_places(nlp: Language) -> None:
    # "urged" is coordinated with "would be carried out by buses": the buses are no issuer, nor their town an area
    text = ("Vadym Filashkin said the evacuation would be carried out by buses from Sloviansk and urged all "
            "residents of the Druzhkivka community to leave.")
    pub = dt.datetime(2026, 8, 22, 9, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [], [P("Sloviansk", "Europe/Kyiv"), P("Druzhkivka", "Europe/Kyiv")]))
    assert notice.kind == "evacuation_order"
    assert notice.issuer == "Vadym Filashkin"
    assert [a.name for a in notice.areas] == ["Druzhkivka"]


def test_a_clock_time_s_weekday_follows_its_own_verb_not_the_reporting_one(nlp: Language) -> None:
    # the parser hangs "Moscow time on Wednesday" on "said": the opening is still to come
    text = ("The Russian defence ministry said a humanitarian corridor would open at 10 a.m. Moscow time on "
            "Wednesday to allow civilians to leave Pokrovsk.")
    pub = dt.datetime(2026, 2, 10, 8, tzinfo=UTC)  # a Tuesday
    dates = [D("10 a.m. Moscow time on Wednesday", dt.datetime(2026, 2, 4, 7, 0, tzinfo=UTC), relative=True)]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Pokrovsk", "Europe/Kyiv")]))
    assert notice.kind == "safe_corridor"
    assert notice.start == dt.datetime(2026, 2, 11, 7, 0, tzinfo=UTC)


def test_the_road_an_evacuation_takes_is_not_its_area(nlp: Language) -> None:
    text = "The army ordered residents of Shujaiya to evacuate immediately to the south via Salah al-Din Street."
    pub = dt.datetime(2026, 10, 14, 6, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [], [P("Shujaiya", "Asia/Gaza"), P("Salah al-Din Street", "Asia/Gaza")]))
    assert notice.kind == "evacuation_order"
    assert [a.name for a in notice.areas] == ["Shujaiya"]


def test_an_order_after_while_is_its_subject_s_and_an_armed_group_is_no_area(nlp: Language) -> None:
    text = ("Officials in Goma urged residents to remain indoors as M23 fighters advanced on the city, while the "
            "army ordered civilians living near the airport to move to the city centre.")
    pub = dt.datetime(2026, 11, 20, 9, tzinfo=UTC)
    doc = make_doc(nlp, Case(text, pub, [], [P("Goma", "Africa/Lubumbashi"), P("M23")]), run=False)
    start = text.index("M23")
    doc._.actors = [ActorMention("M23: March 23 Movement", 2, start, start + 3, "M23")]
    (notice,) = nlp(doc)._.notices
    assert notice.kind == "evacuation_order"
    assert notice.issuer == "the army"  # "while" marks no condition: the army ordered it
    assert "M23" not in [a.name for a in notice.areas]


def test_the_places_a_curfew_applies_to_in_the_next_sentence(nlp: Language) -> None:
    text = ("The government declared a curfew in Port-au-Prince from 6 p.m. on Thursday. "
            "The curfew also applies to the communes of Delmas and Petion-Ville, the minister said.")
    pub = dt.datetime(2026, 4, 16, 11, tzinfo=UTC)
    zone = "America/Port-au-Prince"
    places = [P("Port-au-Prince", zone), P("Delmas", zone), P("Petion-Ville", zone)]
    (notice,) = notices(nlp, Case(text, pub, [D("6 p.m. on Thursday", dt.datetime(2026, 4, 16, 18, 0))], places))
    assert notice.kind == "curfew"
    assert [a.name for a in notice.areas] == ["Port-au-Prince", "Delmas", "Petion-Ville"]
    assert notice.start == dt.datetime(2026, 4, 16, 22, 0, tzinfo=UTC)


def test_earlier_this_week_is_another_notice(nlp: Language) -> None:
    text = ("The military issued warnings early Saturday to residents of Beirut to leave ahead of strikes. "
            "Earlier this week, the military sent messages to Beirut radio stations, warning of coming attacks.")
    pub = dt.datetime(2024, 9, 28, 9, tzinfo=UTC)
    dates = [D("early Saturday", dt.date(2024, 9, 28)), D("Earlier this week", dt.date(2024, 9, 23))]
    case = Case(text, pub, dates, [P("Beirut", "Asia/Beirut")])
    doc = make_doc(nlp, case)
    doc._.dates[1].precision = 2
    doc._.dates[1].relative = True
    doc = nlp(doc)
    assert [(n.kind, n.start) for n in doc._.notices] == [
        ("strike_warning", dt.date(2024, 9, 28)),
        ("strike_warning", None),
    ]


def test_warning_to_evacuate_without_strikes_is_an_evacuation_order(nlp: Language) -> None:
    text = "The spokesman warned residents of Gaza City to evacuate immediately."
    (notice,) = notices(nlp, Case(text, JAN_8, [], [P("Gaza City", "Asia/Gaza")]))
    assert notice.kind == "evacuation_order"


# --- robustness ----------------------------------------------------------------------------------------------
def test_without_publication_time(nlp: Language) -> None:
    doc = nlp.make_doc("The army imposed a curfew on Afrin from 3 p.m. on Thursday.")
    (notice,) = nlp(doc)._.notices  # no doc._.published: relative days cannot be placed
    assert notice.kind == "curfew"
    assert notice.start is None
    assert [a.reason for a in notice.areas] == ["not resolved: no place resolver ran"]


def test_a_bad_document_is_reported_not_fatal(nlp: Language, caplog: pytest.LogCaptureFixture) -> None:
    doc = nlp.make_doc("The army imposed a curfew on Afrin.")
    doc._.dates = [object()]  # not a DateMention: the stage cannot read it
    doc._.report_id = "r1"
    assert nlp(doc)._.notices == []
    assert "r1" in caplog.text


def test_days_inside_time_mentions(nlp: Language) -> None:
    text = "Kyiv's military administration announced a curfew from 8 p.m. Saturday until 7 a.m. Monday."
    pub = dt.datetime(2022, 3, 4, 9, tzinfo=UTC)
    # tocsin_dates absorbs the day into the time's mention
    dates = [D("8 p.m. Saturday", dt.datetime(2022, 3, 5, 20, 0)), D("7 a.m. Monday", dt.datetime(2022, 3, 7, 7, 0))]
    (notice,) = notices(nlp, Case(text, pub, dates, [P("Kyiv", "Europe/Kyiv")]))
    assert notice.start == dt.datetime(2022, 3, 5, 18, 0, tzinfo=UTC)
    assert notice.end == dt.datetime(2022, 3, 7, 5, 0, tzinfo=UTC)
    assert notice.recurring is None  # one long curfew, not a nightly one


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a ceasefire to let civilians out is a corridor
        ("Russia announced a ceasefire to allow civilians to leave Mariupol.", "safe_corridor"),
        # a ceasefire in general is none of the five kinds
        ("The two sides agreed a ceasefire in Idlib.", None),
    ],
)
def test_ceasefire(nlp: Language, text: str, kind: str | None) -> None:
    assert [n.kind for n in notices(nlp, Case(text, JAN_8))] == ([kind] if kind else [])


def test_within_hours_ends_an_order(nlp: Language) -> None:
    text = "The IDF told residents of northern Gaza to move south within 24 hours."
    pub = dt.datetime(2023, 10, 13, 3, tzinfo=UTC)
    (notice,) = notices(nlp, Case(text, pub, [D("within 24 hours", dt.date(2023, 10, 14))], [P("Gaza", "Asia/Gaza")]))
    assert notice.kind == "evacuation_order"
    assert (notice.start, notice.end) == (None, dt.date(2023, 10, 14))


def test_a_longer_parsed_name_replaces_a_cut_toponym(nlp: Language) -> None:
    text = "Putin ordered a daily humanitarian pause in Eastern Ghouta, near the Syrian capital Damascus."
    pub = dt.datetime(2018, 2, 26, 9, tzinfo=UTC)
    # a resolver that cut the name to "Eastern" (and placed it in Ghana)
    case = Case(text, pub, [], [P("Eastern", "Africa/Accra"), P("Damascus", "Asia/Damascus")])
    (notice,) = notices(nlp, case)
    assert [a.name for a in notice.areas][0] == "Eastern Ghouta"
    assert notice.areas[0].reason == "not resolved: missed by the resolver"


@pytest.mark.parametrize(
    ("sub_event_type", "in_notice", "kept"),
    [
        # the curfew's own sentence read as a strategic development: the notice is what it tells
        ("Change to group/activity", True, False),
        # a violent event told in the notice's sentence stays an event
        ("Armed clash", True, True),
        # a strategic development elsewhere in the report stays an event
        ("Change to group/activity", False, True),
    ],
)
def test_a_notice_sentence_read_as_a_strategic_development_is_no_event(
    sub_event_type: str, in_notice: bool, kept: bool
) -> None:
    from tocsin.model import Event, Span
    from tocsin.nlp.notices import events_besides

    text = "A curfew was imposed on Latakia on Friday. Security forces deployed in the city."
    where = text.index("imposed") if in_notice else text.index("deployed")
    event = Event(event_type="Strategic developments", sub_event_type=sub_event_type)
    event.evidence["sub_event_type"] = Span(where, where + 7, text[where : where + 7])
    notice = Notice(kind="curfew", evidence=Span(0, 43, text[:43]))
    assert (events_besides([event], [notice]) == [event]) is kept


# --- with the whole pipeline ------------------------------------------------------------------------------------
def _pipeline_notices(extractor, text: str) -> list[Notice]:  # type: ignore[no-untyped-def]
    from tocsin.model import Report

    published = dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)
    [extraction] = extractor.extract_reports([Report(id="r1", text=text, published=published)])
    return extraction.notices


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a side of a country: named as written, without a point (a circle at the centre would warn the wrong people)
        ("The military ordered residents of 20 villages in southern Lebanon to move north.", "southern Lebanon"),
        # a region named whole
        ("The governor imposed a curfew on Idlib province from 6 p.m.", "Idlib"),
    ],
)
def test_a_region_or_a_side_of_it_is_an_area_without_a_point(extractor, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    [area] = _pipeline_notices(extractor, text)[0].areas
    assert area.name == name and area.geonames_id is not None
    assert area.latitude is None and area.reason is not None and "draw" in area.reason


def test_a_town_keeps_its_point(extractor) -> None:  # type: ignore[no-untyped-def]
    [area] = _pipeline_notices(extractor, "The army told residents of Tyre to evacuate immediately.")[0].areas
    assert area.name == "Tyre" and area.latitude is not None and area.reason is None


def test_it_stands_for_the_issuer_of_the_notice_before(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The army told residents of Tyre to evacuate immediately. "
            "It said the curfew in Sidon would run from 8 p.m. to 6 a.m.")
    evacuation, curfew = _pipeline_notices(extractor, text)
    assert evacuation.issuer == "The army" and curfew.kind == "curfew" and curfew.issuer == "The army"


@pytest.mark.parametrize(
    ("text", "kind", "leave"),
    [
        # an order to leave ahead of strikes: a strike warning that tells people to leave
        ("The army ordered residents of Khiam to evacuate, saying it would strike Hezbollah sites.",
         "strike_warning", True),
        # a warning of strikes without an order to leave
        ("The army warned residents of Dahiyeh that it will strike Hezbollah sites.", "strike_warning", False),
        # an evacuation order always tells people to leave
        ("The military ordered residents of Khan Yunis to evacuate immediately.", "evacuation_order", True),
        # a warning whose words tell people to leave ahead of strikes
        ("The army on Tuesday warned residents of the marked buildings in Haret Hreik to evacuate, saying it "
         "would strike Hezbollah facilities there.", "strike_warning", True),
        ("The army warned residents of Haret Hreik not to leave their shelters during the strikes.",
         "strike_warning", False),
        # "to evacuate" hung on the participle describing the buildings
        ("The Israeli army on Tuesday warned residents of the buildings marked on the attached map in the Haret "
         "Hreik and Burj al-Barajneh areas of Beirut's southern suburbs to evacuate, saying it would strike "
         "Hezbollah facilities there.", "strike_warning", True),
    ],
)
def test_a_notice_says_whether_people_must_leave(extractor, text: str, kind: str, leave: bool) -> None:  # type: ignore[no-untyped-def]
    [notice] = _pipeline_notices(extractor, text)
    assert notice.kind == kind and notice.leave is leave


def test_an_order_to_residents_of_a_place_tagged_as_a_person_is_a_notice(extractor) -> None:  # type: ignore[no-untyped-def]
    # the tagger reads "Sheikh Maqsoud" as a person and hangs "to evacuate" on "residents"
    text = "The Syrian army ordered residents of Sheikh Maqsoud to evacuate, saying it would strike military positions."
    [notice] = _pipeline_notices(extractor, text)
    assert notice.kind == "strike_warning" and notice.leave and [a.name for a in notice.areas] == ["Sheikh Maqsoud"]


@pytest.mark.parametrize(
    "text",
    [
        "Police told the people of Sheikh Maqsoud to leave the protest.",  # a gathering is no area to evacuate
        "The party asked the minister to leave his post.",  # nor an office
    ],
)
def test_leaving_a_gathering_or_an_office_is_no_notice(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _pipeline_notices(extractor, text) == []


def test_a_deadline_clause_and_an_order_clause_are_two_notices_over_the_listed_neighbourhoods(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The Syrian army on Thursday gave fighters of the Kurdish-led SDF until 3 p.m. to leave the Sheikh "
            "Maqsoud, Ashrafieh and Bani Zaid neighbourhoods of Aleppo, and ordered residents to evacuate, saying it "
            "would strike military positions there.")
    deadline, warning = _pipeline_notices(extractor, text)
    # the deadline's "until 3 p.m." belongs to its own clause, not to the order that follows it
    assert (deadline.kind, warning.kind) == ("deadline", "strike_warning") and warning.leave
    # names the tagger reads as persons or nationalities, listed before "neighbourhoods"; not the city holding them
    names = ["Sheikh Maqsoud", "Ashrafieh", "Bani Zaid"]
    assert [a.name for a in deadline.areas] == names and [a.name for a in warning.areas] == names


@pytest.mark.parametrize(
    "text",
    [
        # each place after its date, in a list after a colon
        "Under the deal the rebels must pull out of two districts on this timetable: by February 3 – Kolvar "
        "district, by February 17 – Tanjar district.",
        # each place before its date
        "The militia must withdraw its fighters from Kolvar by February 3 and from Tanjar by February 17, the "
        "ministry said.",
    ],
)
def test_a_schedule_of_deadlines_gives_one_notice_per_place_and_date(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    found = _pipeline_notices(extractor, text)
    assert [(n.kind, [a.name for a in n.areas][:1], n.end) for n in found] == [
        ("deadline", ["Kolvar"], dt.date(2026, 2, 3)),
        ("deadline", ["Tanjar"], dt.date(2026, 2, 17)),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # what people did by a time is no deadline, alone or as a schedule
        "Protesters left the square in Kolvar by 5 p.m. on Monday.",
        "The militia withdrew its fighters from Kolvar by February 3 and from Tanjar by February 17.",
    ],
)
def test_leaving_told_in_the_past_is_no_deadline(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _pipeline_notices(extractor, text) == []


def test_a_schedule_cited_with_according_to_is_no_issuer(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("The troops must leave the two towns according to the following schedule: by February 3 – Kolvar, "
            "by February 17 – Tanjar.")
    assert [n.issuer for n in _pipeline_notices(extractor, text)] == [None, None]


def test_a_listed_name_with_a_lower_case_arabic_article_is_an_area(nlp: Language) -> None:
    text = ("The army called on residents of several villages in the south to evacuate their homes immediately. "
            "The villages include Kolvar, al-Tanjar and Sarin.")
    (notice,) = notices(nlp, Case(text, JAN_8))
    assert [a.name for a in notice.areas] == ["Kolvar", "al-Tanjar", "Sarin"]
