"""WatchStore on a real SQLite file: what a source has seen is found again, whatever the length of its keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tocsin.store import Store
from tocsin.watch.config import Source
from tocsin.watch.state import ItemRow, WatchStore

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_an_item_with_a_key_longer_than_the_column_is_seen_again(tmp_path: Path) -> None:
    long_guid = "https://news.example/item?" + "&".join(f"p{i}=value{i}" for i in range(60))  # 800+ characters
    twin = long_guid[:-1] + "X"  # the same first 500 characters, another item
    with Store(tmp_path / "t.db") as store:
        watch = WatchStore(store)
        watch.sync_sources([Source("wire", "https://news.example/feed")])
        row = ItemRow("wire", long_guid, "h1", long_guid, "https://news.example/feed", T0)
        assert watch.record_items([row, ItemRow("wire", "short", "h2", None, "https://news.example/feed", T0)]) == 2
        assert watch.seen_keys("wire", [long_guid, twin, "short", "new"]) == {long_guid, "short"}
        assert {len(r.item_key) for r in watch.items("wire")} <= {5, 71}  # "short", and "sha256:" + 64 hex digits
