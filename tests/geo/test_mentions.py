"""Place mentions: names NER mislabels or runs together with other names (real spaCy pipeline)."""

from __future__ import annotations

import pytest

from tocsin.geo.gazetteer import Gazetteer
from tocsin.geo.mentions import _english_particles, _other_parts


def _places(nlp, text: str) -> dict[str, tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    return {t.name: (t.country_code, t.admin1) for t in nlp(text)._.toponyms}


@pytest.mark.parametrize(
    ("seq", "parts"),
    [
        # "at" before a name that does not start with "t" is the English word: two names
        ("Burkina Faso at Djibo", ["Burkina Faso", "Djibo"]),
        # an Arabic article assimilates to the next word ("at T...", "as S..."): one name
        ("Tell at Tamr", ["Tell at Tamr"]),
        ("Ras as Suwayda", ["Ras as Suwayda"]),
    ],
)
def test_english_particles_split_a_sequence(gazetteer: Gazetteer, seq: str, parts: list[str]) -> None:
    assert [p for _, p in _english_particles(10, seq, gazetteer)] == parts


def test_english_particles_keep_the_offsets(gazetteer: Gazetteer) -> None:
    [(s1, p1), (s2, p2)] = _english_particles(10, "Burkina Faso at Djibo", gazetteer)
    assert (s1, p1, s2, p2) == (10, "Burkina Faso", 26, "Djibo")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        # a name and its province after a comma
        ("Basnere, Soum Province", [(0, 7), (9, 22)]),
        # a village "in" its governorate
        ("Qoqfin in Idleb", [(0, 6), (10, 15)]),
        # "and" joins the words of one organisation name, it does not cut it
        ("Union of Human and Animal Health Workers", [(0, 5), (9, 40)]),
    ],
)
def test_other_entities_are_cut_into_names(text: str, spans: list[tuple[int, int]]) -> None:
    assert [(s, e) for s, e, _ in _other_parts(0, text, "ORG")] == spans


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # NER: "Basnere, Soum Province" is one ORG; the province is a place of its own
        ("Militants burned a school near the village of Basnere, Soum Province, on Friday.", "Soum Province",
         ("BF", "Sahel")),
        # NER: "Qoqfin in Idleb" is one ORG
        ("On 30 April, regime forces shelled Qoqfin in Idleb with artillery.", "Idleb", ("SY", "Idlib")),
        # NER: "the Ministry of Health in Kyiv" is one ORG; the city after "in" is where it happened
        ("Workers protested outside the Ministry of Health in Kyiv on Monday.", "Kyiv", ("UA", "Kyiv City")),
        # "Burkina Faso at Djibo" is one capitalised run; "at" is English here
        ("Gunmen attacked two police posts in northern Burkina Faso at Djibo and Arbinda on Sunday.", "Djibo",
         ("BF", "Sahel")),
    ],
)
def test_places_inside_other_entities_are_found(places_nlp, text: str, name: str, place: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert _places(places_nlp, text).get(name) == place


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # NER cuts a name at "of" or "and"; the gazetteer knows it whole, and the second half is no place of its own
        ("Two men were shot dead in Port of Spain on Friday night.", "Port of Spain", ("TT", "Port of Spain")),
        ("Floods hit Trinidad and Tobago last week.", "Trinidad and Tobago", ("TT", None)),
    ],
)
def test_a_name_ner_cut_at_of_or_and_is_joined(places_nlp, text: str, name: str, place: tuple) -> None:  # type: ignore[no-untyped-def]
    found = _places(places_nlp, text)
    assert found.get(name) == place
    assert not {"Spain", "Tobago", "Port", "Trinidad"} & set(found)


def test_names_joined_by_and_stay_two_when_the_gazetteer_lacks_the_whole(places_nlp) -> None:  # type: ignore[no-untyped-def]
    found = _places(places_nlp, "Storms hit Texas and Oklahoma on Monday.")
    assert found.get("Texas") == ("US", "Texas") and found.get("Oklahoma") == ("US", "Oklahoma")


def test_an_organisation_after_at_is_no_unknown_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # a whole entity after a locative cue counts as a place only when the gazetteer knows it
    names = _places(places_nlp, "He was taken to hospital at Paris Regional Medical Center in Texas on Monday.")
    assert "Paris Regional Medical Center" not in names and names.get("Texas") == ("US", "Texas")


def test_a_part_of_the_place_between_cue_and_name_keeps_the_cue(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "central" between "in" and the name: still a locative cue, so a known name NER calls a person is a place
    text = "On 3 May, a crowd gathered in central Izmir to protest the verdict."
    assert _places(places_nlp, text).get("Izmir") == ("TR", "İzmir")


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # a state at the start of an agency's name (NER: one ORG)
        ("Kentucky State Police said the driver died at the scene.", "Kentucky", ("US", "Kentucky")),
        # a city at the end of a broadcaster's name
        ("The owner told CTV Edmonton that the cat had survived the winter.", "Edmonton", ("CA", "Alberta")),
        # a country right after "of" in an organisation's name
        ("The Conference Board of Canada released its report on Tuesday.", "Canada", ("CA", None)),
        # an abbreviation that folds to a stop word ("us") still names the country
        ("He was sentenced to 20 years in prison, the U.S. Department of Justice said.", "U.S.", ("US", None)),
        # a county written with its generic word, before an office's name, in a report about its state
        ("The Metcalfe County Sheriff's Office in Kentucky investigated the crash.", "Metcalfe County",
         ("US", "Kentucky")),
    ],
)
def test_places_named_inside_organisations_are_places(places_nlp, text: str, name: str, place: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert _places(places_nlp, text).get(name) == place


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a generic word of the organisation's name that is also a town's name (University, Florida)
        ("He spoke at Texas A&M University in College Station on Friday.", "University"),
        # a title before the last name: a person, not a town of that name
        ("It is not true that Governor Bush knew of it, a spokesman said.", "Bush"),
        # an alternate name of a city abroad (Casablanca's Arabic name means "the white house")
        ("The attack was condemned by the White House and the United Nations.", "White House"),
        # a small town named like the organisation's own word after "of" (Justice, Illinois)
        ("He was sentenced to 20 years in prison, the U.S. Department of Justice said.", "Justice"),
        # a small town's name counts only right before an organisation's word ("Glasgow Police"), not a brand
        ("He was a retiree of Campbell Soup Company after 39 years in Texas.", "Campbell"),
    ],
)
def test_words_of_organisations_names_are_not_places(places_nlp, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    assert not any(t.name == word and t.resolved for t in places_nlp(text)._.toponyms)


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # a dateline in capitals before ", State." and the station's name in brackets
        ("RUSSELLVILLE, Ark. (AP) - Authorities say one person died in a crash.", "RUSSELLVILLE", ("US", "Arkansas")),
        # a dateline after a headline's full stop, before a dash
        ("Girl wins prize. INNISFAIL - A nine-year-old girl from Alberta won the prize.", "INNISFAIL",
         ("CA", "Alberta")),
        # NER calls the town an event; a name before its state and a comma is still a place
        ("Survivors include Andra Cox and George Cox, all of Hugo, Oklahoma.", "Hugo", ("US", "Oklahoma")),
        # NER calls the town a person; "the X police" is where a person's name would hardly stand
        ("Since 2010 the Cairns police force has run a programme in Queensland, the minister said.", "Cairns",
         ("AU", "Queensland")),
        # ... and "on her way to X"
        ("She took the same route as her cat on her way to Edmonton for the reunion in Alberta.", "Edmonton",
         ("CA", "Alberta")),
    ],
)
def test_datelines_and_towns_named_as_persons(places_nlp, text: str, name: str, place: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    assert _places(places_nlp, text).get(name) == place


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # the agency in brackets after a dateline is not Andhra Pradesh ("AP" in brackets is read as a state)
        ("RUSSELLVILLE, Ark. (AP) - Authorities say one person died in a crash.", "AP"),
        # a person's name after "son of", even when a big town of the report's country bears it (Hassan, India)
        ("Officials said the son of Hassan was arrested in Karnataka on Monday.", "Hassan"),
        # a word in capitals opening the text without a dash or an agency is no dateline
        ("GREEN fingered youngsters from Enfield planted flowers in the park.", "GREEN"),
    ],
)
def test_no_dateline_or_person_place_without_its_context(places_nlp, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    assert not any(t.name == word and t.resolved for t in places_nlp(text)._.toponyms)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # NER stops at "St." and takes "John" for a person: the name is joined again when the gazetteer knows it
        ("The fire forced the evacuation of Fort St. John on Monday, officials said.", ["Fort St. John"]),
        # a landform word ending an unknown name is not the admin1 closing it (The Valley, Anguilla)
        ("About 30 homes in the Peace River Valley area near Fort St. John will be flooded by the dam.",
         ["Peace River", "Fort St. John"]),
    ],
)
def test_abbreviations_and_landform_words_in_names(places_nlp, text: str, names: list[str]) -> None:  # type: ignore[no-untyped-def]
    toponyms = places_nlp(text)._.toponyms
    assert [t.name for t in toponyms] == names
    assert all(t.country_code == "CA" for t in toponyms)


@pytest.mark.parametrize(
    "text",
    [
        # an ocean with a direction word is the ocean, not Pacific, Missouri
        "The storm formed in the South Pacific on Monday and moved toward Fiji.",
        # the ocean alone, after "the"
        "Flights across the Atlantic were delayed, officials in Miami said.",
    ],
)
def test_oceans_are_not_the_towns_named_after_them(places_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    ocean = [t for t in places_nlp(text)._.toponyms if "Pacific" in t.name or "Atlantic" in t.name]
    assert ocean and ocean[0].latitude is None and ocean[0].reason and ocean[0].reason.startswith("a sea")


@pytest.mark.parametrize(
    ("text", "name", "place"),
    [
        # Nigeria's local government areas, as ACLED's notes and Nigerian papers write them
        ("Gunmen killed 3 people in Kauru LGA (Kaduna) on Monday.", "Kauru LGA", ("ADM2", "Kaduna")),
        ("Gunmen killed the village head in Wase Local Government Area of Plateau State.",
         "Wase Local Government Area", ("ADM2", "Plateau")),
        # DR Congo's territories; "Beni" is also a word that starts longer names ("Beni Suef")
        ("ADF militia killed 4 civilians in Beni territory on Monday.", "Beni", ("ADM2", "Nord Kivu")),
    ],
)
def test_divisions_by_their_national_names(places_nlp, text: str, name: str, place: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    found = {t.name: (t.feature_code, t.admin1) for t in places_nlp(text)._.toponyms}
    assert found.get(name) == place


def test_a_territory_of_a_country_is_no_division_and_no_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    toponyms = places_nlp("Russian troops entered Ukrainian territory and shelled the Northern Territory.")._.toponyms
    assert [(t.name, t.feature_code) for t in toponyms] == [("Northern Territory", "ADM1")]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # a weapon named after a person (and an old name of Perm)
        ("On 8 May 2020, Palestinians hurled Molotov cocktails at a police vehicle near Abu Dis.", "Molotov"),
        # a zone named with a common word that is also a town (Green, Ohio)
        ("Rockets struck a base in the Green Zone in Baghdad on Saturday.", "Green"),
    ],
)
def test_words_naming_no_place(places_nlp, text: str, word: str) -> None:  # type: ignore[no-untyped-def]
    assert not any(t.name == word for t in places_nlp(text)._.toponyms)


def test_a_name_in_parentheses_after_an_organisation_is_its_other_name(places_nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("On 1 May 2020, the Hadash (Jebah) together with the Communist Party held a demonstration in Haifa, "
            "against the Israeli seizure of Palestinian lands.")
    assert [t.name for t in places_nlp(text)._.toponyms] == ["Haifa"]
    # a place in parentheses after a place is still its container
    found = {t.name: t.country_code for t in places_nlp("Heavy fire was reported in Abu Salim (Tripoli).")._.toponyms}
    assert found.get("Tripoli") == "LY"


def test_a_datelines_month_abbreviation_is_no_place(places_nlp) -> None:  # type: ignore[no-untyped-def]
    # "Nov" is a village in Israel's Golan in GeoNames; in a dateline it is November
    text = "GAZA, Nov 20 (Reuters) - An Israeli strike on a house in Gaza killed five people, officials said."
    names = [t.name for t in places_nlp(text)._.toponyms]
    assert "Nov" not in names and "GAZA" in names
