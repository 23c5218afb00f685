"""The rule alerts' outbox: claimed matches, digests, and deliveries retried with backoff until delivered.

The same pattern as the warnings outbox (``tocsin.warnings.outbox``), over the ``watch_*`` tables:

- a match is claimed once per (rule, target) in ``watch_alerts``; for a rule without a digest its
  deliveries (one per channel: ``webhook``, ``email``) are written in the same transaction, so a
  crash can neither lose a claimed match nor send it twice;
- a digest rule's matches wait (``watch_alerts.digest`` is NULL) until the oldest is ``digest_minutes``
  old; then one delivery per channel lists them all and the matches are marked with its key, again
  in one transaction, so a restart neither loses nor repeats a digest;
- a delivery is leased (its next attempt pushed past a lease) before it is sent and marked
  ``delivered`` only after success; failures back off (``base_delay_s * 2**(attempts-1)``, capped) and
  after ``max_attempts`` it is ``dead`` with its last status and error kept for ``tocsin rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.store.watch_tables import watch_alerts, watch_deliveries

__all__ = ["AlertOutbox", "Delivery", "RetryPolicy", "RuleStats"]

PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay_s: float = 30.0
    max_delay_s: float = 3600.0
    lease_s: float = 120.0
    """How long a delivery being sent is hidden from other senders (a crash mid-send: sent again after it)."""

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed try."""
        return dt.timedelta(seconds=min(self.max_delay_s, self.base_delay_s * 2 ** max(0, attempts - 1)))


@dataclass(frozen=True)
class Delivery:
    id: int
    rule_id: int
    channel: str
    """``webhook`` or ``email``."""
    key: str
    """The match's target (``event:<id>``, ``notice:<id>``) or ``digest:<time>``."""
    body: str
    """The JSON message, fixed when the delivery is made (the same bytes on every retry)."""
    state: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    delivered_at: dt.datetime | None
    last_status: int | None
    last_error: str | None


@dataclass
class RuleStats:
    matches: int = 0
    waiting: int = 0
    """Matches waiting for the rule's next digest."""
    delivered: int = 0
    pending: int = 0
    failed: int = 0
    """Deliveries given up after the last attempt."""
    last_delivered_at: dt.datetime | None = None
    last_error: str | None = None
    last_error_at: dt.datetime | None = None


def _delivery(row: Any) -> Delivery:
    return Delivery(**{k: row[k] for k in Delivery.__dataclass_fields__})


class AlertOutbox:
    """Reads and writes ``watch_alerts`` and ``watch_deliveries``."""

    def __init__(self, store: Store, policy: RetryPolicy | None = None) -> None:
        self.engine = store.engine
        self.policy = policy or RetryPolicy()

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with eng.write_transaction(self.engine, exclusive=False) as conn:
            yield conn

    @staticmethod
    def _add_deliveries(conn: sa.Connection, rule_id: int, channels: list[str], key: str, body: str,
                        now: dt.datetime) -> None:
        for channel in channels:
            eng.insert_ignore(conn, watch_deliveries, {
                "rule_id": rule_id, "channel": channel, "key": key, "body": body, "state": PENDING, "attempts": 0,
                "created_at": now, "next_attempt_at": now,
            }, ("rule_id", "channel", "key"))

    # matches ------------------------------------------------------------------------------------
    def queue(self, rule_id: int, target: str, payload: dict[str, Any], channels: list[str], body: str | None,
              now: dt.datetime) -> bool:
        """Claim (rule, target) once; True the first time.

        With a ``body`` its deliveries are made at once; without one (a digest rule) the match waits.
        """
        with self._write() as conn:
            claimed = eng.insert_ignore(conn, watch_alerts, {
                "rule_id": rule_id, "target": target, "at": now, "payload": payload,
                "digest": target if body is not None else None,
            }, ("rule_id", "target"))
            if claimed and body is not None:
                self._add_deliveries(conn, rule_id, channels, target, body, now)
        return claimed

    def oldest_waiting(self) -> dict[int, dt.datetime]:
        """Per rule, when its oldest match waiting for a digest was claimed."""
        query = (sa.select(watch_alerts.c.rule_id, sa.func.min(watch_alerts.c.at))
                 .where(watch_alerts.c.digest.is_(None), watch_alerts.c.payload.is_not(None))
                 .group_by(watch_alerts.c.rule_id))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return {int(rid): _utc(at) for rid, at in rows if at is not None}

    def make_digest(self, rule_id: int, channels: list[str], now: dt.datetime,
                    build: Callable[[list[dict[str, Any]]], str]) -> str | None:
        """Fold every waiting match of a rule into one delivery per channel; its key, or None if none waited."""
        key = f"digest:{now.astimezone(dt.UTC).isoformat(timespec='microseconds')}"
        with self._write() as conn:
            rows = conn.execute(
                sa.select(watch_alerts.c.target, watch_alerts.c.payload)
                .where(watch_alerts.c.rule_id == rule_id, watch_alerts.c.digest.is_(None),
                       watch_alerts.c.payload.is_not(None))
                .order_by(watch_alerts.c.at, watch_alerts.c.target)
            ).all()
            if not rows:
                return None
            self._add_deliveries(conn, rule_id, channels, key, build([dict(r[1]) for r in rows]), now)
            conn.execute(watch_alerts.update()
                         .where(watch_alerts.c.rule_id == rule_id, watch_alerts.c.target.in_([r[0] for r in rows]))
                         .values(digest=key))
        return key

    # deliveries ---------------------------------------------------------------------------------
    def claim_due(self, now: dt.datetime, limit: int = 50) -> list[Delivery]:
        """Pending deliveries due at ``now``, leased so no other sender takes them meanwhile."""
        with self._write() as conn:
            rows = conn.execute(
                sa.select(watch_deliveries)
                .where(watch_deliveries.c.state == PENDING, watch_deliveries.c.next_attempt_at <= now)
                .order_by(watch_deliveries.c.next_attempt_at, watch_deliveries.c.id).limit(limit)
            ).mappings().all()
            if rows:
                lease = now + dt.timedelta(seconds=self.policy.lease_s)
                conn.execute(watch_deliveries.update().where(watch_deliveries.c.id.in_([r["id"] for r in rows]))
                             .values(next_attempt_at=lease))
        return [_delivery(r) for r in rows]

    def record(self, delivery: Delivery, *, ok: bool, status: int | None, error: str | None,
               now: dt.datetime) -> str:
        """Record one attempt; returns the delivery's new state."""
        attempts = delivery.attempts + 1
        if ok:
            values: dict[str, Any] = {"state": DELIVERED, "delivered_at": now, "next_attempt_at": None}
        elif attempts >= self.policy.max_attempts:
            values = {"state": DEAD, "next_attempt_at": None}
        else:
            values = {"state": PENDING, "next_attempt_at": now + self.policy.backoff(attempts)}
        values.update(attempts=attempts, last_attempt_at=now, last_status=status,
                      last_error=error[:2000] if error else None)
        with self._write() as conn:
            conn.execute(watch_deliveries.update().where(watch_deliveries.c.id == delivery.id,
                                                         watch_deliveries.c.state == PENDING).values(**values))
        return str(values["state"])

    def give_up(self, delivery: Delivery, reason: str, now: dt.datetime) -> None:
        with self._write() as conn:
            conn.execute(watch_deliveries.update().where(watch_deliveries.c.id == delivery.id).values(
                state=DEAD, next_attempt_at=None, last_attempt_at=now, last_error=reason[:2000]))

    def next_attempt(self) -> dt.datetime | None:
        """When the earliest pending delivery is due (leased ones included)."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(sa.func.min(watch_deliveries.c.next_attempt_at))
                                 .where(watch_deliveries.c.state == PENDING)).scalar()
        return _utc(found) if found is not None else None

    def deliveries(self, rule_id: int | None = None, state: str | None = None) -> list[Delivery]:
        query = sa.select(watch_deliveries).order_by(watch_deliveries.c.id)
        if rule_id is not None:
            query = query.where(watch_deliveries.c.rule_id == rule_id)
        if state is not None:
            query = query.where(watch_deliveries.c.state == state)
        with self.engine.connect() as conn:
            return [_delivery(r) for r in conn.execute(query).mappings()]

    def stats(self) -> dict[int, RuleStats]:
        """Per rule: matches, waiting for a digest, deliveries by state, last delivery, last failure."""
        out: dict[int, RuleStats] = {}
        with self.engine.connect() as conn:
            alerts = conn.execute(
                sa.select(watch_alerts.c.rule_id, sa.func.count(),
                          sa.func.sum(sa.case((watch_alerts.c.digest.is_(None) & watch_alerts.c.payload.is_not(None),
                                               1), else_=0)))
                .group_by(watch_alerts.c.rule_id)
            ).all()
            for rid, count, waiting in alerts:
                out[int(rid)] = RuleStats(matches=int(count), waiting=int(waiting or 0))
            rows = conn.execute(sa.select(watch_deliveries.c.rule_id, watch_deliveries.c.state,
                                          watch_deliveries.c.delivered_at, watch_deliveries.c.last_attempt_at,
                                          watch_deliveries.c.last_error)).all()
        for rid, state, delivered_at, attempt_at, error in rows:
            s = out.setdefault(int(rid), RuleStats())
            if state == DELIVERED:
                s.delivered += 1
                if delivered_at is not None and (s.last_delivered_at is None or delivered_at > s.last_delivered_at):
                    s.last_delivered_at = _utc(delivered_at)
            else:
                s.pending += state == PENDING
                s.failed += state == DEAD
            if error and attempt_at is not None and (s.last_error_at is None or attempt_at > s.last_error_at):
                s.last_error, s.last_error_at = error, _utc(attempt_at)
        return out


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
