"""``engine.insert_missing``: a straight COPY on PostgreSQL, redone the safe way when a key is taken."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from storekit import event, item

from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.store.tables import events, reports

_COLUMNS = ("content_hash", "report_id", "text", "ingested_at", "status", "toponyms")


def _rows(keys: list[str]) -> list[tuple[Any, ...]]:
    now = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
    return [(k, f"id {k}", f"text of {k}", now, "extracted", "[]") for k in keys]


def _stored_keys(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return sorted(conn.execute(sa.select(reports.c.content_hash)).scalars())


@pytest.mark.parametrize(
    ("stored", "batch"),
    [
        ([], ["a", "b", "c"]),  # nothing taken: the straight COPY path
        (["b"], ["a", "b", "c"]),  # a key in the middle is taken: redone, the others kept
        (["a", "b", "c"], ["a", "b", "c"]),  # every key taken: nothing inserted
        (["c"], (k for k in ["a", "b", "c"])),  # a generator (streamed rows) meeting a taken key
    ],
)
def test_insert_missing_inserts_exactly_the_new_keys(store: Store, stored: list[str], batch: Any) -> None:
    with store.transaction() as conn:
        eng.insert_missing(conn, reports, "content_hash", _COLUMNS, _rows(stored))
    keys = list(batch)
    with store.transaction() as conn:
        got = eng.insert_missing(conn, reports, "content_hash", _COLUMNS, iter(_rows(keys)))
        # the transaction goes on after a redone COPY: a later statement in it still works
        later = eng.insert_missing(conn, reports, "content_hash", _COLUMNS, _rows(["z"]))
    assert got == set(keys) - set(stored) and later == {"z"}
    assert _stored_keys(store) == sorted({*stored, *keys, "z"})


def test_an_empty_batch_inserts_nothing(store: Store) -> None:
    with store.transaction() as conn:
        assert eng.insert_missing(conn, reports, "content_hash", _COLUMNS, iter([])) == set()
    assert _stored_keys(store) == []


def test_a_key_another_writer_is_inserting_waits_for_it_then_is_skipped(backend: str, store: Store) -> None:
    if backend != "postgresql":
        pytest.skip("SQLite writers queue on one lock: no insert can be in flight meanwhile")
    done: dict[str, Any] = {}
    first = store.engine.connect()
    try:
        first.begin()
        eng.insert_missing(first, reports, "content_hash", _COLUMNS, _rows(["b"]))  # not committed yet

        def second() -> None:
            with store.transaction() as conn:
                done["keys"] = eng.insert_missing(conn, reports, "content_hash", _COLUMNS, _rows(["a", "b", "c"]))

        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)
        assert thread.is_alive()  # its COPY waits on the first writer's "b"
        first.commit()
        thread.join(30)
    finally:
        first.close()
    assert done["keys"] == {"a", "c"}  # "b" went in once, by the first writer
    assert _stored_keys(store) == ["a", "b", "c"]


@pytest.mark.parametrize("method", ["stage", "add"])
def test_a_batch_with_reports_stored_elsewhere_keeps_the_others(make_db: Callable[..., str], method: str) -> None:
    url = make_db()
    batch = [item(f"r{i}", [event(place="Aleppo" if i % 2 else "Idlib")]) for i in range(12)]
    with Store(url) as other:
        other.add([batch[3], batch[8]])  # another process stored two of them before
    with Store(url) as store:
        write = getattr(store, method)
        results = write(batch)
        assert [r.added for r in results] == [i not in (3, 8) for i in range(12)]
        again = write([item("next", [event(place="Kharkiv")])])  # the next call on the same connection
        assert again[0].added is True
        assert store.counts()["reports"] == 13
        assert store.merge_pending() == (11 if method == "stage" else 0)
        assert store.counts()["mentions"] == 13


def test_long_report_texts_are_stored_whole_and_lz4_compressed_on_postgresql(backend: str, store: Store) -> None:
    long_text = " ".join(f"Shelling hit district {i} of the city overnight, residents said." for i in range(80))
    report, content_hash, extraction = item("long", [event()])
    report.text = long_text  # ~5 kB: above PostgreSQL's 2 kB compression threshold
    store.stage([(report, content_hash, extraction)])
    assert store.report(content_hash).report.text == long_text
    if backend != "postgresql":
        return  # SQLite: migration 0010 has nothing to do
    with store.engine.connect() as conn:
        method = conn.exec_driver_sql(
            "SELECT pg_column_compression(text) FROM reports WHERE content_hash = %s", (content_hash,)
        ).scalar()
        settings = conn.exec_driver_sql(
            "SELECT attrelid::regclass::text, attname, attcompression FROM pg_attribute"
            " WHERE attrelid::regclass::text IN ('reports', 'pending', 'mentions', 'events') AND attcompression <> ''"
        ).all()
    assert method == "lz4"
    lz4 = sorted((t, c) for t, c, m in settings if m == "l")
    assert lz4 == [("events", "event"), ("mentions", "event"), ("pending", "events"), ("reports", "text"),
                   ("reports", "toponyms")]


def _events_by_id(store: Store) -> dict[int, tuple[str | None, int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.id, events.c.notes, events.c.version))
        return {r.id: (r.notes, r.version) for r in rows}


def test_bulk_update_sets_and_increments_only_its_own_rows(store: Store) -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=30 * i) for i in range(3)]  # apart: three events
    store.add([item(f"r{i}", [event(day=d)]) for i, d in enumerate(days)])
    a, b, c = sorted(_events_by_id(store))
    columns = ("id", "notes", "version")
    with store.transaction() as conn:
        eng.bulk_update(conn, events, "id", columns, [(a, "first", 2)], increments=("version",))
        # a second update in the same transaction: only its own rows (on PostgreSQL the staging table is emptied)
        eng.bulk_update(conn, events, "id", columns, [(b, "second", 1), (c, None, 0)], increments=("version",))
    assert _events_by_id(store) == {a: ("first", 3), b: ("second", 2), c: (None, 1)}
    with pytest.raises(RuntimeError), store.transaction() as conn:
        eng.bulk_update(conn, events, "id", columns, [(a, "lost", 5)], increments=("version",))
        raise RuntimeError("rolled back")  # on PostgreSQL this may undo the staging table's creation
    with store.transaction() as conn:  # the next update works (the table is made again when needed)
        eng.bulk_update(conn, events, "id", columns, [(c, "third", 1)], increments=("version",))
    assert _events_by_id(store) == {a: ("first", 3), b: ("second", 2), c: ("third", 2)}
