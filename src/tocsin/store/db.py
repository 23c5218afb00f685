"""``Store``: the public face of the database (reports, events, notices, corrections, places)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa

from tocsin import settings
from tocsin.errors import ConflictError, E, InputError, NotFound, StoreError, TocsinError
from tocsin.gc_pause import paused_gc
from tocsin.model import (
    Extraction,
    Notice,
    Place,
    Report,
    Toponym,
    event_type_of,
    to_dict,
)
from tocsin.store import bulk, checks, merging, spatial
from tocsin.store import engine as eng
from tocsin.store.codec import (
    dumps,
    event_from_dict,
    notice_from_dict,
    place_from_row,
    toponym_from_dict,
)
from tocsin.store.records import (
    AddResult,
    Correction,
    EventFilter,
    PendingStatus,
    SourceMention,
    StoredEvent,
    StoredNotice,
    StoredReport,
)
from tocsin.store.tables import corrections, events, mentions, metadata, notices, places, reports
from tocsin.store.tables import pending as pending_table

__all__ = ["Store"]

_RETRIES = 5
_RETRY_STATES = {"40P01", "40001"}  # deadlock detected, serialization failure


_T = TypeVar("_T")


class _Retry(Exception):
    """Raised inside a write transaction to roll it back and run it again."""


_INSERT_MENTION = sa.insert(mentions)
_INSERT_NOTICE = sa.insert(notices)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Store:
    """A tocsin database. ``Store("tocsin.db")`` or ``Store("sqlite:///x.db")`` or a PostgreSQL URL.

    The schema is created or upgraded to the newest revision on open (in one transaction, under
    the write lock); ``upgrade=False`` refuses an out-of-date database instead (StoreError T206), and
    ``create=False`` refuses a SQLite file that does not exist (T201) instead of making an empty one,
    so a mistyped path given to a reading command is named rather than answered with "no events".
    """

    def __init__(
        self,
        url_or_path: str | os.PathLike[str],
        *,
        upgrade: bool = True,
        merge_days: int | None = None,
        merge_km: float | None = None,
        create: bool = True,
    ) -> None:
        eng.load_table_modules()
        self._url = eng.resolve_url(url_or_path)
        self.url = eng.display_url(self._url)
        if not create and eng.missing_sqlite_file(self._url):
            detail = "no such file (`tocsin ingest` or `tocsin db upgrade` creates one)"
            raise StoreError(E.T201.format(url=self.url, detail=detail), url=self.url)
        self.merge_days = int(settings.get("merge_days") if merge_days is None else merge_days)
        self.merge_km = float(settings.get("merge_km") if merge_km is None else merge_km)
        self._engine = eng.create_engine(self._url)
        dbapi_error = getattr(self._engine.dialect.loaded_dbapi, "Error", OSError)
        try:
            with self._engine.connect() as conn:
                found = eng.current_revisions(conn)
        except (sa.exc.SQLAlchemyError, OSError, dbapi_error) as exc:
            self._engine.dispose()
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(E.T201.format(url=self.url, detail=detail), url=self.url) from exc
        try:
            eng.check_known(found, self.url)
            if found != eng.head_revisions():
                if not upgrade:
                    known = ", ".join(eng.head_revisions())
                    raise StoreError(E.T206.format(url=self.url, found=", ".join(found) or "none", known=known))
                self.upgrade()
        except BaseException:
            self._engine.dispose()
            raise

    # -- life cycle -------------------------------------------------------------------------

    def upgrade(self) -> bool:
        """Run every migration not yet applied (in one transaction); True if any ran."""
        try:
            return eng.upgrade(self._engine, self.url)
        except TocsinError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise StoreError(E.T201.format(url=self.url, detail=exc), url=self.url) from exc

    @property
    def revision(self) -> tuple[str, ...]:
        with self._engine.connect() as conn:
            return eng.current_revisions(conn)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    @contextmanager
    def _write(self, what: str, *, exclusive: bool = True) -> Iterator[sa.Connection]:
        try:
            with eng.write_transaction(self._engine, exclusive=exclusive) as conn:
                yield conn
        except TocsinError:
            raise
        except (sa.exc.SQLAlchemyError, TypeError, ValueError) as exc:
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(E.T209.format(what=what, detail=detail), what=what) from exc

    def _ctx(self) -> merging.MergeContext:
        return merging.MergeContext(days=self.merge_days, km=self.merge_km, now=_utcnow())

    # -- reports ----------------------------------------------------------------------------

    def has_report(self, content_hash: str) -> bool:
        return bool(self.known_hashes([content_hash]))

    def known_hashes(self, hashes: Iterable[str]) -> set[str]:
        """The subset of ``hashes`` already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                q = sa.select(reports.c.content_hash).where(reports.c.content_hash.in_(chunk))
                found.update(conn.execute(q).scalars())
        return found

    def add(self, items: Sequence[tuple[Report, str, Extraction]]) -> list[AddResult]:
        """Store reports with their extractions in ONE transaction, merging their events.

        A report whose content hash is already stored (or is stored by another writer at the same
        moment) is skipped (``added=False``). Any bad record rolls the whole call back (StoreError
        T209 naming the report); earlier calls stay. On PostgreSQL a deadlock or serialization
        failure between writers retries the call (each try is all or nothing).
        """
        checked = [checks.check_item(item, f"item {n}") for n, item in enumerate(items)]
        return self._retrying(lambda: self._add_once(checked, self._ctx(), staged=False))

    def stage(self, items: Sequence[tuple[Report, str, Extraction]]) -> list[AddResult]:
        """Store reports and notices now, and their events for a later ``merge_pending`` (write-behind).

        Takes what ``add`` takes, checks it the same way, skips stored reports the same way (one
        transaction, all or nothing), but writes each report's mentions into the ``pending`` table
        instead of merging them: no candidate query, no merge locks, no merge rules. Staged events
        appear in ``events()`` (exports, the API) only once ``merge_pending`` ran; results carry
        ``pending`` (events waiting) and no event ids.
        """
        checked = [checks.check_item(item, f"item {n}") for n, item in enumerate(items)]
        return self._retrying(lambda: self._add_once(checked, self._ctx(), staged=True))

    def merge_pending(self, *, batch: int = 2000, progress: Callable[[int], None] | None = None) -> int:
        """Merge staged mentions into events, oldest first, ``batch`` reports per transaction; returns how many.

        The result equals ``add`` of the same items in staging order. Several mergers may run at
        once (on PostgreSQL they claim disjoint rows, ``FOR UPDATE SKIP LOCKED``); a merger killed
        mid-way leaves its chunk pending, and the next run merges it. ``progress(n)`` after each chunk.
        """
        if batch < 1:
            raise InputError(E.T208.format(field="batch", value=batch, detail="reports per transaction, >= 1"))
        total = 0
        memo = bulk.MentionMemo()  # mentions decoded by one chunk, reused when the next joins their events
        while True:
            merged = self._retrying(lambda: self._merge_chunk(batch, memo))
            if not merged:
                return total
            total += merged
            if progress is not None:
                progress(merged)

    def pending(self) -> PendingStatus:
        """How many staged reports and events wait for ``merge_pending``, and since when."""
        t = pending_table
        q = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(t.c.n_events), 0), sa.func.min(t.c.staged_at))
        with self._engine.connect() as conn:
            n, events_waiting, oldest = conn.execute(q).one()
        return PendingStatus(reports=int(n), events=int(events_waiting), oldest=oldest)

    def _retrying(self, run: Callable[[], _T]) -> _T:
        for attempt in range(_RETRIES):
            try:
                return run()
            except _Retry as exc:
                if attempt == _RETRIES - 1:
                    detail = "writers kept colliding; try again"
                    raise StoreError(E.T209.format(what="the batch", detail=detail)) from exc
        raise AssertionError("unreachable")

    @contextmanager
    def _batch(self, what: list[str]) -> Iterator[sa.Connection]:
        """A shared write transaction whose errors name ``what[0]`` (updated by the caller as it goes).

        Deadlocks and serialization failures become ``_Retry``; other database errors StoreError T209.
        """
        with self._write(what[0], exclusive=False) as conn:
            try:
                yield conn
            except TocsinError:
                raise
            except sa.exc.DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) in _RETRY_STATES:
                    raise _Retry from exc
                raise StoreError(E.T209.format(what=what[0], detail=exc.orig), what=what[0]) from exc
            except (sa.exc.SQLAlchemyError, TypeError, ValueError) as exc:
                detail = getattr(exc, "orig", None) or exc
                raise StoreError(E.T209.format(what=what[0], detail=detail), what=what[0]) from exc

    def _merge_chunk(self, batch: int, memo: bulk.MentionMemo | None = None) -> int:
        with self._batch(["pending mentions"]) as conn:
            return bulk.merge_pending_chunk(conn, batch, self._ctx(), memo)

    def _add_once(
        self, checked: list[tuple[Report, str, Extraction]], ctx: merging.MergeContext, *, staged: bool
    ) -> list[AddResult]:
        results: list[AddResult] = []
        fresh: dict[str, tuple[Report, str, Extraction, AddResult]] = {}
        for report, content_hash, extraction in checked:
            result = AddResult(content_hash=content_hash, report_id=report.id, added=content_hash not in fresh)
            results.append(result)
            if result.added:
                fresh[content_hash] = (report, content_hash, extraction, result)
        current = ["the batch"]
        with paused_gc(), self._batch(current) as conn:
            inserted: set[str] = set()
            if fresh:
                rows = (_report_values(r, h, x, ctx.now) for h, (r, _, x, _) in sorted(fresh.items()))
                inserted = eng.insert_missing(conn, reports, "content_hash", _REPORT_COLUMNS, rows)  # streamed
            for content_hash, (_r, _h, _x, result) in fresh.items():
                result.added = content_hash in inserted  # False: another writer stored it meanwhile
            kept = [f for f in fresh.values() if f[3].added]
            if staged:
                eng.bulk_insert(conn, pending_table, bulk.PENDING_COLUMNS, bulk.pending_rows(kept, ctx.now))
            else:
                bulk.add_fresh(conn, kept, ctx)
            notice_rows: list[dict[str, Any]] = []
            for report, content_hash, extraction, result in kept:
                if extraction.notices:
                    current[0] = f"report {report.id!r} (hash {content_hash[:12]})"
                    notice_rows += _notice_rows(report, content_hash, extraction)
                    result.notices = len(extraction.notices)
            if notice_rows:
                conn.execute(_INSERT_NOTICE, notice_rows)
        return results

    def reports(self, *, status: str | None = None, limit: int | None = None, offset: int = 0) -> list[StoredReport]:
        """Stored reports, oldest publication first (unknown first), then by hash."""
        q = sa.select(reports).order_by(
            sa.case((reports.c.published.is_(None), 0), else_=1), reports.c.published, reports.c.content_hash
        )
        if status is not None:
            q = q.where(reports.c.status == status)
        q = q.limit(limit).offset(offset)
        with self._engine.connect() as conn:
            rows = conn.execute(q).all()
            hashes = [r.content_hash for r in rows]
            links = []
            for chunk in _chunks(hashes):
                links += conn.execute(
                    sa.select(mentions.c.report_hash, mentions.c.event_id)
                    .where(mentions.c.report_hash.in_(chunk))
                    .order_by(mentions.c.report_hash, mentions.c.ordinal)
                ).all()
        by_hash: dict[str, list[int]] = {}
        for link in links:
            if link.event_id is not None:
                by_hash.setdefault(link.report_hash, []).append(link.event_id)
        return [_stored_report(r, by_hash.get(r.content_hash, [])) for r in rows]

    def report(self, content_hash: str) -> StoredReport:
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(reports).where(reports.c.content_hash == content_hash)).one_or_none()
            if row is None:
                raise NotFound(E.T204.format(what="report", id=content_hash), id=content_hash)
            ids = conn.execute(
                sa.select(mentions.c.event_id)
                .where(mentions.c.report_hash == content_hash)
                .order_by(mentions.c.ordinal)
            ).scalars()
            return _stored_report(row, [i for i in ids if i is not None])

    def report_toponyms(self, hashes: Iterable[str]) -> dict[str, list[Toponym]]:
        """The toponyms of each stored report in ``hashes`` (by content hash), read in one query per 500 reports
        (``report`` reads a whole report and its mentions); T204 when one is not stored."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, list[Toponym]] = {}
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                q = sa.select(reports.c.content_hash, reports.c.toponyms).where(reports.c.content_hash.in_(chunk))
                found.update((h, [toponym_from_dict(t) for t in ts or []]) for h, ts in conn.execute(q))
        missing = next((h for h in wanted if h not in found), None)
        if missing is not None:
            raise NotFound(E.T204.format(what="report", id=missing), id=missing)
        return found

    # -- events -----------------------------------------------------------------------------

    def events(
        self,
        flt: EventFilter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
        with_mentions: bool = True,
    ) -> list[StoredEvent]:
        """Merged events matching ``flt``, ordered by (date, id); undated events last.

        ``with_mentions=False`` skips loading the source mentions (faster for exports).
        """
        flt = flt or EventFilter()
        with self._engine.connect() as conn:
            postgis = spatial.has_postgis(conn)
            q = _filtered(sa.select(events), flt, postgis)
            q = q.order_by(sa.case((events.c.date.is_(None), 1), else_=0), events.c.date, events.c.id)
            if flt.area is not None and not postgis:  # the SQL narrowed to the area's box; shapely decides
                rows = spatial.inside(spatial.check_area(flt.area), list(conn.execute(q).all()))
                rows = rows[offset : None if limit is None else offset + limit]
            else:
                rows = conn.execute(q.limit(limit).offset(offset)).all()
            return self._stored_events(conn, rows, with_mentions=with_mentions)

    def count_events(self, flt: EventFilter | None = None) -> int:
        flt = flt or EventFilter()
        if flt.area is not None:
            with self._engine.connect() as conn:
                if not spatial.has_postgis(conn):
                    return len(self.events(flt, with_mentions=False))
        with self._engine.connect() as conn:
            q = _filtered(sa.select(sa.func.count()).select_from(events), flt, spatial.has_postgis(conn))
            return int(conn.execute(q).scalar_one())

    def event(self, event_id: int) -> StoredEvent:
        with self._engine.connect() as conn:
            return self._event(conn, event_id)

    def _event(self, conn: sa.Connection, event_id: int) -> StoredEvent:
        rows = conn.execute(sa.select(events).where(events.c.id == event_id)).all()
        if not rows:
            raise NotFound(E.T204.format(what="event", id=event_id), id=event_id)
        return self._stored_events(conn, rows)[0]

    def _stored_events(
        self, conn: sa.Connection, rows: Sequence[Any], *, with_mentions: bool = True
    ) -> list[StoredEvent]:
        ids = [r.id for r in rows]
        by_event: dict[int, list[SourceMention]] = {i: [] for i in ids}
        for chunk in _chunks(ids if with_mentions else []):
            q = (
                sa.select(
                    mentions.c.id,
                    mentions.c.event_id,
                    mentions.c.report_hash,
                    mentions.c.event,
                    reports.c.report_id,
                    reports.c.source,
                    reports.c.url,
                    reports.c.published,
                    reports.c.text,
                )
                .join(reports, reports.c.content_hash == mentions.c.report_hash)
                .where(mentions.c.event_id.in_(chunk))
                .order_by(*merging.stable_order())
            )
            for m in conn.execute(q):
                event = event_from_dict(m.event)
                spans = [*event.evidence.values(), *(c.span for c in event.claims)]
                by_event[m.event_id].append(
                    SourceMention(
                        mention_id=m.id,
                        report_hash=m.report_hash,
                        report_id=m.report_id,
                        source=m.source,
                        url=m.url,
                        published=m.published,
                        event=event,
                        sentences=checks.evidence_sentences(m.text, spans),
                    )
                )
        return [
            StoredEvent(
                id=r.id,
                event=event_from_dict(r.event),
                mentions=by_event[r.id],
                version=r.version,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in rows
        ]

    def split(self, event_id: int, *, who: str = "unknown", reason: str | None = None) -> list[int]:
        """Undo a merge: each source mention becomes its own event (the first keeps ``event_id``).

        The mentions are recorded as different events, so later inserts and ``remerge`` keep them
        apart. Returns the event ids, ``event_id`` first. StoreError T205 for a single-source event.
        """
        with self._write(f"split of event {event_id}") as conn:
            stored = self._event(conn, event_id)
            if len(stored.mentions) < 2:
                raise StoreError(E.T205.format(id=event_id), id=event_id)
            return merging.split(conn, event_id, self._ctx(), who=who, reason=reason)

    def correct(
        self,
        event_id: int,
        field: str,
        value: Any,
        *,
        who: str,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> StoredEvent:
        """Set one field of a merged event by hand; kept over later merges, logged in corrections.

        ConflictError T203 when ``expected_version`` is given and the event has moved on.
        """
        name, stored_value = checks.check_correction(field, value)
        if not who or not str(who).strip():
            raise InputError(E.T208.format(field="who", value=who, detail="say who makes the correction"))
        with self._write(f"correction of event {event_id}", exclusive=False) as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).one_or_none()
            if row is None:
                raise NotFound(E.T204.format(what="event", id=event_id), id=event_id)
            if expected_version is not None and row.version != expected_version:
                raise ConflictError(
                    E.T203.format(what="event", id=event_id, found=row.version, expected=expected_version),
                    id=event_id,
                    version=row.version,
                )
            current = to_dict(event_from_dict(row.event))
            before = _get_field(current, name)
            overrides = {**row.overrides, name: stored_value}
            if name == "sub_event_type":
                overrides["event_type"] = event_type_of(stored_value)
            fixed = merging.apply_overrides(event_from_dict(row.event), overrides)
            done = conn.execute(
                sa.update(events)
                .where(events.c.id == event_id, events.c.version == row.version)
                .values(
                    **merging.event_columns(fixed),
                    overrides=overrides,
                    version=row.version + 1,
                    updated_at=_utcnow(),
                )
            )
            if done.rowcount != 1:
                raise ConflictError(
                    E.T203.format(what="event", id=event_id, found="newer", expected=row.version), id=event_id
                )
            conn.execute(
                sa.insert(corrections).values(
                    event_id=event_id,
                    field=name,
                    before=before,
                    after=stored_value,
                    who=who,
                    at=_utcnow(),
                    reason=reason,
                )
            )
            return self._event(conn, event_id)

    def corrections(self, event_id: int | None = None) -> list[Correction]:
        """The corrections log (oldest first), for one event or all."""
        q = sa.select(corrections).order_by(corrections.c.id)
        if event_id is not None:
            q = q.where(corrections.c.event_id == event_id)
        with self._engine.connect() as conn:
            return [
                Correction(r.id, r.event_id, r.field, r.before, r.after, r.who, r.at, r.reason) for r in conn.execute(q)
            ]

    def remerge(self) -> int:
        """Rebuild all merged events from their mentions in stable order; returns how many there are."""
        with self._write("remerge") as conn:
            return merging.remerge(conn, self._ctx())

    # -- notices ----------------------------------------------------------------------------

    def notices(
        self,
        *,
        kind: str | None = None,
        report_hash: str | None = None,
        after_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredNotice]:
        """Stored notices in insertion order; ``after_id`` lists only newer ones (for polling)."""
        q = _notices_with_reports()
        if kind is not None:
            q = q.where(notices.c.kind == kind)
        if report_hash is not None:
            q = q.where(notices.c.report_hash == report_hash)
        if after_id is not None:
            q = q.where(notices.c.id > after_id)
        q = q.limit(limit).offset(offset)
        with self._engine.connect() as conn:
            return [_stored_notice(r) for r in conn.execute(q)]

    def report_notices(self, hashes: Iterable[str]) -> dict[str, list[StoredNotice]]:
        """The notices of each report in ``hashes`` (by content hash, in insertion order), read in one query per
        500 reports instead of one per report; a report with no notices, or not stored, maps to []."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, list[StoredNotice]] = {h: [] for h in wanted}
        with self._engine.connect() as conn:
            for chunk in _chunks(wanted):
                q = _notices_with_reports().where(notices.c.report_hash.in_(chunk))
                for r in conn.execute(q):
                    found[r.report_hash].append(_stored_notice(r))
        return found

    # -- places -----------------------------------------------------------------------------

    def add_places(self, new_places: Iterable[Place]) -> int:
        """Add user places (or replace the one with the same country/admin1/parent/name); returns how many."""
        n = 0
        with self._write("places") as conn:
            for place in new_places:
                eng.upsert(conn, places, checks.place_row(place), ["key"])
                n += 1
        return n

    def places(self) -> list[Place]:
        with self._engine.connect() as conn:
            return [place_from_row(r) for r in conn.execute(sa.select(places).order_by(places.c.id))]

    # -- overview ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per table (every table of the schema, including those other modules add)."""
        with self._engine.connect() as conn:
            existing = set(sa.inspect(conn).get_table_names())
            return {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in metadata.sorted_tables
                if t.name in existing
            }

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for modules that add their own tables (warnings)."""
        return self._engine

    @contextmanager
    def transaction(self) -> Iterator[sa.Connection]:
        """One write transaction on this store (BEGIN IMMEDIATE on SQLite), for modules with own tables."""
        with self._write("transaction", exclusive=False) as conn:
            yield conn


# -- helpers ---------------------------------------------------------------------------------


_REPORT_COLUMNS = (
    "content_hash", "report_id", "title", "text", "published", "source", "url", "language", "origin",
    "ingested_at", "status", "skipped_reason", "toponyms",
)  # fmt: skip


def _report_values(report: Report, content_hash: str, extraction: Extraction, now: dt.datetime) -> tuple[Any, ...]:
    """A ``reports`` row in ``_REPORT_COLUMNS`` order (toponyms as JSON text)."""
    status = "skipped" if extraction.skipped else "extracted"
    language = report.language or extraction.language
    toponyms = dumps(list(extraction.toponyms)) if extraction.toponyms else "[]"
    return (
        content_hash, report.id, report.title, report.text, report.published, report.source, report.url, language,
        report.origin, now, status, extraction.skipped, toponyms,
    )  # fmt: skip


def _notice_rows(report: Report, content_hash: str, extraction: Extraction) -> list[dict[str, Any]]:
    rows = []
    for ordinal, notice in enumerate(extraction.notices):
        if not isinstance(notice, Notice):
            where = f"report {report.id!r} notice {ordinal}"
            raise StoreError(E.T209.format(what=where, detail=f"not a Notice: {notice!r}"), what=where)
        rows.append(
            {
                "report_hash": content_hash,
                "ordinal": ordinal,
                "kind": notice.kind,
                "starts_at": checks.notice_time(notice.start, notice.timezone, end=False),
                "ends_at": checks.notice_time(notice.end, notice.timezone, end=True),
                "notice": checks.notice_json(notice, report.id),
            }
        )
    return rows


#: Keys per ``IN (...)`` query when many rows are read by key.
_CHUNK = 500


def _chunks(wanted: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(wanted), _CHUNK):
        yield wanted[i : i + _CHUNK]


def _notices_with_reports() -> sa.Select[Any]:
    """Notices with their report's id, source and publication time, in insertion order (``_stored_notice``)."""
    return (
        sa.select(notices, reports.c.report_id, reports.c.source, reports.c.published)
        .join(reports, reports.c.content_hash == notices.c.report_hash)
        .order_by(notices.c.id)
    )


def _stored_notice(r: Any) -> StoredNotice:
    return StoredNotice(id=r.id, report_hash=r.report_hash, ordinal=r.ordinal, notice=notice_from_dict(r.notice),
                        report_id=r.report_id, source=r.source, published=r.published)


def _stored_report(row: Any, event_ids: list[int]) -> StoredReport:
    report = Report(
        id=row.report_id,
        text=row.text,
        title=row.title,
        published=row.published,
        source=row.source,
        url=row.url,
        language=row.language,
        origin=row.origin,
    )
    return StoredReport(
        content_hash=row.content_hash,
        report=report,
        status=row.status,
        skipped_reason=row.skipped_reason,
        ingested_at=row.ingested_at,
        toponyms=[toponym_from_dict(t) for t in row.toponyms or []],
        event_ids=event_ids,
    )


def _filtered(q: sa.Select[Any], flt: EventFilter, postgis: bool = False) -> sa.Select[Any]:
    if flt.date_from is not None:
        q = q.where(events.c.date >= flt.date_from)
    if flt.date_to is not None:
        q = q.where(events.c.date <= flt.date_to)
    if flt.event_type:
        q = q.where(events.c.event_type == flt.event_type)
    if flt.sub_event_type:
        q = q.where(events.c.sub_event_type == flt.sub_event_type)
    if flt.country:
        q = q.where(sa.func.lower(events.c.country) == flt.country.strip().lower())
    if flt.admin1:
        q = q.where(sa.func.lower(events.c.admin1) == flt.admin1.strip().lower())
    if flt.actor:
        escaped = flt.actor.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        cols = (events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2)
        q = q.where(sa.or_(*(sa.func.lower(c).like(f"%{escaped}%", escape="\\") for c in cols)))
    if flt.area is not None:
        area = spatial.check_area(flt.area)
        if postgis:
            q = q.where(spatial.area_clause(area))
        else:
            min_lon, min_lat, max_lon, max_lat = area.bounds
            q = q.where(events.c.latitude.between(min_lat, max_lat), events.c.longitude.between(min_lon, max_lon))
    if flt.bbox is not None and postgis:
        q = q.where(spatial.bbox_clause(*checks.check_bbox(flt.bbox)))
    elif flt.bbox is not None:
        min_lon, min_lat, max_lon, max_lat = checks.check_bbox(flt.bbox)
        q = q.where(events.c.latitude.between(min_lat, max_lat))
        if min_lon <= max_lon:
            q = q.where(events.c.longitude.between(min_lon, max_lon))
        else:  # crosses the antimeridian
            q = q.where(sa.or_(events.c.longitude >= min_lon, events.c.longitude <= max_lon))
    return q


def _get_field(d: dict[str, Any], name: str) -> Any:
    if name.startswith("location."):
        return (d.get("location") or {}).get(name.split(".", 1)[1])
    return d.get(name)
