"""The typed records the store returns and takes (filters, results)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from tocsin.model import Event, Notice, Report, Span, Toponym

__all__ = [
    "AddResult",
    "Correction",
    "EventFilter",
    "PendingStatus",
    "SourceMention",
    "StoredEvent",
    "StoredNotice",
    "StoredReport",
]


@dataclass
class EventFilter:
    """Which stored events to list; every criterion given must hold (None = any)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    country: str | None = None
    """Case-insensitive, exact country name."""
    admin1: str | None = None
    """Case-insensitive, exact admin1 name."""
    actor: str | None = None
    """Case-insensitive substring of actor1, actor2 or an associated actor."""
    bbox: tuple[float, float, float, float] | None = None
    """(min_lon, min_lat, max_lon, max_lat); min_lon > max_lon crosses the antimeridian."""
    area: Any = None
    """A polygon (WKT text, x = longitude, or a shapely Polygon/MultiPolygon): events located inside it."""


@dataclass
class AddResult:
    """What ``Store.add`` did with one report."""

    content_hash: str
    report_id: str
    added: bool
    """False when a report with this content hash was already stored (nothing written)."""
    event_ids: list[int] = field(default_factory=list)
    """The merged event each of the report's events went to, in the report's order."""
    merged: int = 0
    """How many of the report's events joined an already stored event."""
    notices: int = 0
    pending: int = 0
    """``Store.stage`` only: how many of the report's events wait for ``Store.merge_pending`` (no event ids yet)."""


@dataclass
class PendingStatus:
    """What ``Store.stage`` wrote and ``Store.merge_pending`` has not merged yet."""

    reports: int
    events: int
    """Mentions waiting: they appear in events (and exports, the API) only after the merge."""
    oldest: dt.datetime | None = None
    """When the oldest waiting report was staged (how far merged events lag behind)."""


@dataclass
class SourceMention:
    """One report's account of a stored event."""

    mention_id: int
    report_hash: str
    report_id: str
    source: str | None
    url: str | None
    published: dt.datetime | None
    event: Event
    """This report's Event, with its own evidence spans."""
    sentences: list[Span] = field(default_factory=list)
    """The sentences of the report's text that hold the evidence, for highlighting."""


@dataclass
class StoredEvent:
    id: int
    event: Event
    mentions: list[SourceMention]
    version: int
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


@dataclass
class StoredReport:
    content_hash: str
    report: Report
    status: str
    """``extracted`` or ``skipped``."""
    skipped_reason: str | None
    ingested_at: dt.datetime
    toponyms: list[Toponym] = field(default_factory=list)
    event_ids: list[int] = field(default_factory=list)


@dataclass
class StoredNotice:
    id: int
    report_hash: str
    ordinal: int
    notice: Notice
    report_id: str
    source: str | None
    published: dt.datetime | None


@dataclass
class Correction:
    """One recorded change by a person: a field correction or a split."""

    id: int
    event_id: int
    field: str
    before: Any
    after: Any
    who: str
    at: dt.datetime
    reason: str | None
