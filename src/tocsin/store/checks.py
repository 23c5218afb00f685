"""Checking what callers give the store: records to add, corrections, filters; and shaping rows.

Every problem is a coded error naming the record (StoreError T209 for records to write,
InputError T207/T208 for corrections, T010 for filters).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tocsin.errors import E, InputError, StoreError
from tocsin.model import (
    EVENT_TYPES,
    INTER_CODES,
    SUB_EVENT_TYPES,
    Event,
    Extraction,
    Notice,
    Place,
    Report,
    Span,
    event_type_of,
    to_dict,
)
from tocsin.store.codec import parse_date, place_key

__all__ = [
    "CORRECTABLE_FIELDS",
    "check_bbox",
    "check_correction",
    "check_item",
    "as_mention",
    "check_mention",
    "mention_problem",
    "evidence_sentences",
    "notice_json",
    "notice_time",
    "place_row",
]

_TEXT_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "notes")
_LOCATION_FIELDS = ("name", "latitude", "longitude", "admin1", "admin2", "country", "geo_precision", "geonames_id")
#: Fields ``Store.correct`` accepts (``location.x`` for location fields; column names work too).
CORRECTABLE_FIELDS: tuple[str, ...] = (
    "sub_event_type",
    "date",
    "time_precision",
    *_TEXT_FIELDS,
    "inter1",
    "inter2",
    "fatalities",
    "displaced",
    *(f"location.{f}" for f in _LOCATION_FIELDS),
)
_ALIASES = {"location_name": "location.name", **{f: f"location.{f}" for f in _LOCATION_FIELDS if f != "name"}}
#: Column widths of ``reports`` (PostgreSQL enforces them; checked here so SQLite behaves the same).
_REPORT_LIMITS = {"id": 500, "source": 500, "language": 16}
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d)\]]*\s+|\n\s*\n")


def check_item(item: Any, where: str) -> tuple[Report, str, Extraction]:
    try:
        report, content_hash, extraction = item
    except (TypeError, ValueError) as exc:
        raise StoreError(E.T209.format(what=where, detail="expected (Report, content_hash, Extraction)")) from exc
    if not isinstance(report, Report):
        raise StoreError(E.T209.format(what=where, detail=f"not a Report: {type(report).__name__}"))
    if not isinstance(content_hash, str) or not content_hash.strip() or len(content_hash) > 128:
        raise StoreError(
            E.T209.format(what=where, detail=f"content hash must be a string of 1-128 characters, got {content_hash!r}")
        )
    if not isinstance(extraction, Extraction):
        raise StoreError(E.T209.format(what=where, detail=f"not an Extraction: {type(extraction).__name__}"))
    rid, source, language = report.id, report.source, report.language
    usual = type(rid) is str and len(rid) <= 500 and (source is None or (type(source) is str and len(source) <= 500))
    if not (usual and (language is None or (type(language) is str and len(language) <= 16))):
        _check_report_fields(report, where)  # the exact error (or a value that is fine after all)
    if not isinstance(report.text, str):
        raise StoreError(E.T209.format(what=where, detail="report text must be text"))
    return report, content_hash, extraction


def _check_report_fields(report: Report, where: str) -> None:
    for name, limit in _REPORT_LIMITS.items():
        value = getattr(report, name)
        if name == "id" and not isinstance(value, str):
            raise StoreError(E.T209.format(what=where, detail=f"report id must be text, got {value!r}"))
        if value is not None and len(str(value)) > limit:
            raise StoreError(E.T209.format(what=where, detail=f"report {name} is longer than {limit} characters"))


#: ACLED sub-event type -> its event type (``event_type_of`` as one dict lookup).
_TYPE_OF: dict[str, str] = {sub: kind for kind, subs in EVENT_TYPES.items() for sub in subs}


def check_mention(event: Any, report: Report, where: str) -> Event:
    """The event as a mention of ``report``: validated, with report id and source filled in."""
    problem = mention_problem(event)
    if problem is not None:
        raise StoreError(E.T209.format(what=where, detail=problem), what=where)
    return as_mention(event, report)


def mention_problem(event: Any) -> str | None:
    """What is wrong with ``event`` as a record to store, or None (``check_mention`` without the copy).

    The usual event (plain ints, a plain date, numbers in range) passes a few cheap tests; anything
    else gets the full ones.
    """
    if not isinstance(event, Event):
        return f"not an Event: {type(event).__name__}"
    sub = event.sub_event_type
    kind = _TYPE_OF.get(sub) if type(sub) is str else None
    if kind is None and sub not in SUB_EVENT_TYPES:
        return f"sub_event_type {event.sub_event_type!r} is not an ACLED sub-event type"
    if event.event_type != (kind or event_type_of(sub)):
        return f"event_type {event.event_type!r} does not hold sub-event type {event.sub_event_type!r}"
    if event.date is not None and (type(event.date) is not dt.date):
        return f"date must be a datetime.date, got {event.date!r}"
    killed, displaced = event.fatalities, event.displaced
    if not (
        (killed is None or (type(killed) is int and killed >= 0))
        and (displaced is None or (type(displaced) is int and displaced >= 0))
    ):
        for name in ("fatalities", "displaced"):
            value = getattr(event, name)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                return f"{name} must be a count (int >= 0) or None, got {value!r}"
    lat, lon = event.location.latitude, event.location.longitude
    if (lat is not None and not -90 <= lat <= 90) or (lon is not None and not -180 <= lon <= 180):
        return f"location ({lat!r}, {lon!r}) is not a latitude/longitude"
    return None


def as_mention(event: Event, report: Report) -> Event:
    """A copy of a checked event with the report's id and source filled in where it has none."""
    mention = _shallow_copy(event)
    mention.report_id = event.report_id or report.id
    mention.sources = list(event.sources) or ([report.source] if report.source else [])
    return mention


def _shallow_copy(event: Event) -> Event:
    """``dataclasses.replace(event)`` without re-running ``__init__`` (10x cheaper; runs once per stored event)."""
    kind = type(event)
    copy = kind.__new__(kind)
    copy.__dict__.update(event.__dict__)
    return copy


def notice_time(value: dt.datetime | dt.date | None, tz: str | None, *, end: bool) -> dt.datetime | None:
    """A notice's start/end as UTC for querying (naive local times use the notice's zone)."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time.max if end else dt.time.min)
    if value.tzinfo is None:
        try:
            zone: dt.tzinfo = ZoneInfo(tz) if tz else dt.UTC
        except (ZoneInfoNotFoundError, ValueError):
            zone = dt.UTC
        value = value.replace(tzinfo=zone)
    return value.astimezone(dt.UTC)


def notice_json(notice: Notice, report_id: str) -> dict[str, Any]:
    """The notice's JSON; naive (local) start/end stay naive, where ``to_dict`` would call them UTC."""
    d: dict[str, Any] = to_dict(dataclasses.replace(notice, report_id=notice.report_id or report_id))
    for name in ("start", "end"):
        value = getattr(notice, name)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            d[name] = value.isoformat()
    return d


def place_row(place: Place) -> dict[str, Any]:
    if not isinstance(place, Place):
        raise StoreError(E.T209.format(what="places", detail=f"not a Place: {place!r}"))
    if not (-90 <= place.latitude <= 90 and -180 <= place.longitude <= 180):
        raise StoreError(E.T209.format(what=f"place {place.name!r}", detail="latitude/longitude out of range"))
    return {
        "key": place_key(place),
        **{f.name: getattr(place, f.name) for f in dataclasses.fields(place) if f.name != "alternate_names"},
        "alternate_names": list(place.alternate_names),
    }


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    expected = "(min_lon, min_lat, max_lon, max_lat) in degrees"
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        raise InputError(E.T010.format(where="filter", field="bbox", expected=expected, value=bbox)) from exc
    ok = -90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180
    if not ok:
        raise InputError(E.T010.format(where="filter", field="bbox", expected=expected, value=bbox))
    return min_lon, min_lat, max_lon, max_lat


_INT_FIELDS = ("fatalities", "displaced", "time_precision", "inter1", "inter2", "location.geo_precision")
_INT_FIELDS += ("location.geonames_id",)
_FLOAT_FIELDS = ("location.latitude", "location.longitude")


def _from_text(name: str, value: Any) -> Any:
    """Values typed on a command line or in a form: "" / "null" clear a field, numbers are parsed."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text.lower() in ("", "null", "none"):
        return None
    try:
        if name in _INT_FIELDS:
            return int(text)
        if name in _FLOAT_FIELDS:
            return float(text)
    except ValueError:
        return value
    return text


def check_correction(field: str, value: Any) -> tuple[str, Any]:
    """The canonical field name and the JSON value to store; InputError T207/T208 when invalid."""
    name = _ALIASES.get(field, field)
    if name not in CORRECTABLE_FIELDS:
        raise InputError(E.T207.format(field=field, valid=", ".join(CORRECTABLE_FIELDS)), field=field)

    def bad(detail: str) -> InputError:
        return InputError(E.T208.format(field=field, value=value, detail=detail), field=field)

    value = _from_text(name, value)
    if value is None:
        if name == "sub_event_type":
            raise bad("an event needs a sub-event type")
        return name, None
    if name == "sub_event_type":
        if value not in SUB_EVENT_TYPES:
            raise bad("not an ACLED sub-event type")
        return name, value
    if name == "date":
        try:
            return name, parse_date(value).isoformat()  # type: ignore[union-attr]
        except (TypeError, ValueError) as exc:
            raise bad("expected YYYY-MM-DD") from exc
    if name in _INT_FIELDS and name != "location.geonames_id":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad("expected a whole number >= 0")
        if name in ("time_precision", "location.geo_precision") and value not in (1, 2, 3):
            raise bad("precision is 1, 2 or 3")
        if name in ("inter1", "inter2") and value not in INTER_CODES:
            raise bad(f"inter codes are {sorted(INTER_CODES)}")
        return name, value
    if name in ("location.latitude", "location.longitude"):
        limit = 90 if name.endswith("latitude") else 180
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            raise bad(f"expected degrees within +-{limit}")
        return name, float(value)
    if name == "location.geonames_id":
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("expected an integer GeoNames id")
        return name, value
    if not isinstance(value, str):
        raise bad("expected text")
    return name, value


def evidence_sentences(text: str, spans: Iterable[Span]) -> list[Span]:
    """The sentences of ``text`` that overlap any of ``spans`` (a light regex split, no NLP)."""
    wanted = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    if not wanted:
        return []
    starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
    found: dict[int, Span] = {}
    for s in wanted:
        i = bisect_right(starts, s.start) - 1
        while i < len(starts) and starts[i] < s.end:
            begin, stop = starts[i], starts[i + 1] if i + 1 < len(starts) else len(text)
            chunk = text[begin:stop]
            lead = len(chunk) - len(chunk.lstrip())
            body = chunk.strip()
            found.setdefault(begin, Span(begin + lead, begin + lead + len(body), body))
            i += 1
    return [found[k] for k in sorted(found)]
