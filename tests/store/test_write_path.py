"""The batched write path (store/bulk.py, engine's bulk helpers): same events as one-by-one adds, exact search boxes."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from storekit import event, item

from tocsin import events as rules
from tocsin.errors import StoreError
from tocsin.model import Claim, Event, Location, Span, Toponym, event_type_of, to_dict
from tocsin.store import Store, bulk
from tocsin.store.codec import dumps, loads
from tocsin.store.tables import reports

D = dt.date(2024, 3, 1)
T0 = dt.datetime(2024, 3, 1, 6, tzinfo=dt.UTC)

#: Places for the mixed corpus: (name, lat, lon, admin1, country, geo_precision, geonames_id).
_SPOTS = [
    ("Aleppo", 36.2021, 37.1343, "Aleppo", "Syria", 1, None),
    ("Atarib", 36.1361, 36.8303, "Aleppo", "Syria", 1, None),  # ~28 km from Aleppo: apart at 25 km
    ("Aleppo east", 36.2100, 37.3000, "Aleppo", "Syria", 2, None),  # ~15 km from Aleppo: together
    ("Aleppo region", 36.0, 37.5, "Aleppo", "Syria", 3, None),  # region precision: admin1 decides
    ("Idlib region", 35.8, 36.6, "Idlib", "Syria", 3, None),
    ("Kafr Nabl", None, None, "Idlib", "Syria", 2, 169389),  # no point: GeoNames id decides
    ("Suva east", -17.0, 179.95, "Central", "Fiji", 1, None),  # these two are ~11 km apart,
    ("Suva west", -17.0, -179.95, "Central", "Fiji", 1, None),  # across the antimeridian
    ("Pole a", 89.9, 0.0, None, None, 1, None),  # ~22 km apart across the pole
    ("Pole b", 89.9, 180.0, None, None, 1, None),
]
_SUBS = ("Air/drone strike", "Armed clash", "Shelling/artillery/missile attack")
_ACTORS = (None, "Military Forces of Syria", "Hayat Tahrir al-Sham", "Unidentified Armed Group")


def _mention(rng: random.Random) -> Event:
    name, lat, lon, admin1, country, precision, geonames_id = rng.choice(_SPOTS)
    sub = rng.choice(_SUBS)
    killed = rng.choice([None, 0, 2, 5, 11])
    claims = [Claim(f"source {rng.randrange(3)}", "fatalities", killed, Span(0, 4, "text"))] if killed else []
    return Event(
        event_type=event_type_of(sub),
        sub_event_type=sub,
        date=None if rng.random() < 0.05 else D + dt.timedelta(days=rng.randrange(0, 70)),
        time_precision=rng.choice([1, 1, 1, 2, 3]),
        actor1=rng.choice(_ACTORS),
        actor2=rng.choice(_ACTORS[:2]),
        location=Location(name, lat, lon, admin1, None, country, precision, geonames_id),
        fatalities=killed,
        claims=claims,
        evidence={"event_type": Span(0, 6, "struck")},
        confidence=round(rng.random(), 2),
    )


def _corpus(n: int, seed: int = 3) -> list[tuple[Any, str, Any]]:
    """``n`` reports: a quarter repeat an earlier report's event, some carry two events, a few repeat a hash."""
    rng = random.Random(seed)
    items: list[tuple[Any, str, Any]] = []
    for i in range(n):
        if items and rng.random() < 0.05:
            items.append(rng.choice(items))  # the same report again: stored once
            continue
        if items and rng.random() < 0.25:
            earlier = rng.choice(items)[2].events
            events = [to_copy(e) for e in earlier[:1]] if earlier else [_mention(rng)]
        else:
            events = [_mention(rng) for _ in range(rng.choice([0, 1, 1, 1, 2]))]
        published = None if rng.random() < 0.05 else T0 + dt.timedelta(minutes=rng.randrange(0, 10_000))
        items.append(item(f"r{i}", events, source=f"agency {i % 4}", published=published))
    return items


def to_copy(e: Event) -> Event:
    """Another source's account of the same event (its own confidence and figures)."""
    return Event(**{**{f: getattr(e, f) for f in e.__dataclass_fields__}, "confidence": 0.5, "claims": []})


def _stored(store: Store) -> list[tuple[Any, ...]]:
    return [
        (s.id, s.version, to_dict(s.event), [m.report_id for m in s.mentions], [m.mention_id for m in s.mentions])
        for s in store.events()
    ]


def _results(results: list[Any]) -> list[tuple[Any, ...]]:
    return [(r.content_hash, r.added, r.event_ids, r.merged, r.notices) for r in results]


@pytest.mark.parametrize("batch", [40, 500])  # several batches joining stored events; one batch holding all
def test_batched_and_one_by_one_adds_store_the_same_events(make_db, batch: int) -> None:
    corpus = _corpus(160)
    batched, single = Store(make_db()), Store(make_db())
    try:
        got: list[Any] = []
        for i in range(0, len(corpus), batch):
            got += batched.add(corpus[i : i + batch])
        want: list[Any] = []
        for it in corpus:
            want += single.add([it])
        assert _results(got) == _results(want)
        stored = _stored(batched)
        assert stored == _stored(single)
        assert any(len(s[3]) >= 3 for s in stored)  # the corpus does merge, across batches too
        assert batched.counts() == single.counts()
    finally:
        batched.close()
        single.close()


def test_batched_adds_join_corrected_events_like_single_adds(make_db) -> None:
    first, later = _corpus(60, seed=5), _corpus(60, seed=5)[30:]
    stores = [Store(make_db()), Store(make_db())]
    try:
        for s in stores:
            s.add(first[:30])
            target = max(s.events(), key=lambda e: len(e.mentions)).id
            s.correct(target, "fatalities", 99, who="editor")
        stores[0].add(later)
        for it in later:
            stores[1].add([it])
        assert _stored(stores[0]) == _stored(stores[1])
        assert stores[0].event(target).event.fatalities == 99  # the correction survives the joins
    finally:
        for s in stores:
            s.close()


@pytest.mark.parametrize(
    ("stored", "new", "joins"),
    [
        ((D, 3), (D + dt.timedelta(days=29), 1), True),  # month precision reaches 30 days on
        ((D + dt.timedelta(days=29), 1), (D, 3), True),  # and 30 days back
        ((D, 3), (D + dt.timedelta(days=33), 1), False),  # beyond 30 + 1 days
        ((D, 2), (D + dt.timedelta(days=7), 1), True),  # week precision: 6 + 1 days
        ((D, 2), (D + dt.timedelta(days=8), 1), False),
        ((D, 2), (D - dt.timedelta(days=13), 2), True),  # two weeks: 6 + 6 + 1 days apart
    ],
)
def test_wide_and_narrow_stored_intervals_are_found(
    store: Store, stored: tuple[dt.date, int], new: tuple[dt.date, int], joins: bool
) -> None:
    store.add([item("first", [event(day=stored[0], precision=stored[1])])])
    result = store.add([item("second", [event(day=new[0], precision=new[1])])])
    assert result[0].merged == int(joins)
    assert store.count_events() == (1 if joins else 2)


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` (degrees), on haversine_km's sphere."""
    d = km / rules._EARTH_RADIUS_KM
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


@pytest.mark.parametrize(
    ("lat", "lon", "bounded"),
    [
        (36.2, 37.1, True),  # Aleppo: a box both ways
        (0.0, 0.0, True),  # the equator
        (-54.8, -68.3, True),  # far south (Ushuaia): a wide longitude span
        (70.0, 25.0, True),  # far north
        (88.95, 10.0, False),  # the pole is within reach: no longitude bound
        (-17.0, 179.9, False),  # crosses the antimeridian: no longitude bound
        (-17.0, -179.9, False),
    ],
)
def test_search_box_holds_every_point_within_reach(lat: float, lon: float, bounded: bool) -> None:
    km = 25.0
    south, north, west, east = bulk._box(Location("x", lat, lon, geo_precision=1), km)
    assert south is not None and north is not None
    assert (west is not None) == bounded
    for bearing in range(0, 360, 3):
        for reach in (km * 0.999, km):
            plat, plon = _destination(lat, lon, reach, bearing)
            assert rules.haversine_km(lat, lon, plat, plon) <= km + 1e-9
            assert south <= plat <= north
            if west is not None:
                assert west <= plon <= east  # type: ignore[operator]
    if bounded:  # and the box is tight: twice the radius, plus the 1% margin
        assert (north - south) * bulk._KM_PER_DEGREE < 2 * km * 1.02


@pytest.mark.parametrize(
    "location",
    [
        Location("Aleppo region", 36.0, 37.5, "Aleppo", None, "Syria", 3),  # region precision: admin1 decides
        Location("Kafr Nabl", None, None, "Idlib", None, "Syria", 2, 169389),  # no point
    ],
)
def test_no_box_where_places_are_not_compared_by_distance(location: Location) -> None:
    assert bulk._box(location, 25.0) == (None, None, None, None)


def test_candidate_query_returns_only_events_a_mention_could_join(store: Store) -> None:
    def one(rid: str, **kw: Any) -> list:
        return [item(rid, [event(actor1=f"Group {rid}", **kw)])]  # actors apart: nothing stored merges

    stored = [one(f"near{i}", day=D + dt.timedelta(days=i)) for i in range(3)]  # Aleppo, D..D+2
    stored.append(one("idlib", day=D, place="Idlib"))  # ~30 km north-south alone: outside the box
    stored.append(one("atarib", day=D, place="Atarib"))  # ~28 km west: outside the box
    stored.append(one("later", day=D + dt.timedelta(days=20)))
    stored.append([item("protest", [event("Peaceful protest", day=D, actor1="Protesters (Syria)")])])
    stored.append(one("month", day=D - dt.timedelta(days=25), precision=3))  # month-wide: reaches D
    region = one("region", day=D)
    region[0][2].events[0].location = Location("Aleppo region", 35.5, 38.5, "Aleppo", None, "Syria", 3)
    stored.append(region)  # region precision: admin1 decides, not distance
    for batch in stored:
        store.add(batch)
    assert store.count_events() == 9
    mention = event(day=D)
    pending: list[bulk.Entry] = [("h", 0, mention, rules.date_interval(mention), "{}", ())]
    with store.engine.connect() as conn:
        candidates = bulk._load_candidates(conn, pending, days=1, km=25.0)
    assert candidates.window_of == [0]  # the mention's window, the only one
    found = {stored.row.actor1 for stored in candidates.rows[0]}
    # D and D+1 (D+2 is two days off), the month-wide one 25 days before, the region-precision one
    assert found == {"Group near0", "Group near1", "Group month", "Group region"}


@pytest.mark.parametrize(
    "published",
    [
        dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC),  # whole seconds: SQLAlchemy still writes .000000
        dt.datetime(2024, 3, 1, 12, 0, 0, 250, tzinfo=dt.UTC),  # microseconds
        dt.datetime(2024, 3, 1, 14, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))),  # another zone: kept as UTC
    ],
)
def test_sqlite_rows_are_stored_as_sqlalchemy_writes_them(tmp_path: Path, published: dt.datetime) -> None:
    bulk_path, orm_path = tmp_path / "bulk.db", tmp_path / "core.db"
    it = item("r", published=published)
    with Store(bulk_path) as s:
        s.add([it])
        with s.engine.connect() as conn:
            raw = conn.exec_driver_sql("SELECT published, ingested_at FROM reports").one()
    with Store(orm_path) as s, s.transaction() as conn:
        conn.execute(sa.insert(reports).values(content_hash="x", report_id="r", text="t", published=published,
                                               ingested_at=published, status="extracted", toponyms=[]))
        expected = conn.exec_driver_sql("SELECT published FROM reports").scalar()
    assert raw[0] == expected == "2024-03-01 12:00:00" + (".000250" if published.microsecond else ".000000")
    assert len(raw[1]) == len("2024-03-01 12:00:00.000000")


@pytest.mark.parametrize(
    "value",
    [
        event(claims=[Claim("A", "fatalities", 3, Span(1, 2, "x"))]),  # a mention with dates, spans, claims
        [Toponym("Aleppo", 0, 6, 36.2, 37.1, 170063)],  # the toponyms column
        {"when": dt.datetime(2024, 3, 1, 12, 30, 5, 7), "day": dt.date(2024, 3, 1)},  # naive datetime: UTC, Z
        {"big": 2**70, "nested": [1.5, None, True]},  # beyond 64 bits: the reference path
    ],
)
def test_json_text_is_the_to_dict_document(value: Any) -> None:
    assert loads(dumps(value)) == to_dict(value)


def test_unserialisable_values_raise_type_error() -> None:
    with pytest.raises(TypeError):
        dumps({"a": {1, 2}})


def test_a_database_error_in_a_bulk_write_rolls_the_batch_back(store: Store) -> None:
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite text holds NUL characters; PostgreSQL refuses them inside the events COPY")
    store.add([item("kept")])
    before = store.counts()
    bad = item("bad", [event(place="Kharkiv", notes="a\x00b")])  # a new event: its notes go through COPY
    with pytest.raises(StoreError) as err:
        store.add([item("fine", [event(place="Suva")]), bad])
    # text COPY: psycopg refuses the NUL; binary COPY: the server refuses the byte (UTF8 0x00)
    assert err.value.code == "T209" and ("NUL" in err.value.message or "0x00" in err.value.message)
    assert store.counts() == before
    assert store.add([item("fine", [event(place="Suva")])])[0].added  # and the good report goes in later


def _at(lat: float | None, lon: float | None, country: str | None = "Syria", precision: int = 1) -> Location:
    return Location("Somewhere", lat, lon, "Aleppo", None, country, precision)


@pytest.mark.parametrize(
    ("a", "b", "elsewhere"),
    [
        (_at(36.2, 37.1), _at(36.2, 37.1, " SYRIA "), False),  # one country, spelt apart
        (_at(36.2, 37.1), _at(36.2, 37.1, "   "), True),  # a blank country disagrees, as same_happening reads it
        (_at(36.2, 37.1), _at(36.2, 37.1, None), False),  # no country: the points decide
        (_at(36.2, 37.1), _at(36.2, 37.1, "Iraq"), True),  # another country
        (_at(36.2, 37.1), _at(36.65, 37.1), True),  # ~50 km apart in latitude alone
        (_at(36.2, 37.1), _at(36.2, 37.65), True),  # ~49 km apart along the parallel: haversine
        (_at(36.2, 37.1), _at(36.3, 37.2), False),  # ~14 km: near
        (_at(36.2, 37.1), _at(30.0, 45.0, precision=3), False),  # region precision: admin1 decides, not distance
        (_at(36.2, 37.1), _at(None, None), False),  # no point: names decide
    ],
)
def test_elsewhere_is_an_exact_subset_of_same_happening(a: Location, b: Location, elsewhere: bool) -> None:
    assert bulk._Place(a).elsewhere(bulk._Place(b), 25.0) is elsewhere
    one, other = event(), event()
    one.location, other.location = a, b
    if elsewhere:  # never drops a candidate same_happening would keep
        assert not rules.same_happening(one, other, days=1, km=25.0)
