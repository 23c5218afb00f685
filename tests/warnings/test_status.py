"""Status queries: what applies at a point and time, along a route, and for many points at once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from warnkit import SQUARE, T0, make_warning

from tocsin.warnings.geometry import Circle, parse_line, parse_polygon
from tocsin.warnings.records import Corridor, WarningArea
from tocsin.warnings.status import StatusIndex
from tocsin.warnings.timewindow import parse_window

UTC = dt.UTC
EVACUATION = make_warning()  # the square 50.0-50.1 N, 30.0-30.1 E, effective T0 for two days
CURFEW = make_warning(
    id="curfew-1",
    kind="curfew",
    headline="Night curfew",
    instruction="Stay indoors from 22:00 to 06:00.",
    effective=None,
    expires=None,
    areas=[WarningArea("City", circles=(Circle(50.05, 30.05, 20.0),))],
    window=parse_window("daily 22:00-06:00 Europe/Kyiv 2026-03-01T00:00:00+02:00/2026-03-10T00:00:00+02:00"),
)
CORRIDOR = make_warning(
    id="corridor-1",
    kind="safe_corridor",
    areas=[],
    effective=None,
    expires=None,
    corridors=[Corridor("west road", parse_line("50.2,30.0 50.2,30.3"), 1000.0)],
    window=parse_window("daily 08:00-18:00 Europe/Kyiv"),
)
CANCELLED = make_warning(id="cancel-1", msg_type="Cancel")
INDEX = StatusIndex([EVACUATION, CURFEW, CORRIDOR, CANCELLED])
INSIDE = (50.05, 30.05)


def kyiv(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour - 2, minute, tzinfo=UTC)  # Kyiv is UTC+2 in early March


def test_point_inside_an_evacuation_area_by_day() -> None:
    answer = INDEX.status(*INSIDE, at=kyiv(2, 12))
    ids = [h.warning_id for h in answer.warnings]
    assert ids == ["curfew-1", "tocsin-test-1"]  # in order of start
    evacuation = answer.warnings[1]
    assert evacuation.instruction == "Leave the river district now."
    assert evacuation.issuer == "Regional administration"
    assert evacuation.effective == T0 and evacuation.expires == T0 + dt.timedelta(days=2)
    assert answer.curfew is False  # the curfew applies, but not at noon
    assert answer.warnings[0].in_force is False and answer.warnings[0].next_change == kyiv(2, 22)


def test_curfew_in_force_at_night_and_until_when() -> None:
    answer = INDEX.status(*INSIDE, at=kyiv(2, 23, 30))
    assert answer.curfew is True
    assert answer.curfew_until == kyiv(3, 6)


def test_nearest_open_corridor_and_its_distance() -> None:
    day = INDEX.status(*INSIDE, at=kyiv(2, 12))
    assert day.nearest_corridor is not None and day.nearest_corridor.name == "west road"
    # 0.15 degrees of latitude (~16.7 km) to the route, minus the 500 m half width.
    assert day.nearest_corridor.distance_m == pytest.approx(16_180, rel=0.01)
    assert day.nearest_corridor.open_until == kyiv(2, 18)
    night = INDEX.status(*INSIDE, at=kyiv(2, 23))
    assert night.nearest_corridor is None  # closed at night


@pytest.mark.parametrize(
    ("point", "at", "expected"),
    [
        ((50.05, 30.05), kyiv(4, 12), []),  # evacuation expired; the curfew is outside its hours
        ((48.0, 25.0), kyiv(2, 12), []),  # far away: nothing
        ((50.05, 30.05), dt.datetime(2026, 2, 27, tzinfo=UTC), []),  # before anything is effective
        ((50.2, 30.05), kyiv(2, 23), ["curfew-1"]),  # in the curfew circle (16.7 km out), outside the square
    ],
)
def test_time_and_place_filter(point: tuple[float, float], at: dt.datetime, expected: list[str]) -> None:
    answer = INDEX.status(*point, at=at)
    ids = [h.warning_id for h in answer.warnings if h.in_force or h.kind != "curfew"]
    assert ids == expected


def test_cancel_messages_are_not_indexed() -> None:
    assert all(w.id != "cancel-1" for w in INDEX.warnings)


def test_route_crossing_the_area() -> None:
    route = parse_line("49.95,30.05 50.15,30.05")  # south to north through the square
    answer = INDEX.status_route(route, at=kyiv(2, 23))
    by_id = {h.hit.warning_id: h for h in answer.warnings}
    assert by_id["tocsin-test-1"].inside_m == pytest.approx(11_120, rel=0.01)  # 0.1 degree of latitude
    assert answer.curfew is True
    assert answer.length_m == pytest.approx(22_240, rel=0.01)


def test_bulk_matches_single_queries() -> None:
    rng = np.random.default_rng(7)
    lats, lons = rng.uniform(49.8, 50.4, 400), rng.uniform(29.8, 30.4, 400)
    at = kyiv(2, 23)
    bulk = INDEX.status_many(lats, lons, at)
    for i in range(len(lats)):
        single = INDEX.status(float(lats[i]), float(lons[i]), at)
        assert [w.id for w in bulk.warnings_at(i)] == [h.warning_id for h in single.warnings]
        assert bool(bulk.curfew[i]) == single.curfew
    assert bulk.counts().sum() == len(bulk.point_index) > 0


def test_index_over_many_areas_answers_like_a_scan() -> None:
    rng = np.random.default_rng(3)
    warnings = [
        make_warning(id=f"w{i}", areas=[WarningArea(f"a{i}", circles=(Circle(float(la), float(lo), 3.0),))])
        for i, (la, lo) in enumerate(zip(rng.uniform(49, 51, 300), rng.uniform(29, 31, 300), strict=True))
    ]
    index = StatusIndex(warnings)
    for la, lo in zip(rng.uniform(49, 51, 50), rng.uniform(29, 31, 50), strict=True):
        expected = sorted(w.id for w in warnings if w.shape is not None and w.shape.intersects(_pt(lo, la)))
        assert sorted(h.warning_id for h in index.status(float(la), float(lo), T0).warnings) == expected


def _pt(lon: float, lat: float):  # type: ignore[no-untyped-def]
    from shapely.geometry import Point

    return Point(lon, lat)


def test_empty_index() -> None:
    answer = StatusIndex([]).status(50.0, 30.0, T0)
    assert answer.warnings == () and answer.nearest_corridor is None and answer.curfew is False


def test_answer_serialises_to_json_types() -> None:
    data = INDEX.status(*INSIDE, at=kyiv(2, 23)).to_dict()
    assert data["curfew"] is True and data["curfew_until"] == "2026-03-03T04:00:00Z"
    assert parse_polygon(SQUARE).contains(_pt(30.05, 50.05))
