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
        # a name the gazetteer lacks: only the admin1 name that ends the parenthesis is kept
        ("Fighting near Qardh (Wald Rabi Al Bayda) continued.", [("Al Bayda", "admin")]),
        # the same after a comma, with the admin1 written in another case
        ("Airstrikes hit Qaniyah (As Sawdiyah, AL Bayda) again.", [("AL Bayda", "admin")]),
        # generic words ("LGA") are no area of their own
        ("Gunmen attacked Mabai (Kankara LGA, Katsina) at night.", [("Kankara", "district"), ("Katsina", "admin")]),
        # a state abbreviation, read only inside an admin parenthesis
        ("Workers protested in Dariyal town (Rampur, UP) on Monday.", [("Rampur", "district"), ("UP", "admin")]),
        # an abbreviation that names a country keeps that meaning
        ("Protesters marched in London (Reuters, UK) on Monday.", []),
        # prose with one capitalised name is no admin hint
        ("A man was held (coded as Ganagoulo at precision 2) there.", []),
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
