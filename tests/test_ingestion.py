import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tocsin.ingestion import ingest
from tocsin.store import Store

TOWNS = ["Kano", "Maiduguri", "Kaduna", "Jos", "Bauchi", "Yola", "Gombe", "Sokoto", "Zaria", "Katsina"]


def _reports(n: int) -> list[dict[str, str]]:
    return [
        {"id": f"r{i}", "published": "2026-01-09T08:00:00+00:00", "source": "Wire",
         "text": f"Police arrested {i + 2} men in {TOWNS[i % len(TOWNS)]} on Thursday after a dispute, report {i}."}
        for i in range(n)
    ]


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_ingest_counts_and_is_idempotent(tmp_path: Path, extractor) -> None:  # type: ignore[no-untyped-def]
    source = _write(tmp_path / "in.jsonl", _reports(6) + _reports(2))  # the last two repeat the first two
    with Store(tmp_path / "t.db") as store:
        summary = ingest([source], store, extractor=extractor, batch_size=4)
        assert (summary.read, summary.new, summary.duplicate, summary.rejected) == (8, 6, 2, 0)
        again = ingest([source], store, extractor=extractor, batch_size=4)
        assert (again.new, again.duplicate) == (0, 8)
        assert store.counts()["reports"] == 6


def test_ingest_killed_half_way_is_consistent_and_a_rerun_completes(tmp_path: Path) -> None:
    source = _write(tmp_path / "in.jsonl", _reports(60))
    db = tmp_path / "t.db"
    command = [sys.executable, "-m", "tocsin.cli", "ingest", str(source), "--db", str(db), "--batch-size", "4"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("select count(*) from reports").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 8:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < stored < 60, "the kill must land in the middle of the ingest"
    with sqlite3.connect(db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        partial = conn.execute("select count(*) from reports").fetchone()[0]
    assert partial % 4 == 0, "only whole batches are stored"
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    with Store(db) as store:
        assert store.counts()["reports"] == 60
