"""Batched writes for ``Store.add``: a whole batch of reports in a few statements, merged in memory.

The per-event path (``merging.find_event`` + ``new_event`` + ``rebuild``: several statements per
event) gives the same result but cost ~1.7 ms per event. Here one batch costs:

- one INSERT of the reports (``ON CONFLICT DO NOTHING``: a report another writer stored meanwhile is
  skipped, not an error; this is what makes two processes ingesting the same report store it once);
- on PostgreSQL, advisory locks per merge key (event type, ISO week) covering every mention's search
  window, so writers of unrelated events run side by side while two writers of one happening queue;
- one SELECT of the candidate events for the whole batch (date windows per event type, merged);
- for each stored event a mention joins: one locked read of it and its mentions (to rebuild it);
- one INSERT of the new events (ids returned in order), one of the mentions, one UPDATE per joined event.

Merging itself is the same as the per-event path: mentions in the batch's order, each compared with
the candidates as merged so far (including events created earlier in the batch).
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tocsin import events as rules
from tocsin.model import Event, Extraction, Location, Report
from tocsin.store import checks, merging
from tocsin.store.codec import event_from_dict, fast_dict
from tocsin.store.records import AddResult
from tocsin.store.tables import events, mentions, reports

__all__ = ["add_fresh", "merge_lock_keys", "lock_merge_keys"]

_NEW_BASE = 1 << 62  # keys of events created in this batch sort after every stored id, in creation order
_LOCK_WEEK_DAYS = 7
_REGION = rules._REGION_PRECISION
_KM_PER_DEGREE = 111.19  # of latitude, on the sphere haversine_km uses (6371 km)


@dataclass
class _Group:
    """A merged event being built: stored (``stored=True``) or new in this batch."""

    key: int
    candidate: Event
    mentions: list[tuple[tuple[Any, ...], Event, dict[str, Any] | None]] = field(default_factory=list)
    """(stable sort key, mention, its JSON or None when loaded from the database)."""
    stored: bool = False
    loaded: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)
    joins: int = 0
    merged: Event | None = None
    interval: tuple[dt.date, dt.date] | None = None


def _sort_key(published: dt.datetime | None, report_hash: str, ordinal: int) -> tuple[Any, ...]:
    """Python twin of ``merging.stable_order``: unknown publication first, then time, hash, ordinal."""
    if published is None:
        return (0, 0.0, report_hash, ordinal)
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return (1, published.timestamp(), report_hash, ordinal)


def merge_lock_keys(event_type: str, lo: dt.date, hi: dt.date) -> set[int]:
    """Advisory-lock keys (signed 64-bit) for every (event type, ISO week) the window ``lo..hi`` touches."""
    base = zlib.crc32(event_type.encode()) << 20
    first, last = lo.toordinal() // _LOCK_WEEK_DAYS, hi.toordinal() // _LOCK_WEEK_DAYS
    return {base + week for week in range(first, last + 1)}


_LOCK_KEYS = sa.text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT unnest(CAST(:keys AS bigint[])) AS k ORDER BY 1) AS s"
)


def lock_merge_keys(conn: sa.Connection, keys: set[int]) -> None:
    """Take the keys' transaction advisory locks in ascending order (no deadlocks between writers)."""
    if conn.dialect.name != "postgresql" or not keys:
        return
    conn.execute(_LOCK_KEYS, {"keys": sorted(keys)})


def _windows(pending: list[tuple[Any, ...]], days: int) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Per event type, the merged search windows (interval widened by ``days``) of the batch's mentions."""
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for p in pending:
        interval = p[4]
        if interval is not None:
            slack = dt.timedelta(days=days)
            spans.setdefault(p[3].event_type, []).append((interval[0] - slack, interval[1] + slack))
    merged: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for event_type, windows in spans.items():
        out: list[tuple[dt.date, dt.date]] = []
        for lo, hi in sorted(windows):
            if out and lo <= out[-1][1] + dt.timedelta(days=1):
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        merged[event_type] = out
    return merged


class _Index:
    """The batch's candidate events by (event type, week), built lazily from rows (most are never compared)."""

    def __init__(self) -> None:
        self.weeks: dict[tuple[str, int], list[Any]] = {}
        self.groups: dict[int, _Group] = {}

    def add_row(self, row: Any) -> None:
        for week in range(row.date_lo.toordinal() // 7, row.date_hi.toordinal() // 7 + 1):
            self.weeks.setdefault((row.event_type, week), []).append(row)

    def add_group(self, group: _Group) -> None:
        if group.interval is None:
            return
        self.groups[group.key] = group
        for week in range(group.interval[0].toordinal() // 7, group.interval[1].toordinal() // 7 + 1):
            self.weeks.setdefault((group.candidate.event_type, week), []).append(group.key)

    def near(self, mention: Event, lo: dt.date, hi: dt.date, km: float) -> list[_Group]:
        """Every group of the mention's type whose interval meets ``lo..hi`` and that is not plainly elsewhere."""
        seen: set[int] = set()
        out = []
        loc = mention.location
        for week in range(lo.toordinal() // 7, hi.toordinal() // 7 + 1):
            for entry in self.weeks.get((mention.event_type, week), ()):
                key = entry if isinstance(entry, int) else entry.id
                if key in seen:
                    continue
                seen.add(key)
                group = self.groups.get(key)
                if group is None:
                    if _elsewhere(loc, entry, km):  # most rows: decided without building an Event
                        continue
                    candidate = merging._candidate_event(entry)
                    group = _Group(key, candidate, stored=True, interval=(entry.date_lo, entry.date_hi))
                    self.groups[key] = group
                if group.interval is not None and group.interval[0] <= hi and group.interval[1] >= lo:
                    out.append(group)
        return out


def _elsewhere(loc: Location, row: Any, km: float) -> bool:
    """True when ``events.same_happening`` would say the places disagree (a cheap exact subset of its rule)."""
    if loc.country and row.country and loc.country.strip().casefold() != row.country.strip().casefold():
        return True
    if loc.geo_precision == _REGION or row.geo_precision == _REGION:
        return False  # decided by admin1: leave it to same_happening
    if None in (loc.latitude, loc.longitude, row.latitude, row.longitude):
        return False
    if abs(loc.latitude - row.latitude) * _KM_PER_DEGREE > km * 1.01:  # type: ignore[operator]
        return True
    return rules.haversine_km(loc.latitude, loc.longitude, row.latitude, row.longitude) > km  # type: ignore[arg-type]


_CANDIDATE_ROWS = (*merging._CANDIDATE_COLUMNS, events.c.date_lo, events.c.date_hi)
_CANDIDATE_RANGE = (
    sa.select(*_CANDIDATE_ROWS)
    .where(events.c.event_type == sa.bindparam("event_type"))
    .where(events.c.date_lo <= sa.bindparam("hi"))
    .where(events.c.date_lo >= sa.bindparam("lo_bound"))
    .where(events.c.date_hi >= sa.bindparam("lo"))
)


def _load_candidates(conn: sa.Connection, windows: dict[str, list[tuple[dt.date, dt.date]]]) -> _Index:
    """One range scan per event type (first window's start to last window's end), indexed by week.

    The gaps between windows are read too: one statement of a fixed shape (compiled once) costs less
    than a long OR of windows; rows outside every window are never compared (``_Index.near``).
    """
    bound = dt.timedelta(days=2 * merging._MAX_SLACK)
    index = _Index()
    for event_type, spans in sorted(windows.items()):
        lo, hi = spans[0][0], max(h for _, h in spans)
        params = {"event_type": event_type, "hi": hi, "lo": lo, "lo_bound": lo - bound}
        for row in conn.execute(_CANDIDATE_RANGE, params):
            index.add_row(row)
    return index


def _load_stored(conn: sa.Connection, groups: list[_Group]) -> None:
    """Lock stored events that mentions may join and read their mentions (READ COMMITTED: after the lock)."""
    by_id = {g.key: g for g in groups if not g.loaded}
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        q = sa.select(events.c.id, events.c.overrides).where(events.c.id.in_(chunk)).order_by(events.c.id)
        for row in conn.execute(q.with_for_update() if conn.dialect.name == "postgresql" else q):
            by_id[row.id].overrides = dict(row.overrides or {})
        q = (
            sa.select(mentions.c.event_id, mentions.c.report_hash, mentions.c.ordinal, mentions.c.event,
                      reports.c.published)
            .join(reports, reports.c.content_hash == mentions.c.report_hash)
            .where(mentions.c.event_id.in_(chunk))
        )
        for m in conn.execute(q):
            key = _sort_key(m.published, m.report_hash, m.ordinal)
            by_id[m.event_id].mentions.append((key, event_from_dict(m.event), None))
    for g in by_id.values():
        g.loaded = True


def _prefetch(conn: sa.Connection, pending: list[tuple[Any, ...]], index: _Index, days: int, km: float) -> None:
    """Load, in one go, every stored event some mention of the batch could join.

    Exact: an unloaded stored event never changes during the batch, so the ones a mention can join
    are among those it matches now.
    """
    slack = dt.timedelta(days=days)
    wanted: list[_Group] = []
    for p in pending:
        mention, interval = p[3], p[4]
        if interval is None:
            continue
        for g in index.near(mention, interval[0] - slack, interval[1] + slack, km):
            if g.stored and not g.loaded and rules.same_happening(mention, g.candidate, days=days, km=km):
                wanted.append(g)
    _load_stored(conn, wanted)


def _remerge_group(group: _Group) -> None:
    group.mentions.sort(key=lambda m: m[0])
    merged = merging.apply_overrides(rules.merge([m[1] for m in group.mentions]), group.overrides)
    group.merged = group.candidate = merged
    group.interval = rules.date_interval(merged)


def _best(mention: Event, interval: tuple[dt.date, dt.date] | None, index: _Index, exclude: set[int],
          days: int, km: float) -> _Group | None:
    if interval is None:
        return None
    slack = dt.timedelta(days=days)
    best: tuple[tuple[Any, ...], _Group] | None = None
    for g in index.near(mention, interval[0] - slack, interval[1] + slack, km):
        if g.key in exclude or not rules.same_happening(mention, g.candidate, days=days, km=km):
            continue
        rank = (*merging._closeness(mention, g.candidate), g.key)
        if best is None or rank < best[0]:
            best = (rank, g)
    return None if best is None else best[1]


def add_fresh(
    conn: sa.Connection,
    fresh: list[tuple[Report, str, Extraction, AddResult]],
    ctx: merging.MergeContext,
) -> None:
    """Write the mentions of ``fresh`` reports (already inserted) and merge them into events."""
    pending: list[tuple[Any, ...]] = []  # (result, report_hash, ordinal, mention, interval, json, sort key)
    for report, content_hash, extraction, result in fresh:
        where = f"report {report.id!r}"
        for ordinal, raw in enumerate(extraction.events):
            mention = checks.check_mention(raw, report, f"{where} event {ordinal}")
            key = _sort_key(report.published, content_hash, ordinal)
            interval = rules.date_interval(mention)
            pending.append((result, content_hash, ordinal, mention, interval, fast_dict(mention), key))
    if not pending:
        return
    windows = _windows(pending, ctx.days)
    keys: set[int] = set()
    for event_type, spans in windows.items():
        for lo, hi in spans:
            keys |= merge_lock_keys(event_type, lo, hi)
    lock_merge_keys(conn, keys)
    index = _load_candidates(conn, windows)
    _prefetch(conn, pending, index, ctx.days, ctx.km)
    new_groups: list[_Group] = []
    taken: dict[str, set[int]] = {}
    placed: list[_Group] = []
    for result, content_hash, _ordinal, mention, interval, as_json, key in pending:
        exclude = taken.setdefault(content_hash, set())
        group = _best(mention, interval, index, exclude, ctx.days, ctx.km)
        if group is None:
            group = _Group(_NEW_BASE + len(new_groups), mention, interval=interval)
            group.mentions.append((key, mention, as_json))
            new_groups.append(group)
            index.add_group(group)
        else:
            if group.stored and not group.loaded:  # cannot happen after _prefetch; kept as a safety net
                _load_stored(conn, [group])
            group.mentions.append((key, mention, as_json))
            group.joins += 1
            result.merged += 1
            _remerge_group(group)
            index.add_group(group)  # its interval may have moved
        exclude.add(group.key)
        placed.append(group)
    ids = _insert_new(conn, new_groups, ctx)
    for group in new_groups:
        group.key = ids[group.key]
    _update_joined(conn, {g.key: g for g in placed if g.stored and g.joins}, ctx)
    rows = []
    for (result, content_hash, ordinal, _m, _i, as_json, _k), group in zip(pending, placed, strict=True):
        result.event_ids.append(group.key)
        rows.append({"report_hash": content_hash, "ordinal": ordinal, "event": as_json, "event_id": group.key})
    conn.execute(sa.insert(mentions), rows)


def _insert_new(conn: sa.Connection, groups: list[_Group], ctx: merging.MergeContext) -> dict[int, int]:
    """Insert the batch's new events; returns batch key -> database id."""
    if not groups:
        return {}
    rows = []
    for g in groups:
        if g.merged is None:  # a single mention: its merge is itself, with its JSON reused
            merged = rules.merge([g.mentions[0][1]])
            same = merged.sources == g.mentions[0][1].sources
            columns = merging.event_columns(merged, g.mentions[0][2] if same else None)
        else:
            columns = merging.event_columns(g.merged, fast_dict(g.merged))
        rows.append({**columns, "overrides": {}, "version": 1 + g.joins, "created_at": ctx.now, "updated_at": ctx.now})
    stmt = sa.insert(events).returning(events.c.id, sort_by_parameter_order=True)
    new_ids = [r[0] for r in conn.execute(stmt, rows)]
    return {g.key: int(i) for g, i in zip(groups, new_ids, strict=True)}


_UPDATE_JOINED = (
    sa.update(events)
    .where(events.c.id == sa.bindparam("eid"))
    .values(version=events.c.version + sa.bindparam("joins", type_=sa.Integer))
)


def _update_joined(conn: sa.Connection, groups: dict[int, _Group], ctx: merging.MergeContext) -> None:
    rows = []
    for event_id, g in sorted(groups.items()):
        assert g.merged is not None
        rows.append({**merging.event_columns(g.merged, fast_dict(g.merged)), "eid": event_id, "joins": g.joins,
                     "updated_at": ctx.now})
    if rows:
        conn.execute(_UPDATE_JOINED, rows)
