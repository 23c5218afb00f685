"""The typed records of warnings: ``Warning``, ``WarningArea``, ``Corridor``, ``Reference`` and CAP's vocabularies.

A ``Warning`` carries one CAP ``info`` block (tocsin writes one; on import the English one, or the first, is
read and the original bytes are kept in ``source_xml``). Geometry is shapely (x = longitude, y = latitude).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from tocsin.errors import E, InputError
from tocsin.model import Span
from tocsin.warnings.geometry import Circle, buffer_route
from tocsin.warnings.timewindow import TimeWindow, to_utc

__all__ = [
    "CATEGORIES",
    "CERTAINTIES",
    "ENUMERATIONS",
    "KINDS",
    "MSG_TYPES",
    "RESPONSE_TYPES",
    "SCOPES",
    "SEVERITIES",
    "STATUSES",
    "URGENCIES",
    "Corridor",
    "Reference",
    "Warning",
    "WarningArea",
    "check_option",
]

#: tocsin's kinds of warning: the notice kinds, plus all-clear and "other" (imported alerts of other kinds).
KINDS: tuple[str, ...] = (
    "evacuation_order",
    "strike_warning",
    "curfew",
    "safe_corridor",
    "deadline",
    "all_clear",
    "other",
)
STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env", "Transport", "Infra", "CBRNE",
              "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
#: CAP 1.2 elements whose value is one of a fixed list, and that list.
ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "status": STATUSES,
    "msgType": MSG_TYPES,
    "scope": SCOPES,
    "category": CATEGORIES,
    "responseType": RESPONSE_TYPES,
    "urgency": URGENCIES,
    "severity": SEVERITIES,
    "certainty": CERTAINTIES,
}


def check_option(name: str, value: str, valid: tuple[str, ...]) -> str:
    """``value`` when it is one of ``valid``, else an InputError listing the valid values."""
    if value not in valid:
        raise InputError(E.T102.format(name=name, value=value, valid=", ".join(valid)))
    return value


@dataclass(frozen=True)
class Reference:
    """An earlier message, as CAP's ``references`` writes it: ``sender,identifier,sent``."""

    sender: str
    identifier: str
    sent: dt.datetime

    def to_text(self) -> str:
        from tocsin.warnings.cap import format_time

        return f"{self.sender},{self.identifier},{format_time(self.sent)}"


@dataclass
class WarningArea:
    """One CAP ``area``: a description and its polygons, circles and geocodes."""

    description: str
    polygons: tuple[Polygon, ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[tuple[str, str], ...] = ()

    @cached_property
    def shape(self) -> BaseGeometry | None:
        """The union of the polygons and circles, or None for an area described only by name/geocode."""
        parts: list[BaseGeometry] = list(self.polygons) + [c.shape() for c in self.circles]
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else shapely.union_all(parts)


@dataclass
class Corridor:
    """A safe corridor: a route (a line) and its width in metres, open during ``window`` (or the warning's)."""

    name: str
    route: LineString
    width_m: float
    window: TimeWindow | None = None

    @cached_property
    def area(self) -> Polygon:
        return buffer_route(self.route, self.width_m, where=f"corridor {self.name!r}")


@dataclass
class Warning:
    """A civilian warning: what CAP 1.2 needs, plus tocsin's kind, window, corridors and provenance.

    ``status`` is CAP's status: "Draft" until an operator publishes it (then "Actual", or "Exercise"/"Test").
    """

    id: str
    kind: str
    sender: str
    sent: dt.datetime
    status: str = "Draft"
    msg_type: str = "Alert"
    scope: str = "Public"
    references: tuple[Reference, ...] = ()
    category: str = "Safety"
    event: str = ""
    response_type: str | None = None
    urgency: str = "Immediate"
    severity: str = "Severe"
    certainty: str = "Likely"
    effective: dt.datetime | None = None
    expires: dt.datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    language: str = "en"
    areas: list[WarningArea] = field(default_factory=list)
    window: TimeWindow | None = None
    corridors: list[Corridor] = field(default_factory=list)
    parameters: list[tuple[str, str]] = field(default_factory=list)
    """Extra CAP parameters (valueName, value) beyond the ``tocsin:*`` ones that are written from fields."""
    note: str | None = None
    report_id: str | None = None
    evidence: Span | None = None
    source_xml: bytes | None = None
    """The original CAP bytes of an imported alert (kept so an XML signature stays verifiable)."""
    key: str | None = None
    """The store's name for this message (``WarningStore`` sets it): the CAP identifier, unless a message of
    the same identifier from another sender was stored first (then ``IDENTIFIER~2``, ``~3``...). None until stored."""

    def __post_init__(self) -> None:
        check_option("kind", self.kind, KINDS)
        check_option("status", self.status, STATUSES)
        check_option("msgType", self.msg_type, MSG_TYPES)
        check_option("scope", self.scope, SCOPES)
        check_option("category", self.category, CATEGORIES)
        check_option("urgency", self.urgency, URGENCIES)
        check_option("severity", self.severity, SEVERITIES)
        check_option("certainty", self.certainty, CERTAINTIES)
        if self.response_type is not None:
            check_option("responseType", self.response_type, RESPONSE_TYPES)
        self.sent = to_utc(self.sent)
        if self.effective is not None:
            self.effective = to_utc(self.effective)
        if self.expires is not None:
            self.expires = to_utc(self.expires)
        if self.effective is not None and self.expires is not None and self.expires < self.effective:
            raise InputError(E.T409.format(where=f"warning {self.id!r}", expires=self.expires.isoformat(),
                                           effective=self.effective.isoformat()))

    @property
    def starts(self) -> dt.datetime:
        """When the warning starts to apply: effective, else the window start, else sent."""
        if self.effective is not None:
            return self.effective
        if self.window is not None and self.window.start is not None:
            return self.window.start
        return self.sent

    @property
    def ends(self) -> dt.datetime | None:
        """When it stops applying: expires, else the window end; None when open-ended."""
        if self.expires is not None:
            return self.expires
        return self.window.end if self.window is not None else None

    @property
    def is_real_alert(self) -> bool:
        """True for a message that warns of a real danger: CAP status Actual, not a Cancel, not an all-clear.

        The one rule for what status answers, the public list and map layers show (``StatusIndex``,
        ``WarningStore.active``/``at_point``/``status``, ``GET /api/warnings``, ``warnings.geojson``): they do not
        say "exercise", so a Test, Exercise or System message there would read as real. The feed lists those
        labelled (``[Exercise] ...``) and subscribers get their CAP, which says it.
        """
        return self.status == "Actual" and self.msg_type != "Cancel" and self.kind != "all_clear"

    def active_at(self, t: dt.datetime) -> bool:
        """True when the warning applies at ``t`` (its whole validity; a curfew may still be outside its hours)."""
        t = to_utc(t)
        if self.msg_type == "Cancel" or self.kind == "all_clear":
            return False
        ends = self.ends
        return self.starts <= t and (ends is None or t < ends)

    def in_force_at(self, t: dt.datetime) -> bool:
        """Active, and inside its time window when it has one (a curfew during its hours)."""
        return self.active_at(t) and (self.window is None or self.window.active_at(t))

    @property
    def shape(self) -> BaseGeometry | None:
        """The union of the areas' shapes (corridors are separate: see ``Corridor.area``)."""
        shapes = [a.shape for a in self.areas if a.shape is not None]
        if not shapes:
            return None
        return shapes[0] if len(shapes) == 1 else shapely.union_all(shapes)

    @property
    def handle(self) -> str:
        """What tocsin's URLs, commands and answers call this message: its store key, else its identifier."""
        return self.key or self.id

    def reference(self) -> Reference:
        """How a later Update or Cancel cites this warning."""
        return Reference(self.sender, self.id, self.sent)
