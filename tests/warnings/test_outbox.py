"""Webhook delivery against a real loopback HTTP receiver: signatures, retries, dead letters, restarts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warnkit import make_warning

from tocsin.store import Store
from tocsin.warnings.outbox import DeliveryWorker
from tocsin.warnings.store import WarningStore

SECRET = "s3cret"


@dataclass
class Receiver:
    """A webhook receiver: answers each POST with the next status of its plan (then the last one)."""

    plan: list[int] = field(default_factory=lambda: [200])
    delay_s: float = 0.0
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(({k: v for k, v in self.headers.items()}, body))
            time.sleep(state.delay_s)
            status = state.plan[min(len(state.received) - 1, len(state.plan) - 1)]
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _publish_with_subscriber(ws: WarningStore, url: str) -> None:
    ws.add_subscription(url, SECRET, point="50.05,30.05", radius_km=1.0)
    ws.create(make_warning(), who="alice")
    ws.publish("tocsin-test-1", operator="bob")


def test_delivery_is_signed_and_recorded(warning_store: WarningStore, receiver: Receiver) -> None:
    _publish_with_subscriber(warning_store, receiver.url)
    outcomes = DeliveryWorker(warning_store).run_once()
    assert [o.ok for o in outcomes] == [True]
    headers, body = receiver.received[0]
    assert body == warning_store.cap_xml("tocsin-test-1")
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Tocsin-Signature"], expected)
    delivery = warning_store.deliveries()[0]
    assert headers["X-Tocsin-Delivery"] == delivery.id
    assert headers["Content-Type"].startswith("application/cap+xml")
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("delivered", 1, 200)


def test_failures_are_retried_with_backoff(warning_store: WarningStore, receiver: Receiver) -> None:
    receiver.plan = [500, 503, 200]
    _publish_with_subscriber(warning_store, receiver.url)
    worker = DeliveryWorker(warning_store, base_delay_s=0.05)
    assert worker.backoff(1) == dt.timedelta(seconds=0.05) and worker.backoff(3) == dt.timedelta(seconds=0.2)
    first = worker.run_once()
    assert [o.status for o in first] == [500]
    assert worker.run_once() == []  # not due yet: it waits its backoff
    worker.run(until_idle=True, poll_s=0.02, stop_after_s=10)
    delivery = warning_store.deliveries()[0]
    assert (delivery.state, delivery.attempts) == ("delivered", 3)
    ids = {h["X-Tocsin-Delivery"] for h, _ in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # the same delivery id each time (idempotency)


def test_webhook_failing_forever_is_dead_and_kept(warning_store: WarningStore, receiver: Receiver) -> None:
    receiver.plan = [500]
    _publish_with_subscriber(warning_store, receiver.url)
    DeliveryWorker(warning_store, max_attempts=3, base_delay_s=0.01).run(until_idle=True, poll_s=0.01, stop_after_s=10)
    delivery = warning_store.deliveries()[0]
    assert (delivery.state, delivery.attempts, delivery.last_status) == ("dead", 3, 500)
    assert delivery.last_error == "HTTP 500"
    assert len(receiver.received) == 3
    assert warning_store.get("tocsin-test-1").state == "published"  # the warning itself is untouched


def test_unreachable_webhook_records_the_error(warning_store: WarningStore) -> None:
    _publish_with_subscriber(warning_store, "http://127.0.0.1:9/closed")
    outcome = DeliveryWorker(warning_store, max_attempts=1, timeout_s=2).run_once()[0]
    assert not outcome.ok and outcome.dead and outcome.error
    assert warning_store.deliveries()[0].state == "dead"


def test_slow_webhook_times_out_and_is_retried(warning_store: WarningStore, receiver: Receiver) -> None:
    receiver.delay_s = 1.0
    _publish_with_subscriber(warning_store, receiver.url)
    outcome = DeliveryWorker(warning_store, timeout_s=0.2).run_once()[0]
    assert not outcome.ok and not outcome.dead and "timed out" in (outcome.error or "")
    assert warning_store.deliveries()[0].state == "pending"


def test_pending_delivery_survives_a_restart(tmp_path: Path, receiver: Receiver) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        _publish_with_subscriber(WarningStore(store), receiver.url)
    assert receiver.received == []  # the process "stopped" before any delivery
    with Store(path) as store:
        ws = WarningStore(store)
        DeliveryWorker(ws).run_once()
        assert ws.deliveries()[0].state == "delivered"
    assert len(receiver.received) == 1


def test_a_crash_mid_send_means_it_is_sent_again_after_the_lease(
    warning_store: WarningStore, receiver: Receiver
) -> None:
    _publish_with_subscriber(warning_store, receiver.url)
    now = dt.datetime.now(dt.UTC)
    claimed = warning_store.claim_due(now, dt.timedelta(seconds=60))
    assert len(claimed) == 1  # leased, then the worker "crashes" without recording anything
    worker = DeliveryWorker(warning_store)
    assert worker.run_once(now=now + dt.timedelta(seconds=30)) == []  # still leased
    outcomes = worker.run_once(now=now + dt.timedelta(seconds=61))
    assert [o.ok for o in outcomes] == [True]
    assert receiver.received[0][0]["X-Tocsin-Delivery"] == claimed[0][0].id


def test_delivery_to_a_removed_subscription_is_dead(warning_store: WarningStore, receiver: Receiver) -> None:
    _publish_with_subscriber(warning_store, receiver.url)
    warning_store.remove_subscription(warning_store.deliveries()[0].subscription_id)
    assert DeliveryWorker(warning_store).run_once() == []
    delivery = warning_store.deliveries()[0]
    assert (delivery.state, delivery.last_error) == ("dead", "subscription removed")
    assert receiver.received == []
