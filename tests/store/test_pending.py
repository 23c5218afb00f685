"""The write-behind path: ``Store.stage`` now, ``Store.merge_pending`` later == ``Store.add``; mergers in parallel."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing as mp
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from storekit import event, happenings, item, run_processes, stage_in_batches
from test_write_path import _corpus, _stored
from typer.testing import CliRunner

from tocsin.cli import app
from tocsin.errors import InputError, StoreError
from tocsin.model import Notice, to_dict
from tocsin.store import Store


def _claims(store: Store) -> list[Any]:
    """Every merged event's claims and sources, and every mention's stored JSON, in a stable order."""
    return [
        (s.id, to_dict(s.event)["claims"], s.event.sources, [to_dict(m.event) for m in s.mentions])
        for s in store.events()
    ]


@pytest.mark.parametrize(
    ("stage_batch", "merge_batch"),
    [
        (40, 7),  # merge chunks smaller than the staged batches, cutting across them
        (40, 2000),  # everything merged in one chunk
        (1, 1),  # one report per call and per chunk
    ],
)
def test_stage_then_merge_equals_add(make_db: Callable[..., str], stage_batch: int, merge_batch: int) -> None:
    corpus = _corpus(160)
    added, staged = Store(make_db()), Store(make_db())
    try:
        want: list[Any] = []
        got: list[Any] = []
        for i in range(0, len(corpus), 40):
            want += added.add(corpus[i : i + 40])
        for i in range(0, len(corpus), stage_batch):
            got += staged.stage(corpus[i : i + stage_batch])
        # the same reports kept and skipped; no event ids yet, but every event is waiting
        kept = [(r.content_hash, r.added, r.notices) for r in want]
        assert [(r.content_hash, r.added, r.notices) for r in got] == kept
        assert [r.pending for r in got] == [len(r.event_ids) for r in want]
        assert all(r.event_ids == [] and r.merged == 0 for r in got)
        waiting = staged.pending()
        assert (waiting.reports, waiting.events) == (sum(bool(r.pending) for r in got), sum(r.pending for r in got))
        merged = staged.merge_pending(batch=merge_batch)
        assert merged == waiting.events == sum(len(r.event_ids) for r in want)
        assert _stored(staged) == _stored(added)  # ids, versions, merged events, mentions: identical
        assert _claims(staged) == _claims(added)
        assert staged.counts() == added.counts()
        assert staged.counts()["pending"] == 0 and staged.pending().events == 0
        assert staged.merge_pending() == 0  # nothing left
    finally:
        added.close()
        staged.close()


def test_staged_events_are_invisible_until_merged(store: Store) -> None:
    notice = Notice("curfew", start=dt.datetime(2024, 3, 2, 18, 0), timezone="Asia/Damascus")
    triple = item("r1", [event(), event("Armed clash", place="Idlib")], notices=[notice])
    [result] = store.stage([triple])
    assert (result.added, result.pending, result.notices, result.event_ids) == (True, 2, 1, [])
    assert store.events() == [] and store.count_events() == 0
    assert store.report(triple[1]).event_ids == []  # the report is stored; its events are not merged yet
    assert [n.notice.kind for n in store.notices()] == ["curfew"]  # notices are written at once
    assert store.merge_pending() == 2
    assert [len(e.mentions) for e in store.events()] == [1, 1]
    assert len(store.report(triple[1]).event_ids) == 2


def test_stage_skips_stored_and_repeated_reports(store: Store) -> None:
    a, b, c = item("a"), item("b", [event(day=dt.date(2024, 5, 1))]), item("c", [])
    store.add([a])
    results = store.stage([a, b, b, c])
    assert [(r.added, r.pending) for r in results] == [(False, 0), (True, 1), (False, 0), (True, 0)]
    assert store.stage([b])[0].added is False  # staged before: stored, so skipped
    assert store.counts()["pending"] == 1  # c has no events: nothing to merge, no row
    assert store.merge_pending() == 1
    assert store.counts()["reports"] == 3 and store.counts()["mentions"] == 2


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        (event(fatalities=-1), "fatalities"),  # a negative count
        (dataclasses.replace(event(), sub_event_type="Looting"), "sub_event_type"),  # not an ACLED sub-event type
        ("not an event", "not an Event"),  # not a record at all
    ],
)
def test_a_bad_record_stages_nothing(store: Store, bad: Any, fragment: str) -> None:
    with pytest.raises(StoreError) as err:
        store.stage([item("ok"), item("bad", [event(), bad])])
    assert err.value.code == "T209" and fragment in err.value.message and "'bad'" in err.value.message
    assert store.counts()["reports"] == 0 and store.counts()["pending"] == 0  # all or nothing


def test_merge_batch_must_be_positive(store: Store) -> None:
    with pytest.raises(InputError):
        store.merge_pending(batch=0)


def test_progress_is_called_per_chunk(store: Store) -> None:
    store.stage([item(f"r{i}", [event(day=dt.date(2024, 1, 1) + dt.timedelta(days=3 * i))]) for i in range(5)])
    seen: list[int] = []
    assert store.merge_pending(batch=2, progress=seen.append) == 5
    assert seen == [2, 2, 1]


def test_a_failing_merge_leaves_its_chunk_pending(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from tocsin.store import bulk

    store.stage(happenings(0, 30))
    real, calls = bulk._update_joined, [0]

    def failing(*args: Any) -> None:
        calls[0] += 1
        if calls[0] == 2:
            raise sa.exc.OperationalError("UPDATE events", {}, Exception("disk full"))
        real(*args)

    monkeypatch.setattr(bulk, "_update_joined", failing)
    with pytest.raises(StoreError) as err:
        store.merge_pending(batch=9)
    assert "disk full" in err.value.message
    assert store.pending().reports == 21  # the first chunk of 9 is merged; the failed one stays whole
    assert store.counts()["mentions"] == 9
    monkeypatch.setattr(bulk, "_update_joined", real)
    assert store.merge_pending(batch=9) == 21
    assert sorted(len(e.mentions) for e in store.events()) == [3] * 10


_KILLED_MERGE = """
import sys, time
from tocsin.store import bulk, engine

real, calls = engine.bulk_insert, [0]

def slow(conn, table, *args, **kwargs):
    real(conn, table, *args, **kwargs)
    if table.name == "mentions":
        calls[0] += 1
        if calls[0] == 3:  # two chunks committed; the third written but not committed
            print("half-way", flush=True)
            time.sleep(120)

bulk.eng.bulk_insert = slow
from tocsin.store import Store
Store(sys.argv[1]).merge_pending(batch=5)
"""


def test_merge_killed_half_way_leaves_its_chunk_pending_and_reruns(make_db: Callable[..., str]) -> None:
    url, reference = make_db(), make_db()
    items = happenings(0, 30)
    with Store(url) as store:
        store.stage(items)
    with Store(reference) as store:
        store.add(items)
    with subprocess.Popen([sys.executable, "-c", _KILLED_MERGE, url], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "half-way"
        finally:
            proc.kill()  # SIGKILL: no clean-up, no rollback from the client
            proc.wait(timeout=30)
    with Store(url) as store:
        assert store.pending().reports == 20 and store.counts()["mentions"] == 10  # two whole chunks, no more
        assert store.merge_pending(batch=5) == 20
        with Store(reference) as want:  # ids aside (PostgreSQL sequences do not roll back), the same events
            assert [s[1:4] for s in _stored(store)] == [s[1:4] for s in _stored(want)]


def _merge(url: str, out: Any, barrier: Any) -> None:
    with Store(url) as store:
        barrier.wait(30)
        out.put(store.merge_pending(batch=4))


def test_overlapping_stagers_store_each_report_once(make_db: Callable[..., str]) -> None:
    url = make_db()
    run_processes(stage_in_batches, [(url, 0, 45, 5), (url, 22, 68, 7), (url, 45, 90, 5), (url, 0, 22, 3)])
    with Store(url) as store:
        assert store.counts()["reports"] == 90
        assert store.pending().reports == 90 and store.pending().events == 90  # one pending row per report
        assert store.merge_pending() == 90
        assert sorted(len(e.mentions) for e in store.events()) == [3] * 30


def test_two_merging_processes_merge_every_row_once(backend: str, make_db: Callable[..., str]) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite writers queue on one lock: parallel mergers are a PostgreSQL question")
    url = make_db()
    with Store(url) as store:
        store.stage(happenings(0, 150))
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    run_processes(_merge, [(url, out), (url, out)])
    done = [out.get(timeout=5), out.get(timeout=5)]
    assert sum(done) == 150 and min(done) > 0  # both took part, neither merged a row twice
    with Store(url) as store:
        assert store.pending().reports == 0
        assert store.counts()["mentions"] == 150
        assert sorted(len(e.mentions) for e in store.events()) == [3] * 50  # merged as one writer would


def test_cli_status_and_merge(store: Store) -> None:
    store.stage(happenings(0, 6))
    url = store.url if store.engine.dialect.name == "sqlite" else store.engine.url.render_as_string(False)
    runner = CliRunner()
    status = runner.invoke(app, ["db", "status", "--db", url])
    assert status.exit_code == 0, status.output
    assert "pending: 6 events of 6 staged reports" in status.output and "tocsin db merge" in status.output
    merged = runner.invoke(app, ["db", "merge", "--db", url, "--batch", "4"])
    assert merged.exit_code == 0, merged.output
    assert "merged 6 staged events; 0 pending" in merged.output
    assert "pending: none" in runner.invoke(app, ["db", "status", "--db", url]).output
    assert [len(e.mentions) for e in store.events()] == [3, 3]


@pytest.mark.parametrize(
    ("method", "warm"),
    [
        ("stage", False),  # the first write of the connection fails after its reports went in
        ("stage", True),  # a write succeeded before on the same connection, then one fails
        ("add", False),  # add inserts its reports the same way
    ],
)
def test_a_call_rolled_back_after_its_reports_went_in_leaves_nothing(store: Store, method: str, warm: bool) -> None:
    write = getattr(store, method)
    if warm:
        write([item("first", [])])  # no events: no pending row
    good = item("ok", [event()])
    bad = item("bad", [event(place="Idlib")], notices=["not a notice"])  # type: ignore[list-item]
    with pytest.raises(StoreError) as err:
        write([good, bad])  # the notice is refused after both reports were inserted
    assert err.value.code == "T209" and "not a Notice" in err.value.message
    assert store.counts()["reports"] == int(warm) and store.counts()["pending"] == 0
    [again] = write([good])  # the same connection writes the report afterwards, once
    assert again.added is True and store.counts()["reports"] == 1 + int(warm)
    assert write([good])[0].added is False


def test_later_chunks_reuse_the_mentions_earlier_chunks_decoded(
    make_db: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tocsin.store import bulk

    corpus = _corpus(120, seed=5)  # a quarter repeat an earlier report's event: later chunks join earlier events
    added, staged, plain = Store(make_db()), Store(make_db()), Store(make_db())
    real, real_get = bulk.event_from_dict, bulk.MentionMemo.get
    decoded, reused, memo_on = [0], [0], [True]

    def counting(d: Any) -> Any:
        decoded[0] += 1
        return real(d)

    def get(self: bulk.MentionMemo, report_hash: str, ordinal: int) -> Any:
        found = real_get(self, report_hash, ordinal) if memo_on[0] else None
        reused[0] += found is not None
        return found

    try:
        for i in range(0, len(corpus), 40):
            added.add(corpus[i : i + 40])
            staged.stage(corpus[i : i + 40])
            plain.stage(corpus[i : i + 40])
        monkeypatch.setattr(bulk, "event_from_dict", counting)
        monkeypatch.setattr(bulk.MentionMemo, "get", get)
        memo_on[0] = False
        plain.merge_pending(batch=10)  # the memo never answers: every stored mention joined is decoded
        without, decoded[0] = decoded[0], 0
        memo_on[0] = True
        staged.merge_pending(batch=10)
        # each stored mention the memo gave was one decode fewer; the result is add's
        assert reused[0] > 0
        assert decoded[0] == without - reused[0]
        assert _stored(staged) == _stored(added) == _stored(plain)
        assert _claims(staged) == _claims(added)
    finally:
        added.close()
        staged.close()
        plain.close()


def test_the_memo_keeps_the_current_and_the_previous_chunk_only() -> None:
    from tocsin.store.bulk import MentionMemo

    memo, first, second = MentionMemo(), event(), event("Armed clash")
    memo.put("h1", 0, first)
    memo.next_chunk()
    memo.put("h2", 0, second)
    assert memo.get("h1", 0) is first and memo.get("h2", 0) is second  # the previous chunk's and this one's
    assert memo.get("h1", 1) is None  # another ordinal of the same report: not known
    memo.next_chunk()
    assert memo.get("h1", 0) is None and memo.get("h2", 0) is second  # two chunks back: dropped
