"""Text files: one report each, with an optional `Key: value` header block."""

from __future__ import annotations

import datetime as dt

from tocsin.sources.txt import split_header

STORY = "MOGADISHU, Jan 7 - A roadside bomb struck an army vehicle near Afgoye on Wednesday, killing three soldiers."

HEADED = f"""Title: Roadside bomb kills three near Afgoye
Published: 2026-01-07T14:30:00+03:00
Source: Sample Wire
URL: https://example.org/afgoye
Language: en
ID: sw-afgoye

{STORY}
"""


def test_header_fields(read) -> None:
    reports, problems = read("afgoye.txt", HEADED)
    assert problems == []
    (report,) = reports
    assert report.id == "sw-afgoye"
    assert report.title == "Roadside bomb kills three near Afgoye"
    assert report.published == dt.datetime(2026, 1, 7, 11, 30, tzinfo=dt.UTC)
    assert report.source == "Sample Wire"
    assert report.url == "https://example.org/afgoye"
    assert report.language == "en"
    assert report.text == STORY
    assert report.origin.endswith("afgoye.txt")


def test_no_header_title_none_id_is_stem(read) -> None:
    reports, problems = read("mogadishu-bomb.txt", STORY + "\n\nAl-Shabaab said it carried out the attack.\n")
    assert problems == []
    (report,) = reports
    assert (report.id, report.title, report.published) == ("mogadishu-bomb", None, None)
    assert report.text == STORY + "\n\nAl-Shabaab said it carried out the attack."


def test_keys_are_case_insensitive_and_crlf_is_fine(read) -> None:
    reports, problems = read("x.txt", f"TITLE: Bomb\r\nid: b-1\r\n\r\n{STORY}\r\n".encode())
    assert problems == []
    assert (reports[0].title, reports[0].id, reports[0].text) == ("Bomb", "b-1", STORY)


def test_header_like_lines_without_blank_line_are_text() -> None:
    text = f"Source: the army said\n{STORY}"
    assert split_header(text) == ({}, [], text)


def test_block_of_only_unknown_keys_is_text() -> None:
    text = f"Update: fighting resumed\n\n{STORY}"
    assert split_header(text) == ({}, [], text)


def test_unknown_key_in_header_warns_and_reads(read) -> None:
    reports, problems = read("x.txt", f"Title: Bomb\nAuthor: Desk\n\n{STORY}")
    assert [(p.code, p.severity) for p in problems] == [("T015", "warning")]
    assert "'Author'" in problems[0].message
    assert reports[0].title == "Bomb" and reports[0].text == STORY


def test_unreadable_published_warns_and_reads(read) -> None:
    reports, problems = read("x.txt", f"Published: last Wednesday\n\n{STORY}")
    assert [(p.code, p.severity) for p in problems] == [("T006", "warning")]
    assert "'last Wednesday'" in problems[0].message
    assert reports[0].published is None and reports[0].text == STORY


def test_header_without_body_is_rejected(read) -> None:
    reports, problems = read("x.txt", "Title: Bomb\nID: b-1\n\n\n")
    assert reports == []
    assert [(p.code, p.severity) for p in problems] == [("T011", "rejected")]


def test_cp1252_file_is_read_with_a_warning(read) -> None:
    reports, problems = read("x.txt", b"Officials said the caf\xe9 was \x93destroyed\x94.")
    assert [(p.code, p.severity) for p in problems] == [("T003", "warning")]
    assert "cp1252" in problems[0].message
    assert reports[0].text == "Officials said the café was “destroyed”."
