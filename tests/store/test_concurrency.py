"""Many writers on one PostgreSQL (and SQLite): overlapping ingests, version conflicts, the outbox."""

from __future__ import annotations

import multiprocessing as mp
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from storekit import add_in_batches, happenings, item, run_processes

from tocsin.errors import ConflictError
from tocsin.store import Store


def test_overlapping_ingests_by_several_processes_store_each_report_once(make_db: Callable[..., str]) -> None:
    url = make_db()
    # four processes over 0..90, each range overlapping its neighbours' by half: every report is sent 2x
    ranges = [(url, 0, 45, 5), (url, 22, 68, 7), (url, 45, 90, 5), (url, 0, 22, 3), (url, 68, 90, 4)]
    run_processes(add_in_batches, ranges)
    with Store(url) as store:
        counts = store.counts()
        assert counts["reports"] == 90  # distinct reports, though most were ingested twice at once
        assert counts["mentions"] == 90
        assert counts["events"] == 30  # three sources of each happening merged, whoever wrote first
        assert sorted(len(e.mentions) for e in store.events()) == [3] * 30


def _correct(url: str, event_id: int, version: int, value: int, barrier: Any, out: Any) -> None:
    with Store(url) as store:
        barrier.wait(30)
        try:
            store.correct(event_id, "fatalities", value, who=f"editor {value}", expected_version=version)
            out.put("ok")
        except ConflictError as exc:
            out.put(exc.code)


def test_two_editors_on_one_version_one_wins_one_gets_a_conflict(make_db: Callable[..., str]) -> None:
    url = make_db()
    with Store(url) as store:
        event_id = store.add([item("a")])[0].event_ids[0]
        version = store.event(event_id).version
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_correct, args=(url, event_id, version, v, barrier, out)) for v in (11, 22)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert sorted(out.get(timeout=5) for _ in procs) == ["T203", "ok"]
    with Store(url) as store:
        log = store.corrections(event_id)
        assert len(log) == 1  # the loser wrote nothing
        assert store.event(event_id).event.fatalities == log[0].after  # the winner's value, not overwritten


def test_outbox_drained_by_several_workers_sends_each_delivery_once(make_db: Callable[..., str]) -> None:
    from warnkit import make_warning

    from tocsin.warnings.outbox import DeliveryWorker
    from tocsin.warnings.store import WarningStore

    url = make_db()
    n = 40
    with Store(url) as store:
        ws = WarningStore(store)
        for i in range(n):
            ws.add_subscription(f"http://127.0.0.1:9/hook/{i}", "s3cret", point="50.05,30.05", radius_km=1.0)
        ws.create(make_warning(), who="alice")
        ws.publish("tocsin-test-1", operator="bob")
        assert len(ws.deliveries(state="pending")) == n
    sent: list[str] = []
    lock = threading.Lock()

    def post(url: str, body: bytes, headers: dict[str, str], timeout_s: float) -> int:
        with lock:
            sent.append(headers["X-Tocsin-Delivery"])
        return 200

    def work() -> None:
        with Store(url) as own:  # each worker its own connections, as separate processes would have
            worker = DeliveryWorker(WarningStore(own), post=post)
            while worker.run_once(limit=3):
                pass

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(sent) == n and max(Counter(sent).values()) == 1  # every delivery once, none twice
    with Store(url) as store:
        assert len(WarningStore(store).deliveries(state="delivered")) == n


@pytest.mark.parametrize("batch", [1, 50])  # one report per transaction; all in one
def test_batched_and_one_by_one_writes_give_the_same_events(make_db: Callable[..., str], batch: int) -> None:
    url = make_db()
    items = happenings(0, 30)
    with Store(url) as store:
        for i in range(0, len(items), batch):
            store.add(items[i : i + batch])
        got = [(e.id, len(e.mentions), e.event.fatalities, e.version) for e in store.events()]
    assert [g[1] for g in got] == [3] * 10
    assert [g[3] for g in got] == [3] * 10  # created, then rebuilt once per joining mention
