"""read_paths: files and directories, formats by suffix, gzip, and the file-level problems."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tocsin.sources import MAX_TEXT_BYTES, count_items, paths, read_file, read_paths

STORY = "Russian forces shelled Kherson overnight, killing two civilians, the governor said."


def jsonl(*ids: str) -> str:
    return "".join(json.dumps({"id": i, "text": f"{STORY} ({i})"}) + "\n" for i in ids)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_directory_walk_sorted_skipping_hidden_and_unknown(tmp_path: Path, read_path) -> None:
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "a.jsonl", jsonl("a1", "a2"))
    write(tmp_path / "sub" / "c.html", f"<html><body><p>{STORY}</p></body></html>")
    write(tmp_path / "sub" / "deeper" / "d.TXT", STORY)  # suffixes are case-insensitive
    write(tmp_path / ".hidden.txt", STORY)  # hidden file
    write(tmp_path / ".cache" / "e.txt", STORY)  # inside a hidden directory
    write(tmp_path / "README.md", "# notes")  # unknown suffix inside a directory: not read
    reports, problems = read_path(tmp_path)
    assert problems == []
    assert [r.id for r in reports] == ["a1", "a2", "b", "c", "d"]


def test_not_recursive_reads_top_level_only(tmp_path: Path, read_path) -> None:
    write(tmp_path / "b.txt", STORY)
    write(tmp_path / "sub" / "c.txt", STORY)
    reports, _ = read_path(tmp_path, recursive=False)
    assert [r.id for r in reports] == ["b"]


def test_single_path_string_and_order_of_arguments(tmp_path: Path) -> None:
    second = write(tmp_path / "z.txt", STORY)
    first = write(tmp_path / "a.txt", STORY)
    assert [r.id for r in read_paths(str(second))] == ["z"]
    assert [r.id for r in read_paths([second, first])] == ["z", "a"]  # given order is kept


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.txt", b"", "T001"),  # empty file
        ("empty.jsonl", b"", "T001"),  # empty JSONL
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "T002"),  # binary content
        ("utf16.jsonl", '{"id": "x"}'.encode("utf-16"), "T002"),  # NUL bytes: treated as binary
        ("report.docx", b"PK\x03\x04", "T007"),  # unknown suffix named explicitly
        ("notes", b"text", "T007"),  # no suffix
        ("big.txt", b"a" * (MAX_TEXT_BYTES + 1), "T014"),  # over the single-report limit
    ],
)
def test_file_level_problems(tmp_path: Path, read_path, name: str, content: bytes, code: str) -> None:
    path = write(tmp_path / name, content)
    reports, problems = read_path(path)
    assert reports == []
    assert [(p.code, p.severity, p.origin) for p in problems] == [(code, "rejected", str(path))]
    assert problems[0].message.startswith(f"[{code}] {path}")


def test_feed_over_limit(tmp_path: Path, read_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "MAX_FEED_BYTES", 100)
    path = write(tmp_path / "big.rss", "<rss><channel>" + "<item><title>x</title></item>" * 10 + "</channel></rss>")
    reports, problems = read_path(path)
    assert reports == [] and [(p.code, p.origin) for p in problems] == [("T014", str(path))]
    assert "100 bytes" in problems[0].message


def test_missing_path_and_reading_goes_on(tmp_path: Path, read_path) -> None:
    good = write(tmp_path / "good.txt", STORY)
    reports, problems = read_path(tmp_path / "nope.jsonl", good)
    assert [(p.code, p.origin) for p in problems] == [("T008", str(tmp_path / "nope.jsonl"))]
    assert [r.id for r in reports] == ["good"]


def test_text_at_the_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "edge.txt", b"word " * (MAX_TEXT_BYTES // 5))
    (report,) = list(read_file(path))
    assert report.text.startswith("word word")


@pytest.mark.parametrize(
    ("name", "content", "ids"),
    [
        ("r.jsonl.gz", jsonl("g1", "g2"), ["g1", "g2"]),  # gzipped JSONL, streamed
        ("story.txt.gz", STORY, ["story"]),  # the stem drops both suffixes
        ("page.HTML.GZ", f"<html><body><p>{STORY}</p></body></html>", ["page"]),  # case-insensitive
        (
            "wire.rss.gz",
            f"<rss><channel><item><guid>f1</guid><description>{STORY}</description></item></channel></rss>",
            ["f1"],
        ),  # a gzipped feed
    ],
)
def test_gzip(tmp_path: Path, read_path, name: str, content: str, ids: list[str]) -> None:
    write(tmp_path / name, gzip.compress(content.encode()))
    reports, problems = read_path(tmp_path / name)
    assert problems == []
    assert [r.id for r in reports] == ids
    assert STORY in reports[0].text


def test_gzip_and_plain_give_the_same_reports(tmp_path: Path, read_path) -> None:
    write(tmp_path / "plain" / "r.jsonl", jsonl("x", "y"))
    write(tmp_path / "packed" / "r.jsonl.gz", gzip.compress(jsonl("x", "y").encode()))
    plain, _ = read_path(tmp_path / "plain")
    packed, _ = read_path(tmp_path / "packed")
    assert [(r.id, r.text) for r in plain] == [(r.id, r.text) for r in packed]


def test_corrupt_gzip_names_the_file(tmp_path: Path, read_path) -> None:
    path = write(tmp_path / "bad.jsonl.gz", b"this is not gzip data at all")
    reports, problems = read_path(path)
    assert reports == []
    assert [(p.code, p.origin) for p in problems] == [("T013", str(path))]
    assert str(path) in problems[0].message and "gzip" in problems[0].message


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path, read_path) -> None:
    ids = [f"t{i}" for i in range(2000)]
    packed = gzip.compress(jsonl(*ids).encode())
    path = write(tmp_path / "cut.jsonl.gz", packed[: len(packed) // 2])
    reports, problems = read_path(path)
    assert 0 < len(reports) < len(ids)
    assert [r.id for r in reports] == ids[: len(reports)]
    assert [(p.code, p.origin) for p in problems] == [("T013", str(path))]


def test_reader_failure_is_reported_and_reading_goes_on(
    tmp_path: Path, read_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: bytes, path: str, stem: str):
        raise ValueError("odd input")
        yield

    monkeypatch.setitem(paths._READERS, "html", broken)
    write(tmp_path / "a.html", "<p>x</p>")
    write(tmp_path / "b.txt", STORY)
    reports, problems = read_path(tmp_path)
    assert [(p.code, p.origin) for p in problems] == [("T013", str(tmp_path / "a.html"))]
    assert "ValueError: odd input" in problems[0].message
    assert [r.id for r in reports] == ["b"]


def test_directory_named_like_a_file_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "folder.txt").mkdir()
    (problem,) = list(read_file(tmp_path / "folder.txt"))
    assert problem.code == "T013" and "directory" in problem.message.lower()


def test_count_items(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", jsonl("1", "2", "3"))
    write(tmp_path / "b.jsonl.gz", gzip.compress(jsonl("4", "5").encode()))
    write(tmp_path / "c.jsonl", jsonl("6").rstrip("\n"))  # last line without a newline still counts
    write(tmp_path / "d.txt", STORY)
    write(tmp_path / "e.rss", "<rss><channel><item><title>x</title></item><item/></channel></rss>")
    assert count_items([tmp_path]) == 3 + 2 + 1 + 1 + 2
    assert count_items([tmp_path / "missing.txt"]) == 1


def test_count_items_matches_feed_entries(fixtures: Path) -> None:
    feeds = [fixtures / "gcap__weather_index.atom", fixtures / "gcap__amber.rss"]
    assert count_items(feeds) == len(list(read_paths(feeds))) == 3


def test_count_items_unreadable_gives_none(tmp_path: Path) -> None:
    write(tmp_path / "bad.jsonl.gz", b"not gzip")
    assert count_items(tmp_path) is None


def test_published_default_fills_only_reports_without_their_own(tmp_path: Path) -> None:
    import datetime as dt

    from tocsin.model import Report

    (tmp_path / "a.txt").write_text("Shelling hit Aleppo on Thursday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Published: 2026-01-02\n\nShelling hit Idlib on Thursday.", encoding="utf-8")
    default = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    reports = {r.id: r for r in read_paths(tmp_path, published=default) if isinstance(r, Report)}
    assert reports["a"].published == default  # a plain text without a header takes the given time
    assert reports["b"].published == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)  # its own header wins


def test_a_publication_time_in_the_future_is_kept_with_a_warning(tmp_path: Path) -> None:
    from tocsin.model import Report
    from tocsin.sources import Problem

    (tmp_path / "a.txt").write_text("Published: 2999-05-01\n\nShelling hit Aleppo on Thursday.", encoding="utf-8")
    items = list(read_paths(tmp_path))
    warnings = [i for i in items if isinstance(i, Problem)]
    [report] = [i for i in items if isinstance(i, Report)]
    assert [w.code for w in warnings] == ["T017"] and "2999-05-01" in warnings[0].message
    assert report.published is not None and report.published.year == 2999
