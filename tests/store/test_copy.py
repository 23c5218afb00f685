"""``copy_store`` / ``tocsin db copy``: SQLite -> PostgreSQL -> SQLite keeps every row (same checksums)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from storekit import event, item
from typer.testing import CliRunner

from tocsin.errors import StoreError
from tocsin.model import Notice, Place
from tocsin.store import Store
from tocsin.store.copy import copy_store, table_checksums


def _fill(store: Store) -> None:
    """Some of everything: merged and split events, a correction, notices, a user place."""
    notice = Notice(kind="curfew", start=dt.datetime(2024, 3, 1, 20, tzinfo=dt.UTC), report_id="n")
    store.add([item("a"), item("b", source="Other"), item("c", [event("Attack", place="Kharkiv")]),
               item("n", [], notices=[notice]), item("s", [event("Armed clash", place="Idlib")])])
    store.add([item("d", [event("Armed clash", place="Idlib")], source="Third")])
    first = store.events()[0]
    store.correct(first.id, "fatalities", 7, who="editor", reason="hospital list")
    split = next(e for e in store.events() if e.event.event_type == "Battles")
    store.split(split.id, who="editor")
    store.add_places([Place(None, "Bustan al-Qasr", 36.19, 37.14, "SY", "Syria", "Aleppo", parent="Aleppo")])


def _checksums(url: str) -> dict[str, Any]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = table_checksums(conn)
    engine.dispose()
    return found


def test_round_trip_sqlite_postgresql_sqlite_keeps_identical_checksums(tmp_path: Path, pg: Any) -> None:
    first = f"sqlite:///{tmp_path / 'first.db'}"
    with Store(first) as store:
        _fill(store)
        events_before = [(e.id, e.event, e.version) for e in store.events()]
    middle = pg.new(migrated=False)
    last = f"sqlite:///{tmp_path / 'last.db'}"
    there = copy_store(first, middle)
    back = copy_store(middle, last)
    assert there.verified and back.verified
    assert {t.table: t.checksum for t in there.tables} == {t.table: t.checksum for t in back.tables}
    assert _checksums(first) == _checksums(last) == _checksums(middle)
    counts = {t.table: t.rows for t in there.tables}
    assert counts["reports"] == 6 and counts["corrections"] >= 3 and counts["places"] == 1 and counts["notices"] == 1
    with Store(middle) as copied:  # the copy works as a store: same events, and new ids follow the old
        assert [(e.id, e.event, e.version) for e in copied.events()] == events_before
        new_id = copied.add([item("z", [event("Protest with intervention", place="Suva")])])[0].event_ids[0]
        assert new_id > max(i for i, _, _ in events_before)


def test_non_empty_destination_is_refused_and_left_alone(make_db: Any, tmp_path: Path) -> None:
    src = f"sqlite:///{tmp_path / 'src.db'}"
    with Store(src) as store:
        _fill(store)
    dst = make_db()
    with Store(dst) as store:
        store.add([item("already-there")])
    with pytest.raises(StoreError) as err:
        copy_store(src, dst)
    assert err.value.code == "T211" and "not empty" in err.value.message
    with Store(dst) as store:
        assert store.counts()["reports"] == 1


def test_a_failed_copy_leaves_the_destination_empty(make_db: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from tocsin.store import copy as copy_module

    src = f"sqlite:///{tmp_path / 'src.db'}"
    with Store(src) as store:
        _fill(store)
    dst = make_db()
    real = copy_module._copy_table

    def lossy(read: Any, write: Any, table: sa.Table) -> None:
        real(read, write, table)
        if table.name == "mentions":
            write.execute(sa.delete(table).where(table.c.id == 1))  # one row lost on the way

    monkeypatch.setattr(copy_module, "_copy_table", lossy)
    with pytest.raises(StoreError) as err:
        copy_store(src, dst)
    assert err.value.code == "T212" and "mentions" in err.value.message
    with Store(dst) as store:
        assert not any(store.counts().values())  # rolled back whole


def test_cli_db_copy_prints_counts_and_checksums(tmp_path: Path) -> None:
    from tocsin.cli import app
    from tocsin.cli_db import register

    register(app)
    src, dst = tmp_path / "src.db", tmp_path / "dst.db"
    with Store(src) as store:
        _fill(store)
    result = CliRunner().invoke(app, ["db", "copy", str(src), str(dst)])
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "reports" in result.output
    assert _checksums(f"sqlite:///{src}")["reports"][1] in result.output
    again = CliRunner().invoke(app, ["db", "copy", str(src), str(dst)])
    assert again.exit_code == 2 and "T211" in again.output
