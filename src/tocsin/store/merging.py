"""Keeping merged events in step with their mentions, inside the caller's transaction.

``assign`` puts one new mention into the best matching stored event (or a new one);
``rebuild`` recomputes an event from its mentions (stable order: published, report hash,
ordinal) and re-applies the hand corrections kept in ``events.overrides``; ``split`` and
``remerge`` undo and redo merges. The rules themselves live in ``tocsin.events``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tocsin import events as rules
from tocsin.model import Event, Location, to_dict
from tocsin.store.codec import event_from_dict
from tocsin.store.engine import insert_ignore, reset_sequence
from tocsin.store.tables import corrections, events, mentions, reports, separations

__all__ = [
    "MergeContext",
    "apply_overrides",
    "assign",
    "event_columns",
    "find_event",
    "new_event",
    "rebuild",
    "remerge",
    "split",
    "stable_order",
]

#: The widest time-precision slack (days) a stored date interval can have; bounds the index range scan.
_MAX_SLACK = 30


@dataclass
class MergeContext:
    days: int
    km: float
    now: dt.datetime
    #: During remerge: mention id -> the id its event had before, so event ids survive a remerge.
    reuse_ids: dict[int, int] = field(default_factory=dict)
    old_events: dict[int, Any] = field(default_factory=dict)
    next_id: int | None = None


def stable_order() -> list[Any]:
    """ORDER BY for mentions joined with reports: published (unknown first), report hash, ordinal."""
    return [
        sa.case((reports.c.published.is_(None), 0), else_=1),
        reports.c.published,
        mentions.c.report_hash,
        mentions.c.ordinal,
    ]


def apply_overrides(event: Event, overrides: dict[str, Any]) -> Event:
    """``event`` with the hand-corrected fields (``location.x`` for location fields) set."""
    if not overrides:
        return event
    d = to_dict(event)
    for name, value in overrides.items():
        if name.startswith("location."):
            d["location"][name.split(".", 1)[1]] = value
        else:
            d[name] = value
        d.setdefault("reasons", {})[name] = "corrected by hand (see the corrections log)"
    return event_from_dict(d)


def event_columns(event: Event, as_json: dict[str, Any] | None = None) -> dict[str, Any]:
    """The columns of the ``events`` table for a merged event (``as_json``: its ``to_dict``, if known)."""
    interval = rules.date_interval(event)
    loc = event.location
    return {
        "event_type": event.event_type,
        "sub_event_type": event.sub_event_type,
        "date": event.date,
        "date_lo": interval[0] if interval else None,
        "date_hi": interval[1] if interval else None,
        "time_precision": event.time_precision,
        "actor1": event.actor1,
        "actor2": event.actor2,
        "assoc_actor_1": event.assoc_actor_1,
        "assoc_actor_2": event.assoc_actor_2,
        "inter1": event.inter1,
        "inter2": event.inter2,
        "location_name": loc.name,
        "latitude": loc.latitude,
        "longitude": loc.longitude,
        "admin1": loc.admin1,
        "admin2": loc.admin2,
        "country": loc.country,
        "geo_precision": loc.geo_precision,
        "geonames_id": loc.geonames_id,
        "fatalities": event.fatalities,
        "displaced": event.displaced,
        "confidence": event.confidence,
        "notes": event.notes,
        "sources": list(event.sources),
        "n_sources": len(event.sources),
        "event": as_json if as_json is not None else to_dict(event),
    }


_CANDIDATE_COLUMNS = (
    events.c.id,
    events.c.event_type,
    events.c.sub_event_type,
    events.c.date,
    events.c.time_precision,
    events.c.actor1,
    events.c.actor2,
    events.c.assoc_actor_1,
    events.c.assoc_actor_2,
    events.c.location_name,
    events.c.latitude,
    events.c.longitude,
    events.c.admin1,
    events.c.country,
    events.c.geo_precision,
    events.c.geonames_id,
)
_CANDIDATES = (
    sa.select(*_CANDIDATE_COLUMNS)
    .where(events.c.event_type == sa.bindparam("event_type"))
    .where(events.c.date_lo <= sa.bindparam("hi"))
    .where(events.c.date_lo >= sa.bindparam("lo_bound"))
    .where(events.c.date_hi >= sa.bindparam("lo"))
    .order_by(events.c.id)
)
_SET_EVENT = sa.update(mentions).where(mentions.c.id == sa.bindparam("mid")).values(event_id=sa.bindparam("eid"))
_INSERT_EVENT = sa.insert(events)


def _candidate_event(row: Any) -> Event:
    """The columns ``same_happening`` needs, as an Event (no JSON decoding: this runs per candidate)."""
    location = Location(
        name=row.location_name,
        latitude=row.latitude,
        longitude=row.longitude,
        admin1=row.admin1,
        country=row.country,
        geo_precision=row.geo_precision,
        geonames_id=row.geonames_id,
    )
    return Event(
        event_type=row.event_type,
        sub_event_type=row.sub_event_type,
        date=row.date,
        time_precision=row.time_precision,
        actor1=row.actor1,
        actor2=row.actor2,
        assoc_actor_1=row.assoc_actor_1,
        assoc_actor_2=row.assoc_actor_2,
        location=location,
    )


def _candidates(conn: sa.Connection, mention: Event, ctx: MergeContext) -> list[tuple[int, Event]]:
    """Stored events of the same type whose date window meets the mention's (an index range scan)."""
    interval = rules.date_interval(mention)
    if interval is None:
        return []
    lo = interval[0] - dt.timedelta(days=ctx.days)
    hi = interval[1] + dt.timedelta(days=ctx.days)
    params = {"event_type": mention.event_type, "hi": hi, "lo": lo, "lo_bound": lo - dt.timedelta(days=2 * _MAX_SLACK)}
    found = [(row.id, _candidate_event(row)) for row in conn.execute(_CANDIDATES, params)]
    return [(i, e) for i, e in found if rules.same_happening(mention, e, days=ctx.days, km=ctx.km)]


def _separated_events(conn: sa.Connection, mention_id: int) -> set[int]:
    """Events holding a mention that a split declared different from ``mention_id``."""
    other = sa.union(
        sa.select(separations.c.mention_b).where(separations.c.mention_a == mention_id),
        sa.select(separations.c.mention_a).where(separations.c.mention_b == mention_id),
    ).subquery()
    q = sa.select(mentions.c.event_id).where(mentions.c.id.in_(sa.select(other.c[0]))).distinct()
    return {r for r in conn.execute(q).scalars() if r is not None}


def _closeness(mention: Event, candidate: Event) -> tuple[int, float]:
    days = abs((mention.date - candidate.date).days) if mention.date and candidate.date else 0
    a, b = mention.location, candidate.location
    if None in (a.latitude, a.longitude, b.latitude, b.longitude):
        return days, 0.0
    return days, rules.haversine_km(a.latitude, a.longitude, b.latitude, b.longitude)  # type: ignore[arg-type]


def find_event(
    conn: sa.Connection,
    mention: Event,
    ctx: MergeContext,
    mention_id: int | None = None,
    exclude: Collection[int] = (),
) -> int | None:
    """The stored event the mention belongs to (the closest in days, then km, then oldest), or None.

    ``exclude``: events that already hold another mention of the same report (a report's own events
    are distinct: the extractor decided so). ``mention_id`` (an already stored mention) lets
    recorded splits keep it away from its old partners.
    """
    candidates = [(i, e) for i, e in _candidates(conn, mention, ctx) if i not in exclude]
    if candidates and mention_id is not None:
        apart = _separated_events(conn, mention_id)
        candidates = [(i, e) for i, e in candidates if i not in apart]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (*_closeness(mention, c[1]), c[0]))[0]


def assign(
    conn: sa.Connection, mention_id: int, mention: Event, ctx: MergeContext, exclude: Collection[int] = ()
) -> tuple[int, bool]:
    """Put an already stored mention into its event; returns (event id, joined an existing event)."""
    best = find_event(conn, mention, ctx, mention_id, exclude)
    if best is None:
        event_id = new_event(conn, mention, ctx, mention_id)
        conn.execute(_SET_EVENT, {"mid": mention_id, "eid": event_id})
        return event_id, False
    conn.execute(_SET_EVENT, {"mid": mention_id, "eid": best})
    rebuild(conn, best, ctx)
    return best, True


def new_event(
    conn: sa.Connection,
    mention: Event,
    ctx: MergeContext,
    mention_id: int | None = None,
    mention_json: dict[str, Any] | None = None,
) -> int:
    """Insert the event of a single mention; during remerge it takes back the id it had before.

    ``mention_json`` (the mention's ``to_dict``) saves serialising the same event twice.
    """
    values: dict[str, Any] = {"overrides": {}, "version": 1, "created_at": ctx.now}
    if ctx.next_id is not None:  # remerge: keep the old id when it is still free
        old_id = ctx.reuse_ids.get(mention_id) if mention_id is not None else None
        if old_id is not None and old_id in ctx.old_events:
            old = ctx.old_events.pop(old_id)
            values.update(id=old_id, overrides=old.overrides, version=old.version + 1, created_at=old.created_at)
        else:
            values["id"] = ctx.next_id
            ctx.next_id += 1
    merged = apply_overrides(rules.merge([mention]), values["overrides"])
    same = mention_json is not None and not values["overrides"] and merged.sources == mention.sources
    values.update(event_columns(merged, mention_json if same else None), updated_at=ctx.now)
    return int(conn.execute(_INSERT_EVENT, values).inserted_primary_key[0])


_MENTIONS_OF = (
    sa.select(mentions.c.id, mentions.c.report_hash, mentions.c.event)
    .join(reports, reports.c.content_hash == mentions.c.report_hash)
    .where(mentions.c.event_id == sa.bindparam("eid"))
    .order_by(*stable_order())
)
_OVERRIDES = sa.select(events.c.overrides).where(events.c.id == sa.bindparam("eid"))
_UPDATE_EVENT = sa.update(events).where(events.c.id == sa.bindparam("eid")).values(version=events.c.version + 1)


def mention_events(conn: sa.Connection, event_id: int) -> list[tuple[int, str, Event]]:
    """The event's mentions in stable order: (mention id, report hash, Event)."""
    return [(r.id, r.report_hash, event_from_dict(r.event)) for r in conn.execute(_MENTIONS_OF, {"eid": event_id})]


def rebuild(conn: sa.Connection, event_id: int, ctx: MergeContext) -> Event:
    """Recompute the merged event from its mentions, re-apply corrections, bump the version."""
    overrides = conn.execute(_OVERRIDES, {"eid": event_id}).scalar_one()
    merged = apply_overrides(rules.merge([e for _, _, e in mention_events(conn, event_id)]), overrides)
    conn.execute(_UPDATE_EVENT, {**event_columns(merged), "eid": event_id, "updated_at": ctx.now})
    return merged


def split(conn: sa.Connection, event_id: int, ctx: MergeContext, *, who: str, reason: str | None) -> list[int]:
    """Every mention of the event becomes its own event again, and they never merge with each other."""
    members = mention_events(conn, event_id)
    ids = [m[0] for m in members]
    for a, b in itertools.combinations(sorted(ids), 2):
        insert_ignore(
            conn, separations, {"mention_a": a, "mention_b": b, "created_at": ctx.now}, ["mention_a", "mention_b"]
        )
    conn.execute(sa.update(mentions).where(mentions.c.id.in_(ids[1:])).values(event_id=None))
    rebuild(conn, event_id, ctx)
    new_ids = []
    for mid, _, ev in members[1:]:
        new_ids.append(new_event(conn, ev, ctx))
        conn.execute(_SET_EVENT, {"mid": mid, "eid": new_ids[-1]})
    log = {"who": who, "at": ctx.now, "reason": reason}
    before = {"reports": [h for _, h, _ in members]}
    conn.execute(sa.insert(corrections).values(event_id=event_id, field="split", before=before, after=new_ids, **log))
    for new_id in new_ids:
        conn.execute(
            sa.insert(corrections).values(event_id=new_id, field="split_from", before=None, after=event_id, **log)
        )
    return [event_id, *new_ids]


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def remerge(conn: sa.Connection, ctx: MergeContext) -> int:
    """Rebuild every merged event from the mentions, in stable order; returns the number of events.

    Event ids, corrections (overrides) and versions carry over to the new event that starts with
    the same mention as before; separations from splits are respected.
    """
    old_rows = conn.execute(sa.select(events.c.id, events.c.overrides, events.c.version, events.c.created_at)).all()
    ctx.old_events = {r.id: r for r in old_rows}
    ctx.next_id = max(ctx.old_events, default=0) + 1
    order = (
        sa.select(mentions.c.id, mentions.c.event_id, mentions.c.report_hash)
        .join(reports, reports.c.content_hash == mentions.c.report_hash)
        .order_by(*stable_order())
    )
    ordered = conn.execute(order).all()
    first_of_event: dict[int, int] = {}
    for r in ordered:
        if r.event_id is not None:
            first_of_event.setdefault(r.event_id, r.id)
    ctx.reuse_ids = {mid: eid for eid, mid in first_of_event.items()}
    conn.execute(sa.update(mentions).values(event_id=None))
    conn.execute(sa.delete(events))
    report_of = {r.id: r.report_hash for r in ordered}
    events_of_report: dict[str, set[int]] = {}
    for chunk in _chunks([r.id for r in ordered]):
        rows = {
            r.id: r.event
            for r in conn.execute(sa.select(mentions.c.id, mentions.c.event).where(mentions.c.id.in_(chunk)))
        }
        for mid in chunk:
            taken = events_of_report.setdefault(report_of[mid], set())
            taken.add(assign(conn, mid, event_from_dict(rows[mid]), ctx, taken)[0])
    reset_sequence(conn, events)
    return int(conn.execute(sa.select(sa.func.count()).select_from(events)).scalar_one())
