"""Draft warnings from notices: a notice found in a report becomes a Draft that cites the report and span.

Nothing here is public: a draft waits for an operator to review, edit and publish it
(``WarningStore.publish``). Areas keep whatever the notice resolved (a GeoJSON polygon, or a
point drawn as a circle of ``radius_km``); unresolved names become areas with a description only, which
the operator must draw before publishing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from collections.abc import Collection
from zoneinfo import ZoneInfo

from shapely.geometry import LineString, MultiPolygon, Polygon

from tocsin.errors import GeometryError
from tocsin.model import Area, Notice
from tocsin.warnings.geometry import Circle, Resolver, area_from_geojson, resolve_named_area
from tocsin.warnings.records import Corridor, Warning, WarningArea
from tocsin.warnings.timewindow import TimeWindow, to_utc

__all__ = ["DEFAULT_SENDER", "draft_from_notice", "new_identifier"]

DEFAULT_SENDER = "tocsin@localhost"
_CATEGORY = {"strike_warning": "Security", "curfew": "Security"}
_RESPONSE = {
    "evacuation_order": "Evacuate",
    "strike_warning": "Shelter",
    "curfew": "Shelter",
    "safe_corridor": "Execute",
    "deadline": "Prepare",
}
_EVENT = {
    "evacuation_order": "Evacuation order",
    "strike_warning": "Strike warning",
    "curfew": "Curfew",
    "safe_corridor": "Safe corridor",
    "deadline": "Deadline",
}
_INSTRUCTION = {
    "evacuation_order": "Leave the area named in this warning. Follow the instructions of local authorities.",
    "strike_warning": "Stay away from the area named in this warning; shelter in a protected place.",
    "curfew": "Stay indoors during the curfew hours given in this warning.",
    "safe_corridor": "Civilians may leave along the corridor during its opening hours only.",
    "deadline": "Act before the deadline given in this warning.",
}


_LEAVE_INSTRUCTION = ("Leave the area named in this warning: strikes are announced there. Follow the instructions "
                      "of local authorities.")


def new_identifier(prefix: str = "tocsin") -> str:
    """A fresh CAP identifier."""
    return f"{prefix}-{uuid.uuid4().hex}"


def _draft_id(notice: Notice, report_id: str) -> str:
    span = notice.evidence
    key = f"{report_id}|{notice.kind}|{span.start if span else ''}|{span.end if span else ''}"
    return "tocsin-draft-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def _area(area: Area, resolver: Resolver | None, radius_km: float, countries: Collection[str] | None) -> WarningArea:
    if area.geometry:
        shape = area_from_geojson(area.geometry, where=f"area {area.name!r}")
        polygons = tuple(shape.geoms) if isinstance(shape, MultiPolygon) else (shape,)
        return WarningArea(area.name, polygons=polygons)
    if area.latitude is not None and area.longitude is not None:
        return WarningArea(area.name, circles=(Circle(area.latitude, area.longitude, radius_km),))
    if resolver is not None:
        # a resolved area without a point is a whole region (see nlp.notices): only a polygon of its name will do
        radius = None if area.geonames_id is not None else radius_km
        try:
            shape = resolve_named_area(area.name, resolver, radius, countries)
        except GeometryError:
            return WarningArea(area.name)
        if isinstance(shape, Polygon):
            return WarningArea(area.name, polygons=(shape,))
        if isinstance(shape, MultiPolygon):
            return WarningArea(area.name, polygons=tuple(shape.geoms))
    return WarningArea(area.name)


def _local(value: dt.datetime | dt.date, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    day = value + dt.timedelta(days=1) if end else value
    return dt.datetime.combine(day, dt.time(0, 0))


def _window(notice: Notice, timezone: str, issued: dt.datetime | None = None) -> TimeWindow | None:
    """The notice's window; one that gives only an end ("open until 2 p.m.") runs from ``issued``, the
    report's publication; a window that would end before it starts is left for the operator to set."""
    if notice.start is None:
        if notice.end is None or issued is None:
            return None
        notice = dataclasses.replace(notice, start=issued, recurring=None)
    if notice.recurring == "daily" and isinstance(notice.start, dt.datetime) and isinstance(notice.end, dt.datetime):
        start_time, end_time = notice.start.timetz().replace(tzinfo=None), notice.end.timetz().replace(tzinfo=None)
        if notice.start.tzinfo is not None:
            start_time = notice.start.astimezone(ZoneInfo(timezone)).time()
            end_time = notice.end.astimezone(ZoneInfo(timezone)).time()
        if start_time != end_time:
            # "until Sunday": the last interval ends on that day at the daily end time
            last = dt.datetime.combine(notice.until, end_time, ZoneInfo(timezone)) if notice.until else None
            if last is not None and last <= to_utc(notice.start, timezone):
                last = None
            return TimeWindow.daily(start_time, end_time, timezone, start=notice.start, end=last)
    start = _local(notice.start, end=False)
    end = _local(notice.end, end=True) if notice.end is not None else None
    if end is not None and to_utc(end, timezone) <= to_utc(start, timezone):
        if notice.start is issued:
            return None
        end = None
    return TimeWindow.once(start, end, timezone)


def _corridor(areas: list[Area], width_m: float) -> Corridor | None:
    points = [(a.longitude, a.latitude) for a in areas if a.latitude is not None and a.longitude is not None]
    if len(points) < 2:
        return None
    name = " – ".join(a.name for a in areas)
    return Corridor(name, LineString(points), width_m)


def draft_from_notice(
    notice: Notice,
    report_id: str,
    *,
    sender: str = DEFAULT_SENDER,
    sent: dt.datetime | None = None,
    timezone: str | None = None,
    resolver: Resolver | None = None,
    radius_km: float = 2.0,
    corridor_width_m: float = 1000.0,
    issued: dt.datetime | None = None,
    countries: Collection[str] | None = None,
) -> Warning:
    """A Draft warning from a notice, citing ``report_id`` and the notice's evidence span.

    An area the notice left without a shape is looked up by name with ``resolver``, within ``countries`` (the
    countries of the report's resolved places; empty: the user's imported places only) when they are given.

    ``issued`` (the report's publication time) starts a window for which the notice gives only an end, and
    is when a notice that gives no time at all takes effect: the issuer announced it then, so a draft made
    from an archived report does not read as starting when it was ingested.

    A curfew with ``recurring == "daily"`` becomes a daily window in the notice's time zone; a safe
    corridor with two or more located places becomes a route through them of ``corridor_width_m``.
    """
    zone = notice.timezone or timezone or "UTC"
    kind = notice.kind if notice.kind in _EVENT else "other"
    corridors: list[Corridor] = []
    areas: list[WarningArea] = []
    if kind == "safe_corridor":
        corridor = _corridor(notice.areas, corridor_width_m)
        if corridor is not None:
            corridors.append(corridor)
    if not corridors:
        areas = [_area(a, resolver, radius_km, countries) for a in notice.areas]
    names = ", ".join(a.name for a in notice.areas) or "unspecified area"
    leave = kind == "strike_warning" and notice.leave  # "ordered residents to evacuate, saying it would strike"
    evidence_text = notice.evidence.text if notice.evidence is not None else None
    return Warning(
        id=_draft_id(notice, report_id),
        kind=kind,
        sender=sender,
        sent=sent or dt.datetime.now(dt.UTC),
        status="Draft",
        category=_CATEGORY.get(kind, "Safety"),
        event=_EVENT.get(kind, "Civilian warning"),
        response_type="Evacuate" if leave else _RESPONSE.get(kind),
        urgency="Immediate",
        severity="Severe",
        certainty="Likely",
        sender_name=notice.issuer,
        headline=f"{_EVENT.get(kind, 'Warning')}: {names}",
        description=evidence_text,
        instruction=_LEAVE_INSTRUCTION if leave else _INSTRUCTION.get(kind),
        areas=areas,
        window=_window(notice, zone, issued),
        effective=issued if notice.start is None and notice.end is None else None,
        corridors=corridors,
        report_id=report_id,
        evidence=notice.evidence,
    )
