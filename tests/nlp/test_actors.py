"""tocsin_actors: canonical names, inter codes, country focus, dates, hedges, user dictionaries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language

from tocsin.errors import ConfigError
from tocsin.nlp.actors import ActorsComponent, load_dictionary, spellings


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


def test_hedged_alternatives_are_one_joint_actor(nlp: Language) -> None:
    text = "Presumed JNIM or ISGS militants attacked a post in Djibo."
    setup = Setup(toponyms=[place(text, "Djibo", "BF")])
    doc = run(nlp, text, setup)
    [joint] = doc._.actors  # ACLED's "A and/or B" for an uncertain attribution, in the text's order
    assert (joint.text, joint.country_code, joint.inter) == ("JNIM", "BF", 2)
    assert joint.name == "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)"
    assert joint.note == "hedged: Presumed JNIM or ISGS militants"


def test_generic_mentions_say_where_their_country_came_from(nlp: Language) -> None:
    text = "Gunmen killed three villagers near Djibo."
    doc = run(nlp, text, Setup(toponyms=[place(text, "Djibo", "BF")]))
    gunmen = doc._.actors[0]
    assert (gunmen.name, gunmen.note) == ("Unidentified Armed Group (Burkina Faso)", "country from the report's focus")
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Philippines: "NPA" (an acronym of other bodies too) in its country; "communist rebels" only there
        (
            "NPA rebels ambushed soldiers in Samar, the Philippines.",
            [
                ("NPA rebels", "NPA: New People's Army", 2),
                ("soldiers", "Military Forces of the Philippines (2022-)", 1),
            ],
        ),
        (
            "Communist rebels and Abu Sayyaf gunmen were killed in Mindanao, the Philippines.",
            [("Communist rebels", "NPA: New People's Army", 2), ("Abu Sayyaf gunmen", "ASG: Abu Sayyaf Group", 2)],
        ),
        # India: Maoists are CPI (Maoist); a mixed-case acronym ("LeT") matches as written only
        (
            "Maoists attacked a CRPF camp in Chhattisgarh, India. Let them go, he said.",
            [
                ("Maoists", "CPI (Maoist): Communist Party of India (Maoist)", 2),
                ("CRPF", "Police Forces of India (2014-)", 1),
            ],
        ),
        (
            "LeT militants attacked troops in Kashmir, India.",
            [
                ("LeT militants", "LeT: Lashkar-e-Taiba", 2),
                ("troops", "Military Forces of India (2014-)", 1),
            ],
        ),
        # Syria: a hyphen-less Arabic article ("al Islam") is the same name
        (
            "Ahrar al-Sham and Jaish al Islam fighters clashed near Idlib, Syria.",
            [("Ahrar al-Sham", "Ahrar al Sham", 2), ("Jaish al Islam fighters", "Jaysh al Islam", 2)],
        ),
        # Colombia: guerrillas, dissidents and the Gulf Clan ("AGC" only in Colombia)
        (
            "ELN guerrillas and FARC dissidents clashed with the AGC in Colombia.",
            [
                ("ELN guerrillas", "ELN: National Liberation Army", 2),
                ("FARC dissidents", "FARC Dissidents", 2),
                ("AGC", "Clan del Golfo", 3),
            ],
        ),
        # Mexico and Haiti: cartels and gangs are political militias (3)
        (
            "CJNG gunmen clashed with the Sinaloa Cartel in Mexico.",
            [("CJNG gunmen", "CJNG: Jalisco New Generation Cartel", 3), ("Sinaloa Cartel", "Sinaloa Cartel", 3)],
        ),
        (
            "Viv Ansanm gangs attacked Kenyan police of the MSS in Haiti.",
            [
                ("Viv Ansanm gangs", "Viv Ansanm", 3),
                ("Kenyan police", "Police Forces of Kenya (2022-)", 8),
                ("MSS", "MSS: Multinational Security Support Mission in Haiti", 8),
            ],
        ),
        # Great Lakes: CODECO, Wazalendo, FDLR, RED-Tabara
        (
            "CODECO militiamen and Wazalendo fighters attacked the FDLR in DR Congo.",
            [
                ("CODECO militiamen", "CODECO: Cooperative for Development of Congo", 3),
                ("Wazalendo fighters", "Mai-Mai Militia (Democratic Republic of Congo)", 3),
                ("FDLR", "FDLR: Democratic Forces for the Liberation of Rwanda", 2),
            ],
        ),
        # Central African Republic: "anti-Balaka" is a name, not "anti-" something
        (
            "Anti-Balaka militiamen attacked a UPC position in the Central African Republic.",
            [
                ("Anti-Balaka militiamen", "Anti-Balaka", 4),
                ("UPC", "UPC: Union for Peace in the Central African Republic", 2),
            ],
        ),
        # South Sudan: SPLA-IO against the state's forces; "NAS" only there
        (
            "SPLA-IO forces and NAS fighters clashed with the SSPDF in South Sudan.",
            [
                ("SPLA-IO forces", "SPLM/A-IO: Sudan People's Liberation Movement/Army (In Opposition)", 2),
                ("NAS fighters", "NAS: National Salvation Front", 2),
                ("SSPDF", "Military Forces of South Sudan (2011-)", 1),
            ],
        ),
        # Cameroon: "ADF" is the Ambazonia Defence Forces there, the Allied Democratic Forces in Congo
        (
            "Amba boys and ADF fighters attacked Bamenda, Cameroon.",
            [
                ("Amba boys", "Ambazonian Separatists", 2),
                ("ADF fighters", "Ambazonian Separatists", 2),
            ],
        ),
        (
            "ADF rebels killed villagers near Beni, DR Congo.",
            [
                ("ADF rebels", "ADF: Allied Democratic Forces", 2),
                ("villagers", "Civilians (Democratic Republic of Congo)", 7),
            ],
        ),
        # Mozambique's insurgents are called al-Shabab too; Somalia's keep their name
        (
            "Al-Shabab insurgents attacked Mocimboa da Praia, Mozambique.",
            [
                ("Al-Shabab insurgents", "Islamic State (Mozambique)", 2),
            ],
        ),
        ("Al Shabab insurgents attacked a base in Somalia.", [("Al Shabab insurgents", "Al Shabaab", 2)]),
        # "UPDF" is Uganda's army, except in Bangladesh (a local alias shared with a plain one)
        (
            "UPDF soldiers killed al-Shabaab fighters in Somalia.",
            [("UPDF soldiers", "Military Forces of Uganda (1986-)", 8), ("al-Shabaab fighters", "Al Shabaab", 2)],
        ),
        (
            "UPDF cadres shot a man in Khagrachhari, Bangladesh.",
            [("UPDF cadres", "UPDF: United People's Democratic Front", 3)],
        ),
        # clan, tribal and ethnic militias are identity militias (4) wherever they are
        (
            "Clan militias clashed over grazing land in Hiraan, Somalia.",
            [("Clan militias", "Communal Militia (Somalia)", 4)],
        ),
        (
            "Armed tribesmen attacked a checkpoint of the Iraqi army in Basra, Iraq.",
            [
                ("Armed tribesmen", "Communal Militia (Iraq)", 4),
                ("Iraqi army", "Military Forces of Iraq (2022-)", 1),
            ],
        ),
        # "BIR" is the Rapid Intervention Battalion of Cameroon (or of Burkina Faso), nothing elsewhere
        (
            "BIR soldiers raided a separatist camp in Bamenda, Cameroon.",
            [("BIR soldiers", "Military Forces of Cameroon (1982-)", 1)],
        ),
        (
            "The BIR of the bank raised rates in Kenya.",
            [],
        ),
        # units of the state's forces ("Azov", "Akhmat") and Syria's new security forces, by date
        (
            "Azov fighters repelled Akhmat units near Bakhmut, Ukraine.",
            [
                ("Azov fighters", "Military Forces of Ukraine (2019-)", 1),
                ("Akhmat units", "Military Forces of Russia (2000-)", 8),
            ],
        ),
        (
            "General Security forces arrested three men in Latakia, Syria.",
            [("General Security forces", "Police Forces of Syria (2024-)", 1)],
        ),
        # "Arab militias" are Darfur's in Sudan, the tribes' in Syria, and an unnamed militia elsewhere
        (
            "Arab militias attacked Masalit villages in West Darfur, Sudan.",
            [("Arab militias", "Arab Ethnic Militia (Sudan)", 4)],
        ),
        (
            "Arab militias attacked a village in Deir ez-Zor, Syria.",
            [("Arab militias", "Arab Ethnic Militia (Syria)", 4)],
        ),
        ("Arab militias attacked a village in Chad.", [("militias", "Unidentified Armed Group (Chad)", 3)]),
        # bare "settlers" are Israel's only in Israel and Palestine (and do not vote for Israel there)
        (
            "Settlers attacked Palestinian farmers near Nablus in the West Bank.",
            [("Settlers", "Settlers (Israel)", 4), ("farmers", "Farmers (Palestine)", 7)],
        ),
        ("Settlers and indigenes clashed over land in Ghana.", []),
        # "the coalition" is the Saudi-led one in Yemen, the US-led one in Iraq and Syria
        (
            "Coalition forces struck Houthi positions in Hodeidah, Yemen.",
            [
                ("Coalition forces", "Operation Restoring Hope", 8),
                ("Houthi", "Military Forces of Yemen (2017-) Houthi", 1),
            ],
        ),
        (
            "Coalition forces struck an IS hideout near Kirkuk, Iraq.",
            [("Coalition forces", "Global Coalition Against Daesh", 8), ("IS", "Islamic State (Iraq)", 2)],
        ),
        # a place described by a group ("Naxal-affected", "Boko Haram-hit") names no actor
        (
            "Police in Naxal-affected Gadchiroli and Boko Haram-hit Borno made arrests in India.",
            [("Police", "Police Forces of India (2014-)", 1)],
        ),
        # members named by their group are the group ("gunmen from X", "fighters of X", "militants loyal to X")
        (
            "Gunmen from the Viv Ansanm gang coalition attacked Kenscoff, Haiti.",
            [("Gunmen from the Viv Ansanm gang coalition", "Viv Ansanm", 3)],
        ),
        (
            "Militants loyal to the Islamic State attacked Kirkuk, Iraq.",
            [("Militants loyal to the Islamic State", "Islamic State (Iraq)", 2)],
        ),
        # demobilised FARC fighters are civilians (ACLED's rule); the dissidents are armed
        (
            "FARC dissidents killed two former FARC rebels and a social leader in Cauca, Colombia.",
            [
                ("FARC dissidents", "FARC Dissidents", 2),
                ("former FARC rebels", "Civilians (Colombia)", 7),
                ("social leader", "Civilians (Colombia)", 7),
            ],
        ),
        # Sudan's JEM and India's JeM differ only in case
        ("JEM fighters entered El Fasher, Sudan.", [("JEM fighters", "JEM: Justice and Equality Movement", 2)]),
        ("JeM militants attacked a convoy in Pulwama, India.", [("JeM militants", "JeM: Jaish-e-Mohammed", 2)]),
        # Mali: the generic name of the Tuareg rebels follows the date (CMA, CSP-PSD, FLA)
        (
            "Tuareg rebels attacked Malian soldiers near Kidal, Mali.",
            [
                ("Tuareg rebels", "FLA: Azawad Liberation Front", 2),
                ("Malian soldiers", "Military Forces of Mali (2021-)", 1),
            ],
        ),
    ],
)
def test_armed_groups_of_the_world(nlp: Language, text: str, expected: list[tuple[str, str, int]]) -> None:
    assert found(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # an acronym local to one country ("NPA", Philippines) names nothing elsewhere
        "South Africa's NPA said the case against the minister was closed.",
        # "PDF" and "AA" (Myanmar) in an ordinary sentence of another country
        "Please send the PDF of the report to the AA office in Manila, the Philippines.",
        # names inside ordinary words: the Sea of Azov is no unit, a Quds Brigade no Syrian militia
        "Ships crossed the Sea of Azov near Berdiansk, Ukraine.",
        # "federal forces" are Ethiopia's only in Ethiopia
        "The inquiry into federal forces spending in Canada continued.",
        # nor do local aliases make a focus by themselves (no country named: nothing to be local to)
        "The NPA, the PDF and the AA issued statements.",
    ],
)
def test_local_aliases_stay_out_of_other_countries(nlp: Language, text: str) -> None:
    assert [m for m in found(nlp, text) if m[2] != 1] == []
    names = {m[1] for m in found(nlp, text)}
    assert not names & {"NPA: New People's Army", "PDF: People's Defense Force", "Military Forces of Ethiopia (2018-)"}


def test_local_aliases_match_in_their_country(nlp: Language) -> None:
    text = "The PDF and the AA attacked a junta outpost in Sagaing."
    setup = Setup(toponyms=[place(text, "Sagaing", "MM")])
    assert found(nlp, text, setup) == [
        ("PDF", "PDF: People's Defense Force", 2),
        ("AA", "ULA/AA: United League of Arakan/Arakan Army", 2),
        ("junta", "Military Forces of Myanmar (2021-)", 1),
    ]
    ethiopia = "Federal forces clashed with Fano militiamen in Gondar, Ethiopia."
    assert found(nlp, ethiopia)[0] == ("Federal forces", "Military Forces of Ethiopia (2018-)", 1)
    mexico = "Federal forces arrested two men in Sinaloa, Mexico."
    assert found(nlp, mexico) == [("forces", "Military Forces of Mexico (2024-)", 1)]


def test_spellings_of_an_alias() -> None:
    assert spellings("Hay'at Tahrir al-Sham") == [
        "Hay'at Tahrir al-Sham",
        "Hay'at Tahrir al Sham",
        "Hayat Tahrir al-Sham",
        "Hayat Tahrir al Sham",
    ]
    assert spellings("Al Qaeda") == ["Al Qaeda", "Al-Qaeda"]
    assert spellings("Mai-Mai") == ["Mai-Mai", "Mai Mai"]
    # an acronym keeps its hyphen; a word that only starts like an article is no article
    assert spellings("SPLM-N") == ["SPLM-N"]
    assert spellings("Ansaroul Islam") == ["Ansaroul Islam"]


def test_user_dictionary_local_aliases(nlp: Language, tmp_path: Path) -> None:
    extra = {"actors": [{"name": "Kelafo Defence Brigade", "inter": 3, "country": "SO", "local_aliases": ["KDB"]}]}
    path = tmp_path / "actors.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    component = ActorsComponent(nlp, actors_file=str(path))
    somalia = "The KDB attacked al-Shabaab in Somalia."
    assert [m.name for m in component.find(run(nlp, somalia))] == ["Kelafo Defence Brigade", "Al Shabaab"]
    assert [m.name for m in component.find(run(nlp, "The KDB bank in Kenya opened."))] == []


def test_the_shipped_dictionary_is_consistent() -> None:
    dictionary = load_dictionary("")
    names = [entry.name for entry in dictionary.entries]
    assert len(names) == len(set(names))
    for entry in dictionary.entries:
        assert 1 <= entry.inter <= 8, entry.name
        assert entry.aliases or entry.local_aliases or entry.family, entry.name
        for code in (entry.country, *entry.countries):
            assert code is None or code in dictionary.countries, (entry.name, code)
        if entry.local_aliases:
            # a local alias needs a country to be local to
            assert entry.country or entry.countries, entry.name


def test_a_demonym_carries_over_a_coordination(nlp: Language) -> None:
    text = "Turkish army and border guard forces clashed with SDF fighters near Kobani."
    doc = run(nlp, text, Setup(toponyms=[place(text, "Kobani", "SY")]))
    forces = next(m for m in doc._.actors if m.text == "forces")
    assert (forces.name, forces.country_code) == ("Military Forces of Turkey (2016-)", "TR")
    assert forces.note == "country of 'Turkish army', coordinated with it"
