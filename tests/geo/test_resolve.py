"""Toponym resolution in context, geo_precision, user places, unknown names (real spaCy pipeline)."""

from __future__ import annotations

from collections import Counter

import pytest

from tocsin.geo.gazetteer import Gazetteer
from tocsin.geo.resolve import Mention, resolve_mentions
from tocsin.model import Place, Toponym

ALEPPO, IDLIB_GOV, SYRIA = 170063, 169387, 163843
TRIPOLI_LB, TRIPOLI_LY = 266826, 2210247


def _toponyms(nlp, text: str) -> list[Toponym]:  # type: ignore[no-untyped-def]
    return list(nlp(text)._.toponyms)


def _by_name(toponyms: list[Toponym], name: str) -> Toponym:
    found = [t for t in toponyms if t.name == name]
    assert found, f"{name!r} not among {[t.name for t in toponyms]}"
    return found[0]


def test_aleppo_is_syrias_aleppo(places_nlp) -> None:  # type: ignore[no-untyped-def]
    t = _by_name(_toponyms(places_nlp, "Government forces shelled Aleppo on Monday, activists said."), "Aleppo")
    assert t.geonames_id == ALEPPO and t.country_code == "SY" and t.geo_precision == 1
    assert t.timezone == "Asia/Damascus"


def test_a_place_keeps_its_gazetteer_name_beside_the_words_written(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "ALEPPO, Syria (Wire) - Government forces shelled the city's east on Monday, activists said."
    t = _by_name(_toponyms(places_nlp, text), "ALEPPO")
    assert t.geonames_id == ALEPPO and t.place_name == "Aleppo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a Lebanon story: the country named, and the Lebanese army
        ("Clashes erupted in Tripoli as the Lebanese army deployed in northern Lebanon.", TRIPOLI_LB),
        # a Libya story: the country named, and Misrata nearby
        ("Fighting in Tripoli killed 12 as forces from Misrata advanced on the Libyan capital.", TRIPOLI_LY),
        # containment written out: "X, Y"
        ("Protesters gathered in Tripoli, Lebanon, on Friday.", TRIPOLI_LB),
        # a demonym alone sets the focus
        ("Lebanese soldiers were deployed in Tripoli overnight.", TRIPOLI_LB),
    ],
)
def test_tripoli_by_context(places_nlp, text: str, expected: int) -> None:  # type: ignore[no-untyped-def]
    assert _by_name(_toponyms(places_nlp, text), "Tripoli").geonames_id == expected


@pytest.mark.parametrize(
    ("text", "name", "precision", "feature"),
    [
        ("Two civilians were killed in Aleppo on Tuesday.", "Aleppo", 1, "PPL"),  # the town itself
        ("Two civilians were killed near Aleppo on Tuesday.", "Aleppo", 2, "PPL"),  # near a town
        ("Shells fell on the outskirts of Aleppo on Tuesday.", "Aleppo", 2, "PPL"),  # outskirts of a town
        ("Clashes were reported in the Aleppo countryside.", "Aleppo", 2, "PPL"),  # the area of a town
        ("Air strikes hit Idlib province on Tuesday.", "Idlib", 3, "ADM1"),  # only the region
        ("Air strikes hit the Idlib governorate on Tuesday.", "Idlib", 3, "ADM1"),  # governorate suffix
        ("Fighting continued across Syria on Tuesday.", "Syria", 3, "PCLI"),  # only the country
    ],
)
def test_geo_precision(places_nlp, text: str, name: str, precision: int, feature: str) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, text)
    t = [x for x in toponyms if x.name.startswith(name)][0]
    assert (t.geo_precision, t.feature_code) == (precision, feature)


def test_containment_prefers_the_place_inside_the_named_province(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Shelling hit Saraqib, a town in Idlib province, on Monday."
    t = _by_name(_toponyms(places_nlp, text), "Saraqib")
    assert t.country_code == "SY" and t.admin1 == "Idlib" and t.geo_precision == 1


def test_unknown_place_is_kept_unresolved_with_a_reason(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "Gunmen attacked the village of Xqzzurat near Aleppo on Sunday.")
    unknown = _by_name(toponyms, "Xqzzurat")
    assert not unknown.resolved and unknown.reason == "not in gazetteer"
    assert (unknown.latitude, unknown.longitude, unknown.geonames_id) == (None, None, None)
    assert _by_name(toponyms, "Aleppo").resolved


def test_demonyms_are_not_toponyms(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "Syrian and Turkish troops clashed near Manbij.")
    assert [t.name for t in toponyms] == ["Manbij"]
    assert toponyms[0].country_code == "SY"


def _hood(name: str, parent: str, lon: float, lat: float, d: float = 0.01) -> Place:
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    return Place(None, name, lat, lon, "", "", feature_class="L", feature_code="PPLX",
                 geometry={"type": "Polygon", "coordinates": [ring]}, parent=parent)


def test_user_neighbourhood_of_aleppo_resolves_to_its_polygon(places_nlp, private_gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    pipe = places_nlp.get_pipe("tocsin_places")
    before = pipe.gazetteer
    pipe.gazetteer = private_gazetteer
    try:
        private_gazetteer.add([_hood("Sheikh Maqsoud", "Aleppo", 37.165, 36.235)])
        toponyms = _toponyms(places_nlp, "Shelling hit the Sheikh Maqsoud neighbourhood of Aleppo on Monday.")
    finally:
        pipe.gazetteer = before
    hood = _by_name(toponyms, "Sheikh Maqsoud")
    assert hood.geo_precision == 1 and hood.country_code == "SY"
    assert (round(hood.latitude or 0, 3), round(hood.longitude or 0, 3)) == (36.235, 37.165)
    assert _by_name(toponyms, "Aleppo").geonames_id == ALEPPO


def test_user_place_beats_a_base_place_of_the_same_name_in_its_parent_city(private_gazetteer: Gazetteer) -> None:
    base = [p for p in private_gazetteer.lookup("Haritan", "SY") if p.feature_class == "P"]
    assert base, "the base gazetteer has a Haritan near Aleppo"
    private_gazetteer.add([_hood("Haritan", "Aleppo", 37.10, 36.25)])
    text = "Clashes in Haritan, Aleppo, killed three."
    mentions = [Mention("Haritan", 11, 18), Mention("Aleppo", 20, 26)]
    toponyms = resolve_mentions(text, mentions, private_gazetteer)
    assert toponyms[0].geonames_id is None and toponyms[0].latitude == pytest.approx(36.25)
    assert toponyms[1].geonames_id == ALEPPO


def test_resolve_mentions_is_a_plain_function(gazetteer: Gazetteer) -> None:
    text = "Tripoli and Benghazi"
    toponyms = resolve_mentions(text, [Mention("Tripoli", 0, 7), Mention("Benghazi", 12, 20)], gazetteer)
    assert [t.geonames_id for t in toponyms][0] == TRIPOLI_LY  # Benghazi pulls it to Libya
    focus = Counter({"LB": 3})  # three "Lebanese" in the text
    assert resolve_mentions("Tripoli", [Mention("Tripoli", 0, 7)], gazetteer, focus)[0].geonames_id == TRIPOLI_LB


def test_component_exposes_the_default_gazetteer(places_nlp, gazetteer: Gazetteer) -> None:  # type: ignore[no-untyped-def]
    assert places_nlp.get_pipe("tocsin_places").gazetteer is gazetteer


def test_names_inside_organisations_are_places_of_their_own(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # session 5: news annotators (TR-News) count "Kentucky" in "Kentucky State Police" as a toponym; the event
    # stage leaves places inside actors' names out of the event's place
    alone = _toponyms(places_nlp, "The Aleppo Media Center reported heavy shelling on Monday.")
    assert [(t.name, t.geonames_id) for t in alone] == [("Aleppo", ALEPPO)]
    # a town abroad inside an organisation's name in a report about elsewhere is a namesake, not a place
    text = "The Kentucky State Police in Louisville said the Aleppo Media Center was closed."
    toponyms = _toponyms(places_nlp, text)
    assert [(t.name, t.country_code, t.feature_code) for t in toponyms if t.name != "Louisville"] == [
        ("Kentucky", "US", "ADM1")
    ]


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # two countries side by side: Russia the country, not Russia, Ohio "in" the US
        ("His reports on Trump's dealings in Russia, U.S. officials said, were credible.", "Russia", ("RU", "PCLI")),
        # a name that is also a state's stays containable: Georgia the US state
        ("The storm hit Atlanta, Georgia, U.S. on Monday.", "Georgia", ("US", "ADM1")),
    ],
)
def test_two_countries_are_no_containment(places_nlp, text: str, name: str, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    t = _by_name(_toponyms(places_nlp, text), name)
    assert (t.country_code, t.feature_code) == expected


def test_a_state_named_alone_is_the_state_not_the_city_of_its_alternate_name(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Oklahoma" is one of Oklahoma City's alternate names; only a city's own name shadows its region
    t = _by_name(_toponyms(places_nlp, "He moved to Texas after years in Oklahoma."), "Oklahoma")
    assert (t.feature_code, t.admin1) == ("ADM1", "Oklahoma")


def test_a_list_of_states_is_not_containment(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "Wildfires burned in Texas, California and Oregon this week.")
    assert [(t.name, t.feature_code, t.country_code) for t in toponyms] == [
        ("Texas", "ADM1", "US"), ("California", "ADM1", "US"), ("Oregon", "ADM1", "US")
    ]


def test_a_place_that_contradicts_its_named_province_is_left_unresolved(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "Shells fell on Edmonton in Idlib province on Monday.")
    edmonton = _by_name(toponyms, "Edmonton")
    assert not edmonton.resolved and edmonton.reason == "no place of this name in Idlib"
    assert _by_name(toponyms, "Idlib").feature_code == "ADM1"


def test_a_small_town_abroad_is_not_guessed_when_the_report_names_other_countries(gazetteer: Gazetteer) -> None:
    mention = [Mention("Soldeu", 0, 6)]
    alone = resolve_mentions("Soldeu", mention, gazetteer)[0]
    assert alone.resolved and alone.country_code == "AD"  # nothing else to go on: the only Soldeu
    syrian = resolve_mentions("Soldeu", mention, gazetteer, Counter({"SY": 4}))[0]
    assert not syrian.resolved and syrian.reason == "only candidates lie outside the countries the report names"


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("The Metcalfe County Sheriff's Office said the road was closed.", "Metcalfe County Sheriff's Office"),
        ("Hamas fired rockets overnight, the army said.", "Hamas"),  # an armed group
        ("No one was hurt, Reuters reported.", "Reuters"),  # a news agency
    ],
)
def test_organisations_are_not_toponyms(places_nlp, text: str, not_a_place: str) -> None:  # type: ignore[no-untyped-def]
    assert all(t.name != not_a_place for t in _toponyms(places_nlp, text))


def test_run_on_entity_is_split_into_its_places(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "Protesters gathered in Nis, Serbia, on Monday.")
    nis = _by_name(toponyms, "Nis")
    assert nis.country_code == "RS" and nis.geo_precision == 1


def test_unknown_name_after_a_locative_cue_is_kept_unresolved(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Militants abducted two farmers near Qwertabou on Sunday, Burkinabe officials said."
    toponyms = _toponyms(places_nlp, text)
    unknown = _by_name(toponyms, "Qwertabou")
    assert not unknown.resolved and unknown.reason == "not in gazetteer"


def test_a_road_named_after_a_foreign_town_is_not_that_town(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Government forces shelled the Castello road north of Aleppo, Syria, on Tuesday."
    castello = _by_name(_toponyms(places_nlp, text), "Castello")
    assert not castello.resolved and castello.country_code is None
    assert castello.reason == "a road or site named after a place outside the countries the report names"


def test_a_road_named_after_a_town_of_the_report_keeps_the_town(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Rebels cut the Aleppo road near Saraqib in Syria on Monday."
    assert _by_name(_toponyms(places_nlp, text), "Aleppo").country_code == "SY"


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        # the known last word of an unknown village name is not the place ("Alia" is also in Lebanon)
        ("Clashes took place on the Maaret Alia front in Idleb on Monday.", "Maaret Alia"),
        # an article or a generic head word is never a place on its own
        ("Clashes took place in Ash Shula desert in Deir-ez-Zor.", "Ash Shula"),
        ("An airdrop operation in Wadi Zaghyatun in Kirkuk province killed 3 militants.", "Wadi Zaghyatun"),
    ],
)
def test_part_of_an_unknown_name_is_not_a_place(places_nlp, text: str, unknown: str) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, text)
    assert all(t.country_code in (None, "SY", "IQ") for t in toponyms), [(t.name, t.country_code) for t in toponyms]
    assert not _by_name(toponyms, unknown).resolved


def test_admin_parentheses_give_the_province(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "On 6 February, forces fired 6 mortar shells at Al Udayn Junction (Hays Al Hudaydah). No one was hurt."
    toponyms = _toponyms(places_nlp, text)
    hays, province = _by_name(toponyms, "Hays"), _by_name(toponyms, "Al Hudaydah")
    assert (hays.country_code, hays.admin1, hays.feature_code) == ("YE", "Al Hudaydah", "ADM2")
    assert (province.feature_code, province.geo_precision) == ("ADM1", 3)


def test_place_nouns_in_the_name_make_sequences_places(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "On 3 May, in Rathedaung Township, Sittwe District, Rakhine State, soldiers attacked a teacher."
    state = _by_name(_toponyms(places_nlp, text), "Rakhine State")
    assert (state.country_code, state.feature_code) == ("MM", "ADM1")


def test_a_local_armed_group_sets_the_country_of_a_village(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Fighters clashed with QSD forces in the village of Dardara on Wednesday."
    dardara = _by_name(_toponyms(places_nlp, text), "Dardara")
    # GeoNames has a Dardara only in Morocco: a Syrian report's village is not guessed there
    assert not dardara.resolved and dardara.reason == "only candidates lie outside the countries the report names"


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # a Portuguese particle inside a state name ("do Norte") does not cut it short
        ("In Natal, Rio Grande do Norte, bus drivers gathered on Monday.", "Natal", "Rio Grande do Norte"),
        # the dotless i of Turkish names folds like i ("Kovancılar")
        ("Attacks targeted shops in Kovancilar, Elazig, on Tuesday.", "Kovancilar", "Elazığ"),
        # a list of provinces ending in "and" is no chain of containers: Kabul stays Kabul
        ("Operations took place in Kabul, Ghor, Laghman, and Balkh provinces.", "Kabul", "Kabul"),
    ],
)
def test_admin1_of_places_written_with_their_region(places_nlp, text: str, name: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    assert _by_name(_toponyms(places_nlp, text), name).admin1 == admin1


@pytest.mark.parametrize(
    ("text", "name", "container", "admin1"),
    [
        # GeoNames (cities500) has Bohdanivkas in five oblasts, none in Donetsk oblast
        ("Rebel forces fired mortars at positions near Bohdanivka, Donetsk, on Tuesday.", "Bohdanivka", "Donetsk",
         "Donetsk"),
        # four Cawayans, none in Masbate province (a city and a province of that name)
        ("On 30 April 2020, a laborer was shot dead by suspected NPA militants in Cawayan, Masbate.", "Cawayan",
         "Masbate", "Bicol"),
        # the only Al Jabaliyah GeoNames has in Yemen is in Ibb, not in the district the parenthesis names; an admin
        # parenthesis after the country still contains the place
        ("Forces shelled villages outside Al Jabaliyah area in western Yemen (At Tuhayat, Al Hudaydah) on Monday.",
         "Al Jabaliyah", "At Tuhayat", "Al Hudaydah"),
        # a district in parentheses, then "in" its city: Rosetta in Egypt is called Rashid, but not in Baghdad
        ("A car bomb went off near a market in the Saydiya area (Al Rashid) in Baghdad on Sunday.", "Al Rashid",
         "Baghdad", "Baghdad"),
    ],
)
def test_a_place_not_in_its_named_container_is_left_unresolved(  # type: ignore[no-untyped-def]
    places_nlp, text: str, name: str, container: str, admin1: str
) -> None:
    toponyms = _toponyms(places_nlp, text)
    assert not _by_name(toponyms, name).resolved
    assert _by_name(toponyms, name).reason == f"no place of this name in {container}"
    assert _by_name(toponyms, container).admin1 == admin1


def test_big_cities_in_a_row_are_a_list_not_containers(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The ranking compares Vancouver, Calgary, Edmonton, Saskatoon, Winnipeg and Halifax."
    assert all(t.resolved for t in _toponyms(places_nlp, text))


def test_a_chain_of_names_after_a_cue_is_read_as_containers(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # NER calls the town and the province organisations or persons; the comma chain after "in" holds them
    text = "On 4 May 2020, the NPA and the military fought in Barangay Pange, Siayan, Zamboanga del Norte."
    toponyms = _toponyms(places_nlp, text)
    assert _by_name(toponyms, "Zamboanga del Norte").admin1 == "Zamboanga Peninsula"
    assert _by_name(toponyms, "Siayan").admin1 == "Zamboanga Peninsula"


@pytest.mark.parametrize(
    ("text", "name", "country", "admin1"),
    [
        # a place noun after the name: the bare name matches exactly, not Kuwait City by a loose spelling
        ("On 5 May 2020, health workers protested at Kathua city (J&K) against the government.", "Kathua city",
         "IN", "Jammu and Kashmir"),
        # a governorate of Iraqi Kurdistan is an admin1
        ("On Feb 28 dozens of people protested in Erbil city.", "Erbil", "IQ", "Erbil"),
        # a state abbreviation in an admin parenthesis
        ("On 28 April, a mob pelted stones at the police in Dariyal town, Rampur district (UP).", "UP", "IN",
         "Uttar Pradesh"),
        # the admin1 that ends a parenthesis of otherwise unknown names
        ("On 9 May, 2 airstrikes targeted Al Yasbil areas in Qaniyah (As Sawdiyah, AL Bayda).", "AL Bayda", "YE",
         "Al Bayda"),
    ],
)
def test_places_resolve_with_their_admin1(  # type: ignore[no-untyped-def]
    places_nlp, text: str, name: str, country: str, admin1: str
) -> None:
    t = _by_name(_toponyms(places_nlp, text), name)
    assert (t.country_code, t.admin1) == (country, admin1)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # "village" says town: no village of that name is known, and the province of that name is not meant
        ("On 29 April, a rocket exploded in Kandal village, Ou Chrov district of Banteay Meanchey, Cambodia.",
         "Kandal"),
        # a Swiss town matched only without the article, in a report firmly about Syria
        ("On 29 October, Islamic State fighters attacked regime forces in the Al-Kour desert area near the city "
         "of Al Mayadin in Deir ez-Zor, Syria.", "Al-Kour"),
        # a suburb the data lacks, like a village abroad only by its consonants, and no country named
        ("Police fired tear gas at protesters in Mirihana on Thursday evening.", "Mirihana"),
        # the same for a small admin area abroad: Malta's Hamrun council (an admin1 of 9,700 people)
        ("On Feb 15 Counter-Terrorism Forces killed 10 IS militants in Hamrin area in an air-drop operation.",
         "Hamrin"),
    ],
)
def test_doubtful_names_stay_unresolved(places_nlp, text: str, name: str) -> None:  # type: ignore[no-untyped-def]
    found = [t for t in _toponyms(places_nlp, text) if t.name.startswith(name)]
    assert all(not t.resolved for t in found), found


def test_abu_alone_is_no_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, "On 3 May, heavy artillery fire was reported in Abu Salim (Tripoli).")
    assert all(t.name != "Abu" for t in toponyms)
    assert _by_name(toponyms, "Tripoli").country_code == "LY"


@pytest.mark.parametrize(
    ("text", "name", "geonames_id"),
    [
        ("ROME (Wire) - The government said on Monday it would reopen schools.", "ROME", 3169070),  # a dateline
        ("DOHA, Qatar - Talks between the two sides resumed on Monday.", "DOHA", 290030),  # with its country
    ],
)
def test_a_town_named_in_capitals_keeps_its_own_name(  # type: ignore[no-untyped-def]
    places_nlp, text: str, name: str, geonames_id: int
) -> None:
    assert _by_name(_toponyms(places_nlp, text), name).geonames_id == geonames_id


def test_a_capital_abbreviation_is_no_town(gazetteer: Gazetteer) -> None:
    # towns' alternate names in capitals are dropped at build, so "UP" matching Aups (France) is an accident
    text = "Police fired on a crowd in UP."
    [t] = resolve_mentions(text, [Mention("UP", 27, 29)], gazetteer)
    assert not t.resolved and t.reason == "not in gazetteer"


def test_a_currency_names_no_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Rioters protesting against the high US dollar exchange rate gathered in Tripoli, Lebanon."
    names = [t.name for t in _toponyms(places_nlp, text)]
    assert "US" not in names and "Lebanon" in names


@pytest.mark.parametrize(
    ("text", "province"),
    [
        # a district the gazetteer lacks, then its province, without a comma (NER takes both for a person)
        ("PKK militants abducted 2 people from Geventepe village of Karayazi Erzurum on Friday.", "Erzurum"),
    ],
)
def test_a_province_ending_an_unknown_name_is_kept(places_nlp, text: str, province: str) -> None:  # type: ignore[no-untyped-def]
    t = _by_name(_toponyms(places_nlp, text), province)
    assert t.feature_code == "ADM1" and t.admin1 == province


def test_a_name_after_a_place_and_a_comma_is_its_container(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # NER tags "Luhansk" as a person here; after "Orikhove," it is the village's container, and the only
    # Orikhove the gazetteer holds (in Crimea) is not in Luhansk
    text = ("On 2 May 2020, the NAF rebel forces fired mortars at the governmental positions near Orikhove, "
            "Luhansk. During the day, two Ukrainian soldiers were wounded.")
    toponyms = _toponyms(places_nlp, text)
    assert _by_name(toponyms, "Luhansk").admin1 == "Luhansk"
    assert not _by_name(toponyms, "Orikhove").resolved


def test_a_town_abroad_known_by_an_alternate_name_is_not_guessed(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Alia" is an alternate name of Aley (Lebanon); the report is about Syria
    text = ("Turkish forces and QSD fighters clashed on Monday near the town of Al-Hasakeh in Syria. "
            "Shelling also hit the Alia area.")
    alia = _by_name(_toponyms(places_nlp, text), "Alia")
    assert not alia.resolved and alia.reason == "only candidates lie outside the countries the report names"


@pytest.mark.parametrize(
    "text",
    [
        "Clashes took place between pro-Turkey rebel factions and YPG fighters in Aleppo.",
        "Anti-Houthi forces advanced near Aleppo on Monday.",
    ],
)
def test_an_allegiance_is_no_place(places_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert [t.name for t in _toponyms(places_nlp, text)] == ["Aleppo"]


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # NER calls the village a person; the report names no country and every town of that name is Ukrainian
        ("On 9 May, the monitors observed 12 explosions near Novoluhanske.", "Novoluhanske", "Donetsk"),
        # NER calls it an organisation
        ("On 9 May, the monitors recorded 3 explosions near Shyrokyne.", "Shyrokyne", "Donetsk"),
    ],
)
def test_a_small_village_after_a_cue_is_its_own_clue(places_nlp, text: str, name: str, admin1: str) -> None:  # type: ignore[no-untyped-def]
    t = _by_name(_toponyms(places_nlp, text), name)
    assert (t.country_code, t.admin1) == ("UA", admin1)


def test_a_small_village_after_a_cue_is_not_taken_when_the_report_points_elsewhere(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Police in Kenya said 3 explosions were heard near Shyrokyne on Monday."
    assert all(not t.resolved for t in _toponyms(places_nlp, text) if t.name == "Shyrokyne")


def test_a_list_before_a_plural_admin_noun_names_admin_areas(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "A, B and C governorates": every member is a governorate, none the container of another
    text = "On 2 May, Houthi forces shelled positions in Al Jawf, Ad Dali and Taizz governorates."
    toponyms = _toponyms(places_nlp, text)
    assert [(t.name, t.feature_code) for t in toponyms] == [("Al Jawf", "ADM1"), ("Ad Dali", "ADM1"), ("Taizz", "ADM1")]


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        # a transliteration variant after a cue, in a report whose armed group is Syrian: 'Ayn al 'Arab
        ("On 10 October, Turkish forces clashed with QSD fighters west of the town of Ain al Arab.", True),
        # the same spelling with nothing pointing to Syria is not guessed
        ("On 10 October, police patrols were seen west of the town of Ain al Arab.", False),
    ],
)
def test_a_spelling_variant_after_a_cue_needs_the_reports_country(places_nlp, text: str, resolved: bool) -> None:  # type: ignore[no-untyped-def]
    found = [t for t in _toponyms(places_nlp, text) if t.name == "Ain al Arab" and t.resolved]
    assert bool(found) is resolved and all((t.country_code, t.admin1) == ("SY", "Aleppo") for t in found)


def test_a_refused_spelling_variant_stays_a_place_unresolved(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # the only match is a spelling variant the report gives no reason to take: reported, not guessed, not dropped
    [t] = [t for t in _toponyms(places_nlp, "Police were deployed west of the town of Ain al Arab on Monday.")
           if t.name == "Ain al Arab"]
    assert not t.resolved and t.reason == "not in gazetteer"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # the sea is not Sudan's or Egypt's Red Sea region: left unresolved, with the reason
        ("Houthi forces fired a missile at a ship in the Red Sea on Friday.", "Red Sea", None),
        ("A mine struck a boat in the southern Red Sea off Hodeidah, Yemen.", "Red Sea", None),
        # the region, named as one, stays the region
        ("Prisoners rioted at the central prison in Port Sudan (Red Sea state).", "Red Sea state", ("SD", "Red Sea")),
        # a sea named as a modifier of a city is not a place of its own, as before
        ("Forces shelled Street 50 in Hodeidah Red Sea port city (Al Hali, Al Hudaydah).", "Al Hudaydah",
         ("YE", "Al Hudaydah")),
    ],
)
def test_a_sea_is_not_the_region_named_after_it(places_nlp, text: str, name: str, expected) -> None:  # type: ignore[no-untyped-def]
    place = _by_name(_toponyms(places_nlp, text), name)
    if expected is None:
        assert place.latitude is None and place.reason is not None and "sea" in place.reason
    else:
        assert (place.country_code, place.admin1) == expected


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # the region closing the parenthesis is spelled otherwise than GeoNames' "Middle Shabele"
        ("Gunmen attacked Mulqeey village (Jowhar, Middle Shabelle) on Friday.", "Middle Shabelle", "Middle Shabele"),
        # the same for "Galguduud"
        ("A man was shot near Miiracad village (Cabudwaaq, Galgaduud).", "Galgaduud", "Galguduud"),
    ],
)
def test_an_admin_name_closing_a_parenthesis_resolves_by_its_skeleton(  # type: ignore[no-untyped-def]
    places_nlp, text: str, name: str, admin1: str
) -> None:
    place = _by_name(_toponyms(places_nlp, text), name)
    assert place.country_code == "SO" and place.admin1 == admin1


@pytest.mark.parametrize(
    "text",
    [
        "Militiamen from the Ayr sub-clan shot a pastoralist in Cabudwaaq.",  # a kin group named like a Scottish town
        "Gunmen from the Ayr clan shot a pastoralist in Cabudwaaq.",  # the same with "clan"
        "Militias from the Ayr and Jarer Weyne clans battled in Cabudwaaq.",  # the first of two clans before "clans"
    ],
)
def test_a_clan_named_like_a_town_is_no_place(places_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    names = [t.name for t in _toponyms(places_nlp, text)]
    assert "Ayr" not in names and "Cabudwaaq" in names


@pytest.mark.parametrize(
    ("text", "name", "cc"),
    [
        # the attacker's capital and the town it struck lie on either side of a border
        ("Russia said its forces captured Vovchansk on Monday.", "Vovchansk", "UA"),
        ("Moscow's forces shelled Vovchansk on Monday, killing two civilians.", "Vovchansk", "UA"),
    ],
)
def test_a_town_across_the_border_of_the_named_country_is_kept(places_nlp, text: str, name: str, cc: str) -> None:  # type: ignore[no-untyped-def]
    assert _by_name(_toponyms(places_nlp, text), name).country_code == cc


def test_the_border_exception_is_needed_and_spares_villages(places_nlp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tocsin.geo import resolve

    monkeypatch.setattr(resolve, "NEIGHBOURS_AT_WAR", False)
    text = "Russia said its forces captured Vovchansk on Monday."
    assert _by_name(_toponyms(places_nlp, text), "Vovchansk").country_code is None  # refused without it
    monkeypatch.setattr(resolve, "NEIGHBOURS_AT_WAR", True)
    # Metula (1,600 people) is below the size a name alone across a border is trusted at
    place = _by_name(_toponyms(places_nlp, "Lebanon said its forces shelled Metula on Monday."), "Metula")
    assert place.country_code is None and place.reason is not None


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # after "district center,": the province the place lies in
        ("Taliban militants attacked police in Zari district center, Balkh.", "Balkh", ("AF", "Balkh")),
        # the province ending an unknown name, in another spelling than GeoNames' "Latakia"
        ("Clashes took place between regime forces and fighters in Haddadain Lattakia after an attack.", "Lattakia",
         ("SY", "Latakia")),
        # after "the streets of central": a big town of the report's country by one of its other names ("Al Kut")
        ("On Feb 14 Iraqi women took to the streets of central Kut in defiance of the cleric's calls.", "Kut",
         ("IQ", "Wāsiţ")),
    ],
)
def test_a_name_ner_tags_as_a_person_is_a_place_where_only_a_place_fits(  # type: ignore[no-untyped-def]
    places_nlp, text: str, name: str, expected: tuple[str, str]
) -> None:
    place = _by_name(_toponyms(places_nlp, text), name)
    assert (place.country_code, place.admin1) == expected


def test_a_venue_ending_in_a_regions_spelling_is_no_region(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Center" is a spelling of France's Centre region; in a named venue it is no place
    names = [t.name for t in _toponyms(places_nlp, "He was treated at the Rose Medical Center on Friday.")]
    assert "Center" not in names


def test_english_exonyms_of_regions(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Coalition forces destroyed an IS cave complex with airstrikes in Saladin province."
    assert _by_name(_toponyms(places_nlp, text), "Saladin province").admin1 == "Salah ad Din"
    # the alias does not move a town of that name elsewhere
    assert _by_name(_toponyms(places_nlp, "A fire broke out in Babylon, New York."), "Babylon").country_code == "US"


def test_a_town_ner_calls_a_person_is_kept_when_it_is_the_only_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "On 29 April 2020, families held a sit-in in the direction of the southern entrance to Baalbek."
    assert _by_name(_toponyms(places_nlp, text), "Baalbek").admin1 == "Baalbek-Hermel"


def test_a_person_named_like_a_town_is_no_place_when_the_report_names_others(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "In Ouagadougou, the minister handed the report to Baalbek on Monday."
    assert all(t.name != "Baalbek" or not t.resolved for t in _toponyms(places_nlp, text))


@pytest.mark.parametrize(
    ("text", "capital"),
    [
        ("Police staged a demonstration in the capital to demand higher wages in Burkina Faso.", "Ouagadougou"),
        ("Protesters gathered in the Ukrainian capital on Sunday.", "Kyiv"),
        # the capital's own name follows: that name is the toponym
        ("Syrians fled Aleppo; in the capital, Damascus, officials said the army would advance.", None),
        # two countries, neither the report's more than the other: no guess
        ("Ministers of the Ivory Coast and Burkina Faso met in the capital on Monday.", None),
        # the capital of an island, named after it
        ("STC supporters stormed his office in the capital city of Socotra, Hadibu (Hidaybu, Suqutra).", None),
        # capital as money
        ("Investors poured capital into Kenya.", None),
    ],
)
def test_the_capital_of_the_reports_country(places_nlp, text: str, capital: str | None) -> None:  # type: ignore[no-untyped-def]
    found = [t for t in _toponyms(places_nlp, text) if "capital" in t.name]
    assert [t.place_name for t in found] == ([capital] if capital else [])


def test_a_district_in_a_parenthesis_spelled_with_a_final_h(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "On 5 February 2020 pro-Houthi reinforcements were deployed to Al-Zahir district (Al-Baydah)."
    assert _by_name(_toponyms(places_nlp, text), "Al-Zahir").admin1 == "Al Bayda"


def test_a_desert_in_a_city_is_contained_in_it(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Sokhneh" spells like an alternate name of Sohna, India; the desert lies in Homs
    toponyms = _toponyms(places_nlp, "Regime forces and IS fighters clashed in the Sokhneh desert in Homs.")
    assert all(t.country_code in (None, "SY") for t in toponyms)


def test_a_sponsor_is_no_evidence_of_the_reports_country(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Saudi-led" must not pull Al Jawf (Yemen) to Saudi Arabia's Al Jawf region
    text = "On 4 Feb Saudi-led coalition air raids hit Al-Matun district in northern Yemen (Al-Matun Al-Jawf)."
    assert {t.country_code for t in _toponyms(places_nlp, text) if t.resolved} == {"YE"}


def test_a_town_guessed_by_its_consonants_is_no_evidence_of_the_country(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Panagitsa" matches only Pengze (China) by its consonants; it must not outvote the Greek town named exactly
    text = ("On 5 May 2020, about 250 far-right rioters in Arnissa of Pella set fires and blocked the road to "
            "migrants being transferred to a hotel, who had already been turned away earlier in Panagitsa.")
    assert _by_name(_toponyms(places_nlp, text), "Arnissa").country_code == "GR"


def test_a_region_of_another_country_is_not_inside_a_state(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # Colombia's department La Guajira is no place in Venezuela's Zulia state
    text = "On 4 May 2020, in Machiques de Perija, La Guajira, Zulia state, drivers protested near a station."
    toponyms = _toponyms(places_nlp, text)
    assert not _by_name(toponyms, "La Guajira").resolved
    assert _by_name(toponyms, "Zulia").country_code == "VE"


def test_a_town_abroad_known_only_without_the_article_is_doubted(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Al-Kour" folds to "kour", an alternate name of Chur (Switzerland); the report is about Deir ez-Zor
    text = "Militants attacked an army post in the Al-Kour area east of Al Mayadin on Monday."
    toponyms = _toponyms(places_nlp, text)
    kour = _by_name(toponyms, "Al-Kour")
    assert not kour.resolved and kour.reason == "only candidates lie outside the countries the report names"
    assert _by_name(toponyms, "Al Mayadin").country_code == "SY"


def test_a_name_and_its_container_are_read_together(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # Uganda's Central Region outscores Malawi's alone, and "Dowa" alone leans to China's Duoba; together they are
    # Malawi's town in Malawi's region
    toponyms = _toponyms(places_nlp, "Party members beat an election monitor in Dowa (Central) on Saturday.")
    assert (_by_name(toponyms, "Dowa").country_code, _by_name(toponyms, "Dowa").admin1) == ("MW", "Central Region")
    assert _by_name(toponyms, "Central").country_code == "MW"


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # GeoNames has towns of these names (Middle East, Maryland; Levant, Kansas; Horn, Germany)
        ("Activists in Amman protested against the US Middle East peace plan.", "Middle East"),
        ("Drought and conflict have displaced millions across the Horn of Africa.", "Horn of Africa"),
        ("The group has expanded its operations across the Levant.", "Levant"),
        ("Gangs move cocaine through Central America to the United States.", "Central America"),
    ],
)
def test_a_world_region_is_no_one_place(places_nlp, text: str, region: str) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, text)
    found = _by_name(toponyms, region)
    assert not found.resolved and found.reason == "a region of the world, not one place"
    assert not any((region in t.name or t.name in region) and t.resolved for t in toponyms if t is not found)


def test_a_country_named_like_a_region_stays_the_country(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Armed groups attacked a village in the Central African Republic on Monday."
    assert _by_name(_toponyms(places_nlp, text), "Central African Republic").country_code == "CF"


@pytest.mark.parametrize(
    "text",
    [
        # an aside in parentheses does not break "X neighbourhood in Y"
        "A roadside bomb wounded two policemen in the Jadida neighbourhood (near the old market) in Baquba.",
        # a town written as holding a place rules out a namesake in another country, far away
        "A roadside bomb wounded two policemen in the Jadida neighbourhood in Baquba.",
    ],
)
def test_a_place_inside_a_town_is_not_a_namesake_abroad(places_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    toponyms = _toponyms(places_nlp, text)
    jadida = _by_name(toponyms, "Jadida")
    assert not jadida.resolved and jadida.reason is not None and jadida.reason.startswith("no place of this name in")
    assert _by_name(toponyms, "Baquba").country_code == "IQ"


def test_a_town_in_a_country_bordering_the_reports_is_preferred(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # Katiba Macina is Mali's; Burkina Faso's Barani (exact name) beats India's Baruni (an alternate name, bigger)
    text = "Katiba Macina militants attacked a gendarmerie post in the area of Barani on Monday."
    assert _by_name(_toponyms(places_nlp, text), "Barani").country_code == "BF"


def test_a_country_named_as_a_border_is_no_container_nor_the_reports_country(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Katiba Macina militants attacked a police station in Djibo, near the Mali border, on Monday."
    toponyms = _toponyms(places_nlp, text)
    assert _by_name(toponyms, "Djibo").country_code == "BF"
    text = "Gunmen ambushed a patrol in Soum province near the Mali border."
    assert _by_name(_toponyms(places_nlp, text), "Soum province").country_code == "BF"
