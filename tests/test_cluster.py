"""tocsin backfill: the Ray engine against the single-process extraction, faults, and the CLI without Ray.

The Ray tests start one small local Ray for the module (2 CPUs, 200 MB object store, no dashboard) and
skip LOUDLY when ``ray[data]`` is not installed (``pip install 'tocsin[cluster]'``).
"""

from __future__ import annotations

import gzip
import json
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tocsin import cluster
from tocsin.cli import app
from tocsin.cluster import backfill, ray_available
from tocsin.errors import ConfigError
from tocsin.ingestion import IngestSummary
from tocsin.model import Report, to_dict
from tocsin.sources import content_hash, read_paths
from tocsin.store import Store

NO_RAY = "!!! Ray tests SKIPPED: ray[data] is not installed; install it with pip install 'tocsin[cluster]'"
needs_ray = pytest.mark.skipif(not ray_available(), reason=NO_RAY)

_TEXTS = [
    "Government forces shelled the town of Kharkiv on Monday, killing three civilians, the governor said.",
    "Hundreds of protesters marched peacefully in Nairobi on Tuesday to demand lower fuel prices.",
    "Unidentified gunmen attacked a village near Maiduguri on 3 March 2024, killing 12 people.",
    "A roadside bomb exploded in Kandahar province on Wednesday, wounding two soldiers, police said.",
    "Rebels seized control of the town of Goma after heavy clashes with the army on Sunday.",
    "Rioters set fire to shops in the market of Kano on Friday after a dispute between traders.",
    "An air strike hit a school in Gaza City on Thursday; the health ministry said 9 people were killed.",
    "Police fired tear gas at students protesting in Dhaka on Saturday; dozens were arrested.",
]


def _rows(start: int, count: int) -> list[dict[str, Any]]:
    return [
        {"id": f"r{n}", "text": f"{_TEXTS[n % len(_TEXTS)]} (Update {n}.)", "published": "2024-03-06T10:00:00Z"}
        for n in range(start, start + count)
    ]


def _jsonl(rows: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r) + "\n" for r in rows)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """24 distinct reports in plain and gzipped JSONL, a txt file in a sub-folder, one duplicate, one corrupt gzip."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "a.jsonl").write_text(_jsonl(_rows(0, 12)), encoding="utf-8")
    with gzip.open(root / "b.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(_jsonl(_rows(12, 12) + _rows(0, 1)))  # the last line repeats r0: a duplicate
    (root / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00 not gzip at all")
    (root / "sub").mkdir()
    (root / "sub" / "note.txt").write_text("Title: Curfew\nPublished: 2024-03-06\n\nArmy clashed with militia "
                                           "fighters in Bentiu on Monday; five fighters were killed.\n")
    return root


def _mentions(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Each report id -> its events as stored (the per-report mention, before merging), as plain dicts."""
    found: dict[str, list[dict[str, Any]]] = {}
    for stored in store.events():
        for mention in stored.mentions:
            found.setdefault(mention.report_id, []).append(to_dict(mention.event))
    return {k: sorted(v, key=json.dumps) for k, v in found.items()}


@dataclass
class Reference:
    store: Store
    summary: IngestSummary


@pytest.fixture(scope="module")
def local(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    """The corpus backfilled with the local engine (no Ray): the reference."""
    store = Store(tmp_path_factory.mktemp("local") / "local.db")
    yield Reference(store, backfill([corpus], store, engine="local", batch_size=8))
    store.close()


@pytest.fixture(scope="module")
def ray_session() -> Iterator[None]:
    if not ray_available():
        pytest.skip(NO_RAY)
    session = cluster.start_ray(num_cpus=2, object_store_memory=200 * 1024 * 1024)
    yield
    import ray

    ray.shutdown()
    assert session.started


# -- without Ray ----------------------------------------------------------------------------------


def test_local_engine_is_ingest(local: Reference) -> None:
    summary = local.summary
    # 24 JSONL reports + 1 txt read; r0 repeated once; the corrupt gzip rejected
    assert (summary.read, summary.new, summary.duplicate, summary.rejected) == (26, 25, 1, 1)
    assert summary.events > 0
    assert [p.code for p in summary.problems] == ["T013"]
    assert "broken.jsonl.gz" in summary.problems[0].message and "gzip" in summary.problems[0].message


def test_unknown_engine_is_refused(tmp_path: Path) -> None:
    with Store(tmp_path / "x.db") as store, pytest.raises(ConfigError, match=r"\[T102\].*'spark'.*local, ray"):
        backfill([tmp_path], store, engine="spark")


def test_cli_without_ray_prints_the_install_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cluster, "ray_available", lambda: False)
    result = CliRunner().invoke(app, ["backfill", str(tmp_path), "--engine", "ray", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "pip install 'tocsin[cluster]'" in result.output


def test_ray_engine_without_ray_is_a_coded_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray -> ImportError
    with Store(tmp_path / "x.db") as store, pytest.raises(ConfigError, match=r"\[T702\].*tocsin\[cluster\]"):
        backfill([tmp_path], store, engine="ray")


@needs_ray
@pytest.mark.parametrize(
    ("address", "detail"),
    [
        ("127.0.0.1:{port}", "refused"),  # nothing listens on the port
        ("ray://127.0.0.1:{port}", "refused"),  # Ray Client form, same closed port
        ("no-such-host.invalid:6379", "T701"),  # a head node name that does not resolve
        ("127.0.0.1", "not host:port"),  # the port forgotten
        ("127.0.0.1:port", "not host:port"),  # not a number
    ],
)
def test_unreachable_cluster_names_the_address(address: str, detail: str, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = address.format(port=port)
    db = tmp_path / "x.db"
    with Store(db) as store:  # a store with a report in it already
        store.add([_stored_item()])
    result = CliRunner().invoke(app, ["backfill", str(tmp_path), "--engine", "ray", "--address", address,
                                      "--db", str(db)])
    output = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "[T701]" in output and address in output and detail in output, output
    with Store(db) as store:
        assert len(store.reports()) == 1  # nothing stored was touched


@needs_ray
def test_auto_address_is_resolved_and_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``--address auto`` takes RAY_ADDRESS; unreachable, it is named with what it resolved to (no long hang)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RAY_ADDRESS", f"127.0.0.1:{port}")
    result = CliRunner().invoke(app, ["backfill", str(tmp_path), "--engine", "ray", "--address", "auto",
                                      "--db", str(tmp_path / "x.db")])
    output = " ".join(result.output.split())
    assert result.exit_code == 2
    assert f"[T701] cannot reach the Ray cluster at auto (127.0.0.1:{port}):" in output, output


_STALE_CLUSTER = """
import sys
import ray._private.services as services

services.find_bootstrap_address = lambda temp_dir: sys.argv[1]  # as `ray start` leaves /tmp/ray/ray_current_cluster
from tocsin.cluster import start_ray

session = start_ray(num_cpus=1, object_store_memory=80 * 1024 * 1024)
import ray

print("local CPUs", int(ray.cluster_resources()["CPU"]), flush=True)
session.close()
"""


@pytest.mark.slow
@needs_ray
def test_local_ray_starts_even_where_an_old_cluster_is_recorded(tmp_path: Path) -> None:
    """Without --address a Ray of our own starts, not a join of the cluster `ray start` recorded (long gone)."""
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        gone = f"127.0.0.1:{probe.getsockname()[1]}"
    done = subprocess.run([sys.executable, "-c", _STALE_CLUSTER, gone], capture_output=True, text=True, timeout=300,
                          check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "local CPUs 1" in done.stdout


def _stored_item() -> tuple[Report, str, Any]:
    from tocsin.model import Extraction

    text = "Police fired tear gas at students protesting in Dhaka on Saturday; dozens were arrested."
    return Report(id="kept", text=text), content_hash(text), Extraction("kept", [], [])


def test_corrupt_gzip_files_are_named_and_the_rest_is_stored(tmp_path: Path) -> None:
    """Three ways a .gz goes bad (cut short, a flipped byte, a wrong checksum): each named, the rest stored."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    packed = gzip.compress(_jsonl(_rows(100, 30)).encode())
    (corpus / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    flipped = bytearray(packed)
    flipped[len(flipped) // 2] ^= 0xFF
    (corpus / "flipped.jsonl.gz").write_bytes(bytes(flipped))
    crc = bytearray(packed)
    crc[-6] ^= 0xFF  # inside the CRC-32 trailer: the data decompresses, the check fails
    (corpus / "crc.jsonl.gz").write_bytes(bytes(crc))
    with gzip.open(corpus / "good.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.write(_jsonl(_rows(0, 3)))
    db = tmp_path / "x.db"
    with Store(db) as store:
        store.add([_stored_item()])
    result = CliRunner().invoke(app, ["backfill", str(corpus), "--db", str(db), "--batch-size", "8"])
    output = " ".join(result.output.split())
    assert result.exit_code == 1  # files rejected, the rest stored
    for name in ("cut.jsonl.gz", "flipped.jsonl.gz", "crc.jsonl.gz"):
        assert f"[T013] {corpus / name}: cannot read the file (corrupt gzip" in output, (name, output)
    assert "3 new reports extracted" in output
    with Store(db) as store:
        assert sorted(r.report.id for r in store.reports()) == ["kept", "r0", "r1", "r2"]
        assert store.pending().reports == 0  # staged while extracting, merged before the command ends


# -- on a local Ray -------------------------------------------------------------------------------


@pytest.mark.slow
@needs_ray
def test_ray_backfill_equals_local(ray_session: None, corpus: Path, local: Reference, tmp_path: Path) -> None:
    with Store(tmp_path / "ray.db") as store:
        summary = backfill([corpus], store, engine="ray", actors=2, batch_size=8)
        reference = local.summary
        names = ("read", "new", "duplicate", "rejected", "skipped", "events", "notices", "drafts")
        assert [getattr(summary, n) for n in names] == [getattr(reference, n) for n in names]
        assert [p.message for p in summary.problems] == [p.message for p in reference.problems]
        assert _mentions(store) == _mentions(local.store)
        assert store.counts() == local.store.counts()


@pytest.mark.slow
@needs_ray
def test_extract_on_ray_equals_extractor(ray_session: None, corpus: Path, extractor: Any) -> None:
    reports = [r for r in read_paths([corpus / "a.jsonl"]) if isinstance(r, Report)]
    items = [(r, content_hash(r.text)) for r in reports]
    got = [x for batch in cluster.extract_on_ray(items, actors=2, batch_size=4) for _, _, x in batch]
    expected = list(extractor.extract_reports(reports))
    assert [x.id for x in got] == [r.id for r in reports]
    assert {x.id: to_dict(x) for x in got} == {x.id: to_dict(x) for x in expected}
    assert sum(len(x.events) for x in got) > 0


@pytest.mark.slow
@needs_ray
def test_actor_killed_part_way_loses_no_report(
    ray_session: None, corpus: Path, local: Reference, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "crashed"
    monkeypatch.setenv(cluster.CRASH_ENV, str(marker))
    with Store(tmp_path / "ray.db") as store:
        summary = backfill([corpus], store, engine="ray", actors=2, batch_size=4)
        assert marker.exists()  # an actor did exit part-way
        assert summary.new == 25
        stored = store.reports()
        assert len(stored) == len({r.content_hash for r in stored}) == 25
        assert _mentions(store) == _mentions(local.store)


@pytest.mark.slow
@needs_ray
def test_interrupted_backfill_reruns_to_completion(
    ray_session: None, corpus: Path, local: Reference, tmp_path: Path
) -> None:
    done: list[int] = []

    def stop_after_first_write(n: int) -> None:
        done.append(n)
        if len(done) == 2:
            raise KeyboardInterrupt

    with Store(tmp_path / "ray.db") as store:
        with pytest.raises(KeyboardInterrupt):
            backfill([corpus], store, engine="ray", actors=2, batch_size=8, progress=stop_after_first_write)
        first = len(store.reports())
        assert 0 < first < 25  # whole batches only
        summary = backfill([corpus], store, engine="ray", actors=2, batch_size=8)
        assert (summary.new, summary.duplicate) == (25 - first, first + 1)
        assert len(store.reports()) == 25
        assert _mentions(store) == _mentions(local.store)


def test_cli_local_backfill_summary_names_the_corrupt_file(corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["backfill", str(corpus), "--db", str(tmp_path / "x.db"), "--batch-size", "8"])
    assert result.exit_code == 1  # one file rejected, the rest stored
    assert "[T013]" in result.output and "broken.jsonl.gz" in result.output
    assert "25 new reports extracted" in result.output
    with Store(tmp_path / "x.db") as store:
        assert len(store.reports()) == 25
