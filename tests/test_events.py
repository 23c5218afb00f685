"""Merging reports of one happening: same_happening and merge (pure functions, no database)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tocsin.events import date_interval, haversine_km, merge, same_happening
from tocsin.model import Claim, Event, Location, Span, event_type_of

D = dt.date(2024, 3, 1)
ALEPPO = Location("Aleppo", 36.2021, 37.1343, "Aleppo", None, "Syria", 1)


def ev(sub: str = "Air/drone strike", **kw) -> Event:
    kw.setdefault("date", D)
    kw.setdefault("time_precision", 1)
    kw.setdefault("location", dataclasses.replace(ALEPPO))
    return Event(event_type_of(sub), sub, **kw)


def at(lat: float, lon: float, **kw) -> Location:
    return dataclasses.replace(ALEPPO, latitude=lat, longitude=lon, **kw)


def test_haversine_matches_a_known_distance() -> None:
    assert haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=1.0)  # Paris-London


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (1, (D, D)),  # the day itself
        (2, (D - dt.timedelta(days=6), D + dt.timedelta(days=6))),  # within a week
        (3, (D - dt.timedelta(days=30), D + dt.timedelta(days=30))),  # within a month
    ],
)
def test_date_interval_widens_with_precision(precision: int, expected) -> None:
    assert date_interval(ev(time_precision=precision)) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ev(), ev(), True),  # identical
        (ev(), ev("Shelling/artillery/missile attack"), True),  # same event type, other sub-type
        (ev(), ev("Armed clash"), False),  # other event type
        (ev(), ev(date=D + dt.timedelta(days=1)), True),  # one day apart, within merge_days=1
        (ev(), ev(date=D + dt.timedelta(days=2)), False),  # two days apart
        (ev(), ev(date=D + dt.timedelta(days=5), time_precision=2), True),  # "this week" covers the day
        (ev(), ev(date=None), False),  # undated never merges
        (ev(), ev(location=at(36.30, 37.134)), True),  # ~11 km away
        (ev(), ev(location=at(36.50, 37.134)), False),  # ~33 km away
        (ev(), ev(location=at(35.0, 38.5, geo_precision=3)), True),  # region-only: same admin1 is enough
        (ev(), ev(location=at(35.0, 38.5, geo_precision=3, admin1="Idlib")), False),  # region-only, other admin1
        (ev(), ev(location=at(36.2, 37.1, country="Turkey")), False),  # another country
        (ev(), ev(location=Location()), False),  # no place at all
        (ev(location=Location("Aleppo")), ev(location=Location("aleppo")), True),  # same unresolved name
        (ev(actor1="Army"), ev(), True),  # one side names no actor
        (ev(actor1="Army", actor2="Rebels"), ev(actor1="Rebels", actor2="Army"), True),  # order does not matter
        (ev(actor1="Army", actor2="Rebels"), ev(actor1="army"), True),  # a subset, case-insensitive
        (ev(actor1="Army", actor2="Rebels"), ev(actor1="Police", actor2="Rioters"), False),  # disjoint pairs
        (ev(actor1="Army", actor2="Rebels"), ev(actor1="Army", actor2="Militia"), False),  # contradicting second
        (ev(actor1="Army", assoc_actor_1="Militia"), ev(actor1="Militia"), True),  # associated actor counts
        (ev(actor1="Army"), ev(actor1="Police"), False),  # single actors that differ
        (ev(actor1="Unidentified Armed Group (Syria)"), ev(actor1="Police"), True),  # unidentified names nobody
        (ev(actor1="Army", actor2="Unidentified Armed Group (Syria)"), ev(actor1="Army", actor2="Rebels"), True),
    ],
)
def test_same_happening(a: Event, b: Event, expected: bool) -> None:
    assert same_happening(a, b, days=1, km=25.0) is expected
    assert same_happening(b, a, days=1, km=25.0) is expected  # symmetric


def test_same_happening_honours_the_window_arguments() -> None:
    far = ev(date=D + dt.timedelta(days=3), location=at(36.50, 37.134))
    assert not same_happening(ev(), far, days=1, km=25.0)
    assert same_happening(ev(), far, days=3, km=40.0)


def _claims(e: Event, field: str) -> list:
    return sorted((c.source, c.value) for c in e.claims if c.field == field)


def test_merge_keeps_every_fatality_claim_and_takes_the_minimum() -> None:
    a = ev(fatalities=8, sources=["Wire"], claims=[Claim("health ministry", "fatalities", 8, Span(0, 1))])
    b = ev(fatalities=5, sources=["Paper"], evidence={"fatalities": Span(10, 11, "5")})
    c = ev(fatalities=None, sources=["Radio"])
    a.report_id, b.report_id, c.report_id = "ra", "rb", "rc"
    merged = merge([a, b, c])
    assert merged.fatalities == 5
    assert _claims(merged, "fatalities") == [("Paper", 5), ("health ministry", 8)]
    assert sorted((c.value, c.report_id) for c in merged.claims) == [(5, "rb"), (8, "ra")]  # whose text the span is in
    assert a.claims[0].report_id is None  # the mention itself is not changed
    assert merged.evidence["fatalities"] == Span(10, 11, "5")
    assert "8, 5" in merged.reasons["fatalities"]
    assert merged.sources == ["Wire", "Paper", "Radio"]


def test_merge_takes_displaced_conservatively_too() -> None:
    assert merge([ev(displaced=3000), ev(displaced=1200)]).displaced == 1200


def test_merge_picks_the_most_specific_location_and_most_precise_date() -> None:
    region = ev(location=at(36.0, 37.0, geo_precision=3, name="Aleppo governorate"), confidence=0.9)
    town = ev(location=at(36.21, 37.13, geo_precision=1, name="Aleppo"), date=D, time_precision=1)
    vague = ev(date=D + dt.timedelta(days=2), time_precision=2, confidence=0.95)
    merged = merge([region, vague, town])
    assert merged.location.name == "Aleppo" and merged.location.geo_precision == 1
    assert (merged.date, merged.time_precision) == (D, 1)


def test_merge_takes_actors_from_the_most_confident_mention_naming_any() -> None:
    shy = ev(confidence=0.99)
    low = ev(actor1="Police", inter1=1, confidence=0.2)
    high = ev(actor1="Army", actor2="Rebels", inter1=1, inter2=2, confidence=0.7)
    merged = merge([shy, low, high])
    assert (merged.actor1, merged.actor2, merged.inter2) == ("Army", "Rebels", 2)
    assert merged.confidence == 0.99


def test_merge_prefers_named_actors_over_unidentified_ones() -> None:
    vague = ev(actor1="Unidentified Armed Group (Syria)", confidence=0.9)
    named = ev(actor1="Hayat Tahrir al-Sham", confidence=0.4)
    assert merge([vague, named]).actor1 == "Hayat Tahrir al-Sham"
    assert merge([ev(confidence=0.9), vague]).actor1 == "Unidentified Armed Group (Syria)"  # better than nobody


def test_merge_keeps_the_reasons_of_empty_and_inferred_fields() -> None:
    a = ev(confidence=0.9, reasons={"date": "publication date: no date in text", "actor1": "no actor named"})
    b = ev(confidence=0.5, reasons={"fatalities": "no count in text", "actor1": "pronoun only"})
    merged = merge([a, b])
    assert merged.fatalities is None and merged.reasons["fatalities"] == "no count in text"
    assert merged.reasons["date"].endswith("; publication date: no date in text")  # where from, and why
    assert merged.reasons["actor1"].endswith("; no actor named")  # from the mention the actors came from


def test_merge_of_one_mention_is_an_equal_copy() -> None:
    one = ev(fatalities=3, sources=["Wire"], claims=[Claim("x", "fatalities", 3, Span(0, 1))])
    merged = merge([one])
    assert merged == one and merged is not one and merged.claims is not one.claims


def test_merge_is_deterministic() -> None:
    mentions = [ev(fatalities=n, sources=[f"s{n}"], confidence=0.5) for n in (4, 2, 9)]
    assert merge(mentions) == merge(list(mentions))
    assert merge(mentions).report_id == mentions[0].report_id


def test_merge_needs_mentions() -> None:
    with pytest.raises(ValueError):
        merge([])


def test_a_joint_actor_is_compatible_with_either_of_its_parts() -> None:
    from tocsin.events import _actors_compatible

    def attack(actor1: str) -> Event:
        return Event("Violence against civilians", "Attack", actor1=actor1, actor2="Civilians (Burkina Faso)")

    jnim = "JNIM: Group for Support of Islam and Muslims"
    joint = attack(f"{jnim} and/or Islamic State (Greater Sahara)")
    assert _actors_compatible(joint, attack(jnim))
    assert _actors_compatible(joint, attack("Islamic State (Greater Sahara)"))
    assert not _actors_compatible(joint, attack("Ansaroul Islam"))
