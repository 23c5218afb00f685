"""RSS and Atom feeds: each entry is one report.

Parsed by feedparser from bytes already in memory, so nothing is ever fetched. A document that declares
entities in a DOCTYPE (the XML external-entity and "billion laughs" attacks) is refused before parsing
(T009). For each entry: id = the entry's id, else its link, else ``sha256:`` and the first 16 hex digits
of the text's content hash; text = its content, else its summary, else its title (alert indexes carry
only a headline), HTML stripped; title; published = the entry's published, else updated, time; url = its
link; source = the feed's title; language = the entry's or the feed's.
An entry's origin is ``path#n`` (n counts entries from 1). An entry without text is T005.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Iterator
from typing import Any

from tocsin.errors import E
from tocsin.model import Report
from tocsin.sources.common import published_of
from tocsin.sources.html import fragment_to_text
from tocsin.sources.problem import Problem, problem
from tocsin.sources.text import clean_text, content_hash

__all__ = ["declares_entities", "read_feed"]

_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_:]")


def declares_entities(data: bytes) -> bool:
    """Whether an XML document declares entities, i.e. ``<!ENTITY`` appears before its root element.

    Looking only at the prolog keeps feeds that merely mention ``<!ENTITY`` in their content readable.
    """
    if b"\x00" in data[:1024]:  # UTF-16 or UTF-32: look at the ASCII bytes only
        data = data.replace(b"\x00", b"")
    root = _ELEMENT_START.search(data)
    prolog = data[: root.start()] if root else data
    return _ENTITY.search(prolog) is not None


def _text_of(detail: Any) -> str:
    value = str(detail.get("value") or "")
    if str(detail.get("type") or "") == "text/plain":
        return clean_text(value)
    return fragment_to_text(value)


def _entry_text(entry: Any) -> str:
    for content in entry.get("content") or []:
        text = _text_of(content)
        if text:
            return text
    for key in ("summary", "title"):
        detail = entry.get(f"{key}_detail")
        text = _text_of(detail) if detail else clean_text(str(entry.get(key) or ""))
        if text:
            return text
    return ""


def _entry_published(entry: Any, where: str) -> tuple[dt.datetime | None, Problem | None]:
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        published, warning = published_of(str(raw), where)
        if published is None:
            parsed = entry.get(f"{key}_parsed")
            if isinstance(parsed, time.struct_time):
                return dt.datetime(*parsed[:6], tzinfo=dt.UTC), None
        return published, warning
    return None, None


def read_feed(data: bytes, path: str, stem: str) -> Iterator[Report | Problem]:
    """Reports and problems of an RSS or Atom document, in entry order."""
    if declares_entities(data):
        detail = "declares XML entities in a DOCTYPE; refused without resolving them"
        yield problem(E.T009, path, path=path, detail=detail)
        return
    import feedparser  # here, not at the top: it takes ~0.2 s to import and only feeds need it

    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False, sanitize_html=True)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = str(reason) if reason else "no <rss>, <feed> or <rdf:RDF> root element"
        yield problem(E.T009, path, path=path, detail=detail[:200])
        return
    feed_title = clean_text(str(parsed.feed.get("title") or "")) or None
    feed_language = parsed.feed.get("language")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#{number}"
        text = _entry_text(entry)
        if not text:
            yield problem(E.T005, where, path=path, line=f"entry {number}", field="text")
            continue
        published, warning = _entry_published(entry, where)
        if warning is not None:
            yield warning
        title = entry.get("title_detail")
        yield Report(
            id=str(entry.get("id") or entry.get("link") or "sha256:" + content_hash(text)[:16]),
            text=text,
            title=(_text_of(title) if title else None) or None,
            published=published,
            source=feed_title,
            url=entry.get("link") or None,
            language=entry.get("language") or feed_language or None,
            origin=where,
        )
