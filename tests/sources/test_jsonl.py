"""JSONL: one report a line, bad lines reported with path:line, streamed with bounded memory."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import tracemalloc
from pathlib import Path

import pytest

from tocsin.model import Report
from tocsin.sources import read_file, read_paths

GOOD = {"id": "k-1", "text": "Shelling hit Kherson overnight.", "published": "2026-01-10T08:50:00+02:00"}


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def test_reports_with_all_fields(read) -> None:
    full = dict(GOOD, title="Shelling in Kherson", source="Sample Wire", url="https://example.org/k", language="en")
    reports, problems = read("r.jsonl", line(**full) + "\n" + line(id="k-2", text="Second.") + "\n")
    assert problems == []
    first, second = reports
    assert first == Report(
        id="k-1",
        text="Shelling hit Kherson overnight.",
        title="Shelling in Kherson",
        published=dt.datetime(2026, 1, 10, 6, 50, tzinfo=dt.UTC),
        source="Sample Wire",
        url="https://example.org/k",
        language="en",
        origin=first.origin,
    )
    assert first.origin.endswith("r.jsonl:1") and second.origin.endswith("r.jsonl:2")
    assert (second.title, second.published) == (None, None)


@pytest.mark.parametrize(
    ("bad", "code", "severity", "kept"),
    [
        ('{"id": "x", "text": "unterminated', "T004", "rejected", False),  # malformed JSON
        ("not json at all", "T004", "rejected", False),  # not JSON
        (line(text="No id here."), "T005", "rejected", False),  # missing id
        (line(id="x"), "T005", "rejected", False),  # missing text
        (line(id="x", text=None), "T005", "rejected", False),  # null text
        (line(id=["x"], text="Text."), "T010", "rejected", False),  # id of a wrong type
        (line(id="x", text=42), "T010", "rejected", False),  # text of a wrong type
        ('["x", "Text."]', "T010", "rejected", False),  # an array, not an object
        (line(id="x", text="   \n "), "T011", "rejected", False),  # blank text
        ("[" * 100_000 + "]" * 100_000, "T004", "rejected", False),  # nesting too deep for the parser
        (line(id="x", text="Text.", title=7), "T010", "warning", True),  # optional field of a wrong type: dropped
        (line(id="x", text="Text.", published=1767852000), "T010", "warning", True),  # epoch number, not a string
        (line(id="x", text="Text.", published="the other day"), "T006", "warning", True),  # unreadable time
    ],
)
def test_bad_line_is_reported_and_reading_goes_on(read, bad: str, code: str, severity: str, kept: bool) -> None:
    content = "\n".join([line(**GOOD), bad, line(id="k-3", text="Third line.")]) + "\n"
    reports, problems = read("r.jsonl", content)
    assert [(p.code, p.severity) for p in problems] == [(code, severity)]
    assert problems[0].origin.endswith("r.jsonl:2")
    assert "r.jsonl:2" in problems[0].message
    expected_ids = ["k-1", "x", "k-3"] if kept else ["k-1", "k-3"]
    assert [r.id for r in reports] == expected_ids


def test_lone_surrogate_replaced_with_warning(read) -> None:
    content = '{"id": "s", "text": "Broken \\ud800 char, fine \\ud83d\\ude00 pair."}\n'
    (report,), problems = read("r.jsonl", content)
    assert [(p.code, p.severity) for p in problems] == [("T010", "warning")]
    assert report.text == "Broken \ufffd char, fine \U0001f600 pair."
    report.text.encode("utf-8")  # storable


def test_integer_id_is_taken_as_string(read) -> None:
    reports, problems = read("r.jsonl", line(id=1042, text="Text.") + "\n")
    assert problems == [] and reports[0].id == "1042"


def test_blank_lines_skipped_silently_and_numbering_kept(read) -> None:
    reports, problems = read("r.jsonl", "\n   \n" + line(**GOOD) + "\n\n")
    assert problems == []
    assert [r.origin.rsplit(":", 1)[1] for r in reports] == ["3"]


def test_bom_and_crlf_and_missing_final_newline(read) -> None:
    content = "\ufeff" + line(**GOOD) + "\r\n" + line(id="k-2", text="Second.")
    reports, problems = read("r.jsonl", content)
    assert problems == [] and [r.id for r in reports] == ["k-1", "k-2"]


def test_cp1252_line_warns_and_is_read(read) -> None:
    content = line(**GOOD).encode() + b'\n{"id": "c", "text": "caf\xe9 \x93hit\x94"}\n'
    reports, problems = read("r.jsonl", content)
    assert [(p.code, p.severity) for p in problems] == [("T003", "warning")]
    assert problems[0].origin.endswith("r.jsonl:2") and "cp1252" in problems[0].message
    assert reports[1].text == "café “hit”"


def test_line_over_limit_is_rejected_next_line_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOCSIN_MAX_LINE_BYTES", "1000")
    at_limit = line(id="edge", text="x" * 1000)
    at_limit = line(id="edge", text="x" * (1000 - (len(at_limit) - 1000)))
    assert len(at_limit.encode()) == 1000
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join([line(id="big", text="y" * 5000), at_limit, line(**GOOD)]) + "\n")
    items = list(read_paths([path]))
    assert [getattr(i, "code", None) or i.id for i in items] == ["T012", "edge", "k-1"]
    assert items[0].origin.endswith("r.jsonl:1") and "1000 bytes" in items[0].message


def test_giant_line_is_never_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "giant.jsonl"
    size = 30_000_000
    with path.open("w") as out:
        out.write('{"id": "g", "text": "')
        for _ in range(size // 1_000_000):
            out.write("z" * 1_000_000)
        out.write('"}\n' + line(**GOOD) + "\n")
    tracemalloc.start()
    try:
        items = list(read_file(path, max_line_bytes=1_000_000))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [getattr(i, "code", None) or i.id for i in items] == ["T012", "k-1"]
    assert peak < 5_000_000, f"peak {peak} bytes for a {size}-byte line"


@pytest.mark.slow
@pytest.mark.parametrize(("gz", "target"), [(False, 50_000_000), (True, 10_000_000)], ids=["plain", "gzip"])
def test_large_file_streams_with_bounded_memory(tmp_path: Path, gz: bool, target: int) -> None:
    text = ("Shelling hit the city overnight, killing two civilians, the governor said. " * 60).strip()  # 4.5 KB
    record = line(id="r", text=text, source="Sample Wire", published="2026-01-10T08:50:00+02:00") + "\n"
    count = target // len(record) + 1
    path = tmp_path / ("big.jsonl.gz" if gz else "big.jsonl")
    with gzip.open(path, "wt", compresslevel=1) if gz else path.open("w") as out:
        block = record * 1000
        for _ in range(count // 1000):
            out.write(block)
        out.write(record * (count % 1000))
    total_bytes = len(record) * count
    assert total_bytes >= target
    tracemalloc.start()
    try:
        reports = problems = 0
        for item in read_paths([path]):
            if isinstance(item, Report):
                reports += 1
            else:
                problems += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (reports, problems) == (count, 0)
    assert peak < total_bytes / 10, f"peak {peak} bytes while reading {total_bytes} bytes"
