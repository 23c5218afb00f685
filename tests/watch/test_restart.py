"""Kill ``tocsin watch`` mid-round, restart: the stored reports equal those of an uninterrupted run."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from watchkit import Loopback, Route, rss

from tocsin.store import Store
from tocsin.store.watch_tables import watch_items
from tocsin.watch.config import Source, add_source
from tocsin.watch.poller import Watcher

TEXTS = [
    "Government forces shelled Kafr Nabl in Idlib on Monday, killing three civilians, residents said.",
    "Protesters gathered in central Khartoum on Tuesday to demand the release of detained activists.",
    "An airstrike hit a market in Maarat al-Numan on Wednesday, killing five people, a monitor said.",
    "Police dispersed a sit-in outside the parliament in Baghdad on Thursday with tear gas.",
    "Armed men attacked a checkpoint near Gao in Mali on Friday, killing two soldiers, the army said.",
    "Rebels seized the town of Rubaya in North Kivu on Saturday after heavy clashes with the army.",
]


def _serve(loopback: Loopback) -> list[Source]:
    loopback.routes["/fast"] = Route(body=rss([(f"f{n}", loopback.url(f"/f/{n}"), t) for n, t in enumerate(TEXTS[:3])]))
    loopback.routes["/slow"] = Route(body=rss([(f"s{n}", loopback.url(f"/s/{n}"), t) for n, t in enumerate(TEXTS[3:])]),
                                     hang_s=4.0)
    return [Source("fast", loopback.url("/fast")), Source("slow", loopback.url("/slow"))]


def _hashes(store: Store) -> list[str]:
    return sorted(r.content_hash for r in store.reports())


def _items(db: Path) -> int:
    with Store(db) as store, store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(watch_items)).scalar_one())


@pytest.mark.slow  # a fresh process loads spaCy: ~10 s idle, more on a loaded machine
def test_killed_mid_round_then_restarted_equals_uninterrupted(
    loopback: Loopback, tmp_path: Path, extractor: object
) -> None:
    sources = _serve(loopback)
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
    with Store(tmp_path / "reference.db") as ref:
        Watcher(ref, sources, extractor=extractor, rng=random.Random(1), drafts=False,  # type: ignore[arg-type]
                fetcher_options={"read_timeout_s": 30.0, "deadline_s": 60.0}).run_once(now)
        expected = _hashes(ref)
    assert len(expected) == 6

    toml, db = tmp_path / "sources.toml", tmp_path / "killed.db"
    for s in sources:
        add_source(toml, s)
    Store(db).close()
    env = {**os.environ, "TOCSIN_DATABASE_URL": str(db)}
    command = [sys.executable, "-c", "from tocsin.cli import app; app()", "watch", "--once", "--sources", str(toml),
               "--db", str(db), "--timeout", "30"]
    loopback.routes["/slow"].hang_s = 120.0  # the slow feed is surely still in hand when the kill comes
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 180
        while _items(db) < 3 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)  # the fast feed is stored, the slow one still in hand
    finally:
        _, err = proc.communicate(timeout=60)
    assert _items(db) == 3, err.decode()[-2000:]
    loopback.routes["/slow"].hang_s = 0.0

    with Store(db) as store:
        restarted = Watcher(store, None, extractor=extractor, rng=random.Random(2), drafts=False,  # type: ignore[arg-type]
                            fetcher_options={"read_timeout_s": 30.0, "deadline_s": 60.0})
        summary = restarted.run_once(now + dt.timedelta(days=1))
        assert summary.new_items == 3  # only the slow feed's items: none twice, none skipped
        assert _hashes(store) == expected


def test_stop_ends_run_after_items_in_hand_are_stored(loopback: Loopback, tmp_path: Path, extractor: object) -> None:
    import threading

    sources = _serve(loopback)
    db = tmp_path / "stopped.db"
    stop = threading.Event()
    with Store(db) as store:
        watcher = Watcher(store, sources, extractor=extractor, rng=random.Random(1), drafts=False,  # type: ignore[arg-type]
                          fetcher_options={"read_timeout_s": 30.0, "deadline_s": 60.0})
        runner = threading.Thread(target=watcher.run, args=(stop,), kwargs={"tick_s": 0.2}, daemon=True)
        runner.start()
        deadline = time.monotonic() + 120
        while _items(db) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()  # what SIGTERM does in `tocsin watch`
        runner.join(timeout=120)
        assert not runner.is_alive()
        stored = _hashes(store)
        recorded = _items(db)
        assert recorded == len(stored)  # every recorded item's report is stored, nothing half-written
        assert recorded in (3, 6)  # the slow feed, in hand when stop came, is either stored whole or left
