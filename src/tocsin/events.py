"""Merging reports of one happening: pure, deterministic functions over ``model.Event``.

``same_happening`` decides whether two events (one report's mention and a stored event)
describe the same thing; ``merge`` builds the merged event from its mentions. Neither
touches a database: the store calls them on insert and in ``Store.remerge``.

Merge rules (docs/store.md): most specific location, most precise date, actors from the
most confident mention that names any, fatalities and displaced = the minimum reported
value (ACLED's conservative rule) with every mention's claim kept side by side.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Sequence

from tocsin.model import Claim, Event, Location, Span

__all__ = [
    "date_interval",
    "haversine_km",
    "merge",
    "same_happening",
]

#: Half-width in days of the interval a date of each ACLED time precision may stand for
#: (1 = the day, 2 = within a week, 3 = within a month).
_PRECISION_SLACK_DAYS = {1: 0, 2: 6, 3: 30}
_EARTH_RADIUS_KM = 6371.0088
#: geo_precision 3 means "only the region (admin1) is known".
_REGION_PRECISION = 3
_COUNT_FIELDS = ("fatalities", "displaced")
_ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2")


def date_interval(event: Event) -> tuple[dt.date, dt.date] | None:
    """The days ``event.date`` may stand for, given its time precision; None without a date."""
    if event.date is None:
        return None
    slack = _PRECISION_SLACK_DAYS.get(event.time_precision or 1, 30)
    delta = dt.timedelta(days=slack)
    return event.date - delta, event.date + delta


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def same_happening(a: Event, b: Event, *, days: int = 1, km: float = 25.0) -> bool:
    """True when ``a`` and ``b`` plausibly describe one event.

    Requires the same event type, dates within ``days`` of each other (widened by their time
    precision), places within ``km`` (or the same admin1 when one is only known to region
    precision) and actors that do not contradict each other. Missing dates or places never merge.
    """
    if a.event_type != b.event_type:
        return False
    return _dates_overlap(a, b, days) and _places_agree(a.location, b.location, km) and _actors_compatible(a, b)


def _dates_overlap(a: Event, b: Event, days: int) -> bool:
    ia, ib = date_interval(a), date_interval(b)
    if ia is None or ib is None:
        return False
    slack = dt.timedelta(days=days)
    return ia[0] <= ib[1] + slack and ib[0] <= ia[1] + slack


def _norm(value: str | None) -> str:
    return (value or "").strip().casefold()


def _places_agree(a: Location, b: Location, km: float) -> bool:
    if a.country and b.country and _norm(a.country) != _norm(b.country):
        return False
    region_only = a.geo_precision == _REGION_PRECISION or b.geo_precision == _REGION_PRECISION
    if region_only and a.admin1 and b.admin1:
        return _norm(a.admin1) == _norm(b.admin1)
    if None not in (a.latitude, a.longitude, b.latitude, b.longitude):
        return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= km  # type: ignore[arg-type]
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    return bool(a.name) and _norm(a.name) == _norm(b.name) and _norm(a.admin1) == _norm(b.admin1)


def _named(values: Sequence[str | None]) -> set[str]:
    """Normalised actor names; "Unidentified ..." actors name nobody, so they contradict no one."""
    return {n for n in map(_norm, values) if n and not n.startswith("unidentified")}


def _primary_actors(e: Event) -> set[str]:
    return _named((e.actor1, e.actor2))


def _all_actors(e: Event) -> set[str]:
    return _primary_actors(e) | _named((e.assoc_actor_1, e.assoc_actor_2))


def _actors_compatible(a: Event, b: Event) -> bool:
    """Compatible unless both name actors and they contradict.

    Two complete pairs contradict unless one pair is found among the other's actors (order-free,
    associated actors count); otherwise the named actors must overlap.
    """
    pa = _primary_actors(a)
    if not pa:
        return True
    pb = _primary_actors(b)
    if not pb:
        return True
    all_a = pa | _named((a.assoc_actor_1, a.assoc_actor_2))
    all_b = pb | _named((b.assoc_actor_1, b.assoc_actor_2))
    if len(pa) == 2 and len(pb) == 2:
        return _within(pa, all_b) or _within(pb, all_a)
    return any(_within({n}, all_b) for n in pa) or any(_within({n}, all_a) for n in pb)


def _within(names: set[str], others: set[str]) -> bool:
    """Every name is among ``others``; a joint name ("JNIM ... and/or Islamic State (Greater Sahara)", an
    uncertain attribution) is the same actor as either of its parts."""
    return all(any(_alternatives(n) & _alternatives(o) for o in others) for n in names)


def _alternatives(name: str) -> set[str]:
    return {name, *name.split(" and/or ")}


def merge(mentions: Sequence[Event]) -> Event:
    """The merged event of ``mentions`` (given in a stable order; earlier wins ties).

    Claims of every mention are kept side by side; for each mention that reports fatalities or
    displaced without a matching claim, a claim in its own source's name is added so the
    competing values stay visible. ``reasons`` says which mention each chosen field came from.
    """
    if not mentions:
        raise ValueError("merge() needs at least one mention")
    order = list(range(len(mentions)))
    by_confidence = sorted(order, key=lambda i: -mentions[i].confidence)
    primary = mentions[by_confidence[0]]
    if len(mentions) == 1:
        merged = dataclasses.replace(primary, claims=list(primary.claims), sources=_sources(mentions))
        merged.evidence, merged.reasons = dict(primary.evidence), dict(primary.reasons)
        merged.location = dataclasses.replace(primary.location)
        return merged

    reasons: dict[str, str] = {}
    evidence: dict[str, Span] = {}
    n = len(mentions)

    def take(i: int, fields: Sequence[str], why: str) -> None:
        """Fields come from mention ``i``: with its evidence and reasons, plus where they came from."""
        for f in fields:
            if f in mentions[i].evidence:
                evidence[f] = mentions[i].evidence[f]
            if f in mentions[i].reasons:
                reasons[f] = mentions[i].reasons[f]
        origin = f"{why} (from report {mentions[i].report_id or i}, one of {n})"
        own = reasons.get(fields[0])
        reasons[fields[0]] = f"{origin}; {own}" if own else origin

    take(by_confidence[0], ("event_type", "sub_event_type"), "most confident mention")
    date_i = min(by_confidence, key=lambda i: (mentions[i].date is None, mentions[i].time_precision or 9))
    take(date_i, ("date", "time_precision"), "most precise date")
    any_actor = next((i for i in by_confidence if mentions[i].actor1 or mentions[i].actor2), by_confidence[0])
    actor_i = next((i for i in by_confidence if _primary_actors(mentions[i])), any_actor)
    take(actor_i, _ACTOR_FIELDS, "actors of the most confident mention naming any")
    loc_i = min(by_confidence, key=lambda i: _location_rank(mentions[i].location))
    take(loc_i, ("location",), "most specific location")

    counts: dict[str, int | None] = {}
    for f in _COUNT_FIELDS:
        values = [(getattr(m, f), i) for i, m in enumerate(mentions) if getattr(m, f) is not None]
        if not values:
            counts[f] = None
            why = next((m.reasons[f] for m in mentions if f in m.reasons), None)
            if why:
                reasons[f] = why
            continue
        value, i = min(values)
        counts[f] = value
        if f in mentions[i].evidence:
            evidence[f] = mentions[i].evidence[f]
        listed = ", ".join(str(v) for v, _ in values)
        reasons[f] = f"minimum of the reported values ({listed}), ACLED's conservative rule"

    act, date_m = mentions[actor_i], mentions[date_i]
    return Event(
        event_type=primary.event_type,
        sub_event_type=primary.sub_event_type,
        date=date_m.date,
        time_precision=date_m.time_precision,
        actor1=act.actor1,
        actor2=act.actor2,
        assoc_actor_1=act.assoc_actor_1,
        assoc_actor_2=act.assoc_actor_2,
        inter1=act.inter1,
        inter2=act.inter2,
        location=dataclasses.replace(mentions[loc_i].location),
        fatalities=counts["fatalities"],
        displaced=counts["displaced"],
        claims=_claims(mentions),
        evidence=evidence,
        reasons=reasons,
        confidence=max(m.confidence for m in mentions),
        report_id=mentions[0].report_id,
        sources=_sources(mentions),
        notes=primary.notes,
    )


def _location_rank(loc: Location) -> tuple[int, int, int]:
    has_point = loc.latitude is not None and loc.longitude is not None
    return (0 if has_point else 1, loc.geo_precision or 9, 0 if loc.name else 1)


def _sources(mentions: Sequence[Event]) -> list[str]:
    seen: list[str] = []
    for m in mentions:
        for s in m.sources:
            if s and s not in seen:
                seen.append(s)
    return seen


def _claims(mentions: Sequence[Event]) -> list[Claim]:
    """Every mention's claims, each tagged with its report (spans point into that report's text)."""
    claims: list[Claim] = []
    for m in mentions:
        claims.extend(dataclasses.replace(c, report_id=c.report_id or m.report_id) for c in m.claims)
        for f in _COUNT_FIELDS:
            value = getattr(m, f)
            if value is None or any(c.field == f for c in m.claims):
                continue
            who = m.sources[0] if m.sources else (m.report_id or "unknown source")
            span = m.evidence.get(f, Span(0, 0))
            claims.append(Claim(source=who, field=f, value=value, span=span, report_id=m.report_id))
    return claims
