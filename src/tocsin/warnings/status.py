"""What applies here, now: an immutable spatial index of warnings answering status queries.

``StatusIndex`` is built once from the active (published) warnings and never mutated: build a new one
when warnings change. It holds two shapely STRtrees (warning areas, corridor areas) whose integer
results index the index's own arrays, so a point query is one tree lookup plus a few time checks, and
a bulk query over many points is one vectorised ``STRtree.query(points, predicate="intersects")``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod
from shapely import STRtree
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from tocsin.gc_pause import paused_gc
from tocsin.model import to_dict
from tocsin.warnings.geometry import EARTH_RADIUS_M
from tocsin.warnings.records import Warning
from tocsin.warnings.timewindow import to_utc

__all__ = ["BulkStatus", "CorridorHit", "RouteHit", "RouteStatus", "StatusAnswer", "StatusIndex", "WarningHit"]

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class WarningHit:
    """A warning that covers the place asked about."""

    warning_id: str
    kind: str
    headline: str | None
    instruction: str | None
    issuer: str
    effective: dt.datetime
    expires: dt.datetime | None
    in_force: bool
    """True when inside its time window now (a curfew during its hours); always True without a window."""
    until: dt.datetime | None
    """When it stops being in force (None: open-ended, or not in force now)."""
    next_change: dt.datetime | None
    """The next time it switches on or off."""


@dataclass(frozen=True)
class CorridorHit:
    warning_id: str
    name: str
    distance_m: float
    """0 inside the corridor, else the distance to its edge."""
    open_until: dt.datetime | None


@dataclass(frozen=True)
class StatusAnswer:
    lat: float
    lon: float
    at: dt.datetime
    warnings: tuple[WarningHit, ...]
    curfew: bool
    curfew_until: dt.datetime | None
    nearest_corridor: CorridorHit | None

    def to_dict(self) -> dict[str, object]:
        result: dict[str, object] = to_dict(self)
        return result


@dataclass(frozen=True)
class RouteHit:
    hit: WarningHit
    inside_m: float
    """Metres of the route inside the warning's areas."""


@dataclass(frozen=True)
class RouteStatus:
    at: dt.datetime
    length_m: float
    warnings: tuple[RouteHit, ...]
    curfew: bool
    corridors: tuple[CorridorHit, ...]
    """Open corridors the route touches."""

    def to_dict(self) -> dict[str, object]:
        result: dict[str, object] = to_dict(self)
        return result


@dataclass(frozen=True)
class BulkStatus:
    """Answers for many points: (point, warning) pairs as arrays, plus per-point curfew flags."""

    at: dt.datetime
    point_index: np.ndarray
    warning_index: np.ndarray
    warnings: tuple[Warning, ...]
    curfew: np.ndarray
    count: int

    def warnings_at(self, i: int) -> list[Warning]:
        lo, hi = np.searchsorted(self.point_index, [i, i + 1])
        return [self.warnings[j] for j in self.warning_index[lo:hi]]

    def counts(self) -> np.ndarray:
        """Number of active warnings covering each point."""
        return np.bincount(self.point_index, minlength=self.count)


def _hit(warning: Warning, at: dt.datetime) -> WarningHit:
    in_force = warning.in_force_at(at)
    until: dt.datetime | None = None
    next_change: dt.datetime | None = None
    ends = warning.ends
    if warning.window is not None:
        interval = warning.window.interval_at(at)
        if interval is not None and interval[1].year < dt.MAXYEAR:
            until = interval[1]
        next_change = warning.window.next_change_after(at)
    elif in_force:
        until = ends
        next_change = ends
    if until is not None and ends is not None:
        until = min(until, ends)
    if next_change is not None and ends is not None and next_change > ends:
        next_change = ends
    return WarningHit(
        warning_id=warning.handle,
        kind=warning.kind,
        headline=warning.headline,
        instruction=warning.instruction,
        issuer=warning.sender_name or warning.sender,
        effective=warning.starts,
        expires=ends,
        in_force=in_force,
        until=until if in_force else None,
        next_change=next_change,
    )


def _segments(geom: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """The boundary of a (multi)polygon as segment start and end points (lon, lat)."""
    starts, ends = [], []
    for ring in shapely.get_rings(shapely.get_parts(geom)).tolist():
        coords = shapely.get_coordinates(ring)
        starts.append(coords[:-1])
        ends.append(coords[1:])
    return np.concatenate(starts), np.concatenate(ends)


class StatusIndex:
    """An immutable index over warnings; build a new one whenever the set of warnings changes.

    Only real alerts are indexed (``Warning.is_real_alert``: not a Cancel, not an all-clear, CAP status
    ``Actual``; a Test, Exercise or System message would read as real in an answer). Time is checked at
    query time, so one index serves any ``at`` (a warning not yet effective or already expired is not
    reported).
    """

    def __init__(self, warnings: Iterable[Warning]) -> None:
        self.warnings: tuple[Warning, ...] = tuple(w for w in warnings if w.is_real_alert)
        geoms: list[BaseGeometry] = []
        owners: list[int] = []
        corridor_geoms: list[BaseGeometry] = []
        corridor_owners: list[tuple[int, int]] = []
        for i, warning in enumerate(self.warnings):
            for area in warning.areas:
                if area.shape is not None:
                    geoms.append(area.shape)
                    owners.append(i)
            for j, corridor in enumerate(warning.corridors):
                corridor_geoms.append(corridor.area)
                corridor_owners.append((i, j))
        self._geoms = np.array(geoms, dtype=object)
        self._owners = np.array(owners, dtype=np.int64)
        self._tree = STRtree(self._geoms)
        ranked = sorted(range(len(self.warnings)), key=lambda i: (self.warnings[i].starts, self.warnings[i].handle))
        self._by_rank = np.array(ranked, dtype=np.int64)
        self._rank = np.empty(len(self.warnings), dtype=np.int64)
        self._rank[self._by_rank] = np.arange(len(self.warnings))
        bounds = shapely.bounds(self._geoms) if len(self._geoms) else np.zeros((0, 4))
        extent = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) if len(bounds) else []
        self._cell_size = float(min(max(np.median(extent), 0.001), 1.0)) if len(extent) else 0.1
        self._corridor_geoms = np.array(corridor_geoms, dtype=object)
        self._corridor_owners = corridor_owners
        self._corridor_tree = STRtree(self._corridor_geoms)
        segments = [_segments(g) for g in self._corridor_geoms]
        self._seg_a = np.concatenate([sa for sa, _ in segments]) if segments else np.zeros((0, 2))
        self._seg_b = np.concatenate([sb for _, sb in segments]) if segments else np.zeros((0, 2))
        self._seg_owner = np.repeat(np.arange(len(segments), dtype=np.int64), [len(sa) for sa, _ in segments])
        self._open_cache: tuple[dt.datetime, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] | None = None
        self._curfew = np.array([w.kind == "curfew" for w in self.warnings], dtype=bool)

    def __len__(self) -> int:
        return len(self._geoms)

    # -- one point ---------------------------------------------------------------------------------

    def _covering(self, geom: BaseGeometry, at: dt.datetime) -> list[Warning]:
        found = self._owners[self._tree.query(geom, predicate="intersects")]
        seen: set[int] = set()
        out = []
        for i in found.tolist():
            if i not in seen:
                seen.add(i)
                if self.warnings[i].active_at(at):
                    out.append(self.warnings[i])
        out.sort(key=lambda w: (w.starts, w.handle))
        return out

    def covering(self, lat: float, lon: float, at: dt.datetime | None = None) -> list[Warning]:
        """The warnings whose areas cover (lat, lon), edge included, active at ``at``; by (start, id)."""
        return self._covering(Point(lon, lat), to_utc(at) if at is not None else dt.datetime.now(dt.UTC))

    def status(self, lat: float, lon: float, at: dt.datetime | None = None) -> StatusAnswer:
        """The active warnings at a point, whether a curfew is in force (and until when), the nearest open corridor."""
        at = to_utc(at) if at is not None else dt.datetime.now(dt.UTC)
        point = Point(lon, lat)
        hits = tuple(_hit(w, at) for w in self._covering(point, at))
        curfews = [h for h in hits if h.kind == "curfew" and h.in_force]
        until = [h.until for h in curfews if h.until is not None]
        return StatusAnswer(
            lat=lat,
            lon=lon,
            at=at,
            warnings=hits,
            curfew=bool(curfews),
            curfew_until=max(until) if until and len(until) == len(curfews) else None,
            nearest_corridor=self.nearest_corridor(lat, lon, at, point),
        )

    def _corridor_open(self, k: int, at: dt.datetime) -> bool:
        i, j = self._corridor_owners[k]
        warning = self.warnings[i]
        corridor = warning.corridors[j]
        if not warning.active_at(at):
            return False
        window = corridor.window or warning.window
        return window is None or window.active_at(at)

    def _corridor_hit(self, k: int, at: dt.datetime, distance: float) -> CorridorHit:
        i, j = self._corridor_owners[k]
        warning = self.warnings[i]
        corridor = warning.corridors[j]
        window = corridor.window or warning.window
        until = warning.ends
        if window is not None:
            interval = window.interval_at(at)
            if interval is not None and interval[1].year < dt.MAXYEAR:
                until = interval[1] if until is None else min(until, interval[1])
        return CorridorHit(warning.handle, corridor.name, round(distance, 1), until)

    def _open_corridors(self, at: dt.datetime) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Which corridors are open at ``at`` (a mask) and their boundary segments (start, end, corridor).

        Cached for the last ``at``: a burst of queries for "now" shares it.
        """
        cached = self._open_cache
        if cached is not None and cached[0] == at:
            return cached[1]
        open_ks = np.array([k for k in range(len(self._corridor_geoms)) if self._corridor_open(k, at)], dtype=np.int64)
        is_open = np.zeros(len(self._corridor_geoms), dtype=bool)
        is_open[open_ks] = True
        keep = is_open[self._seg_owner]
        value = (is_open, self._seg_a[keep], self._seg_b[keep], self._seg_owner[keep])
        self._open_cache = (at, value)
        return value

    def nearest_corridor(self, lat: float, lon: float, at: dt.datetime, point: Point | None = None
                         ) -> CorridorHit | None:
        """The nearest corridor open at ``at``, with its distance in metres (0 inside it).

        Distances to every open corridor's boundary segments are computed at once in a local
        equirectangular frame around the point (as ``geometry.distance_m``).
        """
        is_open, a, b, owner = self._open_corridors(at)
        if not len(owner):
            return None
        inside = self._corridor_tree.query(Point(lon, lat) if point is None else point, predicate="intersects")
        inside = inside[is_open[inside]]
        if len(inside):
            return self._corridor_hit(int(inside.min()), at, 0.0)
        scale_y = math.pi / 180.0 * EARTH_RADIUS_M
        scale_x = math.cos(math.radians(lat)) * scale_y
        ax, ay = (a[:, 0] - lon) * scale_x, (a[:, 1] - lat) * scale_y
        dx, dy = (b[:, 0] - lon) * scale_x - ax, (b[:, 1] - lat) * scale_y - ay
        length2 = dx * dx + dy * dy
        t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        distances = np.hypot(ax + t * dx, ay + t * dy)
        i = int(distances.argmin())
        return self._corridor_hit(int(owner[i]), at, float(distances[i]))

    # -- a route -----------------------------------------------------------------------------------

    def status_route(self, route: LineString, at: dt.datetime | None = None) -> RouteStatus:
        """The warnings a route crosses (with metres inside each), curfew on the way, open corridors it uses."""
        at = to_utc(at) if at is not None else dt.datetime.now(dt.UTC)
        hits = []
        for warning in self._covering(route, at):
            shape = warning.shape
            inside = route.intersection(shape) if shape is not None else LineString()
            hits.append(RouteHit(_hit(warning, at), round(float(_GEOD.geometry_length(inside)), 1)))
        corridors = []
        for k in self._corridor_tree.query(route, predicate="intersects").tolist():
            if self._corridor_open(k, at):
                corridors.append(self._corridor_hit(k, at, 0.0))
        return RouteStatus(
            at=at,
            length_m=round(float(_GEOD.geometry_length(route)), 1),
            warnings=tuple(hits),
            curfew=any(h.hit.kind == "curfew" and h.hit.in_force for h in hits),
            corridors=tuple(corridors),
        )

    def _cell_key(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        cell = self._cell_size
        return np.floor((ys + 90.0) / cell).astype(np.int64) * (int(360.0 / cell) + 2) + np.floor(
            (xs + 180.0) / cell
        ).astype(np.int64)

    def _time_masks(self, at: dt.datetime) -> tuple[np.ndarray, np.ndarray]:
        """Per warning: active at ``at``, and in force (inside its window). Shared windows are checked once."""
        window_open: dict[object, bool] = {}
        active = np.zeros(len(self.warnings), dtype=bool)
        in_force = np.zeros(len(self.warnings), dtype=bool)
        for i, warning in enumerate(self.warnings):
            if not warning.active_at(at):
                continue
            active[i] = True
            window = warning.window
            if window is None:
                in_force[i] = True
                continue
            if window not in window_open:
                window_open[window] = window.active_at(at)
            in_force[i] = window_open[window]
        return active, in_force

    # -- many points -------------------------------------------------------------------------------

    def status_many(self, lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray,
                    at: dt.datetime | None = None) -> BulkStatus:
        """Active warnings for many points in one vectorised query (corridor distances are not computed)."""
        at = to_utc(at) if at is not None else dt.datetime.now(dt.UTC)
        xs, ys = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
        n = len(xs)
        active, in_force = self._time_masks(at)
        # Visit the points in grid-cell order: neighbouring points then walk the same tree nodes and test
        # the same polygons, which more than halves the time of both steps (memory locality).
        order = np.argsort(self._cell_key(xs, ys))
        xs_sorted, ys_sorted = xs[order], ys[order]
        with paused_gc():  # a million short-lived Point objects would otherwise trigger full collections
            points = shapely.points(xs_sorted, ys_sorted)
            pairs = self._tree.query(points)
            del points
        by_area = np.argsort(pairs[1], kind="stable")
        candidates, areas = pairs[0][by_area], pairs[1][by_area]
        live = active[self._owners[areas]]  # skip warnings not active at ``at`` before the exact test
        candidates, areas = candidates[live], areas[live]
        hit = shapely.intersects_xy(self._geoms[areas], xs_sorted[candidates], ys_sorted[candidates])
        point_index, warning_index = order[candidates[hit]], self._owners[areas[hit]]
        # One pair per (point, warning), ordered by point and then as single queries order warnings.
        width = max(len(self.warnings), 1)
        key = np.unique(point_index.astype(np.int64) * width + self._rank[warning_index])
        point_index, warning_index = key // width, self._by_rank[key % width]
        curfew = np.zeros(n, dtype=bool)
        if len(point_index):
            is_curfew = self._curfew[warning_index] & in_force[warning_index]
            curfew[point_index[is_curfew]] = True
        return BulkStatus(at, point_index, warning_index, self.warnings, curfew, n)
