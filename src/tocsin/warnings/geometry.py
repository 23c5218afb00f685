"""CAP geometry: polygons and circles as CAP writes them, corridors, named areas, metric distances.

Coordinates follow CAP on the outside ("lat,lon" pairs separated by spaces) and shapely on the inside
(x = longitude, y = latitude, WGS 84). Circles and corridors are built in metres: circles with
geodesic offsets (pyproj ``Geod``), corridors buffered in a local azimuthal equidistant projection.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry

from tocsin.errors import E, GeometryError
from tocsin.gc_pause import paused_gc

__all__ = [
    "Circle",
    "EARTH_RADIUS_M",
    "area_from_geojson",
    "buffer_route",
    "circle_polygon",
    "circle_polygons",
    "distance_m",
    "format_circle",
    "format_line",
    "format_polygon",
    "parse_circle",
    "parse_line",
    "parse_pairs",
    "parse_polygon",
    "parse_route",
    "gazetteer_resolver",
    "resolve_named_area",
    "Resolver",
]

EARTH_RADIUS_M = 6_371_008.8
_GEOD = Geod(ellps="WGS84")
CIRCLE_SEGMENTS = 32


@dataclass(frozen=True)
class Circle:
    """A CAP circle: centre and radius in kilometres."""

    lat: float
    lon: float
    radius_km: float

    def polygon(self, segments: int = CIRCLE_SEGMENTS) -> Polygon:
        return circle_polygon(self.lat, self.lon, self.radius_km, segments)

    def shape(self) -> Polygon | Point:
        """The circle as a polygon; radius 0 (CAP's way to give a point, e.g. an epicentre) is a Point."""
        return Point(self.lon, self.lat) if self.radius_km == 0 else self.polygon()


def _fmt(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _check_point(lat: float, lon: float, where: str, index: int) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise GeometryError(E.T302.format(where=where, index=index, value=f"{lat},{lon}"))
    if abs(lat) > 90 and abs(lon) <= 90 and abs(lat) <= 180:
        raise GeometryError(E.T304.format(where=where, index=index, lat=lat, lon=lon))
    if abs(lat) > 90 or abs(lon) > 180:
        raise GeometryError(E.T303.format(where=where, index=index, lat=lat, lon=lon))


def parse_pairs(text: str, where: str = "polygon") -> list[tuple[float, float]]:
    """``"lat,lon lat,lon ..."`` -> ``[(lon, lat), ...]`` (x, y), each point checked; indexes count from 1."""
    points: list[tuple[float, float]] = []
    for index, token in enumerate(text.split(), start=1):
        parts = token.split(",")
        if len(parts) != 2:
            raise GeometryError(E.T302.format(where=where, index=index, value=token))
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError as exc:
            raise GeometryError(E.T302.format(where=where, index=index, value=token)) from exc
        _check_point(lat, lon, where, index)
        points.append((lon, lat))
    return points


def parse_polygon(text: str, where: str = "polygon") -> Polygon:
    """A CAP polygon: at least 4 points, first == last, not crossing itself, lat/lon in range.

    >>> parse_polygon("50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.0").bounds
    (30.0, 50.0, 30.1, 50.1)
    """
    points = parse_pairs(text, where)
    if len(points) < 4:
        raise GeometryError(E.T305.format(where=where, count=len(points)))
    if points[0] != points[-1]:
        first = f"{points[0][1]},{points[0][0]}"
        last = f"{points[-1][1]},{points[-1][0]}"
        raise GeometryError(E.T306.format(where=where, first=first, last=last))
    polygon = Polygon(points)
    if not polygon.is_valid:
        raise GeometryError(E.T307.format(where=where, detail=shapely.is_valid_reason(polygon)))
    return polygon


def format_polygon(polygon: Polygon) -> str:
    """The exterior ring as CAP writes it (CAP polygons have no holes)."""
    return " ".join(f"{_fmt(y)},{_fmt(x)}" for x, y in polygon.exterior.coords)


def parse_circle(text: str, where: str = "circle") -> Circle:
    """``"lat,lon radius_km"`` -> :class:`Circle`."""
    parts = text.split()
    if len(parts) != 2:
        raise GeometryError(E.T308.format(where=where, value=text))
    (lon, lat) = parse_pairs(parts[0], where)[0]
    try:
        radius = float(parts[1])
    except ValueError as exc:
        raise GeometryError(E.T308.format(where=where, value=text)) from exc
    if not (radius >= 0 and math.isfinite(radius)):
        raise GeometryError(E.T308.format(where=where, value=text))
    return Circle(lat, lon, radius)


def format_circle(circle: Circle) -> str:
    return f"{_fmt(circle.lat)},{_fmt(circle.lon)} {_fmt(circle.radius_km)}"


def circle_polygons(
    lats: np.ndarray, lons: np.ndarray, radii_km: np.ndarray, segments: int = CIRCLE_SEGMENTS
) -> np.ndarray:
    """Many circles at once (geodesic), as an array of shapely Polygons."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    radii = np.broadcast_to(np.asarray(radii_km, dtype=float) * 1000.0, lats.shape)
    n = lats.shape[0]
    azimuths = np.linspace(0.0, 360.0, segments, endpoint=False)
    az = np.broadcast_to(azimuths, (n, segments)).ravel()
    x, y, _ = _GEOD.fwd(np.repeat(lons, segments), np.repeat(lats, segments), az, np.repeat(radii, segments))
    ring = np.stack([np.asarray(x).reshape(n, segments), np.asarray(y).reshape(n, segments)], axis=-1)
    ring = np.concatenate([ring, ring[:, :1, :]], axis=1)
    with paused_gc():
        return shapely.polygons(ring)


def circle_polygon(lat: float, lon: float, radius_km: float, segments: int = CIRCLE_SEGMENTS) -> Polygon:
    return circle_polygons(np.array([lat]), np.array([lon]), np.array([radius_km]), segments)[0]


def parse_line(text: str, where: str = "route") -> LineString:
    """A route as CAP-style ``"lat,lon lat,lon ..."`` (at least two points)."""
    points = parse_pairs(text, where)
    if len(points) < 2:
        raise GeometryError(E.T309.format(where=where, points=len(points), width="?"))
    return LineString(points)


def format_line(line: LineString) -> str:
    return " ".join(f"{_fmt(y)},{_fmt(x)}" for x, y in line.coords)


def parse_route(data: str | dict[str, Any], where: str = "route") -> LineString:
    """A route from GeoJSON (LineString, Feature, or FeatureCollection of one) or ``"lat,lon lat,lon"`` text."""
    if isinstance(data, str) and not data.lstrip().startswith("{"):
        return parse_line(data, where)
    obj = json.loads(data) if isinstance(data, str) else data
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features") or []
        if len(features) != 1:
            raise GeometryError(E.T301.format(where=where, detail=f"expected one feature, found {len(features)}"))
        obj = features[0]
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
    if obj.get("type") != "LineString":
        raise GeometryError(E.T301.format(where=where, detail=f"expected a LineString, got {obj.get('type')!r}"))
    coords = obj.get("coordinates") or []
    text = " ".join(f"{c[1]},{c[0]}" for c in coords)
    return parse_line(text, where)


def _aeqd(lat: float, lon: float) -> tuple[Transformer, Transformer]:
    crs = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    forward = Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    back = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    return forward, back


def _apply(transformer: Transformer, geom: BaseGeometry) -> BaseGeometry:
    def fn(xy: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def buffer_route(route: LineString, width_m: float, where: str = "corridor") -> Polygon:
    """The corridor area: the route buffered by half the width each side, in a local metric projection."""
    if len(route.coords) < 2 or not (width_m > 0 and math.isfinite(width_m)):
        raise GeometryError(E.T309.format(where=where, points=len(route.coords), width=width_m))
    centre = route.centroid
    forward, back = _aeqd(centre.y, centre.x)
    metric = _apply(forward, route)
    area = _apply(back, metric.buffer(width_m / 2.0, quad_segs=8))
    assert isinstance(area, Polygon)
    return area


def distance_m(lat: float, lon: float, geom: BaseGeometry) -> float:
    """Distance in metres from a point to a geometry (0 inside it).

    Uses a local equirectangular projection around the point: within ~0.5% for distances of a few
    hundred kilometres away from the poles, and fast enough to run per status query.
    """
    point = Point(lon, lat)
    if geom.intersects(point):
        return 0.0
    scale_x = math.cos(math.radians(lat)) * math.pi / 180.0 * EARTH_RADIUS_M
    scale_y = math.pi / 180.0 * EARTH_RADIUS_M

    def fn(xy: np.ndarray) -> np.ndarray:
        return np.column_stack([(xy[:, 0] - lon) * scale_x, (xy[:, 1] - lat) * scale_y])

    local = shapely.transform(geom, fn)
    return float(local.distance(Point(0.0, 0.0)))


def area_from_geojson(obj: dict[str, Any], where: str = "area") -> Polygon | MultiPolygon:
    """A (Multi)Polygon from GeoJSON geometry or Feature, checked for validity and coordinate ranges."""
    if obj.get("type") == "Feature":
        obj = obj.get("geometry") or {}
    if obj.get("type") not in ("Polygon", "MultiPolygon"):
        raise GeometryError(E.T301.format(where=where, detail=f"expected a Polygon, got {obj.get('type')!r}"))
    try:
        geom = shape(obj)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise GeometryError(E.T301.format(where=where, detail=f"bad GeoJSON ({exc})")) from exc
    coords = shapely.get_coordinates(geom)
    for index, (lon, lat) in enumerate(coords, start=1):
        _check_point(float(lat), float(lon), where, index)
    if not geom.is_valid:
        raise GeometryError(E.T307.format(where=where, detail=shapely.is_valid_reason(geom)))
    assert isinstance(geom, Polygon | MultiPolygon)
    return geom


#: What a named-area resolver returns: a Place-like object with ``geometry`` (GeoJSON) and/or
#: ``latitude``/``longitude``, a list of them (the first is taken), a GeoJSON dict, or None when unknown.
Resolver = Callable[[str], Any]


def resolve_named_area(name: str, resolver: Resolver | None = None, radius_km: float | None = None,
                       countries: Collection[str] | None = None) -> BaseGeometry:
    """The shape of a named place: its polygon, or a circle of ``radius_km`` around its point.

    Without a resolver, tocsin's gazetteer is used (see :func:`gazetteer_resolver`). ``countries`` (ISO codes)
    bounds where the place may lie; the resolver is then called as ``resolver(name, countries=countries)``.
    """
    if resolver is None:
        resolver = gazetteer_resolver()
    found = resolver(name) if countries is None else resolver(name, countries=countries)
    if isinstance(found, list):
        found = found[0] if found else None
    if found is None:
        raise GeometryError(E.T310.format(name=name, detail="not found in the gazetteer; import it or draw a polygon"))
    geometry = found if isinstance(found, dict) else getattr(found, "geometry", None)
    if geometry:
        return area_from_geojson(geometry, where=f"area {name!r}")
    lat, lon = getattr(found, "latitude", None), getattr(found, "longitude", None)
    if lat is None or lon is None or radius_km is None:
        detail = "the place has no polygon; give a radius (km) to use a circle around its point"
        raise GeometryError(E.T310.format(name=name, detail=detail))
    return circle_polygon(float(lat), float(lon), radius_km)


def gazetteer_resolver(user_places: Iterable[Any] = ()) -> Resolver:
    """Names to places: the user's places first (e.g. ``Store.places()``, neighbourhood polygons), then
    tocsin's base gazetteer (``tocsin.geo.gazetteer.Gazetteer``) when it is installed.

    ``resolve(name, countries=CODES)`` keeps to places in those countries (a user place without a country
    code counts as anywhere); an empty set means no country is known, and then only the user's own places
    answer: a name drafted from a report is never drawn around a namesake the report does not point to."""
    try:
        from tocsin.geo.gazetteer import Gazetteer, fold
    except ImportError:
        Gazetteer, fold = None, str.casefold  # type: ignore[assignment,misc]
    by_name: dict[str, list[Any]] = {}
    for place in user_places:
        for alias in (place.name, *getattr(place, "alternate_names", ())):
            by_name.setdefault(fold(alias), []).append(place)

    def resolve(name: str, countries: Collection[str] | None = None) -> Any:
        def allowed(place: Any, unknown: bool) -> bool:
            code = getattr(place, "country_code", None)
            return countries is None or (code in countries if code else unknown)

        mine = [p for p in by_name.get(fold(name), ()) if allowed(p, unknown=True)]
        if mine:
            return sorted(mine, key=lambda p: getattr(p, "geometry", None) is None)[0]
        if Gazetteer is None or (countries is not None and not countries):
            return None
        found = [p for p in Gazetteer.default().lookup(name) if allowed(p, unknown=False)]
        return found[0] if found else None

    return resolve
