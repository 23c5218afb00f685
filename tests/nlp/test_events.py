"""tocsin_events: a report's events with evidence, reasons, claims and conservative counts.

The earlier stages' output (dates, counts, toponyms, triggers) is set by hand (eventkit.Setup);
actors and attributions come from the real tocsin_actors and tocsin_claims components.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language

from tocsin.model import Event, Toponym


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors", "tocsin_claims", "tocsin_events"))


def evidence(text: str, event: Event, name: str) -> str:
    span = event.evidence[name]
    assert span.text == text[span.start : span.end]
    return text[span.start : span.end]


SHELLING = "Shelling/artillery/missile attack"

MAIN = (
    "On 3 March, the Syrian army shelled the town of Kafr Nabl in Idlib, killing five civilians, according to "
    "local activists. State media said two soldiers and one civilian were killed."
)


def main_setup() -> Setup:
    return Setup(
        triggers=[("shelled", SHELLING, 0.8)],
        dates=[("3 March", dt.date(2025, 3, 3))],
        counts=[("five", "fatalities", 5), ("two", "fatalities", 2), ("one", "fatalities", 1)],
        toponyms=[place(MAIN, "Idlib", feature_code="ADM1", geo_precision=3), place(MAIN, "Kafr Nabl")],
    )


def test_fields_and_their_evidence(nlp: Language) -> None:
    [event] = run(nlp, MAIN, main_setup())._.events
    assert (event.event_type, event.sub_event_type) == ("Explosions/Remote violence", SHELLING)
    assert evidence(MAIN, event, "sub_event_type") == "shelled"
    assert (event.date, event.time_precision) == (dt.date(2025, 3, 3), 1)
    assert evidence(MAIN, event, "date") == "3 March"
    assert (event.actor1, event.inter1) == ("Military Forces of Syria (2024-)", 1)
    assert evidence(MAIN, event, "actor1") == "Syrian army"
    assert (event.actor2, event.inter2) == ("Civilians (Syria)", 7)
    assert evidence(MAIN, event, "actor2") == "civilians"
    # the town in the trigger's prepositional phrase beats the wider province
    assert (event.location.name, event.location.country, event.location.geo_precision) == ("Kafr Nabl", "Syria", 1)
    assert evidence(MAIN, event, "location") == "Kafr Nabl"
    assert event.notes is not None and event.notes.startswith("On 3 March") and "State media" not in event.notes
    assert (event.confidence, event.report_id) == (0.8, "report-1")


def test_disagreeing_sources_are_kept_and_the_lowest_is_coded(nlp: Language) -> None:
    [event] = run(nlp, MAIN, main_setup())._.events
    claims = sorted((c.source, c.value, c.span.text) for c in event.claims if c.field == "fatalities")
    assert all(MAIN[c.span.start : c.span.end] == c.span.text for c in event.claims)
    # activists say 5; state media says 2 soldiers + 1 civilian = 3 (distinct victim groups are added)
    assert claims == [("State media", 3, "two soldiers and one"), ("local activists", 5, "five")]
    assert event.fatalities == 3
    assert evidence(MAIN, event, "fatalities") == "two soldiers and one"
    assert event.reasons["fatalities"] == "sources disagree; the lowest (State media) is coded"


def test_a_vague_figure_is_a_lower_bound_not_a_rival_of_a_number(nlp: Language) -> None:
    text = ("Thousands of families fled shelling in Afrin on Monday, residents said. "
            "The governorate said 16,000 people had been displaced.")
    setup = Setup(
        triggers=[("shelling", SHELLING, 0.8)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("Thousands", "displaced", 1000, True), ("16,000", "displaced", 16000)],
        toponyms=[place(text, "Afrin")],
    )
    [event] = run(nlp, text, setup)._.events
    assert sorted(c.value for c in event.claims if c.field == "displaced") == [1000, 16000]
    assert event.displaced == 16000
    assert event.reasons["displaced"] == "sources disagree; the lowest exact figure (The governorate) is coded"


def test_a_report_without_trigger_has_no_event(nlp: Language) -> None:
    text = "The foreign minister met his counterpart in Ankara to discuss trade."
    assert run(nlp, text, Setup(toponyms=[place(text, "Ankara", "TR")]))._.events == []


def test_an_event_told_only_by_a_party_stays_its_claim(nlp: Language) -> None:
    text = "The YPG said it destroyed two tanks near Kobani."
    [event] = run(nlp, text, Setup(triggers=[("destroyed", "Armed clash", 0.6)]))._.events
    assert event.reasons["sub_event_type"] == "claimed by The YPG"
    [claim] = event.claims
    assert (claim.source, claim.field, claim.value) == ("The YPG", "sub_event_type", "Armed clash")
    assert text[claim.span.start : claim.span.end] == "destroyed"
    # the speaker is the agent of its own claim ("it")
    assert event.actor1 == "YPG: People's Protection Units"
    assert evidence(text, event, "actor1") == "YPG"


def test_sourcing_by_a_non_party_is_not_a_claim(nlp: Language) -> None:
    [event] = run(nlp, MAIN, main_setup())._.events
    assert "sub_event_type" not in event.reasons
    assert all(c.field != "sub_event_type" for c in event.claims)


@pytest.mark.parametrize(
    ("text", "counts", "expected"),
    [
        # distinct victim groups in one clause are added
        ("Gunmen killed two soldiers and three civilians in Djibo.", [("two", 2), ("three", 3)], 5),
        # a subset ("including") is not added
        ("Gunmen killed five people, including two children, in Djibo.", [("five", 5), ("two", 2)], 5),
        # a later, higher toll from the same source replaces the first
        ("Gunmen killed four people in Djibo. The toll later rose to seven.", [("four", 4), ("seven", 7)], 7),
    ],
)
def test_fatality_counts(nlp: Language, text: str, counts: list[tuple[str, int]], expected: int) -> None:
    setup = Setup(
        triggers=[("killed", "Attack", 0.7)],
        counts=[(sub, "fatalities", value) for sub, value in counts],
        toponyms=[place(text, "Djibo", "BF")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.fatalities == expected
    assert [c.source for c in event.claims] == ["report"]


@pytest.mark.parametrize(
    ("text", "fatalities", "said"),
    [
        # "no casualties" is a count of zero, with its evidence
        ("Militants attacked a checkpoint in Djibo; there were no casualties.", 0, "no casualties"),
        # no count at all: empty with a reason
        ("Militants attacked a checkpoint in Djibo.", None, None),
    ],
)
def test_zero_and_missing_fatalities(nlp: Language, text: str, fatalities: int | None, said: str | None) -> None:
    setup = Setup(triggers=[("attacked", "Armed clash", 0.7)], toponyms=[place(text, "Djibo", "BF")])
    [event] = run(nlp, text, setup)._.events
    assert event.fatalities == fatalities
    if said is None:
        assert event.reasons["fatalities"] == "no fatalities count in the event's sentences"
        assert "fatalities" not in event.evidence
    else:
        assert evidence(text, event, "fatalities") == said


def test_displaced_counts(nlp: Language) -> None:
    text = "Clashes between the army and JNIM in Djibo forced 3,000 people to flee."
    setup = Setup(
        triggers=[("Clashes", "Armed clash", 0.9)],
        counts=[("3,000", "displaced", 3000)],
        toponyms=[place(text, "Djibo", "BF")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.displaced == 3000
    assert evidence(text, event, "displaced") == "3,000"
    # "clashes between X and Y": the first is actor1, the second actor2
    assert event.actor1 == "Military Forces of Burkina Faso (2022-)"
    assert event.actor2 == "JNIM: Group for Support of Islam and Muslims"


@pytest.mark.parametrize(
    ("setup_dates", "published", "date", "reason"),
    [
        # no date in the trigger sentence: the nearest earlier one
        ([("On Monday", dt.date(2025, 3, 3))], None, dt.date(2025, 3, 3), "nearest earlier date in the report"),
        # no date at all: the publication date, said so
        ([], dt.datetime(2025, 3, 2, 9, tzinfo=dt.UTC), dt.date(2025, 3, 2), "publication date: no date in text"),
        # neither
        ([], None, None, "no date in text and no publication date"),
    ],
)
def test_date_fallbacks(
    nlp: Language,
    setup_dates: list[tuple[str, dt.date]],
    published: dt.datetime | None,
    date: dt.date | None,
    reason: str,
) -> None:
    text = "On Monday the town was calm. Later, gunmen attacked a bus in Djibo."
    setup = Setup(
        triggers=[("attacked", "Attack", 0.7)],
        dates=setup_dates,
        toponyms=[place(text, "Djibo", "BF")],
        published=published,
    )
    [event] = run(nlp, text, setup)._.events
    assert (event.date, event.reasons["date"]) == (date, reason)


def test_adjacent_sentences_of_one_happening_merge(nlp: Language) -> None:
    text = ("Gunmen attacked a bus in Djibo on Monday. They fired on the passengers. "
            "Later, gunmen attacked Arbinda, killing two.")
    setup = Setup(
        triggers=[("attacked", "Attack", 0.7), ("fired", "Attack", 0.6), ("attacked Arbinda", "Attack", 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("two", "fatalities", 2)],
        toponyms=[place(text, "Djibo", "BF"), place(text, "Arbinda", "BF")],
    )
    events = run(nlp, text, setup)._.events
    assert len(events) == 2
    merged = next(e for e in events if e.location.name == "Djibo")
    assert merged.notes == "Gunmen attacked a bus in Djibo on Monday. They fired on the passengers."
    # the sentence naming a new place (with a toll of its own) is an event of its own
    arbinda = next(e for e in events if e.location.name == "Arbinda")
    assert arbinda.notes == "Later, gunmen attacked Arbinda, killing two."


IED = "Remote explosive/landmine/IED"
BOMB = (
    "A roadside bomb struck an army vehicle near Afgoye on Wednesday, killing three soldiers. "
    "The device was detonated as the convoy passed the village of Lafoole. "
    "Al-Shabaab said its fighters had carried out the attack. "
    "The group frequently attacks convoys on the roads around the capital."
)


def _bomb_setup(lafoole: dict[str, float] | None = None, attack: str = "carried out the attack") -> Setup:
    toponyms = [place(BOMB, "Afgoye", "SO", latitude=2.14, longitude=45.12)]
    if lafoole is not None:
        toponyms.append(place(BOMB, "Lafoole", "SO", **lafoole))
    return Setup(
        triggers=[("roadside bomb", IED, 0.9), ("detonated", IED, 0.8), (attack, "Armed clash", 0.5),
                  ("frequently attacks", "Attack", 0.6)],
        dates=[("on Wednesday", dt.date(2025, 3, 5))],
        counts=[("three", "fatalities", 3)],
        toponyms=toponyms,
    )


@pytest.mark.parametrize(
    "lafoole",
    [
        None,  # the village is not in the gazetteer
        {"latitude": 2.10, "longitude": 45.20},  # the village is placed, 10 km from Afgoye
    ],
)
def test_later_sentences_naming_the_event_are_the_same_event(nlp: Language, lafoole: dict[str, float] | None) -> None:
    [event] = run(nlp, BOMB, _bomb_setup(lafoole))._.events
    assert event.sub_event_type == IED  # the first telling's sub-type, not the claim sentence's
    assert event.fatalities == 3
    assert "carried out the attack" in event.notes and "Lafoole" in event.notes
    assert "frequently" not in event.notes  # what the group usually does is no event


def test_a_definite_event_noun_far_away_is_another_event(nlp: Language) -> None:
    far = {"latitude": 4.74, "longitude": 45.20}  # 290 km north: a place of its own
    [event] = run(nlp, BOMB, _bomb_setup(far))._.events
    # not joined; and with neither a day nor a toll of its own, no second event of the same type either
    assert "Lafoole" not in (event.notes or "")
    anchored = BOMB.replace("passed the village of Lafoole", "passed the village of Lafoole, killing two")
    setup = _bomb_setup(far)
    setup.counts.append(("two", "fatalities", 2))
    events = run(nlp, anchored, setup)._.events
    assert len(events) == 2 and any("Lafoole" in (e.notes or "") and e.fatalities == 2 for e in events)


def test_the_second_attack_is_another_event(nlp: Language) -> None:
    text = BOMB.replace("carried out the attack", "carried out the second attack")
    events = run(nlp, text, _bomb_setup(None, attack="carried out the second attack"))._.events
    assert len(events) == 2 and {e.sub_event_type for e in events} == {IED, "Armed clash"}


STRIKE = "Air/drone strike"
LEDE = (
    "YANGON, Jan 7 (Wire) - A military air strike on a village in Myanmar's Sagaing region killed nine people "
    "on Wednesday, residents said. A fighter jet dropped two bombs on the village near the town of Depayin "
    "shortly after noon."
)


def _lede_setup(text: str) -> Setup:
    return Setup(
        triggers=[("air strike", STRIKE, 0.9), ("fighter jet", STRIKE, 0.9)],
        dates=[("on Wednesday", dt.date(2026, 1, 7)), ("noon", dt.datetime(2026, 1, 7, 12, 0))],
        counts=[("nine", "fatalities", 9)],
        toponyms=[place(text, "YANGON", "MM", latitude=16.8, longitude=96.2, place_name="Yangon"),
                  place(text, "Sagaing", "MM", latitude=24.5, longitude=95.3, feature_code="ADM1", geo_precision=3)],
    )


def test_an_elaborating_sentence_naming_an_unknown_village_is_the_same_event(nlp: Language) -> None:
    [event] = run(nlp, LEDE, _lede_setup(LEDE))._.events  # "the village", a clock time, Depayin unresolved
    assert (event.fatalities, event.location.name) == (9, "Sagaing")
    assert "Depayin" in event.notes


def test_the_dateline_is_where_the_reporter_files_not_the_event_place(nlp: Language) -> None:
    text = "YANGON, Jan 7 (Wire) - Fighting was reported on Wednesday, residents said. Sagaing was calm."
    setup = Setup(triggers=[("Fighting", "Armed clash", 0.8)], dates=[("on Wednesday", dt.date(2026, 1, 7))],
                  toponyms=[
                      place(text, "YANGON", "MM", latitude=16.8, longitude=96.2, place_name="Yangon"),
                      place(text, "Sagaing", "MM", latitude=24.5, longitude=95.3, feature_code="ADM1")])
    [event] = run(nlp, text, setup)._.events
    assert event.location.name == "Sagaing"  # the body's place, though the dateline comes first


def test_a_day_something_began_yields_to_the_dateline_and_the_lede_keeps_the_dateline_day(nlp: Language) -> None:
    text = ("ALEPPO, Jan 9 (Wire) - Thousands of families have fled the district since Thursday. "
            "The governorate said on Friday that more than 16,000 people had been displaced from the district.")
    setup = Setup(triggers=[("fled", "Other", 0.8), ("displaced", "Other", 0.8)],
                  dates=[("Jan 9", dt.date(2026, 1, 9)), ("since Thursday", dt.date(2026, 1, 8)),
                         ("on Friday", dt.date(2026, 1, 9))],
                  counts=[("Thousands", "displaced", 1000, True), ("16,000", "displaced", 16000)])
    [event] = run(nlp, text, setup)._.events  # one event: Friday is the lede's own (dateline) day
    assert (event.date, event.displaced) == (dt.date(2026, 1, 9), 16000)


def test_the_dateline_date_is_when_the_story_was_filed_not_the_event_day(nlp: Language) -> None:
    text = "QAMISHLI, Jan 8 - Government artillery hit Sheikh Maqsoud on Wednesday, killing two residents."
    setup = Setup(triggers=[("artillery", "Shelling/artillery/missile attack", 0.8)],
                  dates=[("Jan 8", dt.date(2026, 1, 8)), ("on Wednesday", dt.date(2026, 1, 7))])
    [event] = run(nlp, text, setup)._.events
    assert event.date == dt.date(2026, 1, 7)
    assert evidence(text, event, "date") == "on Wednesday"


@pytest.mark.parametrize(
    ("second", "events"),
    [
        # a part of the city just named, though the gazetteer put a namesake district 700 km away
        ("Shells hit a bus depot in the city's Dniprovskyi district.", 1),
        ("Shells hit a bus depot in the city's central Dniprovskyi district.", 1),
        ("Shells hit a bus depot in the Dniprovskyi district of the city.", 1),
        # a place of its own, far away, with a toll of its own: a second event
        ("Shells hit a bus depot in Dniprovskyi, killing one.", 2),
        # the same without a day or toll of its own: an episode of the report's event, not a second one
        ("Shells hit a bus depot in Dniprovskyi.", 1),
    ],
)
def test_a_part_of_the_place_just_named_is_no_other_place(nlp: Language, second: str, events: int) -> None:
    text = f"Russian forces shelled the city of Kherson on Saturday, killing two civilians. {second}"
    setup = Setup(
        triggers=[("shelled", SHELLING, 0.9), ("Shells", SHELLING, 0.9)],
        dates=[("on Saturday", dt.date(2026, 1, 10))],
        counts=[("two", "fatalities", 2)] + ([("one", "fatalities", 1)] if "killing one" in second else []),
        toponyms=[place(text, "Kherson", "UA", latitude=46.6, longitude=32.6),
                  place(text, "Dniprovskyi", "UA", latitude=50.45, longitude=30.6)],
    )
    assert len(run(nlp, text, setup)._.events) == events


@pytest.mark.parametrize(
    ("middle", "events"),
    [
        # the lede's event told again two sentences on, same place and day: one ACLED event
        ("Police then arrested the organisers at their office in Kampala", 1),
        # "a separate" happening stays apart
        ("Police then arrested the organisers in a separate raid in Kampala", 2),
    ],
)
def test_the_same_sub_type_later_in_the_report_is_the_same_event(nlp: Language, middle: str, events: int) -> None:
    text = (f"Ugandan police arrested 14 opposition supporters in Kampala on Monday. The party condemned the "
            f"police. {middle}.")
    setup = Setup(
        triggers=[("arrested 14", "Arrests", 0.8), ("condemned", "Change to group/activity", 0.5),
                  ("arrested the organisers", "Arrests", 0.8)],
        dates=[("on Monday", dt.date(2026, 1, 12))],
        toponyms=[place(text, "Kampala", "UG", latitude=0.3, longitude=32.6)],
    )
    assert len([e for e in run(nlp, text, setup)._.events if e.sub_event_type == "Arrests"]) == events


def test_a_sides_own_account_of_the_fight_is_its_claim_not_another_event(nlp: Language) -> None:
    text = (
        "Government forces and fighters of the Syrian Democratic Forces (SDF) clashed in Sheikh Maqsoud on "
        "Thursday. State media said five soldiers were killed. The SDF said in a statement that it had repelled "
        "an assault on Sheikh Maqsoud, inflicted heavy losses on government forces and killed 30 of their fighters."
    )
    setup = Setup(
        triggers=[("clashed", "Armed clash", 0.6), ("killed 30", "Attack", 0.4)],
        dates=[("on Thursday", dt.date(2026, 1, 8))],
        counts=[("five", "fatalities", 5), ("30", "fatalities", 30)],
        toponyms=[place(text, "Sheikh Maqsoud")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == "Armed clash"
    assert sorted((c.source, c.value) for c in event.claims if c.field == "fatalities") == [
        ("State media", 5), ("The SDF", 30)]
    assert event.fatalities == 5  # the lowest, the others kept beside it


@pytest.mark.parametrize(("second", "toll", "events"), [
    # another source's bare toll of the strike just told: its claim, beside the first
    ("The governor of North Darfur said 25 civilians had been killed and dozens wounded.", "been killed", 1),
    # a toll with an event of its own is that event
    ("The governor of North Darfur said 25 civilians had been killed in an artillery attack.", "been killed", 2),
    # and one with a perpetrator of its own
    ("The governor said gunmen had killed 25 civilians.", "had killed", 2),
])
def test_another_sources_bare_toll_is_a_claim_on_the_event_just_told(nlp: Language, second: str, toll: str,
                                                                      events: int) -> None:
    text = f"A drone strike on a market in El Fasher killed at least 18 people on Sunday, a committee said. {second}"
    setup = Setup(
        triggers=[("drone strike", "Air/drone strike", 0.8), (toll, "Attack", 0.6)],
        dates=[("on Sunday", dt.date(2025, 3, 2))],
        counts=[("18", "fatalities", 18), ("25", "fatalities", 25)],
        toponyms=[place(text, "El Fasher", "SD", latitude=13.6, longitude=25.35)],
    )
    found = run(nlp, text, setup)._.events
    assert len(found) == events
    if events == 1:
        assert sorted(c.value for c in found[0].claims if c.field == "fatalities") == [18, 25]
        assert found[0].fatalities == 18


def test_violence_given_as_the_reason_for_a_measure_is_its_own_event(nlp: Language) -> None:
    text = ("Authorities imposed a curfew in the Ouest department on Sunday after gangs attacked two prisons. At "
            "least 12 people were killed in the prison attacks, according to the UN.")
    setup = Setup(
        triggers=[("imposed a curfew", "Change to group/activity", 0.8), ("attacks", "Attack", 0.5)],
        dates=[("on Sunday", dt.date(2025, 3, 2))],
        counts=[("12", "fatalities", 12)],
        toponyms=[place(text, "Ouest", "HT", latitude=18.5, longitude=-72.3, feature_code="ADM1")],
    )
    attacks = [e for e in run(nlp, text, setup)._.events if e.sub_event_type == "Attack"]
    assert len(attacks) == 1 and attacks[0].fatalities == 12


@pytest.mark.parametrize(("second", "count", "expected"), [
    ("Two more died later in hospital, the army said.", "Two", 7),  # on top of the toll
    ("Another two soldiers died of their wounds, the army said.", "two", 7),
    ("Medics said two soldiers were killed.", "two", 2),  # a rival figure: the lowest is coded
])
def test_more_dead_are_added_to_the_toll(nlp: Language, second: str, count: str, expected: int) -> None:
    text = f"The army said five soldiers were killed in an ambush near Djibo on Monday. {second}"
    setup = Setup(
        triggers=[("ambush", "Armed clash", 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("five", "fatalities", 5), (count, "fatalities", 2)],
        toponyms=[place(text, "Djibo", "BF", latitude=14.1, longitude=-1.6)],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.fatalities == expected
    assert sorted(c.value for c in event.claims if c.field == "fatalities") == [2, 5]


def test_a_source_written_twice_is_one_source(nlp: Language) -> None:
    text = ("The army said five soldiers were killed in an ambush near Djibo on Monday. Later the army said seven "
            "soldiers had died.")
    setup = Setup(
        triggers=[("ambush", "Armed clash", 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("five", "fatalities", 5), ("seven", "fatalities", 7)],
        toponyms=[place(text, "Djibo", "BF", latitude=14.1, longitude=-1.6)],
    )
    [event] = run(nlp, text, setup)._.events
    assert [(c.source, c.value) for c in event.claims if c.field == "fatalities"] == [("The army", 7)]
    assert event.fatalities == 7  # its own later figure, not a rival's


def test_the_attackers_refer_back_to_the_attack(nlp: Language) -> None:
    text = "Gunmen killed 12 villagers in Kutum on Monday. The attackers burned dozens of homes."
    setup = Setup(
        triggers=[("killed", "Attack", 0.9), ("burned", "Looting/property destruction", 0.8)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("12", "fatalities", 12)],
        toponyms=[place(text, "Kutum", "SD", latitude=14.2, longitude=24.7)],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == "Attack" and event.fatalities == 12


def test_a_bare_toll_after_a_protest_is_the_protests_toll(nlp: Language) -> None:
    text = ("Police in Nairobi fired tear gas at thousands of protesters on Tuesday. At least two people were shot "
            "dead, Amnesty Kenya said.")
    setup = Setup(
        triggers=[("fired tear gas", "Protest with intervention", 0.9), ("shot dead", "Attack", 0.7)],
        dates=[("on Tuesday", dt.date(2025, 3, 4))],
        counts=[("two", "fatalities", 2)],
        toponyms=[place(text, "Nairobi", "KE", latitude=-1.28, longitude=36.8)],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == "Protest with intervention"
    assert event.fatalities == 2 and [c.source for c in event.claims if c.field == "fatalities"] == ["Amnesty Kenya"]


@pytest.mark.parametrize("speaker", ["The army", "The army-aligned governor of North Darfur"])
def test_an_armed_party_reporting_civilian_deaths_is_not_taken_for_their_killer(nlp: Language, speaker: str) -> None:
    text = f"{speaker} said 25 civilians had been killed in Tawila on Sunday."
    setup = Setup(
        triggers=[("killed", "Attack", 0.8)],
        dates=[("on Sunday", dt.date(2025, 3, 2))],
        counts=[("25", "fatalities", 25)],
        toponyms=[place(text, "Tawila", "SD", latitude=13.5, longitude=24.9)],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 is None or "Military" not in event.actor1
    assert event.actor2 is not None and event.actor2.startswith("Civilians")


@pytest.mark.parametrize(("second", "trigger", "sub_types"), [
    # the other side's reply: its own event
    ("Hezbollah said it fired rockets at an Israeli base in response.", "fired rockets",
     ["Air/drone strike", SHELLING]),
    # more of the same strike: no second event
    ("Israeli warplanes also struck houses in Houla.", "struck", ["Air/drone strike"]),
])
def test_the_other_sides_reply_is_its_own_event(nlp: Language, second: str, trigger: str,
                                                 sub_types: list[str]) -> None:
    text = f"Airstrikes hit several houses in Kfar Kila on Tuesday, killing three people. {second}"
    sub = SHELLING if "rockets" in trigger else "Air/drone strike"
    setup = Setup(
        triggers=[("Airstrikes", "Air/drone strike", 0.9), (trigger, sub, 0.9)],
        dates=[("on Tuesday", dt.date(2025, 3, 4))],
        counts=[("three", "fatalities", 3)],
        toponyms=[place(text, "Kfar Kila", "LB", latitude=33.3, longitude=35.6)],
    )
    assert [e.sub_event_type for e in run(nlp, text, setup)._.events] == sub_types


def test_a_bystanders_statement_of_another_attack_stays_another_event(nlp: Language) -> None:
    text = (
        "Government forces and SDF fighters clashed in Sheikh Maqsoud on Thursday. "
        "Local residents said gunmen killed 3 farmers in Sheikh Maqsoud."
    )
    setup = Setup(
        triggers=[("clashed", "Armed clash", 0.6), ("killed", "Attack", 0.8)],
        dates=[("on Thursday", dt.date(2026, 1, 8))],
        counts=[("3", "fatalities", 3)],
        toponyms=[place(text, "Sheikh Maqsoud")],
    )
    assert len(run(nlp, text, setup)._.events) == 2


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # done: an event
        ("Azerbaijani forces retook Lachin on Monday.", "retook", 1),
        # planned, threatened, conditional, denied: no event
        ("Azerbaijani forces will retake Lachin at the end of the month.", "retake", 0),
        ("Turkey is threatening to resume its operation in Syria.", "resume its operation", 0),
        ("The army would shell the town if the militants fail to withdraw.", "shell", 0),
        ("The army said it did not shell the town.", "shell", 0),
        # a whole sentence read as an event: what the speaker says will happen is no event
        ("The army said it would open a corridor from the town.",
         "The army said it would open a corridor from the town.", 0),
        ("The army said it opened a corridor from the town.", "The army said it opened a corridor from the town.", 1),
        # a negation elsewhere in the sentence leaves the event
        ("The attack on the town did not cause casualties, officials said.", "attack", 1),
    ],
)
def test_what_has_not_happened_is_no_event(nlp: Language, text: str, trigger: str, expected: int) -> None:
    setup = Setup(triggers=[(trigger, "Armed clash", 0.8)], dates=[], toponyms=[])
    assert len(run(nlp, text, setup)._.events) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a toll over a period is no one event
        ("Over the past week, 16 civilians were killed in the shelling.", 0),
        ("Tens of thousands of people have been killed in the war.", 0),
        # the same words beside a day are an event of that day
        ("On 3 March, 16 civilians were killed in the shelling, the deadliest day since 2011.", 1),
    ],
)
def test_a_toll_over_a_period_is_no_event(nlp: Language, text: str, expected: int) -> None:
    dates = [("3 March", dt.date(2025, 3, 3))] if "3 March" in text else []
    setup = Setup(triggers=[("killed", "Attack", 0.8)], dates=dates, toponyms=[])
    assert len(run(nlp, text, setup)._.events) == expected


def test_what_the_army_has_repeatedly_done_is_no_event(nlp: Language) -> None:
    text = "The army has repeatedly shelled the villages of the valley."
    assert run(nlp, text, Setup(triggers=[("shelled", SHELLING, 0.9)]))._.events == []


def test_an_old_side_event_is_background_but_an_old_main_event_stays(nlp: Language) -> None:
    text = "Gunmen attacked a bus in Djibo on Monday. The battle for Arbinda began in June."
    setup = Setup(
        triggers=[("attacked", "Attack", 0.9), ("battle", "Armed clash", 0.8)],
        dates=[("on Monday", dt.date(2025, 3, 3)), ("in June", dt.date(2024, 6, 1))],
        toponyms=[place(text, "Djibo", "BF"), place(text, "Arbinda", "BF", latitude=13.0)],
        published=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
    )
    assert [e.sub_event_type for e in run(nlp, text, setup)._.events] == ["Attack"]
    alone = Setup(triggers=[("battle", "Armed clash", 0.8)], dates=setup.dates, toponyms=setup.toponyms,
                  published=setup.published)
    assert [e.sub_event_type for e in run(nlp, text, alone)._.events] == ["Armed clash"]


def test_a_namesake_outside_the_region_the_sentence_names_is_not_the_place(nlp: Language) -> None:
    text = "On 6 May, a landmine exploded in Sinjar area west of As-Saan in Hama countryside, killing a child."
    setup = Setup(
        triggers=[("exploded", IED, 0.9)],
        dates=[("6 May", dt.date(2020, 5, 6))],
        counts=[("a child", "fatalities", 1)],
        toponyms=[place(text, "Sinjar", admin1="Idlib"), place(text, "As-Saan", admin1="Hama"),
                  place(text, "Hama", feature_code="ADM1", admin1="Hama", geo_precision=3)],
    )
    [event] = run(nlp, text, setup)._.events
    assert (event.location.name, event.location.admin1) == ("As-Saan", "Hama")


def test_location_takes_the_gazetteer_name_and_the_evidence_the_words_written(nlp: Language) -> None:
    text = "KAFR NABL, Syria - The army shelled the town on Monday, killing two."
    setup = Setup(triggers=[("shelled", SHELLING, 0.8)], dates=[("on Monday", dt.date(2025, 3, 3))],
                  toponyms=[place(text, "KAFR NABL", place_name="Kafr Nabl")])
    [event] = run(nlp, text, setup)._.events
    assert event.location.name == "Kafr Nabl"
    assert evidence(text, event, "location") == "KAFR NABL"


WEAK = "The army shelled Kafr Nabl on Monday. A spokesman for the rebels declined to comment."


@pytest.mark.parametrize(
    ("triggers", "subtypes"),
    [
        # a weak side remark beside a strong event is no second event
        ([("shelled", SHELLING, 0.9), ("declined", "Change to group/activity", 0.2)], [SHELLING]),
        # the same remark as the report's only reading is kept: the classifier said it is an event
        ([("declined", "Change to group/activity", 0.2)], ["Change to group/activity"]),
        # two weak readings and nothing strong: the better one only
        ([("shelled", SHELLING, 0.25), ("declined", "Change to group/activity", 0.2)], [SHELLING]),
        # two strong readings are two events
        ([("shelled", SHELLING, 0.9), ("declined", "Change to group/activity", 0.6)],
         [SHELLING, "Change to group/activity"]),
    ],
)
def test_weak_triggers_beside_a_strong_one_are_no_events(
    nlp: Language, triggers: list[tuple[str, str, float]], subtypes: list[str]
) -> None:
    setup = Setup(triggers=triggers, dates=[("on Monday", dt.date(2025, 3, 3))], toponyms=[place(WEAK, "Kafr Nabl")])
    assert [e.sub_event_type for e in run(nlp, WEAK, setup)._.events] == subtypes


CODED = (
    "Rebels attacked the army near Kafr Nabl on Monday, killing several soldiers. "
    "Unknown number of fatalities coded as 10."
)


@pytest.mark.parametrize(
    ("score", "fatalities"),
    [
        (0.18, 10),  # a weak reading of the coder's count sentence: it is no event, the clash reads its count
        (0.9, None),  # a strong reading is an event of its own: the clash's context ends before it
    ],
)
def test_a_weak_reading_ends_no_earlier_events_context(nlp: Language, score: float, fatalities: int | None) -> None:
    setup = Setup(
        triggers=[("attacked", "Armed clash", 0.86), ("Unknown number of fatalities coded as 10.", "Attack", score)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("Unknown number of fatalities", "fatalities", 10, True)],
        toponyms=[place(CODED, "Kafr Nabl")],
    )
    clash = next(e for e in run(nlp, CODED, setup)._.events if e.sub_event_type == "Armed clash")
    assert clash.fatalities == fatalities


UNCUED = "The army shelled Kafr Nabl on Monday. A spokesman for the rebels declined to comment."
REMARK = "A spokesman for the rebels declined to comment."


@pytest.mark.parametrize(
    ("triggers", "subtypes"),
    [
        # a reading with no cue word (its span is the whole sentence) beside a cued event is context
        ([("shelled", SHELLING, 0.9), (REMARK, "Change to group/activity", 0.8)], [SHELLING]),
        # the same sentence with a cue word is a side event of its own
        ([("shelled", SHELLING, 0.9), ("declined", "Change to group/activity", 0.8)],
         [SHELLING, "Change to group/activity"]),
        # an uncued reading alone is an event when the classifier is confident of it
        ([(REMARK, "Change to group/activity", 0.7)], ["Change to group/activity"]),
        # an uncued, unsure reading alone is no event: a report with no event yields none
        ([(REMARK, "Change to group/activity", 0.3)], []),
        # an uncued, unsure reading does not displace a cued one as the report's event
        ([("shelled", SHELLING, 0.3), (REMARK, "Change to group/activity", 0.33)], [SHELLING]),
    ],
)
def test_readings_without_a_cue_word_need_confidence_and_are_never_side_events(
    nlp: Language, triggers: list[tuple[str, str, float]], subtypes: list[str]
) -> None:
    setup = Setup(triggers=triggers, dates=[("on Monday", dt.date(2025, 3, 3))], toponyms=[place(UNCUED, "Kafr Nabl")])
    assert [e.sub_event_type for e in run(nlp, UNCUED, setup)._.events] == subtypes


def test_readings_of_one_protest_are_one_event_of_its_most_severe_sub_type(nlp: Language) -> None:
    text = (
        "Hundreds of students protested in Kirkuk on Monday against the new tax. "
        "Officials said the budget was debated for hours. "
        "Police later fired tear gas to disperse the protesters in Kirkuk."
    )
    setup = Setup(
        triggers=[
            ("protested", "Peaceful protest", 0.9),
            ("disperse the protesters", "Protest with intervention", 0.8),
        ],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        toponyms=[place(text, "Kirkuk", "IQ")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == "Protest with intervention"
    assert evidence(text, event, "sub_event_type") == "disperse the protesters"


def test_passive_agent_is_actor1(nlp: Language) -> None:
    text = "Five villagers were killed by Boko Haram fighters in Gwoza."
    setup = Setup(
        triggers=[("killed", "Attack", 0.8)],
        counts=[("Five", "fatalities", 5)],
        toponyms=[place(text, "Gwoza", "NG")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 == "Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad"
    assert evidence(text, event, "actor1") == "Boko Haram fighters"
    assert (event.actor2, event.inter2) == ("Civilians (Nigeria)", 7)
    assert evidence(text, event, "actor2") == "villagers"


def test_protests_have_protesters_and_their_groups(nlp: Language) -> None:
    text = "Students marched in Kirkuk against the new government."
    setup = Setup(triggers=[("marched", "Peaceful protest", 0.8)], toponyms=[place(text, "Kirkuk", "IQ")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == ("Protesters (Iraq)", 6)
    assert event.reasons["actor1"].startswith("inferred")
    assert event.assoc_actor_1 == "Students (Iraq)"
    assert evidence(text, event, "assoc_actor_1") == "Students"


def test_violence_against_civilians_always_has_civilians(nlp: Language) -> None:
    text = "Gunmen shot dead a trader in Djibo."
    setup = Setup(triggers=[("shot dead", "Attack", 0.8)], toponyms=[place(text, "Djibo", "BF")])
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 == "Unidentified Armed Group (Burkina Faso)"
    assert (event.actor2, event.inter2) == ("Civilians (Burkina Faso)", 7)
    assert "actor2" not in event.evidence
    assert event.reasons["actor2"].startswith("inferred")


def test_hedged_actor_is_noted(nlp: Language) -> None:
    text = "Presumed JNIM or ISGS militants attacked a gendarmerie post in Djibo."
    setup = Setup(triggers=[("attacked", "Armed clash", 0.8)], toponyms=[place(text, "Djibo", "BF")])
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 == "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"
    assert event.reasons["actor1"] == "hedged: Presumed JNIM or ISGS militants"


def test_actor_names_follow_the_event_date(nlp: Language) -> None:
    text = "On 5 May 2019, the Syrian army shelled Kafr Nabl."
    setup = Setup(
        triggers=[("shelled", SHELLING, 0.8)],
        dates=[("5 May 2019", dt.date(2019, 5, 5))],
        toponyms=[place(text, "Kafr Nabl")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 == "Military Forces of Syria (2000-2024)"


@pytest.mark.parametrize(
    ("toponyms", "name", "reason"),
    [
        # no place in the event's sentence: the report's main place, which says it stands in for the event's own
        (lambda t: [place(t, "Kobani")], "Kobani", "report's main place: no resolved place in the event's sentences; "
                                                   "not the event's own place: precision 2"),
        # only an unresolved place: its name, with the resolver's reason
        (
            lambda t: [place(t, "Tel Zir", latitude=None, longitude=None, reason="not in the gazetteer")],
            "Tel Zir",
            "unresolved: not in the gazetteer",
        ),
        # no place at all
        (lambda t: [], None, "no place in text"),
    ],
)
def test_location_fallbacks(
    nlp: Language, toponyms: Callable[[str], list[Toponym]], name: str | None, reason: str
) -> None:
    text = "Fighting raged around Tel Zir. The town of Kobani was calm."
    [event] = run(nlp, text, Setup(triggers=[("Fighting", "Armed clash", 0.8)], toponyms=toponyms(text)))._.events
    assert (event.location.name, event.reasons["location"]) == (name, reason)
    if name == "Kobani":
        assert event.location.geo_precision == 2  # the town itself is precision 1: this event's place is not known


@pytest.mark.parametrize(
    ("text", "precision", "reason"),
    [
        # a toll spread over a region is no one place: the place read stays, its precision says so
        ("Russian attacks across the Kharkiv region killed 7 people on Friday.", 3,
         "spread over many places ('across the Kharkiv region'): precision 3"),
        ("Russian shelling killed 12 people in several districts of Kharkiv on Friday.", 3,
         "spread over many places ('in several districts'): precision 3"),
        # one place
        ("Russian shelling killed 12 people in Kharkiv on Friday.", 1, None),
    ],
)
def test_a_toll_spread_over_many_places_is_no_one_place(nlp: Language, text: str, precision: int,
                                                         reason: str | None) -> None:
    trigger = "attacks" if "attacks" in text else "shelling"
    setup = Setup(triggers=[(trigger, SHELLING, 0.8)], toponyms=[place(text, "Kharkiv", "UA")])
    [event] = run(nlp, text, setup)._.events
    assert (event.location.name, event.location.geo_precision) == ("Kharkiv", precision)
    assert event.reasons.get("location") == reason


def test_main_event_first(nlp: Language) -> None:
    text = "Protesters gathered in Kirkuk. An air strike killed six people in Hawija."
    setup = Setup(
        triggers=[("gathered", "Peaceful protest", 0.9), ("air strike", "Air/drone strike", 0.7)],
        counts=[("six", "fatalities", 6)],
        toponyms=[place(text, "Kirkuk", "IQ"), place(text, "Hawija", "IQ")],
    )
    events = run(nlp, text, setup)._.events
    # score x (1 + has fatalities + has place): 0.7 x 3 = 2.1 beats the protest's 0.9 x 2 = 1.8
    assert [e.sub_event_type for e in events] == ["Air/drone strike", "Peaceful protest"]


@pytest.mark.parametrize(
    ("text", "trigger", "actor1", "actor2"),
    [
        # a nominal event with its agent as modifier
        (
            "A Saudi-led coalition airstrike was reported on Houthi positions in Sanaa.",
            "airstrike",
            "Operation Restoring Hope",
            "Military Forces of Yemen (2017-) Houthi",
        ),
        # "carried out by": the agent of the noun, not the object of the clause verb
        (
            "An airstrike carried out by Myanmar’s military killed villagers in Sagaing.",
            "airstrike",
            "Military Forces of Myanmar (2021-)",
            "Civilians (Myanmar)",
        ),
        # a victim group is never actor1: civilians are always actor2
        ("Civilians fled the shelling of Kafr Nabl in Idlib.", "shelling", None, "Civilians (Syria)"),
        # anti-X forces are not X
        (
            "Anti-Houthi National Resistance forces shelled farms in Hays.",
            "shelled",
            "National Resistance Forces",
            None,
        ),
    ],
)
def test_actor_roles(nlp: Language, text: str, trigger: str, actor1: str | None, actor2: str | None) -> None:
    toponyms = [place(text, "Idlib")] if "Idlib" in text else []
    setup = Setup(triggers=[(trigger, "Air/drone strike", 0.8)], toponyms=toponyms)
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.actor2) == (actor1, actor2)


def test_a_speaker_who_takes_no_part_does_not_make_a_claim(nlp: Language) -> None:
    text = "Lawyers said the army bombed the market in Omdurman."
    setup = Setup(triggers=[("bombed", "Air/drone strike", 0.8)], toponyms=[place(text, "Omdurman", "SD")])
    [event] = run(nlp, text, setup)._.events
    assert event.claims == []
    assert "sub_event_type" not in event.reasons
    assert event.actor1 == "Military Forces of Sudan (2019-)"


def test_location_prefers_a_place_below_country_level(nlp: Language) -> None:
    text = "Fighting spread in Syria on Monday. Residents of Kobani fled. Hamas condemned it."
    setup = Setup(
        triggers=[("Fighting", "Armed clash", 0.8)],
        toponyms=[
            place(text, "Syria", feature_code="PCLI", geo_precision=3),
            place(text, "Kobani"),
            place(text, "Hamas", "PS"),
        ],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.location.name == "Kobani"
    assert event.reasons["location"] == ("report's main place: the event's sentences name only a country; "
                                         "not the event's own place: precision 2")


def test_a_whole_sentence_trigger_inside_a_party_statement_is_a_claim(nlp: Language) -> None:
    text = "The SDF said its fighters repelled an attack by Turkish-backed factions near Ain Issa."
    [event] = run(nlp, text, Setup(triggers=[(text, "Armed clash", 0.7)]))._.events
    assert event.reasons["sub_event_type"] == "claimed by The SDF"
    assert [(c.source, c.field) for c in event.claims] == [("The SDF", "sub_event_type")]


def test_sources_counting_different_victims_are_added(nlp: Language) -> None:
    text = "The army said 12 militants were killed, while activists said 5 civilians died in the clashes near Idlib."
    setup = Setup(
        triggers=[("clashes", "Armed clash", 0.8)],
        counts=[("12", "fatalities", 12), ("5", "fatalities", 5)],
        toponyms=[place(text, "Idlib")],
    )
    [event] = run(nlp, text, setup)._.events
    assert sorted((c.source, c.value) for c in event.claims if c.field == "fatalities") == [
        ("The army", 12),
        ("activists", 5),
    ]
    assert event.fatalities == 17
    assert event.reasons["fatalities"] == "sources count different victims; their figures are added"
    # nobody else is named as the attacker: the armed party reporting it is actor1, and it is its claim
    assert event.actor1 == "Military Forces of Syria (2024-)"
    assert event.reasons["actor1"] == "no agent in the text; the armed party that reports it ('army')"


def test_a_protest_and_its_dispersal_are_one_event(nlp: Language) -> None:
    text = "Hundreds of students protested in Kirkuk on Sunday. Police fired tear gas to disperse them."
    setup = Setup(
        triggers=[("protested", "Peaceful protest", 0.8), ("tear gas", "Protest with intervention", 0.9)],
        dates=[("on Sunday", dt.date(2025, 3, 2))],
        toponyms=[place(text, "Kirkuk", "IQ")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == "Protest with intervention"
    assert evidence(text, event, "sub_event_type") == "tear gas"
    assert (event.actor1, event.assoc_actor_1) == ("Protesters (Iraq)", "Students (Iraq)")
    assert (event.actor2, event.inter2) == ("Police Forces of Iraq (2022-)", 1)
    assert event.notes == text


def test_conjoined_subjects_of_a_clash_are_the_two_sides(nlp: Language) -> None:
    text = "Syrian National Army and YPG forces clashed near Tal Tamr."
    [event] = run(
        nlp, text, Setup(triggers=[("clashed", "Armed clash", 0.8)], toponyms=[place(text, "Tal Tamr")])
    )._.events
    assert (event.actor1, event.actor2) == ("JWS: Syrian National Army", "YPG: People's Protection Units")


def test_a_peaceful_protest_has_no_second_actor(nlp: Language) -> None:
    text = "Teachers protested against the government in Ouagadougou."
    setup = Setup(triggers=[("protested", "Peaceful protest", 0.8)], toponyms=[place(text, "Ouagadougou", "BF")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.assoc_actor_1, event.actor2) == (
        "Protesters (Burkina Faso)",
        "Teachers (Burkina Faso)",
        None,
    )


def test_the_force_that_met_a_protest_is_its_second_actor(nlp: Language) -> None:
    text = "Hundreds of protesters rallied in Nairobi against the finance bill; police fired tear gas."
    setup = Setup(triggers=[("rallied", "Protest with intervention", 0.8)], toponyms=[place(text, "Nairobi", "KE")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == ("Protesters (Kenya)", 6)
    assert (event.actor2, event.inter2) == ("Police Forces of Kenya (2022-)", 1)


@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        # the town, not the province that contains it
        (
            "Armed men attacked a man in Fresnillo, Zacatecas.",
            lambda t: [place(t, "Fresnillo", "MX", admin1="Zacatecas"), place(t, "Zacatecas", "MX")],
            "Fresnillo",
        ),
        # the town, not its neighbourhood
        (
            "Gunmen killed two men in Sao Geraldo neighborhood of Trindade.",
            lambda t: [place(t, "Sao Geraldo", "BR"), place(t, "Trindade", "BR")],
            "Trindade",
        ),
        # a place of the report's country, not a namesake resolved abroad
        (
            "Burkinabe police exchanged gunfire with gunmen in Karpala, Ouagadougou.",
            lambda t: [place(t, "Karpala", "IT"), place(t, "Ouagadougou", "BF")],
            "Ouagadougou",
        ),
    ],
)
def test_location_choice(nlp: Language, text: str, places: Callable[[str], list[Toponym]], expected: str) -> None:
    [event] = run(nlp, text, Setup(triggers=[(text, "Armed clash", 0.8)], toponyms=places(text)))._.events
    assert event.location.name == expected


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the capital speaks for its government; the shelling happened in Kupiansk
        ("Moscow said its forces shelled Kupiansk on Tuesday, killing three civilians.", "Kupyansk"),
        # the capital launched the drones; they struck Belgorod
        ("Kyiv launched drones at an oil depot in Belgorod on Friday.", "Belgorod"),
        # a possessor's drones
        ("Ankara's drones struck Qamishli on Monday, killing three people.", "Al Qāmishlī"),
        # a place as the patient of the sentence is where it happened
        ("Aleppo was shelled on Friday, killing four civilians.", "Aleppo"),
    ],
)
def test_a_capital_standing_for_its_government_is_not_the_event_place(extractor, text: str, place: str) -> None:  # type: ignore[no-untyped-def]
    from tocsin.model import Report

    [extraction] = extractor.extract_reports([Report(id="r1", text=text)])
    assert extraction.events and extraction.events[0].location.name == place


def test_an_unnamed_perpetrator_is_an_unidentified_armed_group(nlp: Language) -> None:
    text = "A bomb exploded at a market in Djibo, killing three people."
    setup = Setup(triggers=[("bomb exploded", "Remote explosive/landmine/IED", 0.8)],
                  toponyms=[place(text, "Djibo", "BF")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == ("Unidentified Armed Group (Burkina Faso)", 3)
    assert "actor1" not in event.evidence  # a convention, not a span of the text
    assert event.reasons["actor1"].startswith("inferred: no perpetrator named")


def test_an_air_strike_without_a_named_air_force_keeps_actor1_empty(nlp: Language) -> None:
    text = "An air strike hit a market in Idlib."
    setup = Setup(triggers=[("air strike", "Air/drone strike", 0.8)], toponyms=[place(text, "Idlib", "SY")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == (None, None)
    assert event.reasons["actor1"] == "no actor named in the event's sentences"


def test_protesters_are_coded_when_the_report_names_no_country(nlp: Language) -> None:
    text = "Teachers staged a sit-in to demand their unpaid wages."
    setup = Setup(triggers=[("sit-in", "Peaceful protest", 0.8)])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == ("Protesters", 6)
    assert event.reasons["actor1"].endswith("the report names no country")


@pytest.mark.parametrize(("text", "trigger", "expected"), [
    # what keeps happening, given as the background of something else: no event
    ("Authorities ordered families to leave 10 villages, citing daily Russian shelling.", "shelling", 0),
    ("Thousands fled Sumy amid daily Russian shelling.", "shelling", 0),
    # the same words for one happening, or without "daily": an event
    ("Russian forces shelled Sumy on Monday amid daily attacks on the region.", "shelled", 1),
    ("Thousands fled Sumy amid heavy Russian shelling.", "shelling", 1),
])
def test_what_keeps_happening_given_as_background_is_no_event(nlp: Language, text: str, trigger: str,
                                                               expected: int) -> None:
    setup = Setup(triggers=[(trigger, SHELLING, 0.9)], dates=[], toponyms=[])
    assert len(run(nlp, text, setup)._.events) == expected


def test_a_protest_has_its_own_place_toll_and_crowd_not_its_grievances(nlp: Language) -> None:
    text = "Hundreds rallied in Konya on Friday to protest an airstrike that killed 12 soldiers in Idlib, Syria."
    setup = Setup(
        triggers=[("rallied", "Peaceful protest", 0.9)],
        dates=[("on Friday", dt.date(2025, 2, 28))],
        counts=[("12", "fatalities", 12)],
        # the report's other names point to Syria: the grievance's place still is not the protest's
        toponyms=[place(text, "Konya", "TR", country="Turkey"), place(text, "Idlib"),
                  place(text, "Syria", feature_code="PCLI", geo_precision=3)],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.location.name == "Konya"
    assert event.fatalities is None
    assert event.actor1 == "Protesters (Turkey)"


@pytest.mark.parametrize(
    ("text", "sub_type", "town", "border", "role", "expected"),
    [
        # Katiba Macina and the Mali border point to Mali; the police station is in Djibo, Burkina Faso
        ("Katiba Macina militants attacked a police station in Djibo, near the Mali border, on Monday.",
         "Armed clash", ("Djibo", "BF", "Burkina Faso"), ("Mali", "ML", "Mali"), 2,
         ("Police Forces of Burkina Faso (2022-)", 1)),
        ("Gunmen attacked a checkpoint in Tillaberi near the Burkina Faso border on Monday.",
         "Attack", ("Tillaberi", "NE", "Niger"), ("Burkina Faso", "BF", "Burkina Faso"), 1,
         ("Unidentified Armed Group (Niger)", 3)),
    ],
)
def test_forces_of_no_country_said_are_the_places_countrys(
    nlp: Language, text: str, sub_type: str, town: tuple[str, str, str], border: tuple[str, str, str], role: int,
    expected: tuple[str, int],
) -> None:
    setup = Setup(
        triggers=[("attacked", sub_type, 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        toponyms=[place(text, town[0], town[1], country=town[2]),
                  place(text, border[0], border[1], country=border[2], feature_code="PCLI", geo_precision=3)],
    )
    [event] = run(nlp, text, setup)._.events
    assert (getattr(event, f"actor{role}"), getattr(event, f"inter{role}")) == expected


def test_the_state_force_of_an_arrest_is_the_one_arresting(nlp: Language) -> None:
    text = "On Monday, 30 migrants were detained during an operation of the Coast Guard of the Turkish army in Bodrum."
    setup = Setup(
        triggers=[("detained", "Arrests", 0.9)],
        dates=[("On Monday", dt.date(2025, 3, 3))],
        toponyms=[place(text, "Bodrum", "TR", country="Turkey")],
    )
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.inter1) == ("Military Forces of Turkey (2016-)", 1)
    assert event.actor2 != event.actor1


@pytest.mark.parametrize(
    ("second", "actor1", "reason"),
    [
        # the claimant is the perpetrator, as ACLED codes it; not the army that reports the blast
        ("Al-Shabaab claimed responsibility.", "Al Shabaab", "claimed responsibility ('Al-Shabaab')"),
        # nobody claims it: an unidentified armed group
        ("Nobody has claimed the attack.", "Unidentified Armed Group (Somalia)",
         "inferred: no perpetrator named; ACLED codes an unknown one as an unidentified armed group"),
    ],
)
def test_who_claims_a_bomb_is_its_actor1(nlp: Language, second: str, actor1: str, reason: str) -> None:
    text = "A roadside bomb killed three soldiers in Afgoye on Sunday, the army said. " + second
    setup = Setup(triggers=[("roadside bomb", "Remote explosive/landmine/IED", 0.9)],
                  toponyms=[place(text, "Afgoye", "SO")])
    [event] = run(nlp, text, setup)._.events
    assert (event.actor1, event.reasons["actor1"]) == (actor1, reason)


def test_an_actor_in_what_a_protest_is_about_is_not_at_the_protest(nlp: Language) -> None:
    text = "Residents of Goma protested on Monday against the M23 advance, and police shot dead two protesters."
    setup = Setup(
        triggers=[("shot dead", "Excessive force against protesters", 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("two", "fatalities", 2)],
        toponyms=[place(text, "Goma", "CD", country="Democratic Republic of Congo")],
    )
    [event] = run(nlp, text, setup)._.events
    assert event.actor2 is not None and event.actor2.startswith("Police Forces of")
    assert event.fatalities == 2


@pytest.mark.parametrize(
    ("text", "actor1"),
    [
        # a state's forces reporting their own side's losses did not do it: an unidentified armed group
        ("A roadside bomb exploded in Afgoye on Sunday, killing three soldiers, police said.",
         "Unidentified Armed Group (Somalia)"),
        # reporting what was done to the other side: the armed party that reports it
        ("A roadside bomb exploded in Afgoye on Sunday, killing three al-Shabaab fighters, police said.",
         "Police Forces of Somalia (2022-)"),
    ],
)
def test_forces_reporting_their_own_losses_are_not_actor1(nlp: Language, text: str, actor1: str) -> None:
    setup = Setup(triggers=[("roadside bomb", "Remote explosive/landmine/IED", 0.9)],
                  toponyms=[place(text, "Afgoye", "SO")])
    [event] = run(nlp, text, setup)._.events
    assert event.actor1 == actor1
