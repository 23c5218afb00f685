"""Resolution choices that need more than one name or word: nearby namesakes, capitals of named countries, titles."""

from __future__ import annotations

import pytest

from tocsin.geo import resolve
from tocsin.model import Toponym


def _choices(nlp, text: str) -> dict[str, tuple[str | None, str | None]]:  # type: ignore[no-untyped-def]
    toponyms: list[Toponym] = list(nlp(text)._.toponyms)
    return {t.name: (t.country_code, t.admin1) for t in toponyms}


LONDON_ST_THOMAS = "A London man was charged after a crash near St. Thomas on Highway 4, police said."


def test_two_namesakes_near_each_other_move_together(places_nlp) -> None:  # type: ignore[no-untyped-def]
    got = _choices(places_nlp, LONDON_ST_THOMAS)
    assert got["London"] == ("CA", "Ontario") and got["St. Thomas"] == ("CA", "Ontario")


def test_without_pair_moves_each_name_stays_where_it_was(places_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the same text, one move at a time: London, England and the Jamaican parish (what the pair move fixes)
    monkeypatch.setattr(resolve, "PAIR_MOVES", False)
    got = _choices(places_nlp, LONDON_ST_THOMAS)
    assert got["London"] == ("GB", "England") and got["St. Thomas"][0] == "JM"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # London and Manchester, Kentucky lie 40 km apart, but two small towns do not outweigh two English cities
        ("A London man was charged after a crash in Manchester, police said.",
         {"London": ("GB", "England"), "Manchester": ("GB", "England")}),
        # a name with a containment written out is left to the containment
        ("A man from London, Ontario was arrested in Manchester on Friday.",
         {"London": ("CA", "Ontario")}),
    ],
)
def test_pair_moves_leave_the_big_readings_alone(places_nlp, text: str, expected) -> None:  # type: ignore[no-untyped-def]
    got = _choices(places_nlp, text)
    for name, place in expected.items():
        assert got[name] == place, (name, got)


KENTUCKY_PARIS = (
    "GEORGETOWN, Ky. - A Georgetown doctor on a family trip to France saw the shooting in Paris on Thursday, "
    "her daughter said."
)


def test_the_capital_of_a_named_country_beats_a_small_namesake_nearby(places_nlp) -> None:  # type: ignore[no-untyped-def]
    assert _choices(places_nlp, KENTUCKY_PARIS)["Paris"] == ("FR", "Île-de-France")


def test_without_the_named_country_feature_paris_is_the_kentucky_town(places_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(resolve, "CAPITAL_OF_NAMED", False)
    assert _choices(places_nlp, KENTUCKY_PARIS)["Paris"] == ("US", "Kentucky")


@pytest.mark.parametrize(
    "text",
    [
        # France is not named: the Kentucky town near Frankfort stays
        "FRANKFORT, Ky. - A Frankfort nurse said Paris was calm a day after she arrived.",
        # containment in the state police's own state, France not named
        "A Georgetown man was arrested in Paris on Thursday, Kentucky State Police said.",
    ],
)
def test_paris_stays_in_kentucky_when_france_is_not_named(places_nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert _choices(places_nlp, text)["Paris"] == ("US", "Kentucky")


GOVERNOR = "Former New York Gov. Mario Cuomo died on Thursday in Manhattan, his family said."


@pytest.mark.parametrize(
    ("text", "feature"),
    [
        # a governor's title after the name: the state, not the city nor New York County
        (GOVERNOR, "ADM1"),
        # the same with the title written out
        ("New York Governor Andrew Cuomo signed the bill in Albany on Friday.", "ADM1"),
        # no title: the city named like its state
        ("New York police arrested two men in Manhattan on Thursday.", "PPL"),
    ],
)
def test_a_governors_title_names_the_state(places_nlp, text: str, feature: str) -> None:  # type: ignore[no-untyped-def]
    found = [t for t in places_nlp(text)._.toponyms if t.name == "New York"]
    assert found and found[0].feature_code == feature and found[0].admin1 == "New York"


def test_without_the_governor_hint_new_york_is_the_city(places_nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tocsin.geo import mentions

    monkeypatch.setattr(mentions, "GOVERNOR_HINT", False)
    found = [t for t in places_nlp(GOVERNOR)._.toponyms if t.name == "New York"]
    assert found[0].feature_code == "PPL"
