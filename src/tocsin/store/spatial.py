"""Spatial questions asked of the store: PostGIS (GiST indexes) on PostgreSQL, plain columns plus shapely on SQLite.

Migration ``0005_postgis`` adds generated geometry columns on PostgreSQL: ``events.geom`` (the event's
point) and ``subscriptions.area`` (the subscription's area); ``0007_spatial`` adds ``warnings.area`` (the
union of a warning's areas). Each has a GiST index. They are not in ``tables.metadata`` (SQLite has no
geometry type), so ``include_object`` hides them, and PostGIS's own table, from schema comparisons.

The three spatial questions: events in a box or polygon (``bbox_clause``, ``area_clause``), warnings
covering a point (``covering_point_clause``), subscriptions meeting a warning's area
(``subscriptions_intersecting``). Each has a shapely path on SQLite giving the same answers.
"""

from __future__ import annotations

import weakref
from typing import Any

import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry
from sqlalchemy.dialects.postgresql.base import PGDialect

from tocsin.errors import E, InputError

__all__ = [
    "POSTGIS_OBJECTS",
    "Geometry",
    "area_clause",
    "bbox_clause",
    "check_area",
    "covering_point_clause",
    "has_postgis",
    "include_object",
    "inside",
    "subscriptions_intersecting",
]

#: (object type, name) of what PostGIS and migration 0005 add beyond ``tables.metadata``.
POSTGIS_OBJECTS = {
    ("table", "spatial_ref_sys"),
    ("column", "geom"),
    ("column", "area"),
    ("index", "ix_events_geom"),
    ("index", "ix_subscriptions_area"),
    ("index", "ix_warnings_area"),
}
_GEOM = sa.literal_column("events.geom")


class Geometry(sa.types.UserDefinedType[Any]):
    """PostGIS ``geometry``, known to reflection (so inspecting a PostGIS store does not warn)."""

    cache_ok = True

    def __init__(self, *args: Any) -> None:
        self.args = args  # reflection passes the subtype and SRID: geometry(Point, 4326)

    def get_col_spec(self, **kw: Any) -> str:
        return "geometry"


PGDialect.ischema_names.setdefault("geometry", Geometry)
_POSTGIS: weakref.WeakKeyDictionary[sa.Engine, bool] = weakref.WeakKeyDictionary()


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic ``include_object``: skip the PostGIS-only objects that exist only in the database."""
    return not (reflected and compare_to is None and (type_, name) in POSTGIS_OBJECTS)


def has_postgis(conn: sa.Connection) -> bool:
    """True on a PostgreSQL store migrated with ``0005_postgis`` (cached per engine; ``0007_spatial`` follows it)."""
    if conn.dialect.name != "postgresql":
        return False
    found = _POSTGIS.get(conn.engine)
    if found is None:
        q = sa.text("SELECT 1 FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'geom'")
        found = _POSTGIS[conn.engine] = conn.execute(q).first() is not None
    return found


def check_area(area: Any) -> BaseGeometry:
    """A polygonal area from WKT text or a shapely geometry (x = longitude, y = latitude)."""
    expected = "a polygon as WKT (x = longitude, y = latitude) or a shapely geometry"
    try:
        geometry = shapely.from_wkt(area) if isinstance(area, str) else area
    except shapely.errors.GEOSException as exc:
        raise InputError(E.T010.format(where="filter", field="area", expected=expected, value=area)) from exc
    if not isinstance(geometry, BaseGeometry) or geometry.is_empty or geometry.geom_type not in (
        "Polygon",
        "MultiPolygon",
    ):
        raise InputError(E.T010.format(where="filter", field="area", expected=expected, value=area))
    return geometry


def bbox_clause(min_lon: float, min_lat: float, max_lon: float, max_lat: float) -> Any:
    """``events.geom`` within the box (GiST index scan); a box crossing the antimeridian is two boxes."""
    if min_lon <= max_lon:
        return _GEOM.op("&&")(sa.func.ST_MakeEnvelope(min_lon, min_lat, max_lon, max_lat, 4326))
    return sa.or_(
        _GEOM.op("&&")(sa.func.ST_MakeEnvelope(min_lon, min_lat, 180.0, max_lat, 4326)),
        _GEOM.op("&&")(sa.func.ST_MakeEnvelope(-180.0, min_lat, max_lon, max_lat, 4326)),
    )


def area_clause(area: BaseGeometry) -> Any:
    """``events.geom`` inside or on the edge of ``area`` (PostGIS; the GiST index narrows by bounding box)."""
    return sa.func.ST_Intersects(_GEOM, sa.func.ST_GeomFromWKB(shapely.to_wkb(area), 4326))


def covering_point_clause(lat: float, lon: float) -> Any:
    """``warnings.area`` meets the point, its edge included (PostGIS; the GiST index finds the candidates)."""
    point = sa.func.ST_SetSRID(sa.func.ST_MakePoint(float(lon), float(lat)), 4326)
    return sa.func.ST_Intersects(sa.literal_column("warnings.area"), point)


def subscriptions_intersecting(conn: sa.Connection, geometry: BaseGeometry) -> list[int]:
    """Ids of the active subscriptions whose area intersects ``geometry``, ascending.

    PostGIS with the GiST index on PostgreSQL; on SQLite every active area is read and tested with shapely.
    """
    from tocsin.store.warning_tables import subscriptions

    if has_postgis(conn):
        q = sa.text(
            "SELECT id FROM subscriptions WHERE active AND "
            "ST_Intersects(area, ST_GeomFromWKB(:wkb, 4326)) ORDER BY id"
        )
        return [int(i) for i in conn.execute(q, {"wkb": shapely.to_wkb(geometry)}).scalars()]
    rows = conn.execute(
        sa.select(subscriptions.c.id, subscriptions.c.area_wkb).where(subscriptions.c.active.is_(True))
    ).all()
    return sorted(int(r.id) for r in rows if shapely.from_wkb(bytes(r.area_wkb)).intersects(geometry))


def inside(area: BaseGeometry, rows: list[Any]) -> list[Any]:
    """The event rows whose point lies in ``area`` (SQLite path; PostgreSQL uses ``area_clause``)."""
    shapely.prepare(area)
    located = [r for r in rows if r.latitude is not None and r.longitude is not None]
    return [r for r in located if area.intersects(shapely.Point(r.longitude, r.latitude))]

