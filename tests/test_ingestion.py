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


def test_staged_ingest_merged_afterwards_equals_ingest(tmp_path: Path, extractor) -> None:  # type: ignore[no-untyped-def]
    # ten reports, each town twice on the same day: the second report of a town merges with the first
    rows = _reports(10)
    for row in rows:
        row["text"] = row["text"].replace(f"report {row['id'][1:]}", "")
        row["text"] = row["text"].replace(f"{int(row['id'][1:]) + 2} men", "three men")
    again = [{**r, "id": f"{r['id']}b", "source": "Other", "text": r["text"] + " Others confirmed."} for r in rows[:5]]
    rows = again + rows
    source = _write(tmp_path / "in.jsonl", rows)
    with Store(tmp_path / "direct.db") as direct, Store(tmp_path / "staged.db") as staged:
        want = ingest([source], direct, extractor=extractor, batch_size=4)
        got = ingest([source], staged, extractor=extractor, batch_size=4, stage=True)
        assert (got.new, got.events) == (want.new, want.events)
        assert staged.events() == [] and staged.pending().events == want.events  # nothing merged yet
        assert staged.merge_pending() == want.events

        def shape(store: Store) -> list[tuple[int, list[str]]]:
            return [(e.id, [m.report_id for m in e.mentions]) for e in store.events()]
        assert shape(staged) == shape(direct)
        assert any(len(reports) == 2 for _, reports in shape(direct))  # the corpus does merge


def test_drafts_of_ingested_notices_keep_to_the_report_s_country(tmp_path: Path, extractor) -> None:  # type: ignore[no-untyped-def]
    from tocsin.warnings.store import WarningStore

    text = ("ALEPPO, Jan 8 (Reuters) - The Syrian army announced a curfew over the Sheikh Maqsoud and Ashrafieh "
            "neighbourhoods of Aleppo from 3 p.m. local time (1200 GMT).")
    source = _write(tmp_path / "in.jsonl", [{"id": "a", "published": "2026-01-08T09:00:00+00:00", "text": text}])
    with Store(tmp_path / "t.db") as store:
        summary = ingest([source], store, extractor=extractor)
        drafts = WarningStore(store).drafts()
        assert summary.drafts == 1 and [d.warning.kind for d in drafts] == ["curfew"]
        areas = {a.description: a.shape for a in drafts[0].warning.areas}
        assert "Ashrafieh" in areas
        # the gazetteer's only Ashrafieh is in Iran: nothing is drawn there; the operator draws or imports it
        assert all(shape is None or 35 <= shape.centroid.x <= 43 for shape in areas.values())
