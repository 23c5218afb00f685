"""Spatial questions: events in a box or polygon, subscriptions meeting an area (PostGIS on PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
import shapely
import sqlalchemy as sa
from storekit import event, item

from tocsin.errors import InputError
from tocsin.store import EventFilter, Store, spatial


@pytest.fixture
def placed(store: Store) -> Store:
    store.add([item(name, [event(place=name)]) for name in ("Aleppo", "Idlib", "Kharkiv", "Suva")])
    return store


def _places(store: Store, flt: EventFilter) -> list[str]:
    return sorted(e.event.location.name or "" for e in store.events(flt))


NORTH_SYRIA = "POLYGON((36.5 35.5, 37.5 35.5, 37.5 36.5, 36.5 36.5, 36.5 35.5))"  # Aleppo and Idlib
ALEPPO_ONLY = "POLYGON((37.0 36.0, 37.3 36.0, 37.3 36.4, 37.0 36.4, 37.0 36.0))"
TRIANGLE = "POLYGON((36.5 35.8, 37.3 35.8, 36.5 36.3, 36.5 35.8))"  # Idlib inside; Aleppo in its box, not in it


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(bbox=(36.0, 35.0, 38.0, 37.0)), ["Aleppo", "Idlib"]),  # a box around north Syria
        (EventFilter(bbox=(170.0, -30.0, -170.0, -10.0)), ["Suva"]),  # a box across the antimeridian
        (EventFilter(area=NORTH_SYRIA), ["Aleppo", "Idlib"]),  # a polygon as WKT
        (EventFilter(area=shapely.from_wkt(ALEPPO_ONLY)), ["Aleppo"]),  # a shapely polygon
        (EventFilter(area=TRIANGLE), ["Idlib"]),  # inside the box is not inside the polygon
        (EventFilter(area=NORTH_SYRIA, bbox=(36.0, 35.0, 36.7, 36.0)), ["Idlib"]),  # both must hold
    ],
)
def test_events_in_a_box_or_polygon(placed: Store, flt: EventFilter, expected: list[str]) -> None:
    assert _places(placed, flt) == expected
    assert placed.count_events(flt) == len(expected)


def test_area_filter_pages_after_filtering(placed: Store) -> None:
    flt = EventFilter(area=NORTH_SYRIA)
    pages = [e.event.location.name for e in placed.events(flt, limit=1)] + [
        e.event.location.name for e in placed.events(flt, limit=1, offset=1)
    ]
    assert sorted(pages) == ["Aleppo", "Idlib"]


@pytest.mark.parametrize("area", ["POINT(1 2)", "not wkt", "POLYGON EMPTY", 42])  # not an area; garbage; empty
def test_bad_areas_are_refused(placed: Store, area: Any) -> None:
    with pytest.raises(InputError) as err:
        placed.events(EventFilter(area=area))
    assert err.value.code == "T010"


def test_subscriptions_meeting_an_area(store: Store) -> None:
    from tocsin.warnings.store import WarningStore

    ws = WarningStore(store)
    near = ws.add_subscription("http://example.org/a", "s", point="36.20,37.13", radius_km=5.0)  # Aleppo
    far = ws.add_subscription("http://example.org/b", "s", point="49.99,36.23", radius_km=5.0)  # Kharkiv
    gone = ws.add_subscription("http://example.org/c", "s", polygon="36.0,36.9 36.5,36.9 36.5,37.5 36.0,37.5 36.0,36.9")
    ws.remove_subscription(gone.id)
    with store.engine.connect() as conn:
        assert spatial.subscriptions_intersecting(conn, shapely.from_wkt(NORTH_SYRIA)) == [near.id]
        assert spatial.subscriptions_intersecting(conn, shapely.Point(36.23, 49.99).buffer(0.01)) == [far.id]


def test_postgis_uses_gist_indexes(store: Store) -> None:
    with store.engine.connect() as conn:
        if conn.dialect.name != "postgresql":
            pytest.skip("PostGIS questions are PostgreSQL's")
        assert spatial.has_postgis(conn)
        conn.exec_driver_sql("SET enable_seqscan = off")  # a handful of rows: make the planner show the index
        plan = " ".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM events WHERE geom && ST_MakeEnvelope(36, 35, 38, 37, 4326)"))
        assert "ix_events_geom" in plan
        plan = " ".join(r[0] for r in conn.exec_driver_sql(
            "EXPLAIN SELECT id FROM subscriptions WHERE ST_Intersects(area, ST_MakeEnvelope(36, 35, 38, 37, 4326))"))
        assert "ix_subscriptions_area" in plan
        geom = conn.execute(sa.text("SELECT count(*) FROM events WHERE geom IS NOT NULL")).scalar_one()
        assert geom == conn.execute(sa.text("SELECT count(*) FROM events WHERE latitude IS NOT NULL")).scalar_one()
