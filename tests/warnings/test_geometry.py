"""CAP geometry: polygon and circle parsing, coded errors naming the point, corridors, distances."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from tocsin.errors import GeometryError
from tocsin.warnings.geometry import (
    Circle,
    area_from_geojson,
    buffer_route,
    circle_polygon,
    distance_m,
    format_polygon,
    parse_circle,
    parse_line,
    parse_polygon,
    parse_route,
    resolve_named_area,
)

SQUARE = "50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1 50.0,30.0"


def test_polygon_is_lat_lon_in_cap_and_lon_lat_inside() -> None:
    polygon = parse_polygon(SQUARE)
    assert polygon.bounds == (30.0, 50.0, 30.1, 50.1)
    assert polygon.contains(Point(30.05, 50.05))
    assert parse_polygon(format_polygon(polygon)).equals(polygon)


@pytest.mark.parametrize(
    ("text", "code", "fragment"),
    [
        ("50.0,30.0 50.1,30.0 50.0,30.0", "T305", "has 3 points"),  # too few points
        ("50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1", "T306", "not closed"),  # unclosed ring
        ("50.0,30.0 50.1,190.0 50.1,30.1 50.0,30.0", "T303", "point 2"),  # longitude beyond 180
        ("120.0,30.0 120.1,30.0 120.1,30.1 120.0,30.0", "T304", "looks swapped"),  # lon,lat order given
        ("50.0,30.0 95.0,200.0 50.1,30.1 50.0,30.0", "T303", "point 2"),  # out of range
        ("50.0,30.0 50.1;30.0 50.1,30.1 50.0,30.0", "T302", "point 2"),  # bad separator
        ("50.0,30.0 50.1,30.1 50.0,30.1 50.1,30.0 50.0,30.0", "T307", "Self-intersection"),  # bow tie
    ],
)
def test_bad_polygons_name_the_problem(text: str, code: str, fragment: str) -> None:
    with pytest.raises(GeometryError) as err:
        parse_polygon(text, where="area 1 polygon 1")
    assert err.value.code == code
    assert fragment in err.value.message and "area 1 polygon 1" in err.value.message


def test_circle_radius_is_kilometres() -> None:
    circle = parse_circle("50.45,30.52 2")
    assert circle == Circle(50.45, 30.52, 2.0)
    polygon = circle.polygon()
    # 2 km north of the centre is inside, 2.1 km is outside.
    assert distance_m(50.45 + 1.99 / 111.2, 30.52, polygon) == 0.0
    assert 50 < distance_m(50.45 + 2.1 / 111.2, 30.52, polygon) < 150


def test_circle_of_radius_zero_is_a_point() -> None:
    assert parse_circle("38.82,-122.81 0").shape().equals(Point(-122.81, 38.82))


@pytest.mark.parametrize("text", ["50.45,30.52", "50.45,30.52 -1", "50.45,30.52 wide"])
def test_bad_circles_are_refused(text: str) -> None:
    with pytest.raises(GeometryError) as err:
        parse_circle(text)
    assert err.value.code in ("T308", "T302")


def test_corridor_is_buffered_in_metres() -> None:
    route = parse_line("50.45,30.52 50.45,30.62")
    area = buffer_route(route, 500.0)
    # 240 m from the route is inside (half width 250 m), 300 m is outside, measured north of the middle.
    assert distance_m(50.45 + 240 / 111_200, 30.57, area) == 0.0
    assert 30 < distance_m(50.45 + 300 / 111_200, 30.57, area) < 70


def test_corridor_needs_a_width() -> None:
    with pytest.raises(GeometryError) as err:
        buffer_route(parse_line("50.45,30.52 50.45,30.62"), 0.0)
    assert err.value.code == "T309"


def test_route_from_geojson_feature() -> None:
    feature = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[30.5, 50.4], [30.6, 50.5]]}}
    assert list(parse_route(feature).coords) == [(30.5, 50.4), (30.6, 50.5)]


def test_geojson_area_checks_ranges() -> None:
    bad = {"type": "Polygon", "coordinates": [[[30, 50], [30, 95], [31, 95], [30, 50]]]}
    with pytest.raises(GeometryError) as err:
        area_from_geojson(bad)
    assert err.value.code == "T304"


class _Place:
    def __init__(self, geometry: dict[str, object] | None) -> None:
        self.geometry = geometry
        self.latitude, self.longitude = 50.45, 30.52


def test_named_area_from_a_resolver() -> None:
    polygon = {"type": "Polygon", "coordinates": [[[30, 50], [30.1, 50], [30.1, 50.1], [30, 50]]]}
    places = {"Podil": _Place(polygon), "Obolon": _Place(None)}
    assert resolve_named_area("Podil", places.get).bounds == (30.0, 50.0, 30.1, 50.1)
    circle = resolve_named_area("Obolon", places.get, radius_km=1.0)
    assert circle.equals_exact(circle_polygon(50.45, 30.52, 1.0), 1e-9)
    with pytest.raises(GeometryError, match="no polygon"):
        resolve_named_area("Obolon", places.get)
    with pytest.raises(GeometryError, match="not found"):
        resolve_named_area("Atlantis", places.get)
