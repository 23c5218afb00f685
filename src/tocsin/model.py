"""The typed records that flow between tocsin's stages (see docs/schema.md).

Every stage takes and returns these plain dataclasses; ``to_dict`` gives the JSON form
used by ``tocsin extract``, the store and the API.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EVENT_TYPES",
    "INTER_CODES",
    "NOTICE_KINDS",
    "SUB_EVENT_TYPES",
    "Area",
    "ActorMention",
    "Attribution",
    "Claim",
    "CountMention",
    "DateMention",
    "Event",
    "Extraction",
    "Location",
    "Notice",
    "Place",
    "Report",
    "Span",
    "Toponym",
    "Trigger",
    "event_type_of",
    "to_dict",
]

#: ACLED's six event types and 25 sub-event types, in ACLED's exact wording.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
SUB_EVENT_TYPES: tuple[str, ...] = tuple(s for subs in EVENT_TYPES.values() for s in subs)

#: ACLED's actor ``inter`` codes.
INTER_CODES: dict[int, str] = {
    1: "State forces",
    2: "Rebel groups",
    3: "Political militias",
    4: "Identity militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other forces",
}

NOTICE_KINDS: tuple[str, ...] = (
    "evacuation_order",
    "strike_warning",
    "curfew",
    "safe_corridor",
    "deadline",
)


def event_type_of(sub_event_type: str) -> str:
    """The ACLED event type a sub-event type belongs to."""
    for event_type, subs in EVENT_TYPES.items():
        if sub_event_type in subs:
            return event_type
    raise ValueError(f"{sub_event_type!r} is not an ACLED sub-event type")


@dataclass(frozen=True)
class Span:
    """Character offsets ``[start, end)`` into a report's text, with the text itself."""

    start: int
    end: int
    text: str = ""


@dataclass
class Report:
    """One text as received, with its source and publication time (UTC, or None)."""

    id: str
    text: str
    title: str | None = None
    published: dt.datetime | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None
    origin: str | None = None
    """Where the report was read from: ``path`` or ``path:line``."""


@dataclass
class Place:
    """A gazetteer entry: a point (and optionally a polygon as GeoJSON) with its parents."""

    geonames_id: int | None
    name: str
    latitude: float
    longitude: float
    country_code: str
    country: str
    admin1: str | None = None
    admin2: str | None = None
    feature_class: str = "P"
    feature_code: str = "PPL"
    population: int = 0
    timezone: str | None = None
    alternate_names: tuple[str, ...] = ()
    geometry: dict[str, Any] | None = None
    """A GeoJSON geometry for areas (neighbourhoods) imported by the user."""
    parent: str | None = None
    """For user places such as neighbourhoods: the name of the city they lie in."""


@dataclass
class Toponym:
    """A place mention in a text and its resolution (or the reason there is none)."""

    name: str
    start: int
    end: int
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    country: str | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    feature_code: str | None = None
    timezone: str | None = None
    geo_precision: int | None = None
    reason: str | None = None
    """Why the mention is unresolved, or how an uncertain one was chosen."""
    place_name: str | None = None
    """The gazetteer's name of the place ("Aleppo" for the dateline "ALEPPO"); ``name`` is as written."""

    @property
    def resolved(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass
class DateMention:
    """A date or time expression and what it resolves to.

    ``value`` is a date when only a day is known. With a clock time it is a datetime:
    timezone-aware (UTC) when the text names the zone ("12:00 GMT"), naive local time when
    it does not (the notices stage localises it with the place's zone). ``precision`` is
    ACLED's time precision (1 day, 2 week, 3 month). ``reason`` says why ``value`` is None.
    """

    text: str
    start: int
    end: int
    value: dt.date | dt.datetime | None
    precision: int = 1
    has_time: bool = False
    relative: bool = False
    reason: str | None = None
    role: str | None = None
    """For ranges ("from 3 p.m. to 6 a.m."): ``start`` or ``end``; None for a single point."""


@dataclass
class CountMention:
    """A number read as a count of people: killed, injured, displaced, arrested, ..."""

    kind: str
    """One of ``fatalities``, ``injured``, ``displaced``, ``arrested``, ``abducted``, ``people``."""
    value: int
    start: int
    end: int
    text: str
    vague: bool = False
    """True for words like "dozens" that are coded by a fixed rule (docs/methods.md)."""


@dataclass
class ActorMention:
    """A mention of an actor, normalised to its canonical name and ACLED ``inter`` code."""

    name: str
    """Canonical name from the actor dictionary, e.g. "Military Forces of Syria (2024-)"."""
    inter: int
    start: int
    end: int
    text: str
    country_code: str | None = None
    note: str | None = None
    """How a vague or hedged mention was read ("hedged: presumed JNIM or ISGS militants")."""


@dataclass
class Attribution:
    """A stretch of text reported as somebody's statement: "the army said ..."."""

    source: str
    """Who says it, as written ("state media", "the YPG")."""
    start: int
    end: int
    """The attributed stretch (usually the sentence)."""
    source_start: int
    source_end: int


@dataclass
class Trigger:
    """A sentence classified as describing an ACLED event, with the words that show it.

    Sentences that describe no ACLED event (disasters, crime, diplomacy, ...) get no Trigger.
    """

    sub_event_type: str
    score: float
    start: int
    end: int
    text: str
    """The trigger words ("shelled", "air strike"); the whole sentence when no single word is decisive."""
    sent_start: int
    sent_end: int


@dataclass
class Claim:
    """What one source says about one field of an event."""

    source: str
    field: str
    value: Any
    span: Span
    report_id: str | None = None
    """The report whose text ``span`` points into; set on a merged event's claims."""


@dataclass
class Location:
    name: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    admin1: str | None = None
    admin2: str | None = None
    country: str | None = None
    geo_precision: int | None = None
    geonames_id: int | None = None


@dataclass
class Event:
    """One event in ACLED's typology, with the text spans every field was read from."""

    event_type: str
    sub_event_type: str
    date: dt.date | None = None
    time_precision: int | None = None
    actor1: str | None = None
    actor2: str | None = None
    assoc_actor_1: str | None = None
    assoc_actor_2: str | None = None
    inter1: int | None = None
    inter2: int | None = None
    location: Location = field(default_factory=Location)
    fatalities: int | None = None
    displaced: int | None = None
    claims: list[Claim] = field(default_factory=list)
    evidence: dict[str, Span] = field(default_factory=dict)
    """Field name -> the span it was read from (``event_type`` -> the trigger)."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Field name -> why it is empty (or how it was inferred)."""
    confidence: float = 0.0
    report_id: str | None = None
    sources: list[str] = field(default_factory=list)
    notes: str | None = None
    """The sentence(s) describing the event, ACLED's ``notes``."""


@dataclass
class Area:
    """A notice's area: a named place, resolved or not."""

    name: str
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    country: str | None = None
    admin1: str | None = None
    geometry: dict[str, Any] | None = None
    reason: str | None = None


@dataclass
class Notice:
    """A civilian-protection announcement found in a report; raw material for a warning."""

    kind: str
    areas: list[Area] = field(default_factory=list)
    start: dt.datetime | dt.date | None = None
    end: dt.datetime | dt.date | None = None
    recurring: str | None = None
    """For recurring windows such as a nightly curfew: "daily"."""
    issuer: str | None = None
    evidence: Span | None = None
    spans: dict[str, Span] = field(default_factory=dict)
    """Field name -> span (``start``, ``end``, ``issuer``, ``areas``)."""
    report_id: str | None = None
    timezone: str | None = None
    until: dt.date | None = None
    """For a recurring window: the last day it applies ("from 8 pm to 6 am until Sunday"); None: until lifted."""
    leave: bool = False
    """It tells people to leave the area (an evacuation order, or a strike warning that orders residents out),
    rather than to shelter where they are."""


@dataclass
class Extraction:
    """What ``tocsin.extract`` finds in one report."""

    id: str
    events: list[Event] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    toponyms: list[Toponym] = field(default_factory=list)
    language: str | None = None
    skipped: str | None = None
    """Why the report was not coded (e.g. not English), else None."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def to_dict(record: Any) -> Any:
    """The JSON form of any record: dates as ISO 8601, datetimes in UTC with ``Z``."""
    return _jsonable(record)
