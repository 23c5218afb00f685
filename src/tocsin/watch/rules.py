"""Watch rules: which new events and notices an analyst wants to hear about.

A rule matches an event or a notice when every condition it sets holds: place (within ``km`` of
``lat``/``lon``, or in ``admin1``; either one is enough when both are set), ``kinds`` (event type,
sub-event type or notice kind, case-insensitive), ``actors`` (substring of any actor), and
``min_fatalities`` (events only). ``events``/``notices`` choose what the rule looks at.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tocsin.errors import E, InputError
from tocsin.events import haversine_km
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

    def __post_init__(self) -> None:
        near = (self.lat, self.lon, self.km)
        if any(v is not None for v in near) and not all(v is not None for v in near):
            raise InputError(E.T010.format(where="rule", field="near", expected="lat, lon and km together",
                                           value=near))
        if not (self.webhook or self.email):
            raise InputError(E.T010.format(where="rule", field="webhook/email", expected="at least one",
                                           value=None))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rule:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def _near(rule: Rule, lat: float | None, lon: float | None, admin1: str | None) -> bool:
    spatial = rule.km is not None or rule.admin1 is not None
    if not spatial:
        return True
    if rule.admin1 and admin1 and rule.admin1.casefold() == admin1.casefold():
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
    return _near(rule, loc.latitude, loc.longitude, loc.admin1)


def match_notice(rule: Rule, notice: Notice) -> bool:
    if not rule.notices or rule.actors:
        return False
    if rule.kinds and notice.kind.casefold() not in {k.casefold() for k in rule.kinds}:
        return False
    if not (rule.km is not None or rule.admin1 is not None):
        return True
    return any(_near(rule, a.latitude, a.longitude, a.admin1) for a in notice.areas)
