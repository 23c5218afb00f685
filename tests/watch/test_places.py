"""Place names in watch rules, resolved through the real gazetteer: points, admin1 areas, ambiguity, polygons."""

from __future__ import annotations

import pytest

from tocsin.errors import InputError
from tocsin.model import Place
from tocsin.watch.places import resolve_admin1, resolve_near

# A square around Idlib governorate's north-west (lon 36.3..36.9, lat 35.7..36.3), as an imported boundary.
SQUARE = {"type": "Polygon", "coordinates": [[[36.3, 35.7], [36.9, 35.7], [36.9, 36.3], [36.3, 36.3], [36.3, 35.7]]]}


@pytest.mark.parametrize(
    ("text", "country", "admin1", "lat"),
    [
        ("Aleppo", "SY", "Aleppo", 36.2),  # the city, not the governorate's centre
        ("Aleppo, Syria", "SY", "Aleppo", 36.2),  # qualified by country name
        ("Aleppo, SY", "SY", "Aleppo", 36.2),  # qualified by country code
        ("Idleb", "SY", "Idlib", 35.93),  # a transliteration variant
        ("Paris", "FR", "Île-de-France", 48.85),  # the capital outweighs every other Paris ten times over
        ("Springfield, Illinois", "US", "Illinois", 39.8),  # qualified by region
    ],
)
def test_near_resolves_to_one_point(text: str, country: str, admin1: str, lat: float) -> None:
    place = resolve_near(text)
    assert (place.country_code, place.admin1) == (country, admin1)
    assert place.latitude == pytest.approx(lat, abs=0.05)


@pytest.mark.parametrize(
    ("text", "code", "shown"),
    [
        ("Springfield", "T034", "Illinois, United States"),  # many towns of similar size: candidates listed
        ("Springfield, United States", "T034", "Missouri, United States"),  # the country alone is not enough
        ("Qwertzville", "T033", "no place called"),  # unknown
        ("Aleppo, Narnia", "T033", "no country or region called 'Narnia'"),  # unknown qualifier
    ],
)
def test_near_refuses_ambiguous_and_unknown_names(text: str, code: str, shown: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_near(text)
    assert code in str(caught.value) and shown in str(caught.value)


def test_near_prefers_a_user_place_of_that_name() -> None:
    camp = Place(None, "Atmeh Camp", 36.31, 36.66, "SY", "Syria", admin1="Idlib")
    assert resolve_near("atmeh camp", user_places=[camp]) is camp


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Idlib", "Idlib", "SY"),  # the governorate
        ("Idleb governorate", "Idlib", "SY"),  # variant spelling plus the word "governorate"
        ("Kharkiv Oblast", "Kharkiv", "UA"),  # oblast
        ("Texas", "Texas", "US"),  # a state
    ],
)
def test_admin1_resolves(text: str, name: str, country: str) -> None:
    area = resolve_admin1(text)
    assert (area.name, area.country_code, area.geometry) == (name, country, None)


def test_admin1_names_a_town_helpfully() -> None:
    with pytest.raises(InputError) as caught:
        resolve_admin1("Kafr Nabl")
    message = str(caught.value)
    assert "T033" in message and "use --in 'Idlib'" in message


def test_admin1_picks_up_an_imported_polygon() -> None:
    boundary = Place(None, "Idleb", 35.9, 36.6, "SY", "Syria", feature_class="A", feature_code="ADM1", geometry=SQUARE)
    other = Place(None, "Idlib", 35.9, 36.6, "TR", "Turkey", feature_code="ADM1", geometry=SQUARE)  # wrong country
    assert resolve_admin1("Idlib", user_places=[other, boundary]).geometry == SQUARE
    assert resolve_admin1("Aleppo", user_places=[boundary]).geometry is None
