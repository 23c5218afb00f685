"""The delivery worker: POST each pending delivery's CAP message to its webhook, signed, with retries.

At-least-once: a delivery is leased (its next attempt pushed past a lease) before the POST and only
marked ``delivered`` after a 2xx answer, so a crash mid-send means it is sent again after the lease.
Receivers de-duplicate with ``X-Tocsin-Delivery`` (one id per subscription and message).
Failures back off exponentially (``base_delay_s * 2**(attempt-1)``, capped); after ``max_attempts``
tries the delivery is ``dead`` and its record (attempts, last status, last error) is kept.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from tocsin.warnings.store import WarningStore
from tocsin.warnings.subscriptions import sign

__all__ = ["DeliveryOutcome", "DeliveryWorker", "http_post"]

#: ``post(url, body, headers, timeout_s) -> HTTP status``; raises OSError on network failure.
Poster = Callable[[str, bytes, dict[str, str], float], int]


def http_post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
    """POST with the standard library (no redirects followed beyond urllib's defaults)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (http/https checked)
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code


@dataclass(frozen=True)
class DeliveryOutcome:
    delivery_id: str
    url: str
    ok: bool
    status: int | None
    error: str | None
    dead: bool


class DeliveryWorker:
    """Sends the outbox of a WarningStore."""

    def __init__(
        self,
        store: WarningStore,
        *,
        max_attempts: int = 8,
        base_delay_s: float = 2.0,
        max_delay_s: float = 3600.0,
        timeout_s: float = 10.0,
        lease_s: float = 120.0,
        post: Poster = http_post,
    ) -> None:
        self.store = store
        self.max_attempts = max_attempts
        self.base_delay_s = base_delay_s
        self.max_delay_s = max_delay_s
        self.timeout_s = timeout_s
        self.lease = dt.timedelta(seconds=max(lease_s, timeout_s * 2))
        self.post = post

    def backoff(self, attempts: int) -> dt.timedelta:
        """The wait after the ``attempts``-th failed try."""
        return dt.timedelta(seconds=min(self.max_delay_s, self.base_delay_s * 2 ** (attempts - 1)))

    def run_once(self, now: dt.datetime | None = None, limit: int = 50) -> list[DeliveryOutcome]:
        """Send every delivery due at ``now`` (up to ``limit``); returns what happened to each."""
        now = now or dt.datetime.now(dt.UTC)
        outcomes = []
        for delivery, secret, body in self.store.claim_due(now, self.lease, limit):
            headers = {
                "Content-Type": "application/cap+xml; charset=utf-8",
                "X-Tocsin-Signature": sign(secret, body),
                "X-Tocsin-Delivery": delivery.id,
                "Idempotency-Key": delivery.idempotency_key,
                "User-Agent": "tocsin-webhook/1",
            }
            status: int | None = None
            error: str | None = None
            try:
                status = self.post(delivery.url, body, headers, self.timeout_s)
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except (OSError, ValueError) as exc:
                error = f"{type(exc).__name__}: {exc}"
            ok = error is None
            attempts = delivery.attempts + 1
            finished = dt.datetime.now(dt.UTC) if now is None else max(now, dt.datetime.now(dt.UTC))
            dead = not ok and attempts >= self.max_attempts
            retry_at = None if ok or dead else finished + self.backoff(attempts)
            self.store.record_attempt(delivery.id, ok=ok, status=status, error=error, now=finished, retry_at=retry_at)
            outcomes.append(DeliveryOutcome(delivery.id, delivery.url, ok, status, error, dead))
        return outcomes

    def run(self, *, until_idle: bool = True, poll_s: float = 1.0, stop_after_s: float | None = None) -> int:
        """Keep sending; with ``until_idle`` return once nothing is pending. Returns the number of attempts."""
        started = time.monotonic()
        attempts = 0
        while True:
            attempts += len(self.run_once())
            pending = self.store.deliveries(state="pending")
            if until_idle and not pending:
                return attempts
            if stop_after_s is not None and time.monotonic() - started >= stop_after_s:
                return attempts
            now = dt.datetime.now(dt.UTC)
            due = min((d.next_attempt_at for d in pending), default=now + dt.timedelta(seconds=poll_s))
            time.sleep(min(poll_s, max(0.0, (due - now).total_seconds())) or 0.001)
