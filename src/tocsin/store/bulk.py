"""Batched writes for ``Store.add``: a whole batch of reports in a few statements, merged in memory.

The per-event path (``merging.find_event`` + ``new_event`` + ``rebuild``: several statements per
event) gives the same result but costs ~1.7 ms per event. Here one batch costs:

- one insert of the reports that skips stored hashes (``engine.insert_missing``: on PostgreSQL one
  binary COPY straight into ``reports`` inside a savepoint; only when a hash is taken, the rows are
  redone through a temporary table and ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``, so a report
  another writer stores meanwhile is skipped, not an error; this is what makes two processes
  ingesting the same report store it once);
- on PostgreSQL, advisory locks per merge key (event type, ISO week) covering every mention's search
  window, so writers of unrelated events run side by side while two writers of one happening queue;
- one SELECT of the candidate events: the batch's search windows (type, days, and a box around the
  place: ``merge_km`` plus 1%) sent as one JSON parameter and joined with ``events`` on its
  (event_type, date_lo, date_hi) index, so the database returns only events some mention could
  join, whatever the size of the table or the spread of the batch;
- for each stored event a mention joins: one locked read of it and its mentions (to rebuild it);
- the new events with ids drawn up front (``engine.next_ids``) in one COPY (PostgreSQL) or
  executemany (SQLite), the mentions likewise, and one UPDATE for all joined stored events.

Merging itself is the same as the per-event path: mentions in the batch's order, each compared with
the candidates as merged so far (including events created earlier in the batch). JSON is written by
``codec.dumps`` (orjson); a new single-mention event reuses its mention's JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tocsin import events as rules
from tocsin.gc_pause import paused_gc
from tocsin.model import Event, Extraction, Location, Report
from tocsin.store import checks, merging
from tocsin.store import engine as eng
from tocsin.store.codec import dumps, event_from_dict, loads
from tocsin.store.records import AddResult
from tocsin.store.tables import events, mentions, reports
from tocsin.store.tables import pending as pending_table

__all__ = [
    "PENDING_COLUMNS",
    "Entry",
    "MentionMemo",
    "add_fresh",
    "lock_merge_keys",
    "merge_entries",
    "merge_lock_keys",
    "merge_pending_chunk",
    "pending_rows",
]

_NEW_BASE = 1 << 62  # keys of events created in this batch sort after every stored id, in creation order
_LOCK_WEEK_DAYS = 7
_REGION = rules._REGION_PRECISION
_KM_PER_DEGREE = 111.19  # of latitude, on the sphere haversine_km uses (6371 km)
_EARTH_KM = rules._EARTH_RADIUS_KM
_MARGIN = 1.01  # boxes are widened by 1% (and a hair), so rounding never drops a candidate

#: One mention to merge: (report hash, ordinal, mention, date interval, mention JSON text, stable sort key).
Entry = tuple[str, int, Event, tuple[dt.date, dt.date] | None, str, tuple[Any, ...]]


@dataclass
class _Group:
    """A merged event being built: stored (``stored=True``) or new in this batch."""

    key: int
    candidate: Event
    mentions: list[tuple[tuple[Any, ...], Event, str | None]] = field(default_factory=list)
    """(stable sort key, mention, its JSON text or None when loaded from the database)."""
    stored: bool = False
    loaded: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)
    joins: int = 0
    merged: Event | None = None
    interval: tuple[dt.date, dt.date] | None = None
    place: _Place | None = None
    """``candidate``'s place prepared for ``_Place.far`` (made when first needed; reset when it is re-merged)."""


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


def _windows(pending: list[Entry], days: int) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Per event type, the merged search windows (interval widened by ``days``) of the batch's mentions."""
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for p in pending:
        interval = p[3]
        if interval is not None:
            slack = dt.timedelta(days=days)
            spans.setdefault(p[2].event_type, []).append((interval[0] - slack, interval[1] + slack))
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
    """The groups created or joined in this batch, by (event type, week): the only ones whose answers change.

    Stored events nobody joined are not here: ``_prefetch`` found each mention's (``_Candidates``).
    """

    def __init__(self) -> None:
        self.weeks: dict[tuple[str, int], list[int]] = {}
        self.groups: dict[int, _Group] = {}

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
        place = _Place(mention.location)
        groups = self.groups
        for week in range(lo.toordinal() // 7, hi.toordinal() // 7 + 1):
            for key in self.weeks.get((mention.event_type, week), ()):
                if key in seen:
                    continue
                seen.add(key)
                group = groups[key]
                if group.interval is None or group.interval[0] > hi or group.interval[1] < lo:
                    continue
                if group.place is None:
                    group.place = _Place(group.candidate.location)
                if not place.far(group.place, km):
                    out.append(group)
        return out


@dataclass
class _Candidates:
    """What the candidate query returned: per search window its stored rows, and each mention's window."""

    rows: list[list[_Stored]]
    """Per window (numbered as sent): the stored events of its type whose interval meets it, in its box."""
    window_of: list[int]
    """Per mention of the batch (in order): the number of its window; -1 when it has none (no date)."""


def _fold(country: str | None) -> str | None:
    """None for no country (a falsy value, as ``same_happening`` reads it), else its casefolded form."""
    return country.strip().casefold() if country else None


class _Place:
    """A location as ``_elsewhere`` compares it: casefolded country, region precision, point."""

    __slots__ = ("country", "lat", "lon", "region")

    def __init__(self, loc: Location) -> None:
        self.country = _fold(loc.country)
        self.region = loc.geo_precision == _REGION
        self.lat, self.lon = loc.latitude, loc.longitude

    def elsewhere(self, other: _Place, km: float) -> bool:
        """True when ``events.same_happening`` would say the places disagree (a cheap exact subset of its rule)."""
        if self.far(other, km):
            return True
        if self.region or other.region or None in (self.lat, self.lon, other.lat, other.lon):
            return False
        return rules.haversine_km(self.lat, self.lon, other.lat, other.lon) > km  # type: ignore[arg-type]

    def far(self, other: _Place, km: float) -> bool:
        """``elsewhere`` without the great circle: other countries, or points further apart in latitude alone."""
        if self.country is not None and other.country is not None and self.country != other.country:
            return True
        if self.region or other.region or None in (self.lat, self.lon, other.lat, other.lon):
            return False  # decided by admin1 or names: leave it to same_happening
        return abs(self.lat - other.lat) * _KM_PER_DEGREE > km * 1.01  # type: ignore[operator]


class _Stored(_Place):
    """A candidate row of the events table, with its place prepared for ``_Place.elsewhere``."""

    __slots__ = ("hi", "id", "lo", "row")

    def __init__(self, row: Any) -> None:
        self.row, self.id, self.lo, self.hi = row, row.id, row.date_lo, row.date_hi
        self.country = _fold(row.country)
        self.region = row.geo_precision == _REGION
        self.lat, self.lon = row.latitude, row.longitude


_CANDIDATE_ROWS = (*merging._CANDIDATE_COLUMNS, events.c.date_lo, events.c.date_hi)
_SELECTED = ", ".join(f"e.{c.name}" for c in _CANDIDATE_ROWS)
#: Events whose interval is more than their day (week or month precision: ``date_interval``'s slack > 0).
_WIDE = "e.time_precision IS NOT NULL AND e.time_precision NOT IN (0, 1)"
#: A window's point box, unless it has none (region precision, no point), the event has no point,
#: or the event is only known to region precision.
_SPACE = f"""(w.s IS NULL OR e.latitude IS NULL OR e.longitude IS NULL OR e.geo_precision = {_REGION}
  OR (e.latitude BETWEEN w.s AND w.n AND (w.west IS NULL OR e.longitude BETWEEN w.west AND w.east)))"""
#: Per window, two index range scans that together find every event whose interval meets it: those
#: starting inside the window (ix_events_event_type: for day-precision events, the only ones), and
#: week/month-precision ones starting up to 60 days before it (the partial index ix_events_wide).
_NARROW = f"e.event_type = w.t AND e.date_lo >= w.lo AND e.date_lo <= w.hi AND {_SPACE}"
_WIDE_ONLY = (
    f"{_WIDE} AND e.event_type = w.t AND e.date_lo >= w.wb AND e.date_lo < w.lo AND e.date_hi >= w.lo AND {_SPACE}"
)
_KEYS = ("k", "t", "lo", "hi", "wb", "s", "n", "west", "east")
_WINDOW = sa.column("k", sa.Integer)  # the window's number: which mentions a row is a candidate of
_CANDIDATES_SQL = {
    # LATERAL: a nested loop of index scans per window (a hash join on event_type alone compares
    # every window with every event of its type: the planner cannot know how selective they are)
    "postgresql": sa.text(
        "WITH w AS MATERIALIZED (SELECT * FROM json_to_recordset(CAST(:windows AS json)) AS x(k int, t text,"
        " lo date, hi date, wb date, s float8, n float8, west float8, east float8))"
        f" SELECT w.k, c.* FROM w CROSS JOIN LATERAL (SELECT {_SELECTED} FROM events AS e WHERE {_NARROW}"
        f" UNION ALL SELECT {_SELECTED} FROM events AS e WHERE {_WIDE_ONLY}) AS c"
    ).columns(_WINDOW, *_CANDIDATE_ROWS),
    # CROSS JOIN: SQLite keeps the windows as the outer loop, each one a range scan of an index
    "sqlite": sa.text(
        "WITH w AS MATERIALIZED (SELECT "
        + ", ".join(f"value ->> '$.{k}' AS {k}" for k in _KEYS)
        + f" FROM json_each(:windows)) SELECT w.k, {_SELECTED} FROM w CROSS JOIN events AS e WHERE {_NARROW}"
        + f" UNION ALL SELECT w.k, {_SELECTED} FROM w CROSS JOIN events AS e WHERE {_WIDE_ONLY}"
    ).columns(_WINDOW, *_CANDIDATE_ROWS),
}


def _box(loc: Location, km: float) -> tuple[float | None, float | None, float | None, float | None]:
    """(south, north, west, east) holding every point within ``km`` of the mention's point; None: no bound.

    No box without a point or at region precision (``same_happening`` then compares admin1 or
    names). The longitude half-width is the great circle's (asin(sin(d/R) / cos(lat))); none near a
    pole or across the antimeridian.
    """
    lat, lon = loc.latitude, loc.longitude
    if lat is None or lon is None or loc.geo_precision == _REGION:
        return None, None, None, None
    half = km / _KM_PER_DEGREE * _MARGIN + 1e-6
    south, north = lat - half, lat + half
    if south <= -89.0 or north >= 89.0:
        return south, north, None, None
    ratio = math.sin(km / _EARTH_KM) / math.cos(math.radians(lat))
    if ratio >= 1.0:
        return south, north, None, None
    width = math.degrees(math.asin(ratio)) * _MARGIN + 1e-6
    if lon - width < -180.0 or lon + width > 180.0:
        return south, north, None, None
    return south, north, lon - width, lon + width


def _load_candidates(conn: sa.Connection, pending: list[Entry], days: int, km: float) -> _Candidates:
    """One SELECT of every stored event some mention of the batch could join, by search window.

    Mentions with the same window (type, days, box) share it; a stored event meeting several windows
    comes back once per window (one ``_Stored`` for it).
    """
    slack = dt.timedelta(days=days)
    wide = dt.timedelta(days=2 * merging._MAX_SLACK)
    windows: dict[tuple[Any, ...], int] = {}
    window_of = []
    for p in pending:
        mention, interval = p[2], p[3]
        if interval is None:
            window_of.append(-1)
            continue
        lo, hi = interval[0] - slack, interval[1] + slack
        window_of.append(windows.setdefault((mention.event_type, lo, hi, lo - wide, *_box(mention.location, km)),
                                            len(windows)))
    found = _Candidates([[] for _ in windows], window_of)
    if windows:
        payload = dumps([dict(zip(_KEYS, (k, *w), strict=True)) for w, k in windows.items()])
        stored: dict[int, _Stored] = {}
        for row in conn.execute(_CANDIDATES_SQL[conn.dialect.name], {"windows": payload}):
            entry = stored.get(row.id)
            if entry is None:
                entry = stored[row.id] = _Stored(row)
            found.rows[row.k].append(entry)
    return found


def _among(column: sa.ColumnElement[Any], dialect: str) -> sa.ColumnElement[bool]:
    """``column IN (:ids)`` as a statement of one fixed shape: an array (PostgreSQL) or JSON text (SQLite)."""
    if dialect == "postgresql":
        return column == sa.any_(sa.bindparam("ids", type_=postgresql.ARRAY(sa.Integer)))
    values = sa.func.json_each(sa.bindparam("ids", type_=sa.String)).table_valued("value")
    return column.in_(sa.select(values.c.value))


@cache
def _stored_queries(dialect: str) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """(the events a batch may join, locked on PostgreSQL; their mentions), compiled once per backend."""
    lock = sa.select(events.c.id, events.c.overrides).where(_among(events.c.id, dialect)).order_by(events.c.id)
    members = (
        sa.select(mentions.c.event_id, mentions.c.report_hash, mentions.c.ordinal,
                  sa.cast(mentions.c.event, sa.Text).label("event"), reports.c.published)
        .join(reports, reports.c.content_hash == mentions.c.report_hash)
        .where(_among(mentions.c.event_id, dialect))
    )
    return (lock.with_for_update() if dialect == "postgresql" else lock), members


class MentionMemo:
    """Mentions decoded by the recent chunks of one ``merge_pending`` run, by (report hash, ordinal).

    A stored mention's JSON never changes (a report is stored once, its mentions are written once and
    never updated), so an Event decoded once stands for it as long as it is kept. Events created in
    one chunk are often joined in the next: their mentions are then taken from here, not decoded again.
    Holds the current and the previous chunk's mentions only (``next_chunk`` drops older ones).
    """

    def __init__(self) -> None:
        self.current: dict[tuple[str, int], Event] = {}
        self.previous: dict[tuple[str, int], Event] = {}

    def get(self, report_hash: str, ordinal: int) -> Event | None:
        key = (report_hash, ordinal)
        found = self.current.get(key)
        return self.previous.get(key) if found is None else found

    def put(self, report_hash: str, ordinal: int, mention: Event) -> None:
        self.current[report_hash, ordinal] = mention

    def next_chunk(self) -> None:
        self.previous, self.current = self.current, {}


def _load_stored(conn: sa.Connection, groups: list[_Group], memo: MentionMemo | None = None) -> None:
    """Lock stored events that mentions may join and read their mentions (READ COMMITTED: after the lock).

    Mentions found in ``memo`` are not decoded again; those decoded here are put there.
    """
    by_id = {g.key: g for g in groups if not g.loaded}
    if not by_id:
        return
    ids = sorted(by_id)
    lock, members = _stored_queries(conn.dialect.name)
    params = {"ids": ids if conn.dialect.name == "postgresql" else dumps(ids)}
    for row in conn.execute(lock, params):
        by_id[row.id].overrides = dict(row.overrides or {})
    for m in conn.execute(members, params):
        key = _sort_key(m.published, m.report_hash, m.ordinal)
        mention = memo.get(m.report_hash, m.ordinal) if memo is not None else None
        if mention is None:
            mention = event_from_dict(loads(m.event))
            if memo is not None:
                memo.put(m.report_hash, m.ordinal, mention)
        by_id[m.event_id].mentions.append((key, mention, None))
    for g in by_id.values():
        g.loaded = True


def _prefetch(
    conn: sa.Connection, pending: list[Entry], candidates: _Candidates, days: int, km: float,
    memo: MentionMemo | None = None,
) -> list[list[_Group]]:
    """Load, in one go, every stored event some mention of the batch could join.

    Exact: an unloaded stored event never changes during the batch, so the ones a mention can join
    are among those it matches now. Returns, per mention (in ``pending``'s order), the stored events
    ``same_happening`` accepts now: valid for each of them while it has not been joined (``_best``
    takes them from here; the events created or joined in the batch it scans itself).
    """
    slack = dt.timedelta(days=days)
    groups: dict[int, _Group] = {}
    wanted: dict[int, _Group] = {}
    hits: list[list[_Group]] = []
    same_happening = rules.same_happening
    for p, window in zip(pending, candidates.window_of, strict=True):
        found: list[_Group] = []
        hits.append(found)
        if window < 0:
            continue
        mention, interval = p[2], p[3]
        assert interval is not None
        lo, hi = interval[0] - slack, interval[1] + slack
        place = _Place(mention.location)
        for entry in candidates.rows[window]:
            if entry.lo > hi or entry.hi < lo or place.elsewhere(entry, km):  # decided without an Event
                continue
            group = groups.get(entry.id)
            if group is None:
                candidate = merging._candidate_event(entry.row)
                group = groups[entry.id] = _Group(entry.id, candidate, stored=True, interval=(entry.lo, entry.hi))
            if same_happening(mention, group.candidate, days=days, km=km):
                found.append(group)
                wanted[group.key] = group
    _load_stored(conn, list(wanted.values()), memo)
    return hits


def _remerge_group(group: _Group) -> None:
    group.mentions.sort(key=lambda m: m[0])
    merged = merging.apply_overrides(rules.merge([m[1] for m in group.mentions]), group.overrides)
    group.merged = group.candidate = merged
    group.place = None
    group.interval = rules.date_interval(merged)


def _best(mention: Event, interval: tuple[dt.date, dt.date] | None, live: _Index, exclude: set[int],
          days: int, km: float, stored: list[_Group]) -> _Group | None:
    """The group the mention joins: the closest (days, km, then key) of those ``same_happening`` accepts.

    ``stored``: the stored events ``_prefetch`` found for it (each still valid while not joined);
    ``live``: the groups that changed since (created in this batch, or stored ones joined), scanned here.
    """
    if interval is None:
        return None
    slack = dt.timedelta(days=days)
    closeness = merging._closeness
    best: tuple[tuple[Any, ...], _Group] | None = None
    for g in stored:
        if g.joins or g.key in exclude:
            continue
        rank = (*closeness(mention, g.candidate), g.key)
        if best is None or rank < best[0]:
            best = (rank, g)
    for g in live.near(mention, interval[0] - slack, interval[1] + slack, km):
        if g.key in exclude or not rules.same_happening(mention, g.candidate, days=days, km=km):
            continue
        rank = (*closeness(mention, g.candidate), g.key)
        if best is None or rank < best[0]:
            best = (rank, g)
    return None if best is None else best[1]


def add_fresh(
    conn: sa.Connection,
    fresh: list[tuple[Report, str, Extraction, AddResult]],
    ctx: merging.MergeContext,
) -> None:
    """Write the mentions of ``fresh`` reports (already inserted) and merge them into events."""
    with paused_gc():
        _add_fresh(conn, fresh, ctx)


def _add_fresh(
    conn: sa.Connection, fresh: list[tuple[Report, str, Extraction, AddResult]], ctx: merging.MergeContext
) -> None:
    entries: list[Entry] = []
    owners: list[AddResult] = []
    for report, content_hash, extraction, result in fresh:
        where = f"report {report.id!r}"
        for ordinal, raw in enumerate(extraction.events):
            mention = checks.check_mention(raw, report, f"{where} event {ordinal}")
            key = _sort_key(report.published, content_hash, ordinal)
            entries.append((content_hash, ordinal, mention, rules.date_interval(mention), dumps(mention), key))
            owners.append(result)
    for result, (event_id, joined) in zip(owners, merge_entries(conn, entries, ctx), strict=True):
        result.event_ids.append(event_id)
        result.merged += joined


def merge_entries(
    conn: sa.Connection, pending: list[Entry], ctx: merging.MergeContext, memo: MentionMemo | None = None
) -> list[tuple[int, bool]]:
    """Merge mentions (in the list's order) into events and insert them; per mention (event id, joined one).

    A report's mentions must all be in ``pending`` (two events of one report never merge). ``memo``:
    decoded mentions of earlier chunks to reuse; this batch's mentions are put there.
    """
    if not pending:
        return []
    windows = _windows(pending, ctx.days)
    keys: set[int] = set()
    for event_type, spans in windows.items():
        for lo, hi in spans:
            keys |= merge_lock_keys(event_type, lo, hi)
    lock_merge_keys(conn, keys)
    candidates = _load_candidates(conn, pending, ctx.days, ctx.km)
    hits = _prefetch(conn, pending, candidates, ctx.days, ctx.km, memo)
    live = _Index()  # groups created or joined in this batch: the only ones whose answers can change
    new_groups: list[_Group] = []
    taken: dict[str, set[int]] = {}
    placed: list[_Group] = []
    joined: list[bool] = []
    for (content_hash, _ordinal, mention, interval, as_json, key), stored in zip(pending, hits, strict=True):
        exclude = taken.setdefault(content_hash, set())
        group = _best(mention, interval, live, exclude, ctx.days, ctx.km, stored)
        joined.append(group is not None)
        if group is None:
            group = _Group(_NEW_BASE + len(new_groups), mention, interval=interval)
            group.mentions.append((key, mention, as_json))
            new_groups.append(group)
            live.add_group(group)
        else:
            if group.stored and not group.loaded:  # cannot happen after _prefetch; kept as a safety net
                _load_stored(conn, [group])
            group.mentions.append((key, mention, as_json))
            group.joins += 1
            _remerge_group(group)
            live.add_group(group)  # its interval may have moved
        exclude.add(group.key)
        placed.append(group)
    ids = _insert_new(conn, new_groups, ctx)
    for group in new_groups:
        group.key = ids[group.key]
    _update_joined(conn, {g.key: g for g in placed if g.stored and g.joins}, ctx)
    if memo is not None:
        for e in pending:
            memo.put(e[0], e[1], e[2])
    rows = [(e[0], e[1], e[4], g.key) for e, g in zip(pending, placed, strict=True)]
    eng.bulk_insert(conn, mentions, _MENTION_COLUMNS, rows)
    return [(g.key, j) for g, j in zip(placed, joined, strict=True)]


# -- the write-behind path: stage now, merge later -------------------------------------------------

PENDING_COLUMNS = ("report_hash", "n_events", "events", "staged_at")


def pending_rows(
    fresh: list[tuple[Report, str, Extraction, AddResult]], now: dt.datetime
) -> Iterator[tuple[Any, ...]]:
    """``pending`` rows (in ``PENDING_COLUMNS`` order) of reports just inserted: their checked mentions as JSON.

    Reports without events get none. Sets each result's ``pending`` as its row is made. A generator:
    ``engine.bulk_insert`` sends each row while the next one is checked and serialised.
    """
    problem, as_mention = checks.mention_problem, checks.as_mention
    for report, content_hash, extraction, result in fresh:
        if not extraction.events:
            continue
        checked = []
        for raw in extraction.events:
            if problem(raw) is not None:  # the error names the report and the event (built only then)
                checks.check_mention(raw, report, f"report {report.id!r} event {len(checked)}")
            checked.append(as_mention(raw, report))
        result.pending = len(checked)
        yield content_hash, len(checked), dumps(checked), now  # one orjson call per report


@cache
def _pending_queries(dialect: str) -> tuple[sa.Select[Any], sa.Delete]:
    """(claim the oldest pending rows, skipping those another merger holds; delete merged rows)."""
    claim = (
        sa.select(pending_table.c.id, pending_table.c.report_hash, pending_table.c.events, reports.c.published)
        .join(reports, reports.c.content_hash == pending_table.c.report_hash)
        .order_by(pending_table.c.id)
        .limit(sa.bindparam("n", type_=sa.Integer))
    )
    if dialect == "postgresql":
        claim = claim.with_for_update(of=pending_table, skip_locked=True)
    return claim, sa.delete(pending_table).where(_among(pending_table.c.id, dialect))


def merge_pending_chunk(
    conn: sa.Connection, limit: int, ctx: merging.MergeContext, memo: MentionMemo | None = None
) -> int:
    """Claim up to ``limit`` pending reports (oldest first), merge their mentions, delete the rows; mentions merged.

    On PostgreSQL the rows are claimed ``FOR UPDATE SKIP LOCKED``: several mergers take disjoint
    chunks, and a merger killed mid-way leaves its rows pending (its transaction rolls back).
    """
    with paused_gc():
        return _merge_pending_chunk(conn, limit, ctx, memo)


def _merge_pending_chunk(
    conn: sa.Connection, limit: int, ctx: merging.MergeContext, memo: MentionMemo | None
) -> int:
    claim, delete = _pending_queries(conn.dialect.name)
    entries: list[Entry] = []
    ids = []
    for row in conn.execute(claim, {"n": limit}):
        ids.append(row.id)
        content_hash, published = row.report_hash, row.published
        staged = row.events if isinstance(row.events, list) else loads(row.events)  # list: a draft JSON column
        for ordinal, d in enumerate(staged):
            mention = event_from_dict(d)
            key = _sort_key(published, content_hash, ordinal)
            entries.append((content_hash, ordinal, mention, rules.date_interval(mention), dumps(d), key))
    if not ids:
        return 0
    if memo is not None:
        memo.next_chunk()
    merge_entries(conn, entries, ctx, memo)
    conn.execute(delete, {"ids": ids if conn.dialect.name == "postgresql" else dumps(ids)})
    return len(entries)


_MENTION_COLUMNS = ("report_hash", "ordinal", "event", "event_id")
#: ``merging.event_columns``'s columns, in its order.
_MERGED_COLUMNS = (
    "event_type", "sub_event_type", "date", "date_lo", "date_hi", "time_precision", "actor1", "actor2",
    "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "location_name", "latitude", "longitude", "admin1",
    "admin2", "country", "geo_precision", "geonames_id", "fatalities", "displaced", "confidence", "notes",
    "sources", "n_sources", "event",
)  # fmt: skip
_NEW_COLUMNS = ("id", *_MERGED_COLUMNS, "overrides", "version", "created_at", "updated_at")
_UPDATE_COLUMNS = ("id", *_MERGED_COLUMNS, "version", "updated_at")


def _merged_values(event: Event, as_json: str) -> tuple[Any, ...]:
    """``merging.event_columns`` as a tuple in ``_MERGED_COLUMNS`` order, JSON columns as text."""
    interval = rules.date_interval(event)
    loc = event.location
    return (
        event.event_type, event.sub_event_type, event.date, interval[0] if interval else None,
        interval[1] if interval else None, event.time_precision, event.actor1, event.actor2, event.assoc_actor_1,
        event.assoc_actor_2, event.inter1, event.inter2, loc.name, loc.latitude, loc.longitude, loc.admin1,
        loc.admin2, loc.country, loc.geo_precision, loc.geonames_id, event.fatalities, event.displaced,
        event.confidence, event.notes, dumps(list(event.sources)), len(event.sources), as_json,
    )  # fmt: skip


def _insert_new(conn: sa.Connection, groups: list[_Group], ctx: merging.MergeContext) -> dict[int, int]:
    """Insert the batch's new events (ids drawn first, in creation order); returns batch key -> database id."""
    if not groups:
        return {}
    new_ids = eng.next_ids(conn, events, len(groups))
    rows = []
    for event_id, g in zip(new_ids, groups, strict=True):
        if g.merged is None:  # a single mention: its merge is itself (when its sources are), JSON reused
            mention, as_json = g.mentions[0][1], g.mentions[0][2]
            if as_json is None or rules._sources([mention]) != mention.sources:
                mention = rules.merge([mention])
                as_json = dumps(mention)
            values = _merged_values(mention, as_json)
        else:
            values = _merged_values(g.merged, dumps(g.merged))
        rows.append((event_id, *values, "{}", 1 + g.joins, ctx.now, ctx.now))
    eng.bulk_insert(conn, events, _NEW_COLUMNS, rows)
    return {g.key: i for g, i in zip(groups, new_ids, strict=True)}


def _update_joined(conn: sa.Connection, groups: dict[int, _Group], ctx: merging.MergeContext) -> None:
    """One UPDATE of every stored event mentions joined: merged columns set, version += joins."""
    rows = []
    for event_id, g in sorted(groups.items()):
        assert g.merged is not None
        rows.append((event_id, *_merged_values(g.merged, dumps(g.merged)), g.joins, ctx.now))
    eng.bulk_update(conn, events, "id", _UPDATE_COLUMNS, rows, increments=("version",))
