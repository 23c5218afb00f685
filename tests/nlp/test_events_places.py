"""events_places: the words around a place name that make it a reference point or a settlement, and the event
places they give (tocsin_events)."""

from __future__ import annotations

import datetime as dt

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language

from tocsin.model import Toponym
from tocsin.nlp.events_places import reference_point, settlement_name

ATTACK = "Attack"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors", "tocsin_claims", "tocsin_events"))


def unresolved(text: str, name: str) -> Toponym:
    start = text.index(name)
    return Toponym(name=name, start=start, end=start + len(name), reason="not in gazetteer")


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # a distance measured from the place
        ("a village just 17 kilometers (11 miles) from the state capital Dorna", "Dorna", True),
        ("a camp 5 km north of Dorna", "Dorna", True),
        # where it happened
        ("gunmen attacked a camp in Dorna", "Dorna", False),
        ("gunmen attacked a camp near Dorna", "Dorna", False),
    ],
)
def test_a_reference_point(text: str, name: str, expected: bool) -> None:
    assert reference_point(text, unresolved(text, name)) is expected


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        ("the head of Tolun community in Karsi district", ["Tolun"], "Tolun"),
        # the resolver cut the name short: the next capitalised word belongs to it
        ("people were killed in Kasum Bari town of the state", ["Kasum"], "Kasum Bari"),
        ("the attacks occurred in Kalli, a village near the river", ["Kalli"], "Kalli"),
        ("militants raided the village of Kalli at dawn", ["Kalli"], "Kalli"),
        # a community of people gives way to a town named in the same sentences
        ("two groups of Jhari community clashed in Bedo town", ["Jhari", "Bedo"], "Bedo"),
        # a name not called a settlement
        ("militants raided Kalli at dawn", ["Kalli"], None),
    ],
)
def test_a_settlement_name(text: str, names: list[str], expected: str | None) -> None:
    found = settlement_name(text, [unresolved(text, n) for n in names])
    assert (found[1] if found else None) == expected


def test_a_village_the_gazetteer_lacks_is_the_place_in_its_area(nlp: Language) -> None:
    text = "Gunmen on Monday killed the head of Tolun community in Karsi district of Dorna State."
    setup = Setup(
        triggers=[("Gunmen", ATTACK, 0.9)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        toponyms=[unresolved(text, "Tolun"),
                  place(text, "Karsi district", "NG", feature_code="ADM2", admin1="Dorna", admin2="Karsi"),
                  place(text, "Dorna State", "NG", feature_code="ADM1", admin1="Dorna")],
    )
    [event] = run(nlp, text, setup)._.events
    # ACLED codes the village, placed at the district that holds it
    assert (event.location.name, event.location.admin1, event.location.admin2) == ("Tolun", "Dorna", "Karsi")
    assert event.location.geo_precision == 2 and "Karsi district" in event.reasons["location"]


def test_a_town_a_distance_is_measured_from_is_not_the_place(nlp: Language) -> None:
    text = ("Gunmen killed 12 people on Monday in Dorna state. The attacks occurred in Kalli, a village just 17 "
            "kilometers from the state capital Madu.")
    setup = Setup(
        triggers=[("Gunmen", ATTACK, 0.9), ("attacks", ATTACK, 0.5)],
        dates=[("on Monday", dt.date(2025, 3, 3))],
        toponyms=[place(text, "Dorna", "NG", feature_code="ADM1", admin1="Dorna"), unresolved(text, "Kalli"),
                  place(text, "Madu", "NG", feature_code="PPLA", admin1="Dorna")],
    )
    [event] = run(nlp, text, setup)._.events
    assert (event.location.name, event.location.admin1) == ("Kalli", "Dorna")
