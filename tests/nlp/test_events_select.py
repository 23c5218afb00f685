"""events_select: which sentence readings are events, and which of a news report's events it keeps.

Earlier stages' output is set by hand (eventkit.Setup); the parse, actors, attributions and events are real.
"""

from __future__ import annotations

import datetime as dt

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language

from tocsin.model import Toponym, Trigger
from tocsin.nlp.events_select import grievance_tokens, quoted_spans

STRIKE = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors", "tocsin_claims", "tocsin_events"))


@pytest.mark.parametrize(
    ("text", "trigger", "sub_type", "expected"),
    [
        # "be to" + infinitive: a plan
        ("Corridors are to be opened from the town, the army said on Monday.", "opened", "Agreement", 0),
        ("The next decisive battle is to surround the city with tanks.", "battle", "Armed clash", 0),
        # the same verbs told as done
        ("Corridors were opened from the town, the army said on Monday.", "opened", "Agreement", 1),
        # a demand of others: "urged ... to", "recommends that ..." (a whole sentence's reading)
        ("The prime minister urged the rebels to surrender within three days.", "surrender", "Agreement", 0),
        ("The command recommends that gatherings take place only indoors.",
         "The command recommends that gatherings take place only indoors.", "Peaceful protest", 0),
        # a directive verb without a clause it demands is no demand: "called the police" happened
        ("Medics called the police, who dispersed the crowd.",
         "Medics called the police, who dispersed the crowd.", "Protest with intervention", 1),
        # what was prevented or banned did not happen
        ("A curfew was imposed in the city to stop the people from protesting.", "protesting", "Peaceful protest", 0),
        ("The governor banned protests in the city.", "protests", "Peaceful protest", 0),
        # a blockade or a stop is no prevention of what the sentence tells
        ("Protesters blocked a road in the city to protest against the closure.", "protest", "Peaceful protest", 1),
        ("Militants stopped and looted a boat near the town.", "looted", "Looting/property destruction", 1),
        # what a speaker denies did not happen, by its account; what it does beside the denial did
        ("The SDF denied shelling civilian areas in Aleppo on Wednesday.", "shelling",
         "Shelling/artillery/missile attack", 0),
        ("The ministry rejected claims that police fired on protesters in Nairobi.", "fired",
         "Excessive force against protesters", 0),
        ("The army denied the rebels' claims and shelled the village on Monday.", "shelled",
         "Shelling/artillery/missile attack", 1),
        # the parser hangs the accusation before "denied" on it too: only what follows the verb is denied
        ("It blamed SDF fighters in nearby Sheikh Maqsoud for the shelling; the SDF denied firing on civilian areas.",
         "shelling", "Shelling/artillery/missile attack", 1),
        # a planned verb whose subject clause holds the event: "units and air strikes will not target civilians"
        ("The leaflets assured the population that advancing army units and air strikes will not target civilians.",
         "air strikes", STRIKE, 0),
    ],
)
def test_what_was_planned_demanded_or_prevented_is_no_event(
    nlp: Language, text: str, trigger: str, sub_type: str, expected: int
) -> None:
    setup = Setup(triggers=[(trigger, sub_type, 0.8)])
    assert len(run(nlp, text, setup)._.events) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # years of fighting, or a toll since a war began, is no one event
        ("The United States fought with the SDF for years to defeat the Islamic State.", 0),
        ("Since the war began, the militia has killed hundreds of civilians in the region.", 0),
        # people who fled over months are no one event
        ("Up to 500,000 people fled their homes in the province between June and August.", 0),
        # one fight
        ("The United States fought with the SDF near the dam.", 1),
    ],
)
def test_a_period_of_fighting_is_no_event(nlp: Language, text: str, expected: int) -> None:
    trigger = next(w for w in ("fought", "killed", "fled") if w in text)
    setup = Setup(triggers=[(trigger, "Armed clash", 0.8)])
    assert len(run(nlp, text, setup)._.events) == expected


LEDE = "Israeli jets struck the southern suburbs of Beirut on Friday, killing five people."


def _two_strikes(second: str, **extra: list) -> Setup:
    text = f"{LEDE} {second}"
    return Setup(
        triggers=[("struck", STRIKE, 0.9), ("bombed", STRIKE, 0.9)],
        dates=[("on Friday", dt.date(2025, 3, 7))] + extra.get("dates", []),
        counts=[("five", "fatalities", 5)] + extra.get("counts", []),
        toponyms=[place(text, "Beirut", "LB", latitude=33.89, longitude=35.50),
                  place(text, "Nabatieh", "LB", latitude=33.38, longitude=35.48)],
        published=dt.datetime(2025, 3, 8, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("second", "extra", "expected"),
    [
        # another strike on another place, with neither a day nor a toll of its own: an episode of the lede's
        ("Warplanes also bombed villages around Nabatieh.", {}, 1),
        # with its own toll: a second event
        ("Warplanes also bombed villages around Nabatieh, killing two.", {"counts": [("two", "fatalities", 2)]}, 2),
        # with its own day: a second event
        ("Warplanes bombed villages around Nabatieh on Thursday.",
         {"dates": [("on Thursday", dt.date(2025, 3, 6))]}, 2),
        # said by the writer to be another happening
        ("In a separate raid, warplanes bombed villages around Nabatieh.", {}, 2),
    ],
)
def test_a_second_event_of_the_main_events_type_needs_its_own_day_or_toll(
    nlp: Language, second: str, extra: dict, expected: int
) -> None:
    text = f"{LEDE} {second}"
    events = run(nlp, text, _two_strikes(second, **extra))._.events
    assert len(events) == expected
    assert events[0].location.name == "Beirut"


@pytest.mark.parametrize(
    ("second", "expected"),
    [
        # a witness quoted about what happened: testimony, not a second event
        ("\u201cThey were already throwing stones at cars when the jets came,\u201d a resident said.", 1),
        ('"They were already throwing stones at cars when the jets came," a resident said.', 1),
        # the same told in the reporter's words: an event of another type, kept
        ("Youths were throwing stones at cars in the city, residents said.", 2),
    ],
)
def test_a_side_event_only_in_a_quotation_is_testimony(nlp: Language, second: str, expected: int) -> None:
    text = f"{LEDE} {second}"
    setup = Setup(
        triggers=[("struck", STRIKE, 0.9), ("throwing stones", "Violent demonstration", 0.8)],
        dates=[("on Friday", dt.date(2025, 3, 7))],
        counts=[("five", "fatalities", 5)],
        toponyms=[place(text, "Beirut", "LB")],
        published=dt.datetime(2025, 3, 8, tzinfo=dt.UTC),
    )
    assert len(run(nlp, text, setup)._.events) == expected


def test_scare_quotes_are_no_quotation() -> None:
    text = 'Jets dropped "liberation" leaflets. "We will strike the town tonight," the army said.'
    assert [text[s:e] for s, e in quoted_spans(text)] == ['"We will strike the town tonight,"']


PROTEST = (
    "Thousands of people marched from Nugegoda towards Pengiri Road on Thursday. "
    "Later, police used tear gas to disperse the protesters gathered near Pengiri Road. "
    "The agitation turned violent, with some hurling stones at the police."
)


@pytest.mark.parametrize(
    ("violent", "sub_type"),
    [
        # words of violence make the protest a violent demonstration (its most severe reading)
        ("hurling stones", "Violent demonstration"),
        # the reading of a whole sentence alone does not: the police's intervention stays the most severe
        ("The agitation turned violent, with some hurling stones at the police.", "Protest with intervention"),
    ],
)
def test_readings_of_one_protest_join_across_a_place_named_before(
    nlp: Language, violent: str, sub_type: str
) -> None:
    later = PROTEST.index("Pengiri Road", PROTEST.index("Later"))
    setup = Setup(
        triggers=[("marched", "Peaceful protest", 0.9), ("disperse the protesters", "Protest with intervention", 0.9),
                  (violent, "Violent demonstration", 0.9)],
        dates=[("on Thursday", dt.date(2025, 3, 6))],
        # the resolver found "Pengiri Road" only in the second sentence, and could not place it
        toponyms=[place(PROTEST, "Nugegoda", "LK"), Toponym("Pengiri Road", later, later + len("Pengiri Road"))],
    )
    [event] = run(nlp, PROTEST, setup)._.events
    assert event.sub_event_type == sub_type


def test_an_arrest_after_riots_is_not_made_a_riot(nlp: Language) -> None:
    text = ("Police arrested a former minister in Freetown on Friday. The reason for the arrest was not given, "
            "but it came two days after riots at the prison.")
    setup = Setup(
        triggers=[("arrested", "Arrests", 0.9), ("riots", "Violent demonstration", 0.6)],
        dates=[("on Friday", dt.date(2025, 3, 7))],
        toponyms=[place(text, "Freetown", "SL")],
    )
    assert run(nlp, text, setup)._.events[0].sub_event_type == "Arrests"


def test_a_date_after_publication_is_not_inherited(nlp: Language) -> None:
    text = "Residents must leave Lachin before the deadline of 25 August. Some burned their houses."
    setup = Setup(
        triggers=[("burned their houses", "Looting/property destruction", 0.8)],
        dates=[("25 August", dt.date(2025, 8, 25))],
        toponyms=[place(text, "Lachin", "AZ")],
        published=dt.datetime(2025, 8, 16, tzinfo=dt.UTC),
    )
    [event] = run(nlp, text, setup)._.events
    # the deadline is not when the houses burned: the publication date, said so
    assert (event.date, event.reasons["date"]) == (dt.date(2025, 8, 16), "publication date: no date in text")


@pytest.mark.parametrize(
    ("text", "trigger", "sub_type", "expected"),
    [
        # what a side promised or threatened is no event
        ('The rebel leader promised "fierce fighting" to halt the army\'s advance.', "fighting", "Armed clash", 0),
        ("The rebel leader reported fierce fighting near the dam.", "fighting", "Armed clash", 1),
        # aircraft that drop leaflets attack no one, wherever the parser hangs them (here under a dateline)
        ("SANAA, Oct. 1 (Wire) -- Saudi-led warplanes on Monday dropped leaflets over the port city.",
         "warplanes", STRIKE, 0),
        ("SANAA, Oct. 1 (Wire) -- Saudi-led warplanes on Monday dropped bombs over the port city.",
         "warplanes", STRIKE, 1),
    ],
)
def test_a_promise_or_a_leaflet_drop_is_no_attack(
    nlp: Language, text: str, trigger: str, sub_type: str, expected: int
) -> None:
    assert len(run(nlp, text, Setup(triggers=[(trigger, sub_type, 0.8)]))._.events) == expected


FILLER = " ".join(f"Officials met in the capital on day {n} to discuss the budget." for n in range(1, 6))


@pytest.mark.parametrize(
    ("lede", "readings", "expected"),
    [
        # a short note: an uncued reading of 0.4 is its event; its only weak reading too
        (False, [("Residents fled the town after the clashes.", "Other", 0.4)], ["Other"]),
        (False, [("clashes", "Armed clash", 0.2)], ["Armed clash"]),
        # the same in a news article of many sentences: context, not an event
        (True, [("Residents fled the town after the clashes.", "Other", 0.4)], []),
        (True, [("clashes", "Armed clash", 0.2)], []),
        # a confident uncued reading is still an article's event
        (True, [("Residents fled the town after the clashes.", "Other", 0.6)], ["Other"]),
    ],
)
def test_a_news_article_needs_stronger_readings_than_a_short_note(
    nlp: Language, lede: bool, readings: list[tuple[str, str, float]], expected: list[str]
) -> None:
    text = "Residents fled the town after the clashes." + (f" {FILLER}" if lede else "")
    assert [e.sub_event_type for e in run(nlp, text, Setup(triggers=readings))._.events] == expected


ARTICLE = (
    "Warplanes struck the market of Maarat on Monday, killing four people. "
    "The strike hit the main square, residents said. "
    f"{FILLER} "
    "Government forces shelled the hills around Kafr Nabl on Monday, killing six fighters."
)


def _article_setup(text: str, strike: float, shelling: float) -> Setup:
    return Setup(
        triggers=[("struck", STRIKE, strike), ("shelled", SHELLING, shelling)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        counts=[("four", "fatalities", 4), ("six", "fatalities", 6)],
        toponyms=[place(text, "Maarat", latitude=35.6), place(text, "Kafr Nabl", latitude=35.5)],
    )


@pytest.mark.parametrize(
    ("strike", "shelling", "main"),
    [
        # the lede's event is the main one against a slightly more confident one told late in the article
        (0.8, 0.9, STRIKE),
        # a much more confident later event still wins
        (0.5, 0.95, SHELLING),
    ],
)
def test_the_lede_tells_the_main_event(nlp: Language, strike: float, shelling: float, main: str) -> None:
    events = run(nlp, ARTICLE, _article_setup(ARTICLE, strike, shelling))._.events
    assert [e.sub_event_type for e in events][0] == main and len(events) == 2


def test_an_old_event_is_not_the_main_one_beside_news(nlp: Language) -> None:
    text = ("The battle for the port began in June, when the army advanced from Mocha. "
            "Warplanes dropped bombs on the port on Monday.")
    setup = Setup(
        triggers=[("battle", "Armed clash", 1.0), ("Warplanes", STRIKE, 0.6)],
        dates=[("in June", dt.date(2024, 6, 1)), ("on Monday", dt.date(2025, 3, 3))],
        toponyms=[place(text, "Mocha", "YE")],
        published=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
    )
    # the battle is history (and, as a side event, left out); Monday's strike is the news
    assert [e.sub_event_type for e in run(nlp, text, setup)._.events] == [STRIKE]


def test_in_an_article_a_weak_first_telling_yields_to_a_strong_one(nlp: Language) -> None:
    text = ("Residents reported heavy bombing in the city. " + FILLER
            + " The SDF said its units had secured control of the villages around the city.")
    setup = Setup(triggers=[("bombing", STRIKE, 0.2), ("secured control", "Non-state actor overtakes territory", 0.9)])
    # "the city" refers back, so both readings are one event: the strong reading names it
    events = run(nlp, text, setup)._.events
    assert [e.sub_event_type for e in events] == ["Non-state actor overtakes territory"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an attack announced as coming is no event
        ("Do not use ferries or boats, air strikes are coming.", 0),
        # air strikes that came are
        ("Air strikes came at dawn, residents said.", 1),
    ],
)
def test_strikes_announced_as_coming_are_no_event(nlp: Language, text: str, expected: int) -> None:
    assert len(run(nlp, text, Setup(triggers=[("strikes", STRIKE, 0.8)]))._.events) == expected


SUPPORTED = "On Monday, government forces, backed by airstrikes, clashed with rebels near Hama, killing 18."


@pytest.mark.parametrize(
    ("triggers", "expected"),
    [
        # the airstrikes tell how the clash was fought: the clash is the event
        ([("airstrikes", STRIKE, 0.95), ("clashed", "Armed clash", 0.7)], ["Armed clash"]),
        # alone, the supporting reading is still the report's event (nothing else is told)
        ([("airstrikes", STRIKE, 0.95)], [STRIKE]),
    ],
)
def test_a_reading_of_how_another_event_was_done_is_not_its_event(
    nlp: Language, triggers: list[tuple[str, str, float]], expected: list[str]
) -> None:
    setup = Setup(triggers=triggers, dates=[("On Monday", dt.date(2025, 3, 3))],
                  counts=[("18", "fatalities", 18)], toponyms=[place(SUPPORTED, "Hama")])
    assert [e.sub_event_type for e in run(nlp, SUPPORTED, setup)._.events] == expected


def test_among_near_equal_scores_the_earlier_telling_is_the_main_event(nlp: Language) -> None:
    text = (f"{FILLER} Israeli warplanes carried out airstrikes on the southern suburbs of Beirut. "
            "In southern Lebanon, fighter jets targeted the towns of Khiam and Taybeh.")
    setup = Setup(
        triggers=[("airstrikes", STRIKE, 0.995), ("fighter jets targeted", STRIKE, 0.998)],
        toponyms=[place(text, "Beirut", "LB", latitude=33.89, longitude=35.50),
                  place(text, "Khiam", "LB", latitude=33.33, longitude=35.61)],
    )
    events = run(nlp, text, setup)._.events
    # 0.998 is no evidence against 0.995: the earlier telling is the main event; the later, unanchored, is dropped
    assert [e.location.name for e in events] == ["Beirut"]


@pytest.mark.parametrize(
    ("sentence", "article", "expected"),
    [
        # a news article stating a condition in the simple present: no event
        ("The roads leading to the checkpoint are blocked.", True, 0),
        ("Gatherings in closed areas do not have a limit.", True, 0),
        # the same told in the past: an event
        ("The roads leading to the checkpoint were blocked.", True, 1),
        # ongoing action is no state
        ("Protesters are blocking the roads leading to the checkpoint.", True, 1),
        # a short note is left alone (the tagger reads a past "set" as present)
        ("The roads leading to the checkpoint are blocked.", False, 1),
    ],
)
def test_in_an_article_a_condition_in_the_present_is_no_event(
    nlp: Language, sentence: str, article: bool, expected: int
) -> None:
    text = f"{sentence} {FILLER}" if article else sentence
    word = "Gatherings" if "Gatherings" in sentence else "block"
    setup = Setup(triggers=[(word, "Violent demonstration", 0.9)])
    assert len(run(nlp, text, setup)._.events) == expected


@pytest.mark.parametrize(
    ("sentence", "trigger", "sub_type", "article", "expected"),
    [
        # a participle naming people by what happened to them, in a clause told in the present: no event
        ("Buses for internally displaced families are also provided by the city council.", "displaced", "Other",
         True, 0),
        # the same participle in a clause told in the past is left to the classifier
        ("Gunmen attacked a camp for internally displaced families on Monday.", "attacked", "Attack", True, 1),
        # being somewhere is a situation: a whole sentence read as an event
        ("The mayor said thousands of families were still living in villages where shelling was heavy.",
         "The mayor said thousands of families were still living in villages where shelling was heavy.", "Other",
         True, 0),
        # an event named as someone's allegation
        ("The governor blamed the closure on alleged shelling of the bridge.", "shelling", SHELLING, True, 0),
        ("The governor blamed the closure on shelling of the bridge.", "shelling", SHELLING, True, 1),
        # a present verb of thinking over what happened before is no present condition
        ("An airstrike on the village on Tuesday is believed to have killed 40 people.", "airstrike", STRIKE,
         True, 1),
        # short notes are left alone: ACLED codes alleged events
        ("The governor blamed the closure on alleged shelling of the bridge.", "shelling", SHELLING, False, 1),
    ],
)
def test_in_an_article_a_situation_or_an_allegation_is_no_event(
    nlp: Language, sentence: str, trigger: str, sub_type: str, article: bool, expected: int
) -> None:
    text = f"{sentence} {FILLER}" if article else sentence
    assert len(run(nlp, text, Setup(triggers=[(trigger, sub_type, 0.9)]))._.events) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # on the way to do it, not done: in a quotation a leaflet "read", or told by the reporter
        ('"Government troops are coming to free your villages from the militias," read the leaflets.', 0),
        ("The army is going to storm the town, a commander said.", 0),
        # what came is
        ("Government troops came to the villages and freed them from the militias.", 1),
    ],
)
def test_what_is_on_its_way_is_no_event(nlp: Language, text: str, expected: int) -> None:
    setup = Setup(triggers=[(text, "Government regains territory", 0.9)])
    assert len(run(nlp, text, setup)._.events) == expected


def test_an_articles_history_alone_is_no_event(nlp: Language) -> None:
    text = "The battle for the port began in June, when the army advanced from Mocha. " + FILLER
    setup = Setup(
        triggers=[("battle", "Armed clash", 1.0)],
        dates=[("in June", dt.date(2024, 6, 1))],
        toponyms=[place(text, "Mocha", "YE")],
        published=dt.datetime(2025, 3, 4, tzinfo=dt.UTC),
    )
    # an article whose only event is dated months before it by its own words tells no news event
    assert run(nlp, text, setup)._.events == []
    # a short note about the same battle is coded, as ACLED codes notes written after the fact
    short = "The battle for the port began in June, when the army advanced from Mocha."
    setup.toponyms = [place(short, "Mocha", "YE")]
    assert len(run(nlp, short, setup)._.events) == 1


@pytest.mark.parametrize(
    ("text", "triggers", "expected"),
    [
        # an operation launched to take a town: the fight, not the taking
        ("The army launched an offensive on Monday to recapture the town from the rebels.",
         [("recapture", "Government regains territory", 0.9)], "Armed clash"),
        # the taking told as done
        ("The army recaptured the town from the rebels on Monday.",
         [("recaptured", "Government regains territory", 0.9)], "Government regains territory"),
        # launched to take it, and then told as taken: the taking
        ("The army launched an offensive on Monday to recapture the town and recaptured it by nightfall.",
         [("recapture", "Government regains territory", 0.9), ("recaptured", "Government regains territory", 0.9)],
         "Government regains territory"),
    ],
)
def test_an_operation_launched_to_take_ground_is_a_fight(
    nlp: Language, text: str, triggers: list[tuple[str, str, float]], expected: str
) -> None:
    events = run(nlp, text, Setup(triggers=triggers))._.events
    assert [e.sub_event_type for e in events] == [expected]


@pytest.mark.parametrize(
    ("text", "sub_type", "expected"),
    [
        # a whole sentence read as an event whose verb is a threat or a vow: nothing happened yet
        ("The army threatened to besiege the city of Kolvar on Sunday.", "Change to group/activity", 0),
        ("The rebels vowed to retake the town within days.", "Non-state actor overtakes territory", 0),
        # a decision taken, or an attempt, is something that happened
        ("The committee decided to close the crossings to the coastal districts.", "Change to group/activity", 1),
        ("The gunmen tried to storm the police station at dawn.", "Attack", 1),
    ],
)
def test_a_whole_sentence_of_a_threat_or_a_vow_is_no_event(
    nlp: Language, text: str, sub_type: str, expected: int
) -> None:
    assert len(run(nlp, text, Setup(triggers=[(text, sub_type, 0.9)]))._.events) == expected


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # no agreement was made
        ("The peace talks in the capital stalled on Monday.", "peace talks", 0),
        ("The negotiations in the capital broke down on Monday.", "negotiations", 0),
        ("The rebels rejected the ceasefire on Monday.", "ceasefire", 0),
        ("No agreement was reached at the talks on Monday.", "agreement", 0),
        # one was
        ("The government and the rebels signed a ceasefire on Monday.", "ceasefire", 1),
        ("The government signed a ceasefire with the rebels on Monday after earlier talks failed.", "ceasefire", 1),
    ],
)
def test_failed_talks_are_no_agreement(nlp: Language, text: str, trigger: str, expected: int) -> None:
    assert len(run(nlp, text, Setup(triggers=[(trigger, "Agreement", 0.9)]))._.events) == expected


@pytest.mark.parametrize(
    ("text", "cue", "grievance", "not_grievance"),
    [
        ("Hundreds rallied in Konya on Friday to protest an airstrike that killed 12 soldiers in Idlib.", "rallied",
         ["airstrike", "killed", "Idlib"], ["Konya", "Friday"]),
        ("Residents protested in Mosul on Sunday against the arrest of an activist by security forces.", "protested",
         ["arrest", "forces"], ["Mosul", "Residents"]),
        ("Traders shut their shops in Kano in protest over the killing of two herders.", "shut",
         ["killing", "two", "herders"], ["Kano", "shops"]),
        ("Activists held a sit-in outside parliament in Amman against the peace plan.", "sit",
         ["plan"], ["Amman", "parliament"]),
        # what a road block blocks is no grievance; what it protests is
        ("Farmers blocked a road in Punjab to protest land seizures.", "blocked", ["seizures"], ["road", "Punjab"]),
    ],
)
def test_what_a_protest_is_about(nlp: Language, text: str, cue: str, grievance: list[str],
                                 not_grievance: list[str]) -> None:
    doc = nlp(text)
    start = text.index(cue)
    trigger = Trigger(sub_event_type="Peaceful protest", score=0.9, start=start, end=start + len(cue), text=cue,
                      sent_start=0, sent_end=len(text))
    found = {doc[i].text for i in grievance_tokens(doc, [trigger])}
    assert set(grievance) <= found
    assert not set(not_grievance) & found


def test_no_protest_no_grievance(nlp: Language) -> None:
    text = "The UN condemned the airstrike that killed 12 people in Idlib."
    doc = nlp(text)
    start = text.index("airstrike")
    trigger = Trigger(sub_event_type="Air/drone strike", score=0.9, start=start, end=start + 9, text="airstrike",
                      sent_start=0, sent_end=len(text))
    assert grievance_tokens(doc, [trigger]) == frozenset()



@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a question left open about the event: no happening of its own
        ("The governor did not say where the victims were killed.", 0),
        ("Officials did not specify who killed the two farmers.", 0),
        # told: an event; and what nobody knows is often a short note's only naming of its event ("it is unclear
        # who planted the bomb")
        ("It was unclear who killed the two farmers.", 1),
        ("The governor said the victims were killed in Kupiansk.", 1),
    ],
)
def test_a_question_left_open_is_no_event(nlp: Language, text: str, expected: int) -> None:
    setup = Setup(triggers=[("killed", "Attack", 0.8)])
    assert len(run(nlp, text, setup)._.events) == expected
