"""ACLED-shaped rows (``tocsin.exports``)."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.exports import acled_row
from tocsin.model import Event, Location


@pytest.mark.parametrize(
    ("country", "region"),
    [
        ("Syria", "Middle East"),  # M49's Western Asia
        ("Iran", "Middle East"),  # M49's Southern Asia, ACLED's Middle East
        ("Afghanistan", "Caucasus and Central Asia"),  # ACLED groups it with Central Asia
        ("Armenia", "Caucasus and Central Asia"),  # the South Caucasus leaves Western Asia
        ("Cyprus", "Europe"),  # and Cyprus joins Europe
        ("Ukraine", "Europe"),  # every European sub-region is one region
        ("Burkina Faso", "Western Africa"),  # African sub-regions keep M49's names
        ("Zimbabwe", "Southern Africa"),  # M49's Eastern Africa, ACLED's Southern Africa
        ("Myanmar", "South-Eastern Asia"),  # renamed
        ("Mexico", "Central America"),
        ("United States", "North America"),
        ("Fiji", "Oceania"),
        ("Atlantis", ""),  # a country the gazetteer does not know: left empty, not guessed
    ],
)
def test_the_region_column_is_acleds_world_region(country: str, region: str) -> None:
    event = Event("Battles", "Armed clash", date=dt.date(2026, 1, 8), location=Location(name="X", country=country))
    assert acled_row(1, event)["region"] == region
