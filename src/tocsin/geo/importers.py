"""Read user places for the gazetteer: GeoNames dumps and GeoJSON files -> :class:`~tocsin.model.Place`.

Both readers stream and keep going past bad input: each bad line or feature becomes a coded
:class:`~tocsin.errors.InputError` / :class:`~tocsin.errors.GeometryError` appended to ``errors`` (when
given) and is skipped. Add the places to a gazetteer with ``Gazetteer.add(...)``; the store persists them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from shapely.geometry import shape
from shapely.validation import explain_validity

from tocsin.errors import E, GeometryError, InputError, TocsinError
from tocsin.model import Place

__all__ = ["GEONAMES_COLUMNS", "read_geojson", "read_geonames_dump"]

#: The 19 tab-separated columns of a GeoNames dump (allCountries.txt, SY.txt, cities500.txt, ...).
GEONAMES_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
    "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code", "admin4_code",
    "population", "elevation", "dem", "timezone", "modification_date",
)
_POLYGONS = ("Polygon", "MultiPolygon")


def _report(errors: list[TocsinError] | None, error: TocsinError) -> None:
    if errors is not None:
        errors.append(error)


def _geonames_row(fields: list[str]) -> Place:
    if len(fields) != len(GEONAMES_COLUMNS):
        raise ValueError(f"{len(fields)} columns, expected {len(GEONAMES_COLUMNS)}")
    row = dict(zip(GEONAMES_COLUMNS, fields, strict=True))
    if not row["name"].strip():
        raise ValueError("empty name")
    lat, lon = float(row["latitude"]), float(row["longitude"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    aliases = tuple(a for a in row["alternatenames"].split(",") if a and a != row["name"])
    return Place(
        geonames_id=int(row["geonameid"]),
        name=row["name"],
        latitude=lat,
        longitude=lon,
        country_code=row["country_code"],
        country="",
        admin1=row["admin1_code"] or None,
        admin2=row["admin2_code"] or None,
        feature_class=row["feature_class"] or "P",
        feature_code=row["feature_code"] or "PPL",
        population=int(row["population"] or 0),
        timezone=row["timezone"] or None,
        alternate_names=aliases,
    )


def read_geonames_dump(path: str | Path, errors: list[TocsinError] | None = None) -> Iterator[Place]:
    """Places from a GeoNames tab-separated dump, streamed. Bad lines -> ``[T030] path:line`` in ``errors``."""
    path = Path(path)
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            try:
                yield _geonames_row(line.split("\t"))
            except ValueError as error:
                message = E.T030.format(path=path, line=number, detail=error)
                _report(errors, InputError(message, path=str(path), line=number))


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(n.strip() for n in value.split("|") if n.strip())
    if isinstance(value, list):
        return tuple(str(n).strip() for n in value if str(n).strip())
    return ()


def _feature(path: Path, index: int, feature: Any, errors: list[TocsinError] | None) -> Place | None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        _report(errors, InputError(E.T031.format(path=path, index=index, detail="not a GeoJSON Feature")))
        return None
    props = feature.get("properties") or {}
    name = str(props.get("name") or "").strip()
    if not name:
        _report(errors, InputError(E.T031.format(path=path, index=index, detail="no 'name' property")))
        return None
    geometry = feature.get("geometry")
    try:
        geom = shape(geometry)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError) as error:
        detail = f"unreadable geometry: {error}"
        _report(errors, GeometryError(E.T330.format(path=path, index=index, name=name, detail=detail)))
        return None
    if geom.geom_type not in ("Point", *_POLYGONS):
        detail = f"{geom.geom_type} is not a Point, Polygon or MultiPolygon"
        _report(errors, GeometryError(E.T330.format(path=path, index=index, name=name, detail=detail)))
        return None
    if geom.is_empty or not geom.is_valid:
        detail = "empty" if geom.is_empty else explain_validity(geom)
        _report(errors, GeometryError(E.T330.format(path=path, index=index, name=name, detail=detail)))
        return None
    point = geom if geom.geom_type == "Point" else geom.representative_point()
    lon, lat = point.x, point.y
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        detail = f"coordinates out of range: {lat}, {lon} (GeoJSON is longitude first)"
        _report(errors, GeometryError(E.T330.format(path=path, index=index, name=name, detail=detail)))
        return None
    gid = props.get("geonames_id")
    return Place(
        geonames_id=int(gid) if isinstance(gid, (int, str)) and str(gid).isdigit() else None,
        name=name,
        latitude=lat,
        longitude=lon,
        country_code=str(props.get("country_code") or "").upper(),
        country=str(props.get("country") or ""),
        admin1=props.get("admin1") or None,
        admin2=props.get("admin2") or None,
        feature_class=str(props.get("feature_class") or ("P" if geom.geom_type == "Point" else "L")),
        feature_code=str(props.get("feature_code") or ("PPL" if geom.geom_type == "Point" else "PPLX")),
        population=int(props.get("population") or 0),
        timezone=props.get("timezone") or None,
        alternate_names=_names(props.get("alternate_names")),
        geometry=geometry if geom.geom_type in _POLYGONS else None,
        parent=props.get("parent") or None,
    )


def read_geojson(path: str | Path, errors: list[TocsinError] | None = None) -> Iterator[Place]:
    """Places from a GeoJSON FeatureCollection of named Point/Polygon/MultiPolygon features.

    Properties: ``name`` (required), ``parent`` (the city a neighbourhood lies in), ``country_code``,
    ``admin1``, ``alternate_names`` (list or "|"-separated), optional ``geonames_id``, ``population``.
    Polygons must be valid (shapely); their representative point (always inside) gives lat/lon.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(E.T032.format(path=path, detail=error), path=str(path)) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
        data.get("features"), list
    ):
        raise InputError(E.T032.format(path=path, detail="no 'features' list"), path=str(path))
    for index, feature in enumerate(data["features"]):
        place = _feature(path, index, feature, errors)
        if place is not None:
            yield place
