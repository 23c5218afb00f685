"""Watch rules: which new events and notices an analyst wants to hear about.

A rule matches an event or a notice when every condition it sets holds: place (within ``km`` of
``lat``/``lon``, or in ``admin1``; either one is enough when both are set), ``kinds`` (event type,
sub-event type or notice kind, case-insensitive), ``actors`` (substring of any actor), and
``min_fatalities`` (events only). ``events``/``notices`` choose what the rule looks at.

``admin1`` is compared with the event's (or notice area's) admin1 name, accents and case folded; when
the rule carries the area's polygon (``area``, GeoJSON, from an imported admin1 boundary; see
:mod:`tocsin.watch.places`) a point inside it matches too. ``country_code`` (set when a place name was
resolved through the gazetteer, with ``country``) keeps a same-named admin1 of another country out.
``digest_minutes``: matches are sent together, at most one message per that many minutes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from tocsin.errors import E, InputError
from tocsin.events import haversine_km
from tocsin.geo import fold
from tocsin.model import Event, Notice

__all__ = ["Rule", "match_event", "match_notice"]


@dataclass
class Rule:
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    km: float | None = None
    admin1: str | None = None
    kinds: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    min_fatalities: int | None = None
    events: bool = True
    notices: bool = True
    webhook: str | None = None
    secret: str | None = None
    email: str | None = None
    digest_minutes: float | None = None
    place: str | None = None
    """The place name the rule was written with ("Aleppo, Syria"), for display."""
    country: str | None = None
    country_code: str | None = None
    area: dict[str, Any] | None = None
    """The admin1's polygon (GeoJSON geometry) when one was imported."""

    def __post_init__(self) -> None:
        near = (self.lat, self.lon, self.km)
        if any(v is not None for v in near) and not all(v is not None for v in near):
            raise InputError(E.T010.format(where="rule", field="near", expected="lat, lon and km together",
                                           value=near))
        if not (self.webhook or self.email):
            raise InputError(E.T010.format(where="rule", field="webhook/email", expected="at least one",
                                           value=None))
        if self.digest_minutes is not None and not self.digest_minutes > 0:
            raise InputError(E.T010.format(where="rule", field="digest_minutes", expected="a number of minutes > 0",
                                           value=self.digest_minutes))

    @property
    def channels(self) -> list[str]:
        return [c for c, to in (("webhook", self.webhook), ("email", self.email)) if to]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


_SHAPES: dict[str, Any] = {}


def _in_area(area: dict[str, Any], lat: float, lon: float) -> bool:
    from shapely import Point, prepare
    from shapely.geometry import shape

    key = json.dumps(area, sort_keys=True)
    prepared = _SHAPES.get(key)
    if prepared is None:
        prepared = _SHAPES[key] = shape(area)
        prepare(prepared)
    return bool(prepared.covers(Point(lon, lat)))


def _same_country(rule: Rule, country: str | None) -> bool:
    if not (rule.country or rule.country_code) or not country:
        return True
    return fold(country) in {fold(c) for c in (rule.country, rule.country_code) if c}


def _near(rule: Rule, lat: float | None, lon: float | None, admin1: str | None, country: str | None = None) -> bool:
    spatial = rule.km is not None or rule.admin1 is not None
    if not spatial:
        return True
    if rule.admin1 and admin1 and fold(rule.admin1) == fold(admin1) and _same_country(rule, country):
        return True
    if rule.area and lat is not None and lon is not None and _in_area(rule.area, lat, lon):
        return True
    if rule.km is not None and lat is not None and lon is not None:
        assert rule.lat is not None and rule.lon is not None
        return haversine_km(rule.lat, rule.lon, lat, lon) <= rule.km
    return False


def match_event(rule: Rule, event: Event) -> bool:
    if not rule.events:
        return False
    kinds = {k.casefold() for k in rule.kinds}
    if kinds and not kinds & {event.event_type.casefold(), event.sub_event_type.casefold()}:
        return False
    if rule.actors:
        names = " | ".join(a for a in (event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2) if a)
        if not any(a.casefold() in names.casefold() for a in rule.actors):
            return False
    if rule.min_fatalities is not None and (event.fatalities or 0) < rule.min_fatalities:
        return False
    loc = event.location
    return _near(rule, loc.latitude, loc.longitude, loc.admin1, loc.country)


def match_notice(rule: Rule, notice: Notice) -> bool:
    if not rule.notices or rule.actors:
        return False
    if rule.kinds and notice.kind.casefold() not in {k.casefold() for k in rule.kinds}:
        return False
    if not (rule.km is not None or rule.admin1 is not None):
        return True
    return any(_near(rule, a.latitude, a.longitude, a.admin1, a.country) for a in notice.areas)
