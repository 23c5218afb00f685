"""CAP sources against a real HTTP server on loopback: an authority's index feed laid out as real ones are
(relative links, a repeated entry, an embedded alert, a next page, a link that 404s, an error page served
as 200), imported as drafts; one bad entry never stops the others."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from warnkit import make_warning
from watchkit import Loopback, Route

from tocsin.store import Store
from tocsin.warnings.cap import to_cap
from tocsin.warnings.store import WarningStore
from tocsin.watch.config import Source
from tocsin.watch.poller import Watcher
from tocsin.watch.state import WatchStore

T0 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
FAST = {"connect_timeout_s": 5.0, "read_timeout_s": 1.0, "deadline_s": 2.0}
ATOM = "application/atom+xml"
CAP = "application/cap+xml"


def _cap(identifier: str) -> bytes:
    return to_cap(make_warning(id=identifier, sender="alerts@authority.example"))


def _entry(entry_id: str, href: str | None = None, embedded: bytes | None = None) -> str:
    link = f'<link rel="alternate" type="application/cap+xml" href="{href}"/>' if href else ""
    content = ""
    if embedded is not None:
        content = '<content type="application/cap+xml">' + embedded.split(b"?>", 1)[1].decode() + "</content>"
    return f"<entry><id>{entry_id}</id><title>t</title><updated>2026-11-26T11:00:00Z</updated>{link}{content}</entry>"


def _feed(*entries: str, next_href: str | None = None) -> bytes:
    paging = f'<link rel="next" href="{next_href}"/>' if next_href else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>idx</id>'
            f"<title>Alerts</title><updated>2026-11-26T11:00:00Z</updated>{paging}{''.join(entries)}</feed>").encode()


def _watcher(store: Store, source: Source) -> Watcher:
    return Watcher(store, [source], fetcher_options=FAST, rng=random.Random(7),  # type: ignore[arg-type]
                   drafts=False)


def test_a_cap_index_is_followed_and_bad_entries_do_not_stop_it(loopback: Loopback, db_path: Path) -> None:
    base = loopback.base
    loopback.routes["/alerts/index.atom"] = Route(content_type=ATOM, body=_feed(
        _entry("1", f"{base}/alerts/a-1.xml"),
        _entry("2", "a-2.xml"),  # relative to the feed's URL
        _entry("1-again", f"{base}/alerts/a-1.xml"),  # the same alert listed twice (one entry per area)
        _entry("gone", "gone.xml"),  # 404
        _entry("flaky", "flaky.xml"),  # an error page served with 200
        next_href="index.atom?page=2"))
    loopback.routes["/alerts/index.atom?page=2"] = Route(content_type=ATOM, body=_feed(
        _entry("4", embedded=_cap("a-4"))))  # CAP inline in the entry
    loopback.routes["/alerts/a-1.xml"] = Route(content_type=CAP, body=_cap("a-1"))
    loopback.routes["/alerts/a-2.xml"] = Route(content_type="text/xml", body=_cap("a-2"))
    loopback.routes["/alerts/flaky.xml"] = Route(content_type="text/html",
                                                 body=b"<!DOCTYPE html><html><body>Please wait</body></html>")
    source = Source("authority", loopback.url("/alerts/index.atom"), kind="cap", interval_s=60)
    with Store(db_path) as store:
        watcher = _watcher(store, source)
        first = watcher.run_once(T0)
        ws = WarningStore(store)
        assert sorted(w.warning.id for w in ws.drafts()) == ["a-1", "a-2", "a-4"]  # drafts only, never published
        assert ws.list(state="published") == []
        assert (first.errors, first.cap_imported) == (0, 3)
        assert len(loopback.hits("/alerts/a-1.xml")) == 1  # the repeated entry is fetched once
        faults = [reason for _, _, reason in WatchStore(store).faults("authority")]
        assert any("gone.xml: HTTP 404" in f and f.endswith("not fetched again") for f in faults)
        assert any("flaky.xml" in f and "[T414]" in f and "tried again" in f for f in faults)
        state = WatchStore(store).states()[0]
        assert (state.consecutive_errors, state.last_error, state.items_total) == (0, None, 3)

        loopback.routes["/alerts/flaky.xml"] = Route(content_type=CAP, body=_cap("a-5"))
        second = watcher.run_once(T0 + dt.timedelta(seconds=60))
        assert second.cap_imported == 1 and ws.get("a-5").state == "draft"  # the error page was retried
        assert len(loopback.hits("/alerts/gone.xml")) == 1  # a 404 is not fetched again
        assert len(loopback.hits("/alerts/a-1.xml")) == 1  # nor what was imported


def test_a_cap_source_that_is_one_alert(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/latest.xml"] = Route(content_type=CAP, body=_cap("a-1"))
    source = Source("one", loopback.url("/latest.xml"), kind="cap", interval_s=60)
    with Store(db_path) as store:
        summary = _watcher(store, source).run_once(T0)
        assert summary.cap_imported == 1 and WarningStore(store).get("a-1").state == "draft"


def test_a_cap_source_reads_elements_out_of_order_only_when_it_says_so(loopback: Loopback, db_path: Path) -> None:
    body = _cap("a-1")
    moved = body.replace(b"<msgType>Alert</msgType>", b"").replace(b"</scope>", b"</scope><msgType>Alert</msgType>")
    assert moved != body
    loopback.routes["/strict.xml"] = Route(content_type=CAP, body=moved)
    loopback.routes["/lenient.xml"] = Route(content_type=CAP, body=moved)
    strict = Source("strict", loopback.url("/strict.xml"), kind="cap", interval_s=60)
    lenient = Source("lenient", loopback.url("/lenient.xml"), kind="cap", interval_s=60, reorder=True)
    with Store(db_path) as store:
        assert _watcher(store, strict).run_once(T0).cap_imported == 0
        faults = [reason for _, _, reason in WatchStore(store).faults("strict")]
        assert any("[T405]" in f and "--reorder" in f for f in faults), faults
        lenient_round = _watcher(store, lenient).run_once(T0)
        assert lenient_round.cap_imported == 1, WatchStore(store).faults("lenient")
        assert WarningStore(store).get("a-1").state == "draft"


def test_a_cap_source_serving_an_error_page_backs_off(loopback: Loopback, db_path: Path) -> None:
    loopback.routes["/index.atom"] = Route(content_type="text/html", body=b"<html><body>Maintenance</body></html>")
    source = Source("down", loopback.url("/index.atom"), kind="cap", interval_s=60)
    with Store(db_path) as store:
        summary = _watcher(store, source).run_once(T0)
        state = WatchStore(store).states()[0]
        assert summary.errors == 1 and state.consecutive_errors == 1
        assert state.last_error is not None and "[T414]" in state.last_error and "text/html" in state.last_error
        assert state.next_poll_at is not None and state.next_poll_at > T0 + dt.timedelta(seconds=60)


def test_the_authoritys_own_cancel_withdraws_its_published_alert_at_the_next_poll(
    loopback: Loopback, db_path: Path
) -> None:

    loopback.routes["/latest.xml"] = Route(content_type=CAP, body=_cap("a-1"))
    source = Source("authority", loopback.url("/latest.xml"), kind="cap", interval_s=60)
    with Store(db_path) as store:
        watcher = _watcher(store, source)
        watcher.run_once(T0)
        ws = WarningStore(store)
        ws.publish("a-1", operator="alice")  # an operator relays the authority's alert
        alert = ws.get("a-1").warning
        loopback.routes["/latest.xml"] = Route(content_type=CAP, body=to_cap(make_warning(
            id="a-1-cancel", sender=alert.sender, msg_type="Cancel", references=(alert.reference(),))))
        watcher.run_once(T0 + dt.timedelta(seconds=60))
        cancel = ws.get("a-1-cancel")
        assert (ws.get("a-1").state, cancel.state) == ("cancelled", "published")
        assert cancel.published_by == "watch:authority (the sender's own Cancel)"
