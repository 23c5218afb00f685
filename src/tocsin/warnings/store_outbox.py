"""Subscriptions and the delivery outbox of ``WarningStore``: who wants which area, what is to be POSTed.

Publishing enqueues one delivery per intersecting subscription in the publishing transaction
(persistent outbox, idempotency key ``subscription:warning``); ``outbox.DeliveryWorker`` claims and sends them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

from tocsin.errors import E, InputError, NotFound
from tocsin.gc_pause import paused_gc
from tocsin.store import spatial
from tocsin.store.tables import UTCDateTime
from tocsin.store.warning_tables import deliveries, subscriptions, warnings
from tocsin.warnings.store_rows import WarningRows, _now
from tocsin.warnings.subscriptions import Subscription, SubscriptionIndex, check_webhook_url, subscription_area

__all__ = ["Delivery", "WarningOutbox"]

_CHUNK = 5000


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


class WarningOutbox(WarningRows):
    """Subscriptions, the fan-out of a published warning to them, and the deliveries' rows."""

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
