"""Plain-text reports: one file is one report, with an optional header block.

The header is a block of ``Key: value`` lines at the very top of the file, ended by a blank line::

    Title: Clashes in Aleppo's Sheikh Maqsoud
    Published: 2026-01-08T10:15:00+03:00
    Source: Levant Wire
    URL: https://example.org/aleppo-clashes
    Language: en
    ID: lw-2026-0108-01

    ALEPPO, Syria (Levant Wire) - Fighting broke out ...

Keys are case-insensitive: Title, Published, Source, URL, Language, ID. The block counts as a header only
when every line before the first blank line is ``Key: value`` and at least one key is known; otherwise the
whole file is the text. Unknown keys in a header are ignored with a warning (T015). Without a header the
title is None and the id is the file's stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tocsin.errors import E
from tocsin.model import Report
from tocsin.sources.common import published_of
from tocsin.sources.problem import WARNING, Problem, problem
from tocsin.sources.text import clean_text, decode

__all__ = ["HEADER_KEYS", "read_txt", "split_header"]

HEADER_KEYS = ("title", "published", "source", "url", "language", "id")
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,30}):[ \t]*(.*)")
_MAX_HEADER_LINES = 30


def split_header(text: str) -> tuple[dict[str, str], list[str], str]:
    """(known keys -> values, unknown keys, body). No header gives ``({}, [], text)``."""
    lines = text.split("\n", _MAX_HEADER_LINES + 1)
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for number, line in enumerate(lines[: _MAX_HEADER_LINES + 1]):
        if not line.strip():
            if number == 0:
                return {}, [], text
            if not fields:
                return {}, [], text
            return fields, unknown, "\n".join(lines[number + 1 :])
        match = _HEADER_LINE.fullmatch(line.rstrip())
        if match is None:
            return {}, [], text
        key, value = match.group(1).strip().lower(), match.group(2).strip()
        if key in HEADER_KEYS:
            fields.setdefault(key, value)
        else:
            unknown.append(match.group(1).strip())
    return {}, [], text


def read_txt(data: bytes, path: str, stem: str) -> Iterator[Report | Problem]:
    """The one report in a text file, after its warnings."""
    text, fallback = decode(data)
    if fallback:
        yield problem(E.T003, path, WARNING, path=path, fallback=fallback)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fields, unknown, body = split_header(text)
    for key in unknown:
        yield problem(E.T015, path, WARNING, path=path, key=key, known=", ".join(k.title() for k in HEADER_KEYS))
    body = clean_text(body)
    if not body:
        yield problem(E.T011, path, where=path)
        return
    published, warning = published_of(fields.get("published"), path)
    if warning is not None:
        yield warning
    yield Report(
        id=fields.get("id") or stem,
        text=body,
        title=fields.get("title") or None,
        published=published,
        source=fields.get("source") or None,
        url=fields.get("url") or None,
        language=fields.get("language") or None,
        origin=path,
    )
