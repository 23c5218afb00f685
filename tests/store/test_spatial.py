"""Spatial questions on both backends: events in a box or polygon, warnings covering a point, subscriptions
meeting a published warning (PostGIS with GiST indexes on PostgreSQL, shapely on SQLite; same answers)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest
import shapely
import sqlalchemy as sa
from alembic import command
from storekit import event, item
from warnkit import SQUARE, T0, make_warning

from tocsin.errors import InputError
from tocsin.model import Location
from tocsin.store import EventFilter, Store, spatial, warning_tables
from tocsin.store import engine as eng
from tocsin.warnings.geometry import Circle, circle_polygons, parse_line, parse_polygon
from tocsin.warnings.outbox import DeliveryWorker
from tocsin.warnings.records import Corridor, WarningArea
from tocsin.warnings.status import StatusIndex
from tocsin.warnings.store import WarningStore, warning_geometry


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


# -- warnings covering a point, and fan-out to subscriptions: same answers on both backends ---------------------

NOON = T0 + dt.timedelta(hours=1)
EAST = "50.05,30.05 50.2,30.05 50.2,30.2 50.05,30.2 50.05,30.05"  # overlaps the square's north-east quarter
NOTCH = "51.0,31.0 51.3,31.0 51.3,31.1 51.1,31.1 51.1,31.2 51.3,31.2 51.3,31.3 51.0,31.3 51.0,31.0"  # a U, open north
COVERING = [
    make_warning(id="square", sent=T0, effective=T0),
    make_warning(id="overlap", sent=T0, effective=T0 - dt.timedelta(hours=1),  # starts earlier: listed first
                 areas=[WarningArea("East", polygons=(parse_polygon(EAST),))]),
    make_warning(id="notch", areas=[WarningArea("U", polygons=(parse_polygon(NOTCH),))]),
    make_warning(id="two-parts", areas=[WarningArea("Islands", polygons=(
        parse_polygon("52.0,32.0 52.1,32.0 52.1,32.1 52.0,32.1 52.0,32.0"),
        parse_polygon("52.5,33.0 52.6,33.0 52.6,33.1 52.5,33.1 52.5,33.0"),
    ))]),
    make_warning(id="circle", areas=[WarningArea("Town", circles=(Circle(53.0, 34.0, 10.0),))]),
    make_warning(id="expired", expires=T0 + dt.timedelta(minutes=30)),
    make_warning(id="all-clear", kind="all_clear", response_type="AllClear"),
    make_warning(id="corridor", kind="safe_corridor", areas=[], effective=None, expires=None,
                 corridors=[Corridor("west road", parse_line("50.2,30.0 50.2,30.3"), 1000.0)]),
]


@pytest.fixture
def warned(store: Store) -> WarningStore:
    ws = WarningStore(store)
    for warning in COVERING:
        ws.create(warning, who="alice")
        ws.publish(warning.id, operator="bob")
    ws.create(make_warning(id="draft"), who="alice")  # never published: covers nothing
    return ws


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (50.02, 30.02, ["square"]),  # inside one square only
        (50.07, 30.07, ["overlap", "square"]),  # in both, by start time
        (50.05, 30.0, ["square"]),  # on the square's west edge
        (50.0, 30.0, ["square"]),  # on its corner
        (50.1, 30.05, ["overlap", "square"]),  # on the square's top edge and the overlap's west edge at once
        (50.1, 30.15, ["overlap"]),  # on the line of the square's top edge, east of the square
        (51.2, 31.05, ["notch"]),  # in the U's left arm
        (51.2, 31.15, []),  # in the U's gap (CAP polygons have no holes: the concave notch is their nearest kin)
        (51.1, 31.15, ["notch"]),  # on the gap's floor edge
        (52.05, 32.05, ["two-parts"]),  # first part of a two-polygon area
        (52.55, 33.05, ["two-parts"]),  # second part
        (52.3, 32.5, []),  # between the parts
        (53.05, 34.0, ["circle"]),  # 5.6 km from the centre of a 10 km circle
        (53.1, 34.0, []),  # 11 km north: outside
        (-33.9, 18.4, []),  # nowhere near anything
    ],
)
def test_warnings_covering_a_point(warned: WarningStore, lat: float, lon: float, expected: list[str]) -> None:
    assert [w.id for w in warned.at_point(lat, lon, NOON)] == expected
    reference = StatusIndex(warned.published())  # the in-memory index the API serves from
    assert [w.id for w in reference.covering(lat, lon, NOON)] == expected
    assert warned.status(lat, lon, NOON).to_dict() == reference.status(lat, lon, NOON).to_dict()


def test_covering_checks_time(warned: WarningStore) -> None:
    assert [w.id for w in warned.at_point(50.02, 30.02, T0 + dt.timedelta(minutes=10))] == ["expired", "square"]
    assert [w.id for w in warned.at_point(50.02, 30.02, T0 + dt.timedelta(days=3))] == []  # all expired by then


def test_status_names_the_nearest_corridor(warned: WarningStore) -> None:
    answer = warned.status(50.02, 30.02, NOON)
    assert answer.nearest_corridor is not None and answer.nearest_corridor.warning_id == "corridor"
    assert answer.nearest_corridor.distance_m > 10_000  # 50.02 -> the road at 50.2


def test_point_questions_use_postgis_on_postgresql(warned: WarningStore, monkeypatch: pytest.MonkeyPatch) -> None:
    with warned.engine.connect() as conn:
        if not spatial.has_postgis(conn):
            pytest.skip("the shapely path is SQLite's")
    monkeypatch.setattr(WarningStore, "status_index", _no_index)
    assert [w.id for w in warned.at_point(50.07, 30.07, NOON)] == ["overlap", "square"]
    assert [h.warning_id for h in warned.status(50.07, 30.07, NOON).warnings] == ["overlap", "square"]


def _no_index(self: WarningStore) -> Any:
    raise AssertionError("the in-memory index was built where PostGIS should answer")


def test_areas_of_warnings_stored_before_the_migration_are_filled_in(make_db: Any) -> None:
    url = make_db()
    with Store(url) as store:
        ws = WarningStore(store)
        ws.create(make_warning(), who="alice")
        ws.publish("tocsin-test-1", operator="bob")
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:  # back to the schema before 0007_spatial, as an older tocsin left it
        command.downgrade(eng._config(conn), "0005_postgis")
        assert "area_wkb" not in {c["name"] for c in sa.inspect(conn).get_columns("warnings")}
    engine.dispose()
    with Store(url) as reopened:  # migrates 0005_postgis -> 0007_spatial
        assert [w.id for w in WarningStore(reopened).at_point(50.05, 30.05, NOON)] == ["tocsin-test-1"]
        with reopened.engine.connect() as conn:
            wkb = conn.execute(sa.select(warning_tables.warnings.c.area_wkb)).scalar_one()
        assert shapely.from_wkb(wkb).equals(parse_polygon(SQUARE))


@dataclass
class Receiver:
    """A loopback webhook receiver: records the path of every POST, answers 200."""

    paths: list[str] = field(default_factory=list)
    base: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            self.rfile.read(int(self.headers["Content-Length"]))
            state.paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


RING = {"type": "Polygon", "coordinates": [  # a ring around the warning's square: it sits in the hole
    [[29.5, 49.5], [30.6, 49.5], [30.6, 50.6], [29.5, 50.6], [29.5, 49.5]],
    [[29.9, 49.9], [30.2, 49.9], [30.2, 50.2], [29.9, 50.2], [29.9, 49.9]],
]}
PAIR = {"type": "MultiPolygon", "coordinates": [  # one part far away, one overlapping the square's north-east
    [[[20.0, 40.0], [20.1, 40.0], [20.1, 40.1], [20.0, 40.0]]],
    [[[30.08, 50.08], [30.3, 50.08], [30.3, 50.3], [30.08, 50.08]]],
]}


def test_publish_notifies_exactly_the_subscriptions_meeting_the_warning(
    store: Store, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = WarningStore(store)
    hooks = {
        "circle": {"point": "50.05,30.05", "radius_km": 1.0},  # a circle inside the square
        "touching": {"polygon": "50.0,30.1 50.1,30.1 50.1,30.2 50.0,30.2 50.0,30.1"},  # shares the east edge only
        "corner": {"polygon": "50.1,30.1 50.2,30.1 50.2,30.2 50.1,30.2 50.1,30.1"},  # shares one corner point
        "pair": {"geojson": PAIR},  # a multipolygon, one part overlapping
        "ring": {"geojson": RING},  # the square lies in its hole
        "far": {"point": "48.0,25.0", "radius_km": 5.0},  # elsewhere
        "removed": {"point": "50.05,30.05", "radius_km": 5.0},  # would match, but unsubscribed
    }
    ids = {name: ws.add_subscription(f"{receiver.base}/{name}", "secret", **area).id for name, area in hooks.items()}
    ws.remove_subscription(ids["removed"] or 0)
    with store.engine.connect() as conn:
        postgis = spatial.has_postgis(conn)
    if postgis:  # PostgreSQL must ask PostGIS, not build the STRtree
        monkeypatch.setattr(WarningStore, "subscription_index", _no_index)
    ws.create(make_warning(), who="alice")
    ws.publish("tocsin-test-1", operator="bob")
    outcomes = DeliveryWorker(ws, timeout_s=5.0).run(stop_after_s=30.0)
    assert outcomes == 4
    assert sorted(receiver.paths) == ["/circle", "/corner", "/pair", "/touching"]
    assert all(d.state == "delivered" for d in ws.deliveries())
    expected = sorted(ids[n] for n in ("circle", "corner", "pair", "touching"))
    assert list(ws.matching_subscriptions(warning_geometry(ws.get("tocsin-test-1").warning))) == expected


def _subscription_rows(n: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(44.0, 52.0, n), rng.uniform(22.0, 40.0, n)
    areas = circle_polygons(lats, lons, rng.uniform(0.5, 5.0, n), segments=16)
    now = dt.datetime.now(dt.UTC)
    return [{"name": None, "url": "http://127.0.0.1:9/x", "secret": "s", "area_wkb": shapely.to_wkb(a),
             "latitude": None, "longitude": None, "radius_km": None, "active": True, "created_at": now} for a in areas]


def _warning_rows(n: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(8)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for i, (lat, lon) in enumerate(zip(rng.uniform(44.0, 52.0, n), rng.uniform(22.0, 40.0, n), strict=True)):
        rows.append({
            "id": f"w{i}", "identifier": f"w{i}", "kind": "evacuation_order", "state": "published", "status": "Actual",
            "msg_type": "Alert",
            "sender": "s", "sent": now, "starts_at": now, "cap_xml": b"<alert/>", "imported": False, "version": 1,
            "created_at": now, "updated_at": now,
            "area_wkb": shapely.to_wkb(shapely.box(lon, lat, lon + 0.05, lat + 0.05)), "has_corridors": False,
        })
    return rows


def test_spatial_queries_use_the_gist_indexes_on_a_larger_table(store: Store) -> None:
    """On 20,000 rows the planner picks the GiST indexes by itself (no enable_seqscan trick)."""
    with store.engine.connect() as conn:
        if not spatial.has_postgis(conn):
            pytest.skip("GiST indexes are PostgreSQL's")
    with store.engine.begin() as conn:
        conn.execute(warning_tables.subscriptions.insert(), _subscription_rows(20_000))
        conn.execute(warning_tables.warnings.insert(), _warning_rows(20_000))
        conn.exec_driver_sql("ANALYZE subscriptions")
        conn.exec_driver_sql("ANALYZE warnings")
    warning_area = shapely.to_wkb(parse_polygon(SQUARE))
    with store.engine.connect() as conn:
        plan = _plan(conn, "SELECT id FROM subscriptions WHERE active AND "
                     "ST_Intersects(area, ST_GeomFromWKB(:wkb, 4326)) ORDER BY id", {"wkb": warning_area})
        assert "ix_subscriptions_area" in plan, plan
        at_point = sa.select(warning_tables.warnings.c.id).where(
            warning_tables.warnings.c.state == "published", spatial.covering_point_clause(48.0, 30.0))
        compiled = at_point.compile(conn, compile_kwargs={"literal_binds": True})
        assert "ix_warnings_area" in _plan(conn, str(compiled), {})
        # and the answers are those shapely gives on the same rows
        found = spatial.subscriptions_intersecting(conn, parse_polygon(SQUARE))
        rows = conn.execute(sa.select(warning_tables.subscriptions.c.id, warning_tables.subscriptions.c.area_wkb)).all()
    assert found == sorted(r.id for r in rows if shapely.from_wkb(r.area_wkb).intersects(parse_polygon(SQUARE)))
    assert len(found) > 0


def _sql_of(store: Store, call: Any) -> tuple[str, Any]:
    """The last statement touching ``geom`` that ``call()`` sent to the database, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        seen.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", capture)
    try:
        call()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", capture)
    return [(s, p) for s, p in seen if "geom" in s][-1]


def _plan(conn: sa.Connection, sql: str, params: dict[str, Any]) -> str:
    return " ".join(str(r[0]) for r in conn.execute(sa.text("EXPLAIN " + sql), params))


def test_event_box_and_polygon_use_the_gist_index_on_a_larger_table(store: Store) -> None:
    """20,000 events scattered over a wide area: the planner picks ``ix_events_geom`` for a small box or polygon."""
    with store.engine.connect() as conn:
        if not spatial.has_postgis(conn):
            pytest.skip("GiST indexes are PostgreSQL's")
    rng = np.random.default_rng(9)
    items = []
    for i, (lat, lon) in enumerate(zip(rng.uniform(30.0, 50.0, 20_000), rng.uniform(20.0, 50.0, 20_000), strict=True)):
        ev = event(day=dt.date(1970, 1, 1) + dt.timedelta(days=3 * i))  # days apart: nothing merges
        ev = dataclasses.replace(ev, location=Location(f"p{i}", float(lat), float(lon), None, None, "Nowhere", 1))
        items.append(item(f"r{i}", [ev]))
    store.add(items)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE events")
    box = EventFilter(bbox=(36.0, 35.0, 37.0, 36.0))
    for flt in (box, EventFilter(area=NORTH_SYRIA)):
        statement, parameters = _sql_of(store, lambda f=flt: store.count_events(f))  # what the store really ran
        with store.engine.connect() as conn:
            plan = " ".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters))
        assert "ix_events_geom" in plan, plan
    expected = sum(35.0 <= e.event.location.latitude <= 36.0 and 36.0 <= e.event.location.longitude <= 37.0
                   for e in store.events(EventFilter(bbox=(20.0, 30.0, 50.0, 50.0)), with_mentions=False)
                   if e.event.location.latitude is not None and e.event.location.longitude is not None)
    assert store.count_events(box) == expected > 0
