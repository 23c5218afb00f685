"""tocsin_actors: canonical names, inter codes, country focus, dates, hedges, user dictionaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language

from tocsin.errors import ConfigError
from tocsin.nlp.actors import ActorsComponent, load_dictionary


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors",))


def found(nlp: Language, text: str, setup: Setup | None = None) -> list[tuple[str, str, int]]:
    doc = run(nlp, text, setup)
    for mention in doc._.actors:
        assert text[mention.start : mention.end] == mention.text
    return [(m.text, m.name, m.inter) for m in doc._.actors]


SYRIA_2019 = Setup(published=dt.datetime(2019, 10, 2, tzinfo=dt.UTC))


@pytest.mark.parametrize(
    ("text", "setup", "expected"),
    [
        # a demonym picks the country; the publication date picks the regime period
        ("The Syrian army shelled the town.", None, [("Syrian army", "Military Forces of Syria (2024-)", 1)]),
        ("The Syrian army shelled the town.", SYRIA_2019, [("Syrian army", "Military Forces of Syria (2000-2024)", 1)]),
        # a state's forces abroad are external (inter 8)
        (
            "Russian warplanes struck Idlib in Syria.",
            None,
            [("Russian warplanes", "Military Forces of Russia (2000-)", 8)],
        ),
        # a named group's name changes with the date (Taliban before and after August 2021)
        ("Taliban fighters attacked a checkpoint.", SYRIA_2019, [("Taliban fighters", "Taliban", 2)]),
        (
            "Taliban fighters attacked a checkpoint.",
            None,
            [("Taliban fighters", "Military Forces of Afghanistan (2021-)", 1)],
        ),
        # acronyms match only in capitals: "is" is a verb, "IS" the Islamic State, resolved by country
        (
            "It is clear that IS militants attacked Iraqi police.",
            None,
            [
                ("IS militants", "Islamic State (Iraq)", 2),
                ("Iraqi police", "Police Forces of Iraq (2022-)", 1),
            ],
        ),
        # generic words take the country of the report's resolved toponyms
        (
            "Protesters gathered in Kirkuk and police dispersed them.",
            Setup(toponyms=[]),
            [("Protesters", "Protesters", 6), ("police", "Police Forces", 1)],
        ),
        # pro-government militia wording
        (
            "Damascus-aligned factions clashed with HTS.",
            None,
            [
                ("Damascus-aligned factions", "Militia (Pro-Government)", 3),
                ("HTS", "HTS: Hayat Tahrir al Sham", 2),
            ],
        ),
        # an alias shared by two actors goes to the one of the report's country
        ("SNA troops repelled an attack in Somalia.", None, [("SNA troops", "Military Forces of Somalia (2022-)", 1)]),
        ("SNA factions shelled Manbij in Syria.", None, [("SNA", "JWS: Syrian National Army", 2)]),
        # typographic apostrophes match like straight ones; "anti-X" is not X
        (
            "Israel’s military struck anti-Hamas gunmen.",
            None,
            [
                ("Israel’s military", "Military Forces of Israel (2022-)", 1),
                ("gunmen", "Unidentified Armed Group (Israel)", 3),
            ],
        ),
        # an adjective is not an actor
        ("A military vehicle was hit; civilian casualties were reported.", None, []),
        # civilian sub-groups keep their own name (ACLED's associated actors)
        (
            "Gunmen abducted students in Nigeria.",
            None,
            [("Gunmen", "Unidentified Armed Group (Nigeria)", 3), ("students", "Students (Nigeria)", 7)],
        ),
    ],
)
def test_canonical_names(nlp: Language, text: str, setup: Setup | None, expected: list[tuple[str, str, int]]) -> None:
    assert found(nlp, text, setup) == expected


def test_toponyms_set_the_country_focus(nlp: Language) -> None:
    text = "Protesters gathered in Kirkuk and police dispersed them."
    setup = Setup(toponyms=[place(text, "Kirkuk", "IQ")])
    assert found(nlp, text, setup) == [
        ("Protesters", "Protesters (Iraq)", 6),
        ("police", "Police Forces of Iraq (2022-)", 1),
    ]


def test_hedged_alternatives_keep_the_first_group(nlp: Language) -> None:
    text = "Presumed JNIM or ISGS militants attacked a post in Djibo."
    setup = Setup(toponyms=[place(text, "Djibo", "BF")])
    doc = run(nlp, text, setup)
    first = doc._.actors[0]
    assert (first.text, first.country_code) == ("JNIM", "BF")
    assert first.name == "JNIM: Group for Support of Islam and Muslims"
    assert first.note == "hedged: Presumed JNIM or ISGS militants"
    assert all("Islamic State" not in m.name for m in doc._.actors)


def test_generic_mentions_say_where_their_country_came_from(nlp: Language) -> None:
    text = "Gunmen killed three villagers near Djibo."
    doc = run(nlp, text, Setup(toponyms=[place(text, "Djibo", "BF")]))
    gunmen = doc._.actors[0]
    assert gunmen.name == "Unidentified Armed Group (Burkina Faso)"
    assert gunmen.note is None
    army = run(nlp, "The army said it killed ten terrorists in Burkina Faso.")._.actors[0]
    assert (army.name, army.note) == ("Military Forces of Burkina Faso (2022-)", "country from the report's focus")


def test_user_dictionary_is_merged_over_the_shipped_one(nlp: Language, tmp_path: Path) -> None:
    extra = {
        "actors": [
            {"name": "Kelafo Defence Brigade", "inter": 3, "country": "SO", "aliases": ["Kelafo Brigade", "KDB"]},
            {"name": "Hezbollah", "inter": 2, "country": "LB", "aliases": ["Party of God"]},
        ]
    }
    path = tmp_path / "actors.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    component = ActorsComponent(nlp, actors_file=str(path))
    doc = nlp("The KDB and the Party of God fought Hamas.")
    names = [m.name for m in component.find(doc)]
    assert names == ["Kelafo Defence Brigade", "Hezbollah", "Hamas Movement"]
    # the override replaced the shipped aliases of the same name
    assert [m.name for m in component.find(nlp("Hizbollah fired rockets."))] == []


def test_a_broken_user_dictionary_is_a_coded_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_dictionary(str(path))
    assert caught.value.code == "T104"
    assert str(path) in caught.value.message


def test_period_names_follow_the_date() -> None:
    dictionary = load_dictionary("")
    assert dictionary.state_name("military", "BF", dt.date(2018, 5, 1)) == "Military Forces of Burkina Faso (2015-2022)"
    assert dictionary.state_name("police", "BF", dt.date(2014, 1, 1)) == "Police Forces of Burkina Faso (1987-2014)"
    assert dictionary.rename("Military Forces of Syria (2024-)", dt.date(2019, 1, 1)) == (
        "Military Forces of Syria (2000-2024)",
        1,
    )
    assert dictionary.rename("Not An Actor", dt.date(2019, 1, 1)) == ("Not An Actor", None)


def test_governments_share_the_state_period(nlp: Language) -> None:
    text = "The Burkinabe government declared a state of emergency; anti-government protesters gathered."
    assert found(nlp, text) == [
        ("Burkinabe government", "Government of Burkina Faso (2022-)", 1),
        ("protesters", "Protesters (Burkina Faso)", 6),
    ]


def test_local_actors_outvote_a_misplaced_toponym(nlp: Language) -> None:
    text = "Gunmen attacked Al Arish as Houthi forces shelled the town and the Houthis fired drones."
    # one place resolved in the wrong country (Egypt) is outvoted by two Yemen-only actors
    doc = run(nlp, text, Setup(toponyms=[place(text, "Al Arish", "EG")]))
    assert doc._.actors[0].name == "Unidentified Armed Group (Yemen)"
