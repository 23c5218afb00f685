"""CAP sources (``kind = "cap"``): follow an authority's index feed of CAP alerts and import new ones as drafts.

The source's URL is an Atom or RSS index of CAP alerts (or one CAP message). Each new entry's alert
is taken from the entry when it is embedded, else fetched from its CAP link (resolved against the
page's URL), and stored through :meth:`tocsin.warnings.store.WarningStore.import_cap` as a **draft**:
the watcher never publishes an alert or an Update (the authority's own Cancel of an alert an operator
published takes effect at once: ``import_cap``). ``rel="next"`` pages are followed while they still hold unseen entries
(up to ``MAX_PAGES`` per poll). A link or alert repeated within the feed is read once.

One entry never stops the others: an alert that cannot be fetched or read is a fault of the source
(``watch_faults``) and the round goes on. What is retried: a link answering 404/410 or a message
tocsin refuses is recorded as seen and not fetched again (the same bytes would fail again); timeouts,
5xx answers and HTML pages served instead of XML are tried again at the next poll.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from urllib.parse import urljoin

from tocsin.errors import CapError, InputError
from tocsin.warnings.cap import safe_parse
from tocsin.warnings.feed import MAX_FEED_BYTES, FeedEntry, next_page, read_feed
from tocsin.warnings.repair import alert_bytes, find_alerts
from tocsin.warnings.store import WarningStore
from tocsin.watch.config import Source
from tocsin.watch.fetch import Fetcher
from tocsin.watch.state import ItemRow, WatchStore, stored_key

__all__ = ["MAX_PAGES", "CapPoll", "poll_cap_source"]

MAX_PAGES = 5
_GONE = (404, 410)


@dataclasses.dataclass
class CapPoll:
    """What one poll of a CAP source did."""

    new: int = 0
    """Entries not seen before (after the per-round cap)."""
    imported: int = 0
    """Alerts stored as drafts (or found already stored: the same message)."""
    failed: int = 0
    """Entries whose alert could not be fetched or read (each also a fault)."""
    unseen: int = 0
    """Unseen entries found, before the per-round cap."""


@dataclasses.dataclass(frozen=True)
class _Item:
    key: str
    url: str | None
    feed_url: str
    alert: bytes | None


def _digest(data: bytes) -> str:
    """The seen-key of an alert read from its bytes."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _items(entries: list[FeedEntry], page_url: str) -> list[_Item]:
    items = []
    for entry in entries:
        url = urljoin(page_url, entry.cap_url) if entry.cap_url else None
        if entry.alert_xml is not None:
            key = _digest(entry.alert_xml)
        elif url is not None:
            key = stored_key(url)  # a link too long to be its own key: its SHA-256
        else:
            continue  # no alert and no link: nothing to follow (the index may list other things)
        items.append(_Item(key, url, page_url, entry.alert_xml))
    return items


def _page_items(data: bytes, url: str) -> tuple[list[_Item], str | None]:
    """The items of one fetched page and its next page's URL. Raises CapError/InputError for a bad page."""
    root = safe_parse(data, url, MAX_FEED_BYTES)
    alerts = find_alerts(root)
    if alerts and alerts[0] is root:  # the source is one CAP message, not an index
        return [_Item(_digest(data), url, url, data)], None
    try:
        entries = read_feed(root, url)
    except CapError:
        if not alerts:
            raise
        bodies = [alert_bytes(a) for a in alerts]  # e.g. an EDXL-DE distribution of alerts
        return [_Item(_digest(b), url, url, b) for b in bodies], None
    following = next_page(root, url)
    return _items(entries, url), urljoin(url, following) if following else None


async def poll_cap_source(warnings: WarningStore, watch: WatchStore, fetcher: Fetcher, source: Source, body: bytes,
                          fetched_at: dt.datetime, max_new: int) -> CapPoll:
    """Import the new alerts of a fetched CAP index page (and its next pages). Raises CapError/InputError
    when the first page itself is not a CAP index or message (the caller records the source's failure).
    Pass the same ``warnings`` store every poll: it caches the messages it has parsed."""
    poll = CapPoll()
    items, following = _page_items(body, source.url)
    pages = {source.url}
    seen_keys: set[str] = set()
    fresh: list[_Item] = []
    while True:
        keys = [i.key for i in items]
        seen = watch.seen_keys(source.name, keys)
        page_fresh = []
        for item in items:
            if item.key not in seen and item.key not in seen_keys:
                seen_keys.add(item.key)
                page_fresh.append(item)
        fresh.extend(page_fresh)
        if not page_fresh or following is None or following in pages or len(pages) >= MAX_PAGES:
            break
        pages.add(following)
        result = await fetcher.get(following)
        if not result.ok:
            watch.fault(source.name, f"next page {following}: {result.error or f'HTTP {result.status}'}")
            break
        try:
            items, next_url = _page_items(result.body, following)
        except (CapError, InputError) as exc:
            watch.fault(source.name, f"next page {following}: {exc.message}")
            break
        following = next_url
    poll.unseen = len(fresh)
    fresh = fresh[:max_new]
    poll.new = len(fresh)
    rows = []
    for item in fresh:
        data = item.alert
        where = item.url or item.feed_url
        if data is None:
            assert item.url is not None
            result = await fetcher.get(item.url)
            if not result.ok:
                poll.failed += 1
                gone = result.status in _GONE
                watch.fault(source.name, f"CAP {item.url}: {result.error or f'HTTP {result.status}'}"
                                         + ("; not fetched again" if gone else "; tried again at the next poll"))
                if gone:
                    rows.append(ItemRow(source.name, item.key, "", item.url, item.feed_url, fetched_at))
                continue
            data = result.body
        try:
            stored = warnings.import_cap(data, f"watch:{source.name}", where, reorder=source.reorder)
        except (CapError, InputError) as exc:
            poll.failed += 1
            transient = exc.code == "T414"  # an error page served instead of the alert
            watch.fault(source.name, f"CAP {where}: {exc.message}"
                                     + ("; tried again at the next poll" if transient else ""))
            if not transient:
                rows.append(ItemRow(source.name, item.key, "", item.url, item.feed_url, fetched_at))
            continue
        poll.imported += 1
        digest = hashlib.sha256(stored.cap_xml).hexdigest()
        rows.append(ItemRow(source.name, item.key, digest, item.url, item.feed_url, fetched_at))
    watch.record_items(rows)
    return poll
