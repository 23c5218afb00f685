"""Subscriptions: an area (polygon, or point + radius) and a webhook that wants warnings there.

``SubscriptionIndex`` is an immutable STRtree over subscription areas: publishing a warning asks it
which subscriptions the warning's geometry intersects (one prepared-geometry query, also for a
million subscriptions). Rebuild it when subscriptions change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
from shapely import STRtree
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from tocsin.errors import E, GeometryError, InputError
from tocsin.warnings.geometry import area_from_geojson, circle_polygon, parse_pairs, parse_polygon

__all__ = ["Subscription", "SubscriptionIndex", "sign", "subscription_area", "check_webhook_url"]


@dataclass(frozen=True)
class Subscription:
    id: int | None
    url: str
    secret: str
    area: BaseGeometry
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float | None = None
    active: bool = True
    created_at: dt.datetime | None = None


def sign(secret: str, body: bytes) -> str:
    """The ``X-Tocsin-Signature`` value: ``sha256=`` + hex HMAC-SHA256 of the body with the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def check_webhook_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(E.T412.format(where=f"webhook {url!r}", detail="use an http(s):// URL with a host"))
    return url


def subscription_area(
    *,
    polygon: str | None = None,
    geojson: dict[str, object] | None = None,
    point: str | None = None,
    radius_km: float | None = None,
) -> tuple[BaseGeometry, float | None, float | None, float | None]:
    """The area of a subscription: a CAP polygon, a GeoJSON polygon, or a ``"lat,lon"`` point with a radius.

    Returns ``(area, latitude, longitude, radius_km)``; raises InputError T412 naming the problem.
    """
    given = [x is not None for x in (polygon, geojson, point)]
    if sum(given) != 1:
        raise InputError(E.T412.format(where="subscription", detail="give one of: polygon, GeoJSON, point"))
    try:
        if polygon is not None:
            return parse_polygon(polygon, "subscription polygon"), None, None, None
        if geojson is not None:
            shape: Polygon | MultiPolygon = area_from_geojson(geojson, "subscription area")
            return shape, None, None, None
        assert point is not None
        if radius_km is None or not radius_km > 0:
            raise InputError(E.T412.format(where="subscription", detail=f"radius must be > 0 km, got {radius_km}"))
        (lon, lat) = parse_pairs(point, "subscription point")[0]
        return circle_polygon(lat, lon, radius_km), lat, lon, radius_km
    except GeometryError as exc:
        raise InputError(E.T412.format(where="subscription", detail=exc.message)) from exc


class SubscriptionIndex:
    """Which subscriptions does a geometry intersect? An immutable STRtree over their areas."""

    def __init__(self, ids: Iterable[int] | np.ndarray, areas: Iterable[BaseGeometry] | np.ndarray) -> None:
        self.ids = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64)
        self.areas = np.asarray(list(areas) if not isinstance(areas, np.ndarray) else areas, dtype=object)
        if len(self.ids) != len(self.areas):
            raise ValueError(f"{len(self.ids)} ids for {len(self.areas)} areas")
        self._tree = STRtree(self.areas)

    @classmethod
    def of(cls, subscriptions: Iterable[Subscription]) -> SubscriptionIndex:
        subs = [s for s in subscriptions if s.active and s.id is not None]
        return cls([s.id for s in subs], [s.area for s in subs])

    def __len__(self) -> int:
        return len(self.ids)

    def matching(self, geometry: BaseGeometry | None) -> np.ndarray:
        """Ids of the subscriptions whose area intersects ``geometry``, ascending."""
        if geometry is None or geometry.is_empty or not len(self.ids):
            return np.zeros(0, dtype=np.int64)
        return np.sort(self.ids[self._tree.query(geometry, predicate="intersects")])
