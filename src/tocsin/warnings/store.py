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

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from tocsin.errors import E, NotFound
from tocsin.store import spatial
from tocsin.store.warning_tables import warnings
from tocsin.warnings.feed import build_feed
from tocsin.warnings.records import Warning
from tocsin.warnings.status import StatusAnswer, StatusIndex
from tocsin.warnings.store_import import MAX_FEED_PAGES, WarningImporter
from tocsin.warnings.store_outbox import Delivery
from tocsin.warnings.store_rows import ImportResult, StoredWarning, _now, area_columns, warning_geometry
from tocsin.warnings.timewindow import to_utc

__all__ = ["MAX_FEED_PAGES", "Delivery", "ImportResult", "StoredWarning", "WarningStore", "area_columns",
           "warning_geometry"]

CANCEL_FEED_HOURS = 24

#: ``Warning.is_real_alert`` in SQL, on the row's columns (tests/warnings/test_store.py holds them to one answer).
REAL_ALERT = sa.and_(warnings.c.status == "Actual", warnings.c.msg_type != "Cancel", warnings.c.kind != "all_clear")


def _not_ended(at: dt.datetime) -> sa.ColumnElement[bool]:
    """Rows not ended by ``at`` (``Warning.ends``, stored as ``ends_at``): what is active or current is read
    without the ended messages a long deployment piles up."""
    return sa.or_(warnings.c.ends_at.is_(None), warnings.c.ends_at > at)


class WarningStore(WarningImporter):
    """Warnings, subscriptions and deliveries on a tocsin ``Store`` (or a bare SQLAlchemy engine).

    The store must be at migration ``0002`` or later (``Store`` upgrades SQLite files on open). The parts live
    in ``store_rows`` (rows, lookups), ``store_outbox`` (subscriptions, deliveries), ``store_lifecycle``
    (drafts, publish, update, cancel) and ``store_import`` (CAP messages and notices); this module adds the
    public reads (feed, status, points).
    """

    # -- public reads ------------------------------------------------------------------------------

    def _published_signature(self, conn: sa.Connection) -> tuple[Any, ...]:
        row = conn.execute(sa.select(sa.func.count(), sa.func.max(warnings.c.updated_at))
                           .where(warnings.c.state == "published")).one()
        return tuple(row)

    def published(self, *, not_ended_at: dt.datetime | None = None) -> list[Warning]:
        """Every published warning (not superseded or cancelled), Cancel messages excluded; with
        ``not_ended_at``, only those without an end or ending after it (the ended ones stay in the database)."""
        q = sa.select(warnings).where(warnings.c.state == "published", warnings.c.msg_type != "Cancel")
        if not_ended_at is not None:
            q = q.where(_not_ended(not_ended_at))
        with self.engine.connect() as conn:
            return [self._stored(r).warning for r in conn.execute(q)]

    def active(self, at: dt.datetime | None = None, *, actual_only: bool = True) -> list[Warning]:
        """The published warnings active at ``at`` (default now), newest first: ``active_stored`` as ``Warning``s."""
        return [s.warning for s in self.active_stored(at, actual_only=actual_only)]

    def active_stored(self, at: dt.datetime | None = None, *, actual_only: bool = True) -> list[StoredWarning]:
        """The published warnings active at ``at`` (default now), newest first (``sent``, then key).

        ``actual_only`` (the default): real alerts only (``Warning.is_real_alert``), the rule of status answers,
        the public list and the map layer; False adds the Test, Exercise and System messages. Cancel messages
        and all-clears are never active.
        """
        at = to_utc(at) if at is not None else _now()
        q = (sa.select(warnings).where(warnings.c.state == "published", _not_ended(at))
             .order_by(warnings.c.sent.desc(), warnings.c.id))
        with self.engine.connect() as conn:
            found = [self._stored(r) for r in conn.execute(q)]
        return [s for s in found if s.warning.active_at(at) and (s.warning.is_real_alert or not actual_only)]

    def current(self, at: dt.datetime | None = None) -> list[Warning]:
        """Published warnings in effect at ``at`` or announced to start later: not yet ended."""
        at = to_utc(at) if at is not None else _now()
        return [w for w in self.published(not_ended_at=at) if w.kind != "all_clear"]  # not ended: in the query

    def _published_rows(self, conn: sa.Connection, *where: Any) -> list[Warning]:
        """The published real alerts (``REAL_ALERT``) meeting ``where``, by key."""
        q = sa.select(warnings).where(warnings.c.state == "published", REAL_ALERT, *where).order_by(warnings.c.id)
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
                return sorted((w for w in found if w.active_at(at)), key=lambda w: (w.starts, w.handle))
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

    def in_feed(self, at: dt.datetime | None = None) -> list[Warning]:
        """What the feed lists: published alerts in effect or starting later, plus Cancel and all-clear messages
        of the last 24 hours (so aggregators withdraw the alert, and residents hear that the danger is over)."""
        at = at or _now()
        since = at - dt.timedelta(hours=CANCEL_FEED_HOURS)
        q = sa.select(warnings).where(warnings.c.state == "published", warnings.c.sent >= since,
                                      sa.or_(warnings.c.msg_type == "Cancel", warnings.c.kind == "all_clear"))
        with self.engine.connect() as conn:
            cancels = [self._stored(r).warning for r in conn.execute(q)]
        return self.current(at) + cancels

    def feed(self, base_url: str, at: dt.datetime | None = None,
             cap_href: Callable[[Warning], str] | None = None, listed: list[Warning] | None = None) -> bytes:
        """The Atom feed of ``in_feed(at)``; each entry links to ``cap_href(warning)`` (default: tocsin's API path
        ``BASE/warnings/KEY.xml``). ``listed``: ``in_feed(at)`` when the caller has already read it."""
        at = at or _now()
        entries = self.in_feed(at) if listed is None else listed
        return build_feed(entries, base_url=base_url, updated=self.feed_changed(at), cap_href=cap_href)

    def feed_changed(self, at: dt.datetime | None = None) -> dt.datetime:
        """When the feed's list last changed by ``at``: an alert or Cancel published, an alert ended, or a Cancel
        or all-clear aged out of the feed. This is the feed's Atom ``updated``, so two reads with nothing new
        between them are the same bytes and a reader's cache holds; ``at`` itself when nothing was published."""
        at = at or _now()
        keep = dt.timedelta(hours=CANCEL_FEED_HOURS)
        c = warnings.c
        withdrawal = sa.or_(c.msg_type == "Cancel", c.kind == "all_clear")  # listed for CANCEL_FEED_HOURS after sent
        # three aggregates in the database: the feed is read per request, and the table keeps every message ever
        # published (superseded and cancelled ones too)
        published = sa.select(sa.func.max(c.published_at)).where(c.published_at <= at)
        ended = sa.select(sa.func.max(c.ends_at)).where(c.published_at.is_not(None), sa.not_(withdrawal),
                                                        c.ends_at <= at)
        aged = sa.select(sa.func.max(c.sent)).where(c.published_at.is_not(None), withdrawal, c.sent <= at - keep)
        with self.engine.connect() as conn:
            last_aged = conn.execute(aged).scalar()
            changes = [conn.execute(published).scalar(), conn.execute(ended).scalar(),
                       last_aged + keep if last_aged is not None else None]
        return max((t for t in changes if t is not None), default=at)

    def cap_xml(self, warning_id: str, *, published_only: bool = True, sender: str | None = None) -> bytes:
        stored = self.get(warning_id, sender)
        if published_only and stored.state == "draft":
            raise NotFound(E.T204.format(what="published warning", id=warning_id))
        return stored.cap_xml
