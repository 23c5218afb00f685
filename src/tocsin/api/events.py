"""``/api/events``: list with the CLI's filters, a timeline per day, one event with its sources, split, correct."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from tocsin.api.auth import PageDep, known_query, require, state_of
from tocsin.auth import Principal, audited, event_snapshot, split_snapshot
from tocsin.errors import E, InputError
from tocsin.model import EVENT_TYPES, SUB_EVENT_TYPES, to_dict
from tocsin.store import EventFilter

__all__ = ["router", "event_filter"]

router = APIRouter(prefix="/api/events", tags=["events"], dependencies=[Depends(known_query)])


def _day(value: str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(E.T010.format(where="query", field=name, expected="a date YYYY-MM-DD", value=value),
                         field=name) from None


def _choice(value: str | None, name: str, valid: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in valid:
        raise InputError(E.T102.format(name=name, value=value, valid=", ".join(valid)), field=name)
    return value


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """``min_lon,min_lat,max_lon,max_lat`` in degrees; min_lon > max_lon crosses the antimeridian."""
    if value is None or value == "":
        return None
    expected = "min_lon,min_lat,max_lon,max_lat in degrees"
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError:
        parts = ()
    ok = len(parts) == 4 and all(math.isfinite(p) for p in parts)
    if ok:
        min_lon, min_lat, max_lon, max_lat = parts
        ok = -90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180
    if not ok:
        raise InputError(E.T010.format(where="query", field="bbox", expected=expected, value=value), field="bbox")
    return parts  # type: ignore[return-value]


def event_filter(
    date_from: Annotated[str | None, Query(description="Earliest date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, Query(description="Latest date, YYYY-MM-DD.")] = None,
    event_type: Annotated[str | None, Query(description="ACLED event type.")] = None,
    sub_event_type: Annotated[str | None, Query(description="ACLED sub-event type.")] = None,
    country: Annotated[str | None, Query(description="Country name (case-insensitive).")] = None,
    admin1: Annotated[str | None, Query(description="First-level region (case-insensitive).")] = None,
    actor: Annotated[str | None, Query(description="Part of an actor's name.")] = None,
    bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
) -> EventFilter:
    """The CLI's event filters (``tocsin events --from --to --type ...``) as query parameters."""
    flt = EventFilter(
        date_from=_day(date_from, "date_from"),
        date_to=_day(date_to, "date_to"),
        event_type=_choice(event_type, "event_type", tuple(EVENT_TYPES)),
        sub_event_type=_choice(sub_event_type, "sub_event_type", SUB_EVENT_TYPES),
        country=country or None,
        admin1=admin1 or None,
        actor=actor or None,
        bbox=parse_bbox(bbox),
    )
    if flt.date_from and flt.date_to and flt.date_from > flt.date_to:
        raise InputError(E.T010.format(where="query", field="date_to", expected="on or after date_from",
                                       value=date_to), field="date_to")
    return flt


FilterDep = Annotated[EventFilter, Depends(event_filter)]
EventId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The event id.")]
Viewer = Annotated[Principal, require("viewer")]
Analyst = Annotated[Principal, require("analyst")]


def _event_json(stored: Any) -> dict[str, Any]:
    return {"id": stored.id, "version": stored.version, **to_dict(stored.event)}


@router.get("", summary="List events (filters as the CLI's), ordered by date then id")
def list_events(request: Request, _who: Viewer, flt: FilterDep, page: PageDep) -> dict[str, Any]:
    store = state_of(request).store
    stored = store.events(flt, limit=page.limit, offset=page.offset, with_mentions=False)
    return page.wrap([_event_json(s) for s in stored], store.count_events(flt))


@router.get("/timeline", summary="Events and fatalities per day (same filters)")
def timeline(request: Request, _who: Viewer, flt: FilterDep) -> list[dict[str, Any]]:
    days: dict[dt.date, list[int]] = {}
    for stored in state_of(request).store.events(flt, with_mentions=False):
        if stored.event.date is None:
            continue
        counts = days.setdefault(stored.event.date, [0, 0])
        counts[0] += 1
        counts[1] += stored.event.fatalities or 0
    return [{"date": d.isoformat(), "count": c, "fatalities": f} for d, (c, f) in sorted(days.items())]


@router.get("/{event_id}", summary="One event with its sources, their evidence sentences and text")
def get_event(request: Request, event_id: EventId, _who: Viewer) -> dict[str, Any]:
    store = state_of(request).store
    stored = store.event(event_id)
    mentions = []
    for m in stored.mentions:
        report = store.report(m.report_hash).report
        mentions.append({
            "report_id": m.report_id, "report_hash": m.report_hash, "source": m.source, "url": m.url,
            "published": to_dict(m.published), "title": report.title, "event": to_dict(m.event),
            "sentences": to_dict(m.sentences), "text": report.text,
        })
    return {**_event_json(stored), "mentions": mentions}


class SplitIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(None, max_length=2000)


@router.post("/{event_id}/split", summary="Undo a merge: every source report's event becomes its own")
def split_event(request: Request, event_id: EventId, who: Analyst, body: SplitIn | None = None) -> dict[str, Any]:
    store = state_of(request).store
    with audited(who.name, "event.split", f"event:{event_id}", split_snapshot(event_id)):
        ids = store.split(event_id, who=who.name, reason=body.reason if body else None)
    return {"ids": ids}


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(..., min_length=1, max_length=100)
    value: Any
    reason: str | None = Field(None, max_length=2000)
    version: int | None = Field(None, ge=0, le=2**53, description="The version you saw; 409 if it moved on.")


@router.post("/{event_id}/corrections", summary="Correct one field (recorded with before and after)")
def correct_event(request: Request, event_id: EventId, body: CorrectionIn, who: Analyst) -> dict[str, Any]:
    store = state_of(request).store
    with audited(who.name, "event.correct", f"event:{event_id}", event_snapshot(event_id)):
        stored = store.correct(event_id, body.field, body.value, who=who.name, reason=body.reason,
                               expected_version=body.version)
    return _event_json(stored)
