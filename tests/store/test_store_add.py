"""Writing reports: idempotence, whole-batch rollback, crash safety, concurrent writers, notices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing as mp
import os
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from storekit import event, item

from tocsin.errors import NotFound, StoreError
from tocsin.model import Area, Claim, Location, Notice, Span, Toponym
from tocsin.store import Store, bulk
from tocsin.store.tables import notices


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def _batch(prefix: str, n: int, start: int = 0) -> list:
    """``n`` reports of distinct events (3 days apart from ``start``) so none of them merge."""
    first = dt.date(2024, 1, 1) + dt.timedelta(days=start)
    return [item(f"{prefix}{i}", [event(day=first + dt.timedelta(days=3 * i))]) for i in range(n)]


def test_readding_is_idempotent(store: Store) -> None:
    batch = _batch("r", 3)
    first = store.add(batch)
    before = store.counts()
    again = store.add(batch)
    assert [r.added for r in first] == [True, True, True]
    assert [r.added for r in again] == [False, False, False]
    assert store.counts() == before
    assert before["reports"] == 3 and before["events"] == 3


def test_same_hash_twice_in_one_batch_is_stored_once(store: Store) -> None:
    one = item("dup")
    results = store.add([one, one])
    assert [r.added for r in results] == [True, False]
    assert store.counts()["reports"] == 1 and store.counts()["mentions"] == 1


def test_known_hashes_and_has_report(store: Store) -> None:
    a, b = item("a"), item("b")
    store.add([a])
    assert store.known_hashes([a[1], b[1]]) == {a[1]}
    assert store.has_report(a[1]) and not store.has_report(b[1])


def _bad(kind: str):
    good = item("bad")
    report, h, x = good
    if kind == "sub_event_type":
        x.events[0].sub_event_type = "Rocket party"
    elif kind == "event_type":
        x.events[0].event_type = "Protests"
    elif kind == "fatalities":
        x.events[0].fatalities = -2
    elif kind == "latitude":
        x.events[0].location = Location("Nowhere", 123.0, 10.0)
    elif kind == "unserialisable":
        x.events[0].claims = [Claim("x", "fatalities", {1, 2}, Span(0, 1))]
    elif kind == "long_id":
        report.id = "r" * 501
    elif kind == "hash":
        return report, "", x
    elif kind == "report":
        return "not a report", h, x
    elif kind == "shape":
        return (report, h)
    return report, h, x


@pytest.mark.parametrize(
    "kind",
    [
        "sub_event_type",  # not an ACLED sub-event type
        "event_type",  # event type does not hold the sub-type
        "fatalities",  # negative count
        "latitude",  # impossible coordinates
        "unserialisable",  # a claim value JSON cannot hold
        "long_id",  # wider than the column (PostgreSQL would refuse it; SQLite must too)
        "hash",  # empty content hash
        "report",  # not a Report record
        "shape",  # not a (Report, hash, Extraction) triple
    ],
)
def test_bad_record_rolls_back_the_whole_batch(store: Store, kind: str) -> None:
    store.add(_batch("early", 2))
    before = store.counts()
    batch = [*_batch("late", 2), _bad(kind), *_batch("later", 1)]
    with pytest.raises(StoreError) as err:
        store.add(batch)
    assert err.value.code == "T209"
    assert store.counts() == before  # nothing from the failed batch, earlier batch intact
    assert store.add(_batch("late", 2))[0].added  # and it can be written afterwards


def _writer(path: str, die_after: int | None) -> None:
    """Child process: write batch A, then batch B, dying with os._exit in the middle of B if asked."""
    store = Store(path)
    store.add(_batch("a", 3))
    if die_after is not None:
        calls = {"n": 0}
        real = bulk._best  # called once per mention being merged

        def dying(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] > die_after:
                os._exit(17)
            return real(*args, **kwargs)

        bulk._best = dying
    store.add(_batch("b", 4, start=100))
    os._exit(0)


def test_killed_writer_leaves_whole_batches_and_a_rerun_completes(tmp_path: Path) -> None:
    path = str(tmp_path / "crash.db")
    Store(path).close()
    child = mp.get_context("fork").Process(target=_writer, args=(path, 2))
    child.start()
    child.join(60)
    assert child.exitcode == 17
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(path) as store:
        assert store.counts()["reports"] == 3  # batch A only; B vanished whole
        results = store.add([*_batch("a", 3), *_batch("b", 4, start=100)])
        assert [r.added for r in results] == [False] * 3 + [True] * 4
        counts = store.counts()
    assert counts["reports"] == 7 and counts["mentions"] == 7 and counts["events"] == 7


def _same_reports(path: str) -> None:
    Store(path).add(_batch("shared", 20))
    os._exit(0)


def test_processes_creating_and_filling_one_file_at_once_store_each_hash_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")  # not created yet: the processes also race to create the schema
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_same_reports, args=(path,)) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    with Store(path) as store:
        counts = store.counts()
    assert counts["reports"] == 20 and counts["mentions"] == 20 and counts["events"] == 20


def test_report_round_trip_and_status(store: Store) -> None:
    toponym = Toponym("Aleppo", 10, 16, latitude=36.2, longitude=37.1, geonames_id=170063)
    r, h, x = item("kept")
    x.toponyms = [toponym]
    skipped = item("fr", [], skipped="language fr is not supported")
    store.add([(r, h, x), skipped])
    got = store.report(h)
    assert got.report == r and got.status == "extracted" and got.toponyms == [toponym]
    assert len(got.event_ids) == 1
    assert store.report(skipped[1]).status == "skipped"
    assert store.report(skipped[1]).skipped_reason == "language fr is not supported"
    assert [s.content_hash for s in store.reports(status="skipped")] == [skipped[1]]
    with pytest.raises(NotFound) as err:
        store.report("feedface")
    assert err.value.code == "T204"
    assert store.report_toponyms([h, skipped[1], h]) == {h: [toponym], skipped[1]: []}
    with pytest.raises(NotFound) as err:
        store.report_toponyms([h, "feedface"])
    assert err.value.code == "T204"


def test_notices_are_stored_with_utc_windows(store: Store) -> None:
    curfew = Notice(
        "curfew",
        areas=[Area("Kharkiv", 49.99, 36.23)],
        start=dt.datetime(2024, 3, 1, 22, 0),  # naive local time
        end=dt.datetime(2024, 3, 2, 5, 0),
        recurring="daily",
        timezone="Europe/Kyiv",
        evidence=Span(0, 6, "Curfew"),
    )
    order = Notice("evacuation_order", areas=[Area("Atarib")], start=dt.date(2024, 3, 2))
    store.add([item("n1", notices=[curfew, order])])
    later = item("n2", notices=[dataclasses.replace(order, kind="deadline")])
    store.add([later])
    stored = store.notices()
    assert [s.notice.kind for s in stored] == ["curfew", "evacuation_order", "deadline"]
    assert stored[0].notice.start == curfew.start and stored[0].notice.areas == curfew.areas
    assert stored[0].notice.report_id == "n1"
    assert [s.notice.kind for s in store.notices(kind="curfew")] == ["curfew"]
    assert [s.notice.kind for s in store.notices(after_id=stored[1].id)] == ["deadline"]
    by_report = store.report_notices([later_hash := stored[2].report_hash, stored[0].report_hash, "feedface"])
    assert list(by_report) == [later_hash, stored[0].report_hash, "feedface"]
    assert [s.id for s in by_report[stored[0].report_hash]] == [stored[0].id, stored[1].id]
    assert [s.notice.kind for s in by_report[later_hash]] == ["deadline"] and by_report["feedface"] == []
    assert by_report[later_hash][0] == stored[2]
    with store.engine.connect() as conn:
        windows = conn.execute(sa.select(notices.c.starts_at, notices.c.ends_at).order_by(notices.c.id)).all()
    assert windows[0] == (utc(2024, 3, 1, 20), utc(2024, 3, 2, 3))  # 22:00-05:00 in Kyiv (UTC+2)
    assert windows[1] == (utc(2024, 3, 2, 0), None)  # a bare day starts at midnight


def test_transaction_for_other_modules_commits_or_rolls_back_whole(store: Store) -> None:
    store.add([item("kept", notices=[Notice("curfew")])])
    with pytest.raises(StoreError) as err, store.transaction() as conn:
        conn.execute(sa.delete(notices))
        conn.execute(sa.text("SELECT no_such_column FROM notices"))
    assert err.value.code == "T209"
    assert store.counts()["notices"] == 1  # the delete was rolled back
    with store.transaction() as conn:
        conn.execute(sa.delete(notices))
    assert store.counts()["notices"] == 0
