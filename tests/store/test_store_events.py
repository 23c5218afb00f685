"""Stored events: filters, merging of reports, split, corrections, remerge, places."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from storekit import PLACES, claim, event, item

from tocsin.errors import ConflictError, InputError, NotFound, StoreError
from tocsin.model import Place, to_dict
from tocsin.store import EventFilter, Store

D = dt.date(2024, 3, 1)


@pytest.fixture
def filled(store: Store) -> Store:
    """Five unrelated events, one per report."""
    store.add(
        [
            item("aleppo-air", [event("Air/drone strike", day=D, place="Aleppo")]),
            item("idlib-shell", [event("Shelling/artillery/missile attack", day=D + dt.timedelta(days=5), place="Idlib",
                                       actor1="Hayat Tahrir al-Sham", actor2="Military Forces of Syria")]),
            item("kharkiv-air", [event("Air/drone strike", day=D + dt.timedelta(days=10), place="Kharkiv",
                                       actor1="Military Forces of Russia")]),
            item("suva-protest", [event("Peaceful protest", day=D - dt.timedelta(days=3), place="Suva",
                                        actor1="Protesters (Fiji)", fatalities=None)]),
            item("undated", [event("Armed clash", day=None, place="Atarib", actor1="Unidentified Armed Group")]),
        ]
    )  # fmt: skip
    return store


def _rids(store: Store, flt: EventFilter) -> list[str]:
    return [s.mentions[0].report_id for s in store.events(flt)]


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(), ["suva-protest", "aleppo-air", "idlib-shell", "kharkiv-air", "undated"]),  # all, by date
        (EventFilter(date_from=D), ["aleppo-air", "idlib-shell", "kharkiv-air"]),  # undated never match dates
        (EventFilter(date_to=D), ["suva-protest", "aleppo-air"]),  # inclusive end
        (EventFilter(date_from=D + dt.timedelta(days=1), date_to=D + dt.timedelta(days=9)), ["idlib-shell"]),
        (EventFilter(event_type="Explosions/Remote violence"), ["aleppo-air", "idlib-shell", "kharkiv-air"]),
        (EventFilter(sub_event_type="Air/drone strike"), ["aleppo-air", "kharkiv-air"]),
        (EventFilter(country="syria"), ["aleppo-air", "idlib-shell", "undated"]),  # case-insensitive
        (EventFilter(admin1="Idlib"), ["idlib-shell"]),
        (EventFilter(actor="forces of syria"), ["aleppo-air", "idlib-shell"]),  # substring of actor1 or actor2
        (EventFilter(actor="100%"), []),  # LIKE wildcards are taken literally
        (EventFilter(bbox=(35.0, 35.0, 38.0, 37.0)), ["aleppo-air", "idlib-shell", "undated"]),  # northern Syria
        (EventFilter(bbox=(170.0, -20.0, -170.0, -10.0)), ["suva-protest"]),  # across the antimeridian
        (EventFilter(country="Syria", sub_event_type="Air/drone strike"), ["aleppo-air"]),  # combined
    ],
)
def test_filters(filled: Store, flt: EventFilter, expected: list[str]) -> None:
    assert _rids(filled, flt) == expected
    assert filled.count_events(flt) == len(expected)


def test_limit_and_offset_page_through_stable_order(filled: Store) -> None:
    everything = [s.id for s in filled.events()]
    pages = [s.id for s in filled.events(limit=2)] + [s.id for s in filled.events(limit=2, offset=2)]
    assert pages == everything[:4]


def test_events_without_mentions_are_the_same_events(filled: Store) -> None:
    light = filled.events(with_mentions=False)
    full = filled.events()
    assert [(s.id, s.event, s.version) for s in light] == [(s.id, s.event, s.version) for s in full]
    assert all(s.mentions == [] for s in light) and all(len(s.mentions) == 1 for s in full)


@pytest.mark.parametrize(
    "bbox",
    [
        (1.0, 2.0),  # too few numbers
        (0.0, 50.0, 10.0, 40.0),  # min_lat above max_lat
        (0.0, 0.0, 200.0, 10.0),  # longitude out of range
    ],
)
def test_bad_bbox_is_refused(store: Store, bbox) -> None:
    with pytest.raises(InputError):
        store.events(EventFilter(bbox=bbox))


def _two_reports_of_one_strike(store: Store) -> int:
    a = event(fatalities=5, claims=[claim("the civil defence", 5)], confidence=0.9)
    b = event(fatalities=3, place="Aleppo", confidence=0.6, actor1=None)
    b.location.geo_precision = 2
    results = store.add([item("wire", [a], source="Wire"), item("paper", [b], source="Paper")])
    assert results[1].merged == 1 and results[0].event_ids == results[1].event_ids
    return results[0].event_ids[0]


def test_two_reports_of_one_event_merge_keeping_competing_fatalities(store: Store) -> None:
    event_id = _two_reports_of_one_strike(store)
    stored = store.event(event_id)
    merged = stored.event
    assert merged.fatalities == 3  # the minimum, ACLED's rule
    assert sorted(c.value for c in merged.claims if c.field == "fatalities") == [3, 5]  # both kept, not averaged
    assert merged.sources == ["Wire", "Paper"]
    assert merged.actor1 == "Military Forces of Syria"  # from the most confident mention
    assert merged.location.geo_precision == 1
    assert [m.report_id for m in stored.mentions] == ["wire", "paper"]
    assert stored.mentions[1].event.fatalities == 3 and "fatalities" in stored.mentions[1].event.evidence
    assert [s.text for s in stored.mentions[0].sentences] == ["Local sources said 5 people were killed in Aleppo."]
    assert store.counts()["events"] == 1


def test_events_of_one_report_never_merge_with_each_other(store: Store) -> None:
    twin = store.add([item("two-blasts", [event(fatalities=2), event(fatalities=4)])])[0]
    assert len(set(twin.event_ids)) == 2  # the extractor said two events: they stay two
    other = store.add([item("wire", [event(fatalities=3)], source="Wire")])[0]
    assert other.merged == 1 and other.event_ids[0] == twin.event_ids[0]  # joins the oldest candidate
    store.remerge()
    assert store.counts()["events"] == 2


def test_stored_event_serialises_to_json(store: Store) -> None:
    event_id = _two_reports_of_one_strike(store)
    data = json.loads(json.dumps(to_dict(store.event(event_id))))
    assert data["event"]["fatalities"] == 3
    assert [m["report_id"] for m in data["mentions"]] == ["wire", "paper"]
    assert data["mentions"][0]["sentences"][0]["text"].startswith("Local sources said 5 people")


@pytest.mark.parametrize(
    "other",
    [
        event(day=D + dt.timedelta(days=3)),  # three days later
        event(place="Idlib"),  # another city, 70 km away
        event(place="Atarib"),  # 28 km away, beyond the 25 km default
        event("Armed clash"),  # another event type
        event(actor1="Military Forces of Russia", actor2="Hayat Tahrir al-Sham"),  # contradicting actors
    ],
)
def test_different_happenings_stay_apart(store: Store, other) -> None:
    store.add([item("first", [event(actor2="Hayat Tahrir al-Sham")]), item("second", [other])])
    assert store.counts()["events"] == 2


def test_merge_window_comes_from_settings(tmp_path: Path) -> None:
    with Store(tmp_path / "wide.db", merge_km=40.0) as s:
        s.add([item("first", [event()]), item("second", [event(place="Atarib")])])
        assert s.counts()["events"] == 1


def test_split_undoes_a_merge_and_is_respected_later(store: Store) -> None:
    event_id = _two_reports_of_one_strike(store)
    ids = store.split(event_id, who="analyst", reason="two different markets")
    assert ids[0] == event_id and len(ids) == 2
    assert [store.event(i).event.fatalities for i in ids] == [5, 3]
    assert [len(store.event(i).mentions) for i in ids] == [1, 1]
    log = store.corrections(event_id)
    assert [(c.field, c.who, c.reason) for c in log] == [("split", "analyst", "two different markets")]
    assert store.corrections(ids[1])[0].after == event_id
    third = store.add([item("radio", [event(fatalities=4)], source="Radio")])[0]
    assert third.merged == 1  # joins one of them ...
    assert store.counts()["events"] == 2  # ... but never joins the split pair back together
    store.remerge()
    assert store.counts()["events"] == 2


def test_split_of_a_single_source_event_is_refused(store: Store) -> None:
    event_id = store.add([item("alone")])[0].event_ids[0]
    with pytest.raises(StoreError) as err:
        store.split(event_id)
    assert err.value.code == "T205"


def test_correction_is_recorded_versioned_and_survives_new_reports(store: Store) -> None:
    event_id = store.add([item("wire", [event(fatalities=5)])])[0].event_ids[0]
    v1 = store.event(event_id).version
    fixed = store.correct(event_id, "fatalities", 4, who="editor", reason="hospital list", expected_version=v1)
    assert fixed.event.fatalities == 4 and fixed.version == v1 + 1
    (log,) = store.corrections(event_id)
    assert (log.field, log.before, log.after, log.who, log.reason) == ("fatalities", 5, 4, "editor", "hospital list")
    store.add([item("paper", [event(fatalities=9)], source="Paper")])
    again = store.event(event_id)
    assert again.event.fatalities == 4 and len(again.mentions) == 2  # the hand value wins over the merge
    assert again.version > fixed.version


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("fatalities", " 4 ", 4),  # typed on a command line
        ("fatalities", "", None),  # cleared
        ("location.latitude", "35.5", 35.5),  # a float
        ("date", "2024-03-02", dt.date(2024, 3, 2)),  # ISO day
        ("actor2", "Hayat Tahrir al-Sham", "Hayat Tahrir al-Sham"),  # text stays text
    ],
)
def test_corrections_accept_typed_text(store: Store, field: str, text: str, expected) -> None:
    event_id = store.add([item("x")])[0].event_ids[0]
    fixed = store.correct(event_id, field, text, who="cli").event
    got = getattr(fixed.location, field.split(".")[1]) if field.startswith("location.") else getattr(fixed, field)
    assert got == expected


def test_correcting_sub_event_type_moves_the_event_type(store: Store) -> None:
    event_id = store.add([item("x")])[0].event_ids[0]
    store.correct(event_id, "sub_event_type", "Armed clash", who="editor")
    got = store.events(EventFilter(event_type="Battles"))
    assert [s.id for s in got] == [event_id] and got[0].event.sub_event_type == "Armed clash"


def test_location_corrections_move_the_event_on_the_map(store: Store) -> None:
    event_id = store.add([item("x")])[0].event_ids[0]
    store.correct(event_id, "latitude", 35.93, who="editor")
    store.correct(event_id, "location.longitude", 36.63, who="editor")
    assert store.count_events(EventFilter(bbox=(36.5, 35.8, 36.7, 36.0))) == 1
    assert store.event(event_id).event.location.latitude == 35.93


def test_stale_version_is_a_conflict(store: Store) -> None:
    event_id = store.add([item("x")])[0].event_ids[0]
    v = store.event(event_id).version
    store.correct(event_id, "fatalities", 1, who="first editor", expected_version=v)
    with pytest.raises(ConflictError) as err:
        store.correct(event_id, "fatalities", 2, who="second editor", expected_version=v)
    assert err.value.code == "T203"
    assert store.event(event_id).event.fatalities == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("colour", "red", "T207"),  # not a field
        ("event_type", "Battles", "T207"),  # derived from sub_event_type, not set directly
        ("fatalities", -1, "T208"),  # negative count
        ("fatalities", "five", "T208"),  # not a number
        ("date", "yesterday", "T208"),  # not ISO
        ("sub_event_type", "Brawl", "T208"),  # not ACLED
        ("time_precision", 4, "T208"),  # precision is 1..3
        ("latitude", 91.0, "T208"),  # off the globe
    ],
)
def test_invalid_corrections_are_refused(store: Store, field: str, value, code: str) -> None:
    event_id = store.add([item("x")])[0].event_ids[0]
    with pytest.raises(InputError) as err:
        store.correct(event_id, field, value, who="editor")
    assert err.value.code == code
    assert store.corrections() == []


def test_missing_event_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound) as err:
        store.event(999)
    assert err.value.code == "T204"
    with pytest.raises(NotFound):
        store.correct(999, "fatalities", 1, who="editor")


def _scenario() -> list:
    """Reports of three happenings, with a week-precision report and competing figures."""
    t0 = dt.datetime(2024, 3, 1, 8, tzinfo=dt.UTC)
    hours = dt.timedelta(hours=1)
    week = event(fatalities=12, precision=2, day=D + dt.timedelta(days=2), confidence=0.3)
    return [
        item("a1", [event(fatalities=5)], published=t0, source="A"),
        item("b1", [event(place="Idlib", fatalities=2)], published=t0 + hours, source="B"),
        item("a2", [event(fatalities=7, confidence=0.95)], published=t0 + 2 * hours, source="C"),
        item("w", [week], published=t0 + 3 * hours, source="D"),
        item("k1", [event(place="Kharkiv", actor1="Military Forces of Russia")], published=t0 + 4 * hours),
        item("b2", [event(place="Idlib", fatalities=3, day=D + dt.timedelta(days=1))], published=t0 + 5 * hours),
        item("nopub", [event(fatalities=6)], published=None, source="E"),
    ]


def _signature(store: Store) -> list:
    return sorted(
        (tuple(m.report_id for m in s.mentions), s.event.fatalities, s.event.date, tuple(s.event.sources))
        for s in store.events()
    )


def test_remerge_equals_incremental_inserts_in_stable_order(tmp_path: Path) -> None:
    items = _scenario()
    items[-1][0].published = None
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    in_order = sorted(items, key=lambda it: (it[0].published is not None, it[0].published or D, it[1]))
    with Store(tmp_path / "shuffled.db") as a, Store(tmp_path / "ordered.db") as b:
        for it in shuffled:
            a.add([it])
        for it in in_order:
            b.add([it])
        a.remerge()
        assert _signature(a) == _signature(b)
        before = _signature(b)
        b.remerge()
        assert _signature(b) == before  # re-runnable
    assert len(before) == 3


def test_remerge_keeps_event_ids_and_corrections(store: Store) -> None:
    for it in _scenario():
        store.add([it])
    target = store.events(EventFilter(country="Ukraine"))[0].id
    store.correct(target, "fatalities", 11, who="editor")
    ids = [s.id for s in store.events()]
    store.remerge()
    assert [s.id for s in store.events()] == ids
    assert store.event(target).event.fatalities == 11


def test_places_are_added_replaced_and_listed(store: Store) -> None:
    lat, lon, admin1, country = PLACES["Aleppo"]
    point = {"type": "Point", "coordinates": [lon, lat]}
    quarter = Place(None, "Salah al-Din", lat, lon, "SY", country, admin1, parent="Aleppo", geometry=point)
    quarter.alternate_names = ("Salaheddine",)
    assert store.add_places([quarter]) == 1
    moved = Place(None, "Salah al-Din", lat + 0.01, lon, "SY", country, admin1, parent="Aleppo")
    store.add_places([moved])
    assert store.places() == [moved]
    assert store.counts()["places"] == 1
    store.add_places([quarter])
    assert store.places()[0].alternate_names == ("Salaheddine",)
    assert store.places()[0].geometry == {"type": "Point", "coordinates": [lon, lat]}
