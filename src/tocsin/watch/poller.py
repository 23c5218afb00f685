"""The watcher: poll due sources concurrently, ingest what is new, fold syndicated copies, alert on rules.

One round: every due source is fetched at once (per-host cap in the :class:`Fetcher`), each in its own
task, so a slow or broken source only delays itself. Each source's new items are then stored in the
order the fetches finish: article pages fetched when configured, near-duplicates of a stored story
linked to its family instead of extracted again, the rest ingested through
:func:`tocsin.ingestion.ingest_reports`. Item keys are recorded only after their reports are stored,
so a process stopped at any point re-reads, de-duplicates (content hash) and never skips.
Failures back off exponentially with jitter (``Retry-After`` is honoured when longer).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from tocsin.extraction import Extractor
from tocsin.ingestion import ingest_reports
from tocsin.model import Report
from tocsin.sources import Problem, content_hash
from tocsin.sources.feeds import read_feed
from tocsin.sources.html import read_html
from tocsin.sources.text import clean_text
from tocsin.store import Store
from tocsin.watch.config import Source
from tocsin.watch.families import FamilyIndex, band_keys, signature
from tocsin.watch.fetch import Fetcher, FetchResult
from tocsin.watch.slim import slim_feed
from tocsin.watch.state import ItemRow, SourceState, WatchStore, utcnow

__all__ = ["RoundSummary", "Watcher", "encoding_problem", "parse_items"]

MAX_BACKOFF_S = 3600.0
STAGGER = 0.1
MIN_ARTICLE_CHARS = 200
FUTURE_SLACK = dt.timedelta(days=1)


#: Content types no feed or page comes as: refused before parsing.
_BINARY = ("image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip")
_EXPECTED = {"rss": "XML", "atom": "XML", "json": "JSON", "html": "HTML", "cap": "XML"}
_FITS = {"rss": ("xml", "rss", "atom"), "atom": ("xml", "rss", "atom"), "json": ("json",), "html": ("html", "xml"),
         "cap": ("xml", "rss", "atom", "cap")}


def _with_type(kind: str, mime: str, reason: str) -> str:
    """``reason`` why a source's body could not be read, naming its content type when that does not fit ``kind``."""
    if mime and not any(word in mime for word in _FITS[kind]):
        return f"wrong content type {mime!r} (expected {_EXPECTED[kind]}): {reason}"
    return reason


_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def encoding_problem(body: bytes, content_type: str | None) -> str | None:
    """Why ``body`` does not decode in its declared charset (header, XML declaration, else UTF-8); None if it does."""
    charset = None
    for param in (content_type or "").split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    if charset is None:
        declared = _XML_ENCODING.match(body[:300])
        charset = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    try:
        body.decode(charset)
    except LookupError:
        return f"unknown character encoding {charset!r} declared; the text was decoded by guessing"
    except UnicodeDecodeError as exc:
        return (f"invalid encoding: byte {exc.start} is not valid {charset}; the text was decoded leniently "
                "(check the characters)")
    return None


@dataclass
class RoundSummary:
    polled: int = 0
    not_modified: int = 0
    errors: int = 0
    new_items: int = 0
    ingested: int = 0
    linked: int = 0
    alerts: int = 0
    cap_imported: int = 0
    """CAP alerts stored as drafts from ``kind = "cap"`` sources."""
    new_hashes: list[str] = field(default_factory=list)


def _json_feed(data: bytes, url: str) -> Iterator[Report | Problem]:
    from tocsin.errors import E
    from tocsin.sources.problem import problem

    try:
        doc = json.loads(data)
        items = doc["items"]
        if not isinstance(items, list):
            raise TypeError("items is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        yield problem(E.T009, url, path=url, detail=f"not a JSON Feed: {exc}"[:200])
        return
    from tocsin.sources.html import fragment_to_text
    from tocsin.sources.published import parse_published

    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            continue
        text = clean_text(str(item.get("content_text") or "")) or fragment_to_text(str(item.get("content_html") or ""))
        text = text or clean_text(str(item.get("summary") or item.get("title") or ""))
        if not text:
            yield problem(E.T005, f"{url}#{number}", path=url, line=f"item {number}", field="text")
            continue
        published = parse_published(str(item["date_published"])) if item.get("date_published") else None
        yield Report(id=str(item.get("id") or item.get("url") or "sha256:" + content_hash(text)[:16]), text=text,
                     title=item.get("title"), published=published, source=doc.get("title"), url=item.get("url"),
                     language=item.get("language") or doc.get("language"), origin=f"{url}#{number}")


def parse_items(source: Source, data: bytes) -> list[Report | Problem]:
    """The reports (and problems) in one fetched document of ``source``'s kind."""
    if source.kind == "json":
        return list(_json_feed(data, source.url))
    if source.kind == "html":
        return list(read_html(data, source.url, source.name))
    return list(read_feed(data, source.url, source.name))


class Watcher:
    """Polls the sources of a store; ``run_once()`` for one round, ``run(stop)`` until stopped."""

    def __init__(
        self,
        store: Store,
        sources: list[Source] | None = None,
        *,
        extractor: Extractor | None = None,
        fetcher_options: dict[str, float | int | str] | None = None,
        max_new_per_round: int = 2000,
        notifier: Callable[[list[str], dt.datetime], int] | None = None,
        rng: random.Random | None = None,
        drafts: bool = True,
    ) -> None:
        self.store = store
        self.ws = WatchStore(store)
        if sources is not None:
            self.ws.sync_sources(sources)
        # read from the configuration each run, not stored with the source's state
        self._reorder = {s.name for s in sources or () if s.reorder}
        self.extractor = extractor
        self.fetcher_options = dict(fetcher_options or {})
        self.max_new_per_round = max_new_per_round
        self.notifier = notifier
        self.rng = rng or random.Random()
        self.drafts = drafts
        self.families = FamilyIndex()
        self._family_hash: dict[int, str] = {}
        self._unseen = 0
        self._trimmed = False
        self._not_modified: list[tuple[str, dict[str, object]]] = []
        self._warnings: Any = None  # a WarningStore, made when a CAP source is first polled
        self._load_families()

    def _load_families(self) -> None:
        for fid, data in self.ws.family_signatures():
            self.families.add(fid, FamilyIndex.from_bytes(data))

    # scheduling ---------------------------------------------------------------------------------
    def due(self, now: dt.datetime) -> list[SourceState]:
        return [s for s in self.ws.states(now) if s.next_poll_at is None or s.next_poll_at <= now]

    def _next_poll(self, now: dt.datetime, source: Source) -> dt.datetime:
        """Up to ``STAGGER`` of the interval early, at random: sources added together drift apart.

        Otherwise every source polled in one round comes due in the same later round, and the
        rounds are bursts of hundreds of fetches with idle time between. Never later than the
        interval, so an item is still seen within one interval of its publication.
        """
        return now + dt.timedelta(seconds=source.interval_s * (1.0 - STAGGER * self.rng.random()))

    def _backoff_s(self, state: SourceState, errors: int, retry_after: float | None) -> float:
        base = min(MAX_BACKOFF_S, state.source.interval_s * 2 ** min(errors, 12))
        delay = base * self.rng.uniform(0.8, 1.2)
        return max(delay, retry_after or 0.0)

    # one round ----------------------------------------------------------------------------------
    def run_once(self, now: dt.datetime | None = None, stop: threading.Event | None = None) -> RoundSummary:
        return asyncio.run(self.round(now, stop))

    async def round(self, now: dt.datetime | None = None, stop: threading.Event | None = None) -> RoundSummary:
        now = now or utcnow()
        summary = RoundSummary()
        due = self.due(now)
        async with Fetcher(**self.fetcher_options) as fetcher:  # type: ignore[arg-type]
            tasks = {asyncio.ensure_future(self._fetch(fetcher, s)): s for s in due}
            self._not_modified = []
            try:
                for done in asyncio.as_completed(tasks):
                    state, result = await done
                    if stop is not None and stop.is_set():
                        break  # not stored: this source is polled again (same items) after a restart
                    await self._handle(fetcher, state, result, now, summary)
            finally:
                self.ws.update_sources(self._not_modified)  # lost on a crash: those sources are just polled again
                for task in tasks:
                    task.cancel()
        if self.notifier is not None:  # every round: due digests and retries go out without new reports
            summary.alerts = self.notifier(summary.new_hashes, now)
        return summary

    async def _fetch(self, fetcher: Fetcher, state: SourceState) -> tuple[SourceState, FetchResult]:
        return state, await fetcher.get(state.source.url, etag=state.etag, last_modified=state.last_modified)

    async def _handle(
        self, fetcher: Fetcher, state: SourceState, result: FetchResult, now: dt.datetime, summary: RoundSummary
    ) -> None:
        source = state.source
        summary.polled += 1
        fetched_at = utcnow()
        if result.not_modified:  # written with the round's other 304s in one transaction
            summary.not_modified += 1
            self._not_modified.append((source.name, {
                "last_fetch_at": fetched_at, "last_status": 304, "consecutive_errors": 0, "last_error": None,
                "next_poll_at": self._next_poll(now, source)}))
            return
        if not result.ok:
            self._failed(state, result.error or f"HTTP {result.status}", result, now, summary)
            return
        mime = (result.content_type or "").split(";")[0].strip().lower()
        if mime.startswith(_BINARY):
            expected = _EXPECTED[source.kind]
            reason = f"wrong content type {mime!r} for a {source.kind} source (expected {expected}); not read"
            self._failed(state, reason, result, now, summary)
            return
        body = result.body
        if source.kind != "html":  # read_html reports its own decoding fallbacks (T003)
            bad_encoding = encoding_problem(body, result.content_type)
            if bad_encoding:
                self.ws.fault(source.name, bad_encoding)
        if source.kind == "cap":
            await self._handle_cap(fetcher, state, result, now, fetched_at, mime, summary)
            return
        if source.kind in ("rss", "atom"):
            body = slim_feed(body, lambda keys: self.ws.seen_keys(source.name, keys), self.max_new_per_round)
        self._trimmed = body is not result.body
        items = parse_items(source, body)
        rejected = [p for p in items if isinstance(p, Problem) and p.severity == "rejected"]
        if rejected and not any(isinstance(i, Report) for i in items):
            self._failed(state, _with_type(source.kind, mime, rejected[0].message), result, now, summary)
            return
        for p in items:
            if isinstance(p, Problem):
                self.ws.fault(source.name, p.message)
        reports = [r for r in items if isinstance(r, Report)]
        stored = await self._store_new(fetcher, source, reports, fetched_at, summary)
        self._succeeded(state, result, now, fetched_at, stored, more=stored < self._unseen or self._trimmed)

    def _succeeded(self, state: SourceState, result: FetchResult, now: dt.datetime, fetched_at: dt.datetime,
                   stored: int, *, more: bool) -> None:
        """Record a read poll that stored ``stored`` new items; ``more``: items wait, so no 304 may hide them."""
        values: dict[str, object] = {
            "last_fetch_at": fetched_at, "last_status": result.status, "consecutive_errors": 0, "last_error": None,
            "etag": result.etag, "last_modified": result.last_modified,
            "next_poll_at": self._next_poll(now, state.source), "items_total": state.items_total + stored}
        if stored:
            values["last_new_at"] = fetched_at
        if more:
            values.update(etag=None, last_modified=None)  # more items wait: no 304 may hide them next round
        self.ws.update_source(state.source.name, **values)

    async def _handle_cap(self, fetcher: Fetcher, state: SourceState, result: FetchResult, now: dt.datetime,
                          fetched_at: dt.datetime, mime: str, summary: RoundSummary) -> None:
        """A CAP source: new alerts of its index become warning drafts (``tocsin.watch.capfeeds``)."""
        from tocsin.errors import CapError, InputError
        from tocsin.watch.capfeeds import poll_cap_source

        source = replace(state.source, reorder=state.source.name in self._reorder)
        if self._warnings is None:
            from tocsin.warnings.store import WarningStore

            self._warnings = WarningStore(self.store)  # kept: its cache of parsed messages serves every poll
        try:
            poll = await poll_cap_source(self._warnings, self.ws, fetcher, source, result.body, fetched_at,
                                         self.max_new_per_round)
        except (CapError, InputError) as exc:
            self._failed(state, _with_type("cap", mime, exc.message), result, now, summary)
            return
        summary.new_items += poll.new
        summary.cap_imported += poll.imported
        # entries wait or failed ones are retried: no 304 may hide them
        self._succeeded(state, result, now, fetched_at, poll.imported, more=poll.unseen > poll.new or bool(poll.failed))

    def _failed(self, state: SourceState, reason: str, result: FetchResult, now: dt.datetime,
                summary: RoundSummary) -> None:
        summary.errors += 1
        errors = state.consecutive_errors + 1
        delay = self._backoff_s(state, errors, result.retry_after_s)
        self.ws.fault(state.source.name, reason)
        self.ws.update_source(state.source.name, last_fetch_at=utcnow(), last_status=result.status,
                              consecutive_errors=errors, last_error=reason[:2000],
                              next_poll_at=now + dt.timedelta(seconds=delay))

    async def _store_new(self, fetcher: Fetcher, source: Source, reports: list[Report], fetched_at: dt.datetime,
                         summary: RoundSummary) -> int:
        keys = [r.id for r in reports]
        seen = self.ws.seen_keys(source.name, keys)
        fresh: list[Report] = []
        picked: set[str] = set()
        for r in reports:
            if r.id not in seen and r.id not in picked:
                picked.add(r.id)
                fresh.append(r)
        self._unseen = len(fresh)
        fresh = fresh[: self.max_new_per_round]
        summary.new_items += len(fresh)
        undated = [r.id for r in fresh if r.published is None]
        if undated:
            self.ws.fault(source.name, f"{len(undated)} new item(s) without a published date (first: {undated[0]}); "
                                       "stored without one")
        to_ingest: list[Report] = []
        rows: list[ItemRow] = []
        new_families: list[tuple[str, object]] = []
        for report in fresh:
            report = replace(report, source=report.source or source.name,
                             language=report.language or source.language)
            if report.published is not None and report.published > fetched_at + FUTURE_SLACK:
                self.ws.fault(source.name, f"item {report.id}: published {report.published.isoformat()} is in the "
                                           "future; stored without a published time")
                report = replace(report, published=None)
            if source.fetch_article and report.url:
                report = await self._article(fetcher, source, report)
            digest = content_hash(report.text)
            sig = signature(report.text)
            fid, _ = self.families.find(sig)
            if fid is not None:  # a copy of a stored story (families are made only after their report is stored)
                self.ws.add_member(fid, report.url or report.id, report.source, digest)
                rows.append(ItemRow(source.name, report.id, self._hash_of(fid), report.url, source.url, fetched_at,
                                    fid))
                summary.linked += 1
                continue
            to_ingest.append(report)
            new_families.append((digest, sig))
            rows.append(ItemRow(source.name, report.id, digest, report.url, source.url, fetched_at, fid))
        if to_ingest:
            result = await asyncio.to_thread(
                ingest_reports, to_ingest, self.store, extractor=self._extractor(), drafts=self.drafts
            )
            summary.ingested += result.new
            summary.new_hashes.extend(content_hash(r.text) for r in to_ingest)
        by_hash: dict[str, int] = {}
        for (digest, sig), report in zip(new_families, to_ingest, strict=True):
            fid = by_hash.get(digest) or self.ws.family_of(digest)
            if fid is None:
                fid, _ = self.families.find(sig)  # type: ignore[arg-type]
                if fid is not None:  # a copy of a story first seen earlier in this same batch
                    self.ws.add_member(fid, report.url or report.id, report.source, digest)
                else:
                    fid = self.ws.add_family(digest, FamilyIndex.to_bytes(sig), band_keys(sig))  # type: ignore[arg-type]
                    self.families.add(fid, sig)  # type: ignore[arg-type]
                    self._family_hash[fid] = digest
                    self.ws.add_member(fid, report.url or report.id, report.source, digest)
            by_hash[digest] = fid
        rows = [replace(r, family_id=r.family_id or by_hash.get(r.content_hash)) for r in rows]
        return self.ws.record_items(rows)

    def _hash_of(self, fid: int) -> str:
        if fid not in self._family_hash:
            from tocsin.store.watch_tables import watch_families

            with self.store.engine.connect() as conn:
                found = conn.execute(watch_families.select().where(watch_families.c.id == fid)).mappings().first()
            self._family_hash[fid] = found["content_hash"] if found else ""
        return self._family_hash[fid]

    async def _article(self, fetcher: Fetcher, source: Source, report: Report) -> Report:
        """The report with its article page's main text; the feed's text kept (and a fault recorded) on failure."""
        assert report.url is not None
        result = await fetcher.get(report.url)
        if not result.ok:
            self.ws.fault(source.name, f"article {report.url}: {result.error or result.status}")
            return report
        page = [r for r in read_html(result.body, report.url, source.name) if isinstance(r, Report)]
        if not page or len(page[0].text) < MIN_ARTICLE_CHARS:
            reason = f"article {report.url}: page has under {MIN_ARTICLE_CHARS} characters of text " \
                     "(paywall or error page?); the feed's text is kept"
            self.ws.fault(source.name, reason)
            return report
        return replace(report, text=page[0].text, title=report.title or page[0].title,
                       published=report.published or page[0].published)

    def _extractor(self) -> Extractor:
        if self.extractor is None:
            self.extractor = Extractor(places=self.store.places())
        return self.extractor

    # long-running -------------------------------------------------------------------------------
    def run(self, stop: threading.Event, *, tick_s: float = 1.0) -> int:
        """Rounds until ``stop`` is set; returns the number of rounds. Items in hand are stored before exiting."""
        rounds = 0
        while not stop.is_set():
            self.run_once(stop=stop)
            rounds += 1
            states = self.ws.states()
            upcoming = [s.next_poll_at for s in states if s.next_poll_at is not None]
            wake = getattr(self.notifier, "next_wake", None)  # a due digest or retry (Notifier)
            if isinstance(wake, dt.datetime):
                upcoming.append(wake)
            wait = tick_s
            if upcoming:
                wait = max(0.05, min(tick_s * 30, (min(upcoming) - utcnow()).total_seconds()))
            stop.wait(min(wait, 60.0))
        return rounds
