"""WarningStore: warnings, subscriptions and the delivery outbox in tocsin's store (same database as events).

Life of a warning: ``create`` (or ``import_cap``, or ``drafts_from_notices``) stores a *draft*;
only ``publish(warning_id, operator)`` makes it public (feed, status, webhooks). A published
warning is never rewritten: ``update`` makes a new CAP ``Update`` draft that references it and
``cancel`` publishes a CAP ``Cancel``; the earlier row becomes ``superseded``/``cancelled``.
Publishing enqueues one delivery per intersecting subscription in the same transaction
(persistent outbox, idempotency key ``subscription:warning``); ``outbox.DeliveryWorker`` sends them.

Spatial questions go to the database where it can answer them: on PostgreSQL (PostGIS, GiST indexes)
``publish`` finds the subscriptions meeting the warning in SQL and ``at_point``/``status`` find the
warnings covering a point in SQL; on SQLite the same answers come from shapely STRtrees built from the
rows (``subscription_index``, ``status_index``). The API keeps ``status_index`` in memory for its hot path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa
from lxml import etree
from shapely.geometry.base import BaseGeometry

import tocsin.store.engine as eng
from tocsin.errors import CapError, ConflictError, E, InputError, NotFound
from tocsin.gc_pause import paused_gc
from tocsin.store import spatial
from tocsin.store.tables import UTCDateTime
from tocsin.store.warning_tables import deliveries, subscriptions, warning_log, warnings
from tocsin.warnings.cap import parse_cap, safe_parse, to_cap
from tocsin.warnings.drafts import draft_from_notice, new_identifier
from tocsin.warnings.feed import MAX_FEED_BYTES, build_feed, next_page, read_feed
from tocsin.warnings.geometry import Resolver
from tocsin.warnings.records import Warning
from tocsin.warnings.repair import alert_bytes, find_alerts
from tocsin.warnings.status import StatusAnswer, StatusIndex
from tocsin.warnings.subscriptions import Subscription, SubscriptionIndex, check_webhook_url, subscription_area
from tocsin.warnings.timewindow import to_utc

__all__ = ["Delivery", "ImportResult", "StoredWarning", "WarningStore", "area_columns", "warning_geometry"]

CANCEL_FEED_HOURS = 24
MAX_FEED_PAGES = 100
_CHUNK = 5000
_PARSED_CACHE = 100_000


@dataclass(frozen=True)
class StoredWarning:
    warning: Warning
    state: str
    version: int
    imported: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    published_by: str | None
    references_id: str | None
    superseded_by: str | None
    cap_xml: bytes


@dataclass(frozen=True)
class Delivery:
    id: str
    idempotency_key: str
    subscription_id: int
    warning_id: str
    url: str
    state: str
    attempts: int
    next_attempt_at: dt.datetime
    last_status: int | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None


@dataclass(frozen=True)
class ImportResult:
    """One message of an import: its id when stored (or already stored), else the error; ``notes`` are
    what tocsin repaired or decided while reading it (``tocsin.warnings.repair``)."""

    where: str
    warning_id: str | None
    error: str | None = None
    notes: tuple[str, ...] = ()


def _canonical(data: bytes) -> bytes | None:
    """The one alert in ``data`` in exclusive C14N, whitespace between elements left out."""
    try:
        alerts = find_alerts(safe_parse(data))
    except CapError:
        return None
    if len(alerts) != 1:
        return None
    alert = alerts[0]
    for element in alert.iter():
        if element.text is not None and not element.text.strip() and len(element):
            element.text = None
        if element is not alert and element.tail is not None and not element.tail.strip():
            element.tail = None
    canonical: bytes = etree.tostring(alert, method="c14n", exclusive=True)
    return canonical


def _same_message(a: bytes, b: bytes) -> bool:
    """Equal bytes, or the same alert once canonicalised: an alert copied out of a feed entry or an EDXL
    wrapper, or indented differently, is the same message."""
    if a == b:
        return True
    first = _canonical(a)
    return first is not None and first == _canonical(b)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def warning_geometry(warning: Warning) -> BaseGeometry | None:
    """Everything a warning covers: its areas and its corridors."""
    parts = [a.shape for a in warning.areas if a.shape is not None] + [c.area for c in warning.corridors]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def area_columns(cap_xml: bytes, where: str) -> dict[str, Any]:
    """``area_wkb`` and ``has_corridors`` for a warnings row, from the CAP message as stored.

    Read back from the bytes (not from the Warning that was serialised) because CAP rounds coordinates
    to 6 decimals: the stored area is then exactly what ``status_index`` tests on SQLite.
    """
    warning = parse_cap(cap_xml, where, validated=True)
    shape = warning.shape
    return {
        "area_wkb": None if shape is None or shape.is_empty else shapely.to_wkb(shape),
        "has_corridors": bool(warning.corridors),
    }


class WarningStore:
    """Warnings, subscriptions and deliveries on a tocsin ``Store`` (or a bare SQLAlchemy engine).

    The store must be at migration ``0002`` or later (``Store`` upgrades SQLite files on open).
    """

    def __init__(self, store: Any) -> None:
        self._store = store if hasattr(store, "transaction") else None
        self.engine: sa.Engine = store.engine if hasattr(store, "engine") else store
        self._status_cache: tuple[tuple[Any, ...], StatusIndex] | None = None
        self._subs_cache: tuple[tuple[Any, ...], SubscriptionIndex] | None = None
        self._parsed: dict[tuple[str, int], Warning] = {}
        """(id, version) -> the parsed Warning: a row's CAP bytes never change without a new version."""

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        if self._store is not None:
            with self._store.transaction() as conn:
                yield conn
        else:
            with eng.write_transaction(self.engine) as conn:
                yield conn

    # -- rows ---------------------------------------------------------------------------------------

    def _stored(self, row: Any) -> StoredWarning:
        data = bytes(row.cap_xml)
        key = (row.id, row.version)
        warning = self._parsed.get(key)
        if warning is None:
            warning = parse_cap(data, where=f"stored warning {row.id!r}", validated=True)  # checked when stored
            if not row.imported:
                warning = dataclasses.replace(warning, source_xml=None)
            if len(self._parsed) >= _PARSED_CACHE:
                self._parsed.clear()
            self._parsed[key] = warning
        return StoredWarning(
            warning=warning, state=row.state, version=row.version, imported=row.imported,
            created_at=row.created_at, updated_at=row.updated_at, published_at=row.published_at,
            published_by=row.published_by, references_id=row.references_id, superseded_by=row.superseded_by,
            cap_xml=data,
        )

    @staticmethod
    def _values(warning: Warning, cap_xml: bytes) -> dict[str, Any]:
        return {
            "kind": warning.kind, "status": warning.status, "msg_type": warning.msg_type, "sender": warning.sender,
            "sent": warning.sent, "starts_at": warning.starts, "ends_at": warning.ends, "headline": warning.headline,
            "report_id": warning.report_id, "cap_xml": cap_xml,
            **area_columns(cap_xml, f"warning {warning.id!r}"),
        }

    def _postgis(self) -> bool:
        with self.engine.connect() as conn:
            return spatial.has_postgis(conn)

    def _log(self, conn: sa.Connection, warning_id: str, action: str, who: str, detail: str | None = None) -> None:
        conn.execute(warning_log.insert().values(warning_id=warning_id, action=action, who=who, at=_now(),
                                                 detail=detail))

    def _insert(self, conn: sa.Connection, warning: Warning, cap_xml: bytes, who: str, *, imported: bool,
                references_id: str | None = None, action: str = "create", detail: str | None = None) -> None:
        if conn.execute(sa.select(warnings.c.id).where(warnings.c.id == warning.id)).first() is not None:
            raise InputError(E.T411.format(id=warning.id, state="already stored", detail="use update, or a new id"))
        now = _now()
        conn.execute(warnings.insert().values(
            id=warning.id, state="draft", imported=imported, version=1, created_at=now, updated_at=now,
            references_id=references_id, **self._values(warning, cap_xml)))
        self._log(conn, warning.id, action, who, detail)

    # -- drafts ------------------------------------------------------------------------------------

    def create(self, warning: Warning, who: str) -> StoredWarning:
        """Store a new warning as a draft (CAP status Draft); validates its CAP form first."""
        if warning.status != "Draft":
            warning = dataclasses.replace(warning, status="Draft")
        cap_xml = to_cap(warning)
        with self._write() as conn:
            self._insert(conn, warning, cap_xml, who, imported=False,
                         references_id=warning.references[-1].identifier if warning.references else None)
        return self.get(warning.id)

    def get(self, warning_id: str) -> StoredWarning:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(warnings).where(warnings.c.id == warning_id)).first()
        if row is None:
            raise NotFound(E.T204.format(what="warning", id=warning_id))
        return self._stored(row)

    def _get_or_none(self, warning_id: str | None) -> StoredWarning | None:
        if warning_id is None:
            return None
        try:
            return self.get(warning_id)
        except NotFound:
            return None

    def list(
        self, *, state: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[StoredWarning]:
        q = sa.select(warnings).order_by(warnings.c.sent.desc(), warnings.c.id)
        if state is not None:
            q = q.where(warnings.c.state == state)
        if kind is not None:
            q = q.where(warnings.c.kind == kind)
        with self.engine.connect() as conn:
            return [self._stored(r) for r in conn.execute(q.limit(limit))]

    def drafts(self) -> list[StoredWarning]:
        return self.list(state="draft")

    def update(self, warning_id: str, who: str, expected_version: int | None = None, **changes: Any) -> StoredWarning:
        """Change a warning. A draft is edited in place; a published warning gets a new ``Update`` draft."""
        current = self.get(warning_id)
        if expected_version is not None and expected_version != current.version:
            raise ConflictError(E.T203.format(what="warning", id=warning_id, found=current.version,
                                              expected=expected_version))
        if current.state == "draft":
            new = dataclasses.replace(current.warning, **changes)
            if new.id != warning_id:
                raise InputError(E.T411.format(id=warning_id, state="a draft", detail="its id cannot change"))
            cap_xml = to_cap(new)
            with self._write() as conn:
                done = conn.execute(
                    warnings.update()
                    .where(warnings.c.id == warning_id, warnings.c.version == current.version,
                           warnings.c.state == "draft")
                    .values(version=current.version + 1, updated_at=_now(), imported=False,
                            **self._values(new, cap_xml))
                ).rowcount
                if done != 1:
                    raise ConflictError(E.T203.format(what="warning", id=warning_id, found="newer",
                                                      expected=current.version))
                self._log(conn, warning_id, "edit", who, ", ".join(sorted(changes)))
            return self.get(warning_id)
        if current.state == "published":
            return self._follow_up(current, who, "Update", changes)
        raise InputError(E.T411.format(id=warning_id, state=current.state,
                                       detail=f"update the newer message {current.superseded_by!r} instead"))

    def _follow_up(self, current: StoredWarning, who: str, msg_type: str, changes: dict[str, Any]) -> StoredWarning:
        old = current.warning
        refs = tuple(old.references) + (old.reference(),)
        new = dataclasses.replace(old, **changes)
        new = dataclasses.replace(new, id=new_identifier(), msg_type=msg_type, status="Draft", sent=_now(),
                                  references=refs, source_xml=None)
        with self._write() as conn:
            self._insert(conn, new, to_cap(new), who, imported=False, references_id=old.id,
                         action=msg_type.lower())
        return self.get(new.id)

    def cancel(self, warning_id: str, who: str, note: str | None = None) -> StoredWarning:
        """Withdraw a warning: a draft is discarded (never public); a published one gets a published CAP Cancel."""
        current = self.get(warning_id)
        if current.state == "draft":
            with self._write() as conn:
                conn.execute(warnings.update().where(warnings.c.id == warning_id)
                             .values(state="cancelled", updated_at=_now(), version=current.version + 1))
                self._log(conn, warning_id, "discard", who, note)
            return self.get(warning_id)
        if current.state != "published":
            raise InputError(E.T411.format(id=warning_id, state=current.state, detail="only a published warning "
                                           "or a draft can be cancelled"))
        cancel = self._follow_up(current, who, "Cancel", {"note": note or "This warning is cancelled."})
        return self.publish(cancel.warning.id, who)

    # -- publishing --------------------------------------------------------------------------------

    def publish(self, warning_id: str, operator: str, status: str = "Actual") -> StoredWarning:
        """Make a draft public (the only way): set its CAP status, supersede what it references, enqueue deliveries."""
        if not operator or not operator.strip():
            raise InputError(E.T411.format(id=warning_id, state="not published", detail="an operator must be named"))
        if status not in ("Actual", "Exercise", "System", "Test"):
            raise InputError(E.T102.format(name="status", value=status, valid="Actual, Exercise, System, Test"))
        current = self.get(warning_id)
        if current.state != "draft":
            raise InputError(E.T411.format(id=warning_id, state=current.state, detail="only a draft can be published"))
        warning = current.warning
        if warning.scope != "Public" or (current.imported and warning.status == "Draft"):  # also after an edit
            what = f"scope {warning.scope}" if warning.scope != "Public" else "status Draft"
            raise InputError(E.T411.format(id=warning_id, state=f"an imported message with {what}",
                                           detail="its sender did not address it to the public; it is not published"))
        geometry = warning_geometry(warning)
        if geometry is None and warning.msg_type != "Cancel":
            raise InputError(E.T411.format(id=warning_id, state="a draft without geometry",
                                           detail="give its areas a polygon or circle before publishing"))
        if warning.status == "Draft":
            warning = dataclasses.replace(warning, status=status)
        cap_xml = current.cap_xml if current.imported else to_cap(dataclasses.replace(warning, source_xml=None))
        referenced = [r for r in self._stored_references(warning) if r.state == "published"]  # may be none here
        for old in referenced:
            old_geometry = warning_geometry(old.warning)
            if old_geometry is not None:
                geometry = old_geometry if geometry is None else shapely.union(geometry, old_geometry)
        postgis = self._postgis()
        matched = None if postgis else self.subscription_index().matching(geometry)
        now = _now()
        with self._write() as conn:
            done = conn.execute(
                warnings.update()
                .where(warnings.c.id == warning_id, warnings.c.state == "draft", warnings.c.version == current.version)
                .values(state="published", status=warning.status, cap_xml=cap_xml, published_at=now,
                        published_by=operator, updated_at=now, version=current.version + 1)
            ).rowcount
            if done != 1:
                raise ConflictError(E.T203.format(what="warning", id=warning_id, found="newer",
                                                  expected=current.version))
            new_state = "cancelled" if warning.msg_type == "Cancel" else "superseded"
            for old in referenced:
                conn.execute(warnings.update()
                             .where(warnings.c.id == old.warning.id, warnings.c.state == "published")
                             .values(state=new_state, superseded_by=warning_id, updated_at=now,
                                     version=warnings.c.version + 1))
            if matched is None:  # PostGIS: the subscriptions' GiST index, in this transaction
                matched = self.matching_subscriptions(geometry, conn)
            self._enqueue(conn, warning_id, matched, now)
            self._log(conn, warning_id, "publish", operator, f"{len(matched)} deliveries")
        return self.get(warning_id)

    def _enqueue(self, conn: sa.Connection, warning_id: str, subscription_ids: np.ndarray, now: dt.datetime) -> None:
        """One pending delivery per subscriber, written by the database (INSERT ... SELECT, no per-row Python).

        An existing idempotency key (``subscription:warning``) is left alone, so a retried publish adds nothing.
        """
        ids = [int(i) for i in subscription_ids]
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert

            new_id = sa.func.replace(sa.cast(sa.func.gen_random_uuid(), sa.Text), "-", "")
        else:
            from sqlalchemy.dialects.sqlite import insert

            new_id = sa.func.lower(sa.func.hex(sa.func.randomblob(16)))
        at = sa.literal(now, UTCDateTime)
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = sa.select(
                new_id, sa.cast(subscriptions.c.id, sa.Text) + sa.literal(f":{warning_id}"), subscriptions.c.id,
                sa.literal(warning_id), subscriptions.c.url, sa.literal("pending"), sa.literal(0), at, at, at,
            ).where(subscriptions.c.id.in_(chunk))
            columns = ["id", "idempotency_key", "subscription_id", "warning_id", "url", "state", "attempts",
                       "next_attempt_at", "created_at", "updated_at"]
            stmt = insert(deliveries).from_select(columns, rows)
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["idempotency_key"]))

    # -- public reads ------------------------------------------------------------------------------

    def _published_signature(self, conn: sa.Connection) -> tuple[Any, ...]:
        row = conn.execute(sa.select(sa.func.count(), sa.func.max(warnings.c.updated_at))
                           .where(warnings.c.state == "published")).one()
        return tuple(row)

    def published(self) -> list[Warning]:
        """Every published warning (not superseded or cancelled), Cancel messages excluded."""
        q = sa.select(warnings).where(warnings.c.state == "published", warnings.c.msg_type != "Cancel")
        with self.engine.connect() as conn:
            return [self._stored(r).warning for r in conn.execute(q)]

    def active(self, at: dt.datetime | None = None) -> list[Warning]:
        at = at or _now()
        return [w for w in self.published() if w.active_at(at)]

    def current(self, at: dt.datetime | None = None) -> list[Warning]:
        """Published warnings in effect at ``at`` or announced to start later: not yet ended."""
        at = to_utc(at) if at is not None else _now()
        return [w for w in self.published() if w.kind != "all_clear" and (w.ends is None or at < w.ends)]

    def _published_rows(self, conn: sa.Connection, *where: Any) -> list[Warning]:
        q = sa.select(warnings).where(warnings.c.state == "published", warnings.c.msg_type != "Cancel",
                                      warnings.c.kind != "all_clear", warnings.c.status == "Actual",
                                      *where).order_by(warnings.c.id)
        return [self._stored(r).warning for r in conn.execute(q)]

    def at_point(self, lat: float, lon: float, at: dt.datetime | None = None) -> list[Warning]:
        """The published warnings whose areas cover (lat, lon), edge included, active at ``at`` (default now).

        Ordered as ``StatusIndex.status`` orders them (start, id). PostgreSQL asks PostGIS (GiST index on
        ``warnings.area``); SQLite asks the cached ``status_index``. Both give the same answer.
        """
        at = to_utc(at) if at is not None else _now()
        with self.engine.connect() as conn:
            if spatial.has_postgis(conn):
                found = self._published_rows(conn, spatial.covering_point_clause(lat, lon))
                return sorted((w for w in found if w.active_at(at)), key=lambda w: (w.starts, w.id))
        return self.status_index().covering(lat, lon, at)

    def status(self, lat: float, lon: float, at: dt.datetime | None = None) -> StatusAnswer:
        """``StatusIndex.status`` for one point without holding every warning in memory on PostgreSQL.

        PostgreSQL: an index over just the warnings covering the point (PostGIS) and those naming
        corridors (for the nearest open corridor), which answers exactly as the full index does.
        SQLite: the cached ``status_index``.
        """
        with self.engine.connect() as conn:
            if spatial.has_postgis(conn):
                near = spatial.covering_point_clause(lat, lon)
                found = self._published_rows(conn, sa.or_(near, warnings.c.has_corridors.is_(True)))
                return StatusIndex(found).status(lat, lon, at)
        return self.status_index().status(lat, lon, at)

    def status_index(self) -> StatusIndex:
        """The StatusIndex over published warnings, rebuilt only when they changed."""
        with self.engine.connect() as conn:
            signature = self._published_signature(conn)
        if self._status_cache is None or self._status_cache[0] != signature:
            self._status_cache = (signature, StatusIndex(self.published()))
        return self._status_cache[1]

    def feed(self, base_url: str, at: dt.datetime | None = None) -> bytes:
        """The Atom feed: published alerts in effect or starting later, plus Cancel messages of the last 24 hours."""
        at = at or _now()
        since = at - dt.timedelta(hours=CANCEL_FEED_HOURS)
        q = sa.select(warnings).where(warnings.c.state == "published", warnings.c.msg_type == "Cancel",
                                      warnings.c.sent >= since)
        with self.engine.connect() as conn:
            cancels = [self._stored(r).warning for r in conn.execute(q)]
        return build_feed(self.current(at) + cancels, base_url=base_url, updated=at)

    def cap_xml(self, warning_id: str, *, published_only: bool = True) -> bytes:
        stored = self.get(warning_id)
        if published_only and stored.state == "draft":
            raise NotFound(E.T204.format(what="published warning", id=warning_id))
        return stored.cap_xml

    # -- import ------------------------------------------------------------------------------------

    def _stored_references(self, warning: Warning) -> list[StoredWarning]:
        """The messages ``warning`` references (CAP ``references``) that are stored here, oldest first.

        A reference names (sender, identifier, sent); a stored row of that identifier from another sender
        is a different message and is left alone.
        """
        out = []
        for ref in warning.references:
            stored = self._get_or_none(ref.identifier)
            if stored is not None and stored.warning.sender == ref.sender and stored.warning.id != warning.id:
                out.append(stored)
        return out

    def _referencing(self, warning: Warning) -> StoredWarning | None:
        """A stored Update or Cancel (from the same sender) that references ``warning``: a Cancel first.

        Reads only ids and versions, then the messages not parsed yet (the parsed cache keeps them), so
        following a busy authority does not re-read every one of its Updates for each new alert.
        """
        where = (warnings.c.sender == warning.sender, warnings.c.msg_type.in_(("Update", "Cancel")))
        with self.engine.connect() as conn:
            keys = [(r.id, r.version) for r in conn.execute(sa.select(warnings.c.id, warnings.c.version).where(*where))]
            missing = [i for i, v in keys if (i, v) not in self._parsed]
            for start in range(0, len(missing), 500):
                for row in conn.execute(sa.select(warnings).where(warnings.c.id.in_(missing[start:start + 500]))):
                    self._stored(row)
        found = []
        for key in keys:
            candidate = self._parsed.get(key) or self.get(key[0]).warning
            if any(ref.identifier == warning.id and ref.sender == warning.sender for ref in candidate.references):
                found.append(candidate)
        found.sort(key=lambda w: (w.msg_type != "Cancel", -w.sent.timestamp()))
        return self.get(found[0].id) if found else None

    def import_cap(self, data: bytes, who: str, where: str = "<input>",
                   notes: list[str] | None = None) -> StoredWarning:
        """Store another authority's CAP message as a draft, keeping its original bytes (and signature).

        What was repaired while reading it is appended to ``notes`` and kept in the warning's log.
        ``Ack`` and ``Error`` messages are refused (T413). Update/Cancel chains hold whatever order the
        messages arrive in: an imported Update or Cancel ends the drafts it references at once
        (``superseded``/``cancelled``), and the published ones when it is published; a message that a
        stored Update or Cancel already references is stored ``superseded``/``cancelled``, never public.
        The same message again (same bytes, or the same alert once canonicalised) is not stored twice.
        """
        notes = [] if notes is None else notes
        warning = parse_cap(data, where, notes=notes)
        data = warning.source_xml or data  # the <alert>'s own bytes when it came inside a wrapper
        if warning.msg_type in ("Ack", "Error"):
            refs = " ".join(r.to_text() for r in warning.references) or "no references"
            raise CapError(E.T413.format(where=where, msg_type=warning.msg_type, refs=refs))
        existing = self._get_or_none(warning.id)
        if existing is not None:
            if _same_message(existing.cap_xml, data):
                return existing
            raise InputError(E.T411.format(id=warning.id, state="already stored with other content",
                                           detail="an identifier names one message; ask the sender"))
        referenced = self._stored_references(warning)
        later = self._referencing(warning)
        ends = "cancelled" if warning.msg_type == "Cancel" else "superseded"
        now = _now()
        with self._write() as conn:
            ref_id = referenced[-1].warning.id if referenced else (
                warning.references[-1].identifier if warning.references else None)
            self._insert(conn, warning, data, who, imported=True, action="import", references_id=ref_id,
                         detail="; ".join(notes) or None)
            for old in referenced:
                if old.state == "draft":
                    conn.execute(warnings.update().where(warnings.c.id == old.warning.id, warnings.c.state == "draft")
                                 .values(state=ends, superseded_by=warning.id, updated_at=now,
                                         version=warnings.c.version + 1))
                    self._log(conn, old.warning.id, ends, who, f"by imported {warning.msg_type} {warning.id}")
                    notes.append(f"draft {old.warning.id!r} it references is now {ends}")
                elif old.state == "published":
                    notes.append(f"published warning {old.warning.id!r} it references stays public until this "
                                 f"{warning.msg_type} is published")
            if later is not None and warning.msg_type != "Cancel":
                state = "cancelled" if later.warning.msg_type == "Cancel" else "superseded"
                conn.execute(warnings.update().where(warnings.c.id == warning.id)
                             .values(state=state, superseded_by=later.warning.id, version=2))
                self._log(conn, warning.id, state, who, f"by {later.warning.msg_type} {later.warning.id} stored before")
                notes.append(f"already {state} by {later.warning.msg_type} {later.warning.id!r} stored before; "
                             "not to be published")
        return self.get(warning.id)

    def import_path(self, path: str | Path, who: str) -> list[ImportResult]:
        """Import a CAP file (also wrapped: EDXL-DE, an Atom entry), or an Atom/RSS index feed.

        From a feed: embedded alerts, and CAP links to local files (relative links are read relative to
        the feed's folder); ``rel="next"`` pages that are local files are followed (up to
        ``MAX_FEED_PAGES``). An entry repeating a link or alert seen earlier in the same import is
        reported once. Every message gets its own result; one bad entry does not stop the others.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(E.T008.format(path=path))
        results: list[ImportResult] = []
        seen: dict[str, str] = {}
        pages: set[Path] = set()
        page: Path | None = path
        while page is not None and len(pages) < MAX_FEED_PAGES:
            pages.add(page.resolve())
            following = self._import_page(page, who, results, seen)
            page = following if following is not None and following.resolve() not in pages else None
        return results

    def _import_page(self, path: Path, who: str, results: list[ImportResult], seen: dict[str, str]) -> Path | None:
        data = path.read_bytes()[: MAX_FEED_BYTES + 1]
        try:
            root = safe_parse(data, str(path), MAX_FEED_BYTES)
            tag = root.tag if isinstance(root.tag, str) else ""
            local = etree.QName(tag).localname if tag else ""
            if local == "alert":
                results.append(self._import_one(data, who, str(path)))
                return None
            if local not in ("feed", "entry", "rss", "RDF"):
                alerts = find_alerts(root)
                if not alerts:  # parse_cap names what the document is (HTML page, other XML)
                    results.append(self._import_one(data, who, str(path)))
                for i, alert in enumerate(alerts, start=1):
                    where = f"{path} alert {i}" if len(alerts) > 1 else str(path)
                    results.append(self._import_one(alert_bytes(alert), who, where))
                return None
            entries = read_feed(data, str(path))
            following = next_page(data, str(path))
        except (CapError, InputError) as exc:
            results.append(ImportResult(str(path), None, exc.message))
            return None
        for i, entry in enumerate(entries, start=1):
            where = f"{path} entry {i}"
            key = entry.cap_url if entry.alert_xml is None else entry.alert_xml.decode("utf-8", "replace")
            if key and key in seen:
                continue  # a feed repeating an entry (MeteoAlarm lists one alert once per area)
            if key:
                seen[key] = where
            if entry.alert_xml is not None:
                results.append(self._import_one(entry.alert_xml, who, where))
                continue
            local_file = self._local_link(path, entry.cap_url)
            if local_file is not None:
                results.append(self._import_one(local_file.read_bytes(), who, f"{where} ({local_file})"))
            elif entry.cap_url and "://" in entry.cap_url and not entry.cap_url.startswith("file://"):
                results.append(ImportResult(where, None, f"CAP link {entry.cap_url} is remote; tocsin does not fetch "
                                                         "at run time: download it and import the file"))
            elif entry.cap_url:
                results.append(ImportResult(where, None, f"CAP link {entry.cap_url}: no such file (not found next to "
                                                         "the feed); entry skipped"))
            else:
                results.append(ImportResult(where, None, "entry has no CAP link and no embedded alert"))
        return self._local_link(path, following)

    def _import_one(self, data: bytes, who: str, where: str) -> ImportResult:
        notes: list[str] = []
        try:
            return ImportResult(where, self.import_cap(data, who, where, notes).warning.id, notes=tuple(notes))
        except (CapError, InputError) as exc:
            return ImportResult(where, None, exc.message, tuple(notes))

    @staticmethod
    def _local_link(feed: Path, url: str | None) -> Path | None:
        if not url:
            return None
        if url.startswith("file://"):
            candidate = Path(url[len("file://"):])
        elif "://" in url:
            return None
        else:
            candidate = feed.parent / url
        return candidate if candidate.is_file() else None

    def drafts_from_notices(self, notices: Sequence[Any], who: str, *, resolver: Resolver | None = None,
                            sender: str | None = None) -> list[StoredWarning]:
        """Drafts for stored notices (``Store.notices()``); a notice already drafted is skipped."""
        out = []
        for stored in notices:
            kwargs: dict[str, Any] = {"resolver": resolver}
            if sender:
                kwargs["sender"] = sender
            draft = draft_from_notice(stored.notice, stored.report_id, issued=stored.published, **kwargs)
            if self._get_or_none(draft.id) is not None:
                continue
            out.append(self.create(draft, who))
        return out

    # -- subscriptions -----------------------------------------------------------------------------

    def add_subscription(self, url: str, secret: str, *, polygon: str | None = None,
                         geojson: dict[str, object] | None = None, point: str | None = None,
                         radius_km: float | None = None, name: str | None = None) -> Subscription:
        check_webhook_url(url)
        if not secret:
            raise InputError(E.T412.format(where="subscription", detail="a secret is needed to sign deliveries"))
        area, lat, lon, radius = subscription_area(polygon=polygon, geojson=geojson, point=point, radius_km=radius_km)
        now = _now()
        with self._write() as conn:
            sub_id = conn.execute(subscriptions.insert().values(
                name=name, url=url, secret=secret, area_wkb=shapely.to_wkb(area), latitude=lat, longitude=lon,
                radius_km=radius, active=True, created_at=now)).inserted_primary_key[0]
        return Subscription(int(sub_id), url, secret, area, name, lat, lon, radius, True, now)

    def subscriptions(self, *, active_only: bool = True) -> list[Subscription]:
        q = sa.select(subscriptions).order_by(subscriptions.c.id)
        if active_only:
            q = q.where(subscriptions.c.active.is_(True))
        with self.engine.connect() as conn:
            return [
                Subscription(r.id, r.url, r.secret, shapely.from_wkb(r.area_wkb), r.name, r.latitude, r.longitude,
                             r.radius_km, r.active, r.created_at)
                for r in conn.execute(q)
            ]

    def remove_subscription(self, subscription_id: int) -> None:
        """Deactivate a subscription (its deliveries are kept; pending ones are not sent)."""
        with self._write() as conn:
            done = conn.execute(subscriptions.update().where(subscriptions.c.id == subscription_id,
                                                             subscriptions.c.active.is_(True))
                                .values(active=False)).rowcount
        if done != 1:
            raise NotFound(E.T204.format(what="subscription", id=subscription_id))

    def matching_subscriptions(self, geometry: BaseGeometry | None, conn: sa.Connection | None = None) -> np.ndarray:
        """Ids of the active subscriptions whose area meets ``geometry``, ascending.

        PostgreSQL: one PostGIS query (GiST index on ``subscriptions.area``); SQLite: the cached STRtree.
        """
        if geometry is None or geometry.is_empty:
            return np.zeros(0, dtype=np.int64)
        if conn is None:
            with self.engine.connect() as own:
                return self.matching_subscriptions(geometry, own)
        if spatial.has_postgis(conn):
            return np.array(spatial.subscriptions_intersecting(conn, geometry), dtype=np.int64)
        return self.subscription_index().matching(geometry)

    def subscription_index(self) -> SubscriptionIndex:
        """The STRtree over active subscriptions, rebuilt only when they changed."""
        with self.engine.connect() as conn:
            signature = tuple(conn.execute(sa.select(sa.func.count(), sa.func.max(subscriptions.c.id))
                                           .where(subscriptions.c.active.is_(True))).one())
            if self._subs_cache is None or self._subs_cache[0] != signature:
                rows = conn.execute(sa.select(subscriptions.c.id, subscriptions.c.area_wkb)
                                    .where(subscriptions.c.active.is_(True))).all()
                ids = np.array([r.id for r in rows], dtype=np.int64)
                with paused_gc():
                    areas = shapely.from_wkb(np.array([bytes(r.area_wkb) for r in rows], dtype=object))
                    self._subs_cache = (signature, SubscriptionIndex(ids, areas))
        return self._subs_cache[1]

    # -- deliveries --------------------------------------------------------------------------------

    @staticmethod
    def _delivery(row: Any) -> Delivery:
        return Delivery(row.id, row.idempotency_key, row.subscription_id, row.warning_id, row.url, row.state,
                        row.attempts, row.next_attempt_at, row.last_status, row.last_error, row.created_at,
                        row.delivered_at)

    def deliveries(self, *, state: str | None = None, warning_id: str | None = None) -> list[Delivery]:
        q = sa.select(deliveries).order_by(deliveries.c.created_at, deliveries.c.id)
        if state is not None:
            q = q.where(deliveries.c.state == state)
        if warning_id is not None:
            q = q.where(deliveries.c.warning_id == warning_id)
        with self.engine.connect() as conn:
            return [self._delivery(r) for r in conn.execute(q)]

    def claim_due(self, now: dt.datetime, lease: dt.timedelta, limit: int = 50) -> list[tuple[Delivery, str, bytes]]:
        """Take up to ``limit`` due deliveries for sending: push their next attempt past the lease.

        Returns (delivery, secret, CAP body). A delivery whose subscription was removed is marked dead.
        """
        out = []
        with self._write() as conn:
            rows = conn.execute(
                sa.select(deliveries, subscriptions.c.secret, subscriptions.c.active)
                .join(subscriptions, subscriptions.c.id == deliveries.c.subscription_id, isouter=True)
                .where(deliveries.c.state == "pending", deliveries.c.next_attempt_at <= now)
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id).limit(limit)
                .with_for_update(skip_locked=True, of=deliveries)  # PostgreSQL: workers claim disjoint rows
            ).all()
            for row in rows:
                if not row.active:
                    conn.execute(deliveries.update().where(deliveries.c.id == row.id)
                                 .values(state="dead", last_error="subscription removed", updated_at=now))
                    continue
                body = conn.execute(sa.select(warnings.c.cap_xml).where(warnings.c.id == row.warning_id)).scalar_one()
                conn.execute(deliveries.update().where(deliveries.c.id == row.id)
                             .values(next_attempt_at=now + lease, updated_at=now))
                out.append((self._delivery(row), row.secret, bytes(body)))
        return out

    def record_attempt(self, delivery_id: str, *, ok: bool, status: int | None, error: str | None,
                       now: dt.datetime, retry_at: dt.datetime | None) -> None:
        """Record one POST: delivered, or retry at ``retry_at``, or dead when ``retry_at`` is None."""
        values: dict[str, Any] = {"attempts": deliveries.c.attempts + 1, "last_status": status,
                                  "last_error": error, "updated_at": now}
        if ok:
            values.update(state="delivered", delivered_at=now)
        elif retry_at is None:
            values.update(state="dead")
        else:
            values.update(next_attempt_at=retry_at)
        with self._write() as conn:
            conn.execute(deliveries.update().where(deliveries.c.id == delivery_id, deliveries.c.state == "pending")
                         .values(**values))
