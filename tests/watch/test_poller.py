"""The poller against real HTTP servers on loopback: new items, 304, hangs, 500, 429, bad feeds, caps."""

from __future__ import annotations

import datetime as dt
import random
import time
from pathlib import Path

import pytest
from watchkit import Loopback, Route, rss

from tocsin.store import Store
from tocsin.watch.config import Source
from tocsin.watch.poller import Watcher, encoding_problem
from tocsin.watch.state import WatchStore

T0 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
FAST = {"connect_timeout_s": 5.0, "read_timeout_s": 1.0, "deadline_s": 2.0}

STORY = [
    ("a1", "Government forces shelled Kafr Nabl in Idlib on Monday, killing three civilians, residents said."),
    ("a2", "Protesters gathered in central Khartoum on Tuesday to demand the release of detained activists."),
    ("a3", "An airstrike hit a market in Maarat al-Numan on Wednesday, killing five people, a monitor said."),
]


def _items(keys: list[str], base: str) -> list[tuple[str, str, str]]:
    texts = dict(STORY)
    return [(k, f"{base}/story/{k}", texts[k]) for k in keys]


def _watcher(store: Store, sources: list[Source], extractor: object, **kw: object) -> Watcher:
    return Watcher(store, sources, extractor=extractor, fetcher_options=FAST, rng=random.Random(7),  # type: ignore[arg-type]
                   drafts=False, **kw)  # type: ignore[arg-type]


def test_new_items_then_304_then_one_more(loopback: Loopback, db_path: Path, extractor: object) -> None:
    loopback.routes["/f"] = Route(body=rss(_items(["a1", "a2"], loopback.base)), etag='"v1"')
    source = Source("wire", loopback.url("/f"), interval_s=60)
    with Store(db_path) as store:
        w = _watcher(store, [source], extractor)
        first = w.run_once(T0)
        assert (first.new_items, first.ingested) == (2, 2)
        assert w.run_once(T0 + dt.timedelta(seconds=30)).polled == 0  # not due before its interval
        second = w.run_once(T0 + dt.timedelta(seconds=60))
        assert (second.polled, second.not_modified, second.new_items) == (1, 1, 0)
        assert loopback.hits("/f")[-1].get("If-None-Match") == '"v1"'
        loopback.routes["/f"] = Route(body=rss(_items(["a1", "a2", "a3"], loopback.base)), etag='"v2"')
        third = w.run_once(T0 + dt.timedelta(seconds=120))
        assert (third.new_items, third.ingested) == (1, 1)
        ws = WatchStore(store)
        assert [i.item_key for i in ws.items("wire")] == ["a1", "a2", "a3"]
        assert all(i.feed_url == source.url and i.fetched_at is not None for i in ws.items("wire"))
        assert len(store.reports()) == 3
        state = ws.states()[0]
        assert (state.etag, state.consecutive_errors, state.items_total) == ('"v2"', 0, 3)


def test_hanging_source_times_out_and_others_keep_their_schedule(
    loopback: Loopback, db_path: Path, extractor: object
) -> None:
    loopback.routes["/slow"] = Route(body=rss(_items(["a1"], loopback.base)), hang_s=30)
    loopback.routes["/ok"] = Route(body=rss(_items(["a2"], loopback.base)))
    sources = [Source("slow", loopback.url("/slow")), Source("ok", loopback.url("/ok"))]
    with Store(db_path) as store:
        started = time.monotonic()
        summary = _watcher(store, sources, extractor).run_once(T0)
        assert time.monotonic() - started < 25  # bounded by the 2 s deadline, not the 30 s hang
        assert (summary.polled, summary.errors, summary.ingested) == (2, 1, 1)
        states = {s.source.name: s for s in WatchStore(store).states()}
        assert "timed out" in (states["slow"].last_error or "")
        assert states["slow"].consecutive_errors == 1
        assert T0 + dt.timedelta(seconds=54) <= states["ok"].next_poll_at <= T0 + dt.timedelta(seconds=60)
        assert [r.report.source for r in store.reports()] == ["Test wire"]


def test_sources_polled_together_come_due_apart(loopback: Loopback, db_path: Path, extractor: object) -> None:
    loopback.routes["/f"] = Route(body=rss(_items(["a1"], loopback.base)), etag='"v1"')
    sources = [Source(f"feed{n}", loopback.url("/f"), interval_s=60) for n in range(12)]
    with Store(db_path) as store:
        w = _watcher(store, sources, extractor)
        assert w.run_once(T0).polled == 12
        due = sorted(s.next_poll_at for s in WatchStore(store).states() if s.next_poll_at is not None)
        assert len(set(due)) == 12  # not one burst at T0 + 60 s
        assert T0 + dt.timedelta(seconds=54) <= due[0] and due[-1] <= T0 + dt.timedelta(seconds=60)
        assert w.run_once(T0 + dt.timedelta(seconds=60)).polled == 12  # all within one interval


def test_500_then_recovers_with_backoff(loopback: Loopback, db_path: Path, extractor: object) -> None:
    loopback.routes["/f"] = Route(body=rss(_items(["a1"], loopback.base)), statuses=[500, 500])
    with Store(db_path) as store:
        w = _watcher(store, [Source("wire", loopback.url("/f"), interval_s=10)], extractor)
        ws = WatchStore(store)
        assert w.run_once(T0).errors == 1
        first = ws.states()[0]
        assert first.consecutive_errors == 1 and "HTTP 500" in (first.last_error or "")
        assert first.next_poll_at is not None and first.next_poll_at >= T0 + dt.timedelta(seconds=16)  # 2 x 10 s - 20 %
        assert w.run_once(first.next_poll_at).errors == 1
        second = ws.states()[0]
        assert second.next_poll_at is not None and second.next_poll_at - first.next_poll_at >= dt.timedelta(seconds=32)
        recovered = w.run_once(second.next_poll_at)
        assert (recovered.errors, recovered.ingested) == (0, 1)
        assert ws.states()[0].consecutive_errors == 0
        assert [f[2] for f in ws.faults("wire")] == ["HTTP 500 Internal Server Error"] * 2


def test_429_retry_after_is_honoured(loopback: Loopback, db_path: Path, extractor: object) -> None:
    loopback.routes["/f"] = Route(status=429, headers={"Retry-After": "900"})
    with Store(db_path) as store:
        _watcher(store, [Source("wire", loopback.url("/f"), interval_s=5)], extractor).run_once(T0)
        state = WatchStore(store).states()[0]
        assert state.last_status == 429
        assert state.next_poll_at is not None and state.next_poll_at >= T0 + dt.timedelta(seconds=900)


def test_malformed_feed_is_recorded_and_others_unaffected(
    loopback: Loopback, db_path: Path, extractor: object
) -> None:
    loopback.routes["/bad"] = Route(body=b"<html><body>Service temporarily unavailable</body></html>",
                                    content_type="text/html")
    loopback.routes["/ok"] = Route(body=rss(_items(["a1"], loopback.base)))
    with Store(db_path) as store:
        summary = _watcher(store, [Source("bad", loopback.url("/bad")), Source("ok", loopback.url("/ok"))],
                           extractor).run_once(T0)
        assert (summary.errors, summary.ingested) == (1, 1)
        states = {s.source.name: s for s in WatchStore(store).states()}
        assert "T009" in (states["bad"].last_error or "")
        assert states["ok"].last_error is None


@pytest.mark.parametrize(
    "route",
    [
        Route(body=b"x" * (20 * 1024 * 1024)),  # Content-Length declared: refused before reading
        Route(stream_bytes=20 * 1024 * 1024),  # no Content-Length: refused once the cap is passed
    ],
)
def test_20_mb_response_is_refused_at_the_cap(loopback: Loopback, db_path: Path, extractor: object,
                                              route: Route) -> None:
    loopback.routes["/big"] = route
    with Store(db_path) as store:
        options = {**FAST, "max_bytes": 10 * 1024 * 1024, "deadline_s": 20.0, "read_timeout_s": 10.0}
        w = Watcher(store, [Source("big", loopback.url("/big"))], extractor=extractor,  # type: ignore[arg-type]
                    fetcher_options=options, drafts=False)
        assert w.run_once(T0).errors == 1
        assert "cap" in (WatchStore(store).states()[0].last_error or "")
        assert store.reports() == []


def test_feed_of_10000_items_is_taken_in_slices(loopback: Loopback, db_path: Path, extractor: object) -> None:
    items = [(f"id{n}", f"{loopback.base}/s/{n}", f"Report number {n}: clashes were reported near village {n}.")
             for n in range(10_000)]
    loopback.routes["/huge"] = Route(body=rss(items), etag='"big"')
    with Store(db_path) as store:
        w = _watcher(store, [Source("huge", loopback.url("/huge"))], extractor, max_new_per_round=10)
        first = w.run_once(T0)
        assert (first.new_items, first.ingested) == (10, 10)
        assert WatchStore(store).states()[0].etag is None  # more items wait: the next poll must not get a 304
        second = w.run_once(T0 + dt.timedelta(seconds=60))
        assert second.new_items == 10
        keys = [i.item_key for i in WatchStore(store).items("huge")]
        assert sorted(keys) == sorted(f"id{n}" for n in range(20))


def test_future_date_is_recorded_and_dropped(loopback: Loopback, db_path: Path, extractor: object) -> None:
    body = rss(_items(["a1"], loopback.base)).replace(b"Fri, 20 Nov 2026", b"Mon, 20 Nov 2034")
    assert b"2034" in body
    loopback.routes["/f"] = Route(body=body)
    with Store(db_path) as store:
        assert _watcher(store, [Source("wire", loopback.url("/f"))], extractor).run_once(T0).ingested == 1
        assert store.reports()[0].report.published is None
        assert any("in the future" in reason for _, _, reason in WatchStore(store).faults("wire"))


ARTICLE_FEED = "Fighting was reported near Saraqib on Thursday, a monitor said."
PAYWALL = b"<html><head><title>Subscribe</title></head><body><p>Subscribe to read this article.</p></body></html>"
ERROR_200 = b"<html><body><h1>Oops</h1><p>Something went wrong. Page not found.</p></body></html>"


def _feed(base: str, **replace: bytes) -> bytes:
    body = rss(_items(["a2"], base))
    for old, new in replace.items():
        body = body.replace(old.encode(), new)
    return body


@pytest.mark.parametrize(
    ("case", "reason", "stored"),
    [
        ("unreachable", "unreachable host (connection failed)", 0),  # nothing listens on port 1
        ("tls", "TLS error", 0),  # https:// to a plain HTTP server
        ("redirect-loop", "redirect loop", 0),  # /loop redirects to itself
        ("binary-type", "wrong content type 'image/png'", 0),  # refused before parsing
        ("text-type", "wrong content type 'text/plain' (expected XML): [T009]", 0),  # not a feed, and said so
        ("bad-encoding", "invalid encoding: byte", 1),  # declared UTF-8, is not: item kept, fault recorded
        ("no-date", "1 new item(s) without a published date (first: a2)", 1),  # stored without one
        ("paywall", "under 200 characters of text (paywall or error page?)", 1),  # the feed's text is kept
        ("error-200", "under 200 characters of text (paywall or error page?)", 1),  # an error page sent as 200
        ("article-404", "HTTP 404", 1),  # the article is gone; the feed's text is kept
    ],
)
def test_faults_are_recorded_against_the_source_and_the_watcher_keeps_running(
    loopback: Loopback, db_path: Path, extractor: object, case: str, reason: str, stored: int
) -> None:
    base = loopback.base
    loopback.routes["/ok"] = Route(body=rss(_items(["a1"], base)))
    url, fetch_article = loopback.url("/bad"), False
    if case == "unreachable":
        url = "http://127.0.0.1:1/feed.xml"
    elif case == "tls":
        loopback.routes["/bad"] = Route(body=_feed(base))
        url = url.replace("http://", "https://")
    elif case == "redirect-loop":
        loopback.routes["/bad"] = Route(status=302, headers={"Location": "/bad"})
    elif case == "binary-type":
        loopback.routes["/bad"] = Route(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)), content_type="image/png")
    elif case == "text-type":
        loopback.routes["/bad"] = Route(body=b"Maintenance until 14:00.", content_type="text/plain")
    elif case == "bad-encoding":
        loopback.routes["/bad"] = Route(body=_feed(base, Khartoum=b"Khart\xff\xfeoum"))
    elif case == "no-date":
        loopback.routes["/bad"] = Route(body=_feed(base, pubDate=b"x-date"))
    else:
        fetch_article = True
        page = {"paywall": PAYWALL, "error-200": ERROR_200, "article-404": b"gone"}[case]
        loopback.routes["/story/a2"] = Route(body=page, content_type="text/html",
                                             status=404 if case == "article-404" else 200)
        loopback.routes["/bad"] = Route(body=_feed(base))
    with Store(db_path) as store:
        w = _watcher(store, [Source("bad", url, fetch_article=fetch_article), Source("ok", loopback.url("/ok"))],
                     extractor)
        first = w.run_once(T0)
        assert first.ingested == 1 + stored
        ws = WatchStore(store)
        faults = " | ".join(r for _, _, r in ws.faults("bad"))
        assert reason in faults
        assert ws.faults("ok") == []
        before = sorted(r.content_hash for r in store.reports())
        w.run_once(T0 + dt.timedelta(hours=3))  # the next rounds run; nothing stored changes
        assert sorted(r.content_hash for r in store.reports()) == before
        assert len(ws.items("bad")) == stored


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (b"<?xml version='1.0'?><rss/>", "application/rss+xml", None),  # UTF-8 by default
        ("<rss>café</rss>".encode("latin-1"), "text/xml; charset=ISO-8859-1", None),  # declared in the header
        ('<?xml version="1.0" encoding="windows-1252"?><rss>caf\xe9</rss>'.encode("cp1252"), None, None),  # XML decl.
        ("<rss>café</rss>".encode("latin-1"), "application/rss+xml", "byte 8 is not valid utf-8"),  # undeclared
        (b"<rss/>", "text/xml; charset=klingon", "unknown character encoding 'klingon'"),  # unknown charset
    ],
)
def test_encoding_problem(body: bytes, content_type: str | None, problem: str | None) -> None:
    found = encoding_problem(body, content_type)
    assert (found is None) if problem is None else (problem in (found or ""))
