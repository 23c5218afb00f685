"""JSON Lines: one report per line, streamed with bounded memory.

Each line is a JSON object with ``id`` and ``text`` (required; an integer id is taken as its decimal
string) and optional ``title``, ``published``, ``source``, ``url``, ``language`` (strings). Other keys are
ignored. Blank lines are skipped silently. A bad line gives a Problem naming ``path:line`` and reading goes
on: malformed JSON T004, a missing id or text T005, a wrong type for id or text T010 (line rejected), a
wrong type for an optional field T010 as a warning (the field is dropped, the report kept), a lone
surrogate escape such as ``"\\ud800"`` T010 as a warning (replaced by U+FFFD), empty text T011, a line
longer than ``max_line_bytes`` T012 (it is read in chunks and never held whole).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from tocsin.errors import E
from tocsin.model import Report
from tocsin.sources.common import published_of, short
from tocsin.sources.problem import WARNING, Problem, problem
from tocsin.sources.text import clean_text, decode

__all__ = ["OPTIONAL_FIELDS", "read_jsonl"]

OPTIONAL_FIELDS = ("title", "published", "source", "url", "language")
_CHUNK = 1 << 20
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line bytes without the newline), or None as the bytes when the line exceeds ``limit``."""
    number = 0
    while True:
        part = stream.readline(_CHUNK)
        if not part:
            return
        number += 1
        parts = [part]
        size = len(part)
        while not part.endswith(b"\n"):
            part = stream.readline(_CHUNK)
            if not part:
                break
            size += len(part)
            if size <= limit + 1:
                parts.append(part)
            else:
                parts = []
        if size - (1 if part.endswith(b"\n") else 0) > limit:
            yield number, None
            continue
        line = b"".join(parts)
        yield number, line[:-1] if line.endswith(b"\n") else line


def _optional(record: dict[str, Any], key: str, where: str) -> tuple[str | None, Problem | None]:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return value, None
    return None, problem(E.T010, where, WARNING, where=where, field=key, expected="a string", value=short(value))


def _without_surrogates(record: dict[str, Any], where: str) -> Iterator[Problem]:
    """Replace lone surrogates (from ``\\ud800``-style escapes; unencodable, so unstorable) with U+FFFD."""
    for key, value in record.items():
        if isinstance(value, str) and _SURROGATE.search(value):
            record[key] = _SURROGATE.sub("\ufffd", value)
            expected = "text without lone surrogates (replaced by U+FFFD)"
            yield problem(E.T010, where, WARNING, where=where, field=key, expected=expected, value=short(value, 40))


def _report(record: dict[str, Any], where: str) -> Iterator[Report | Problem]:
    for key in ("id", "text"):
        if record.get(key) is None or record.get(key) == "":
            path, _, line = where.rpartition(":")
            yield problem(E.T005, where, path=path, line=line, field=key)
            return
    raw_id, text = record["id"], record["text"]
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    for key, value in (("id", raw_id), ("text", text)):
        if not isinstance(value, str):
            yield problem(E.T010, where, where=where, field=key, expected="a string", value=short(value))
            return
    text = clean_text(text)
    if not text:
        yield problem(E.T011, where, where=where)
        return
    fields: dict[str, str | None] = {}
    for key in OPTIONAL_FIELDS:
        fields[key], warning = _optional(record, key, where)
        if warning is not None:
            yield warning
    published, warning = published_of(fields["published"], where)
    if warning is not None:
        yield warning
    yield Report(
        id=raw_id,
        text=text,
        title=fields["title"] or None,
        published=published,
        source=fields["source"] or None,
        url=fields["url"] or None,
        language=fields["language"] or None,
        origin=where,
    )


def read_jsonl(stream: BinaryIO, path: str, max_line_bytes: int) -> Iterator[Report | Problem]:
    """Reports and problems of a JSONL stream, in line order."""
    for number, raw in _lines(stream, max_line_bytes):
        where = f"{path}:{number}"
        if raw is None:
            yield problem(E.T012, where, path=path, line=number, limit=max_line_bytes)
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        line, fallback = decode(raw)
        if fallback:
            yield problem(E.T003, where, WARNING, path=where, fallback=fallback)
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield problem(E.T004, where, path=path, line=number, detail=detail)
            continue
        if not isinstance(record, dict):
            yield problem(
                E.T010, where, where=where, field="line", expected="a JSON object", value=type(record).__name__
            )
            continue
        if "\\ud" in line or "\\uD" in line:
            yield from _without_surrogates(record, where)
        yield from _report(record, where)
