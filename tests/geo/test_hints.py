"""Admin parentheses and local armed groups as evidence of where a report is (real gazetteer, real spaCy)."""

from __future__ import annotations

import pytest

from tocsin.geo.gazetteer import Gazetteer
from tocsin.geo.hints import actor_countries, admin_parentheses


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # district then province, no comma (ACLED's older notes)
        ("Shells hit the Udayn junction (Hays Al Hudaydah) at dawn.", [("Hays", "district"), ("Al Hudaydah", "admin")]),
        # district, comma, province
        ("Workers protested in Ashulia town (Savar, Dhaka) on Monday.", [("Savar", None), ("Dhaka", "admin")]),
        # a single district-level name in brackets
        ("Clashes in Qaniyah (Mahliyah Marib) and beyond.", [("Mahliyah", "district"), ("Marib", "admin")]),
        # a parenthesis with a word that is no place name is not an admin hint
        ("Two were killed (the army said) in the attack.", []),
        # a name the gazetteer lacks spoils the whole parenthesis: no partial guesses
        ("Fighting near Qardh (Wald Rabi Al Bayda) continued.", []),
        # lower-case content is prose, not names
        ("The convoy (three trucks) arrived.", []),
    ],
)
def test_admin_parentheses(gazetteer: Gazetteer, text: str, expected: list[tuple[str, str | None]]) -> None:
    hints = admin_parentheses(text, gazetteer)
    assert [(h.name, h.hint) for h in hints] == expected
    for h in hints:
        assert text[h.start:h.end] == h.name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Houthi fighters shelled the village overnight.", [("YE",)]),  # a Yemeni group
        ("QSD forces clashed with the attackers in the village of Dardara.", [("SY",)]),  # Syrian, by acronym
        ("Presumed JNIM militants attacked the village.", [("ML", "BF", "NE", "BJ", "TG")]),  # a regional group
        ("Unknown gunmen killed a man on Tuesday.", []),  # no named group
    ],
)
def test_actor_countries(places_nlp, text: str, expected: list[tuple[str, ...]]) -> None:  # type: ignore[no-untyped-def]
    assert actor_countries(places_nlp.make_doc(text), places_nlp) == expected
