"""Story families: one wire story at four outlets is one family with four URLs, stored and extracted once."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from watchkit import Loopback, Route, rss

from tocsin.store import Store
from tocsin.watch.config import Source
from tocsin.watch.families import FamilyIndex, signature, similarity
from tocsin.watch.poller import Watcher
from tocsin.watch.state import WatchStore

T0 = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)

WIRE = (
    "Government forces shelled the town of Kafr Nabl in southern Idlib on Monday morning, killing three "
    "civilians including a child and wounding eleven others, according to local rescue workers. The shelling "
    "hit a residential street near the main market shortly after dawn, the workers said, and several houses "
    "were destroyed. Residents said artillery fire had intensified over the past week as fighting moved closer "
    "to the town, and hundreds of families have left for camps near the Turkish border."
)
OTHER = (
    "Thousands of protesters marched through central Khartoum on Tuesday to demand the release of detained "
    "activists and an end to military rule. Police fired tear gas near the presidential palace, witnesses said, "
    "and the internet was cut in several districts for most of the afternoon while the marchers dispersed."
)


def _page(outlet: str, text: str) -> bytes:
    return (f"<html><head><title>{outlet}: shelling in Idlib</title></head><body><nav>Home | World | {outlet}"
            f"</nav><article><h1>Shelling kills three in Idlib</h1><p>{text}</p></article>"
            f"<footer>(c) {outlet} 2026. All rights reserved.</footer></body></html>").encode()


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (WIRE, "KAFR NABL (Wire) - " + WIRE + " Reporting by staff.", True),  # dateline and credit added
        (WIRE, WIRE.replace("eleven", "twelve"), True),  # one word changed in an update
        (WIRE, OTHER, False),  # a different story
    ],
)
def test_near_duplicates_share_a_family(a: str, b: str, same: bool) -> None:
    index = FamilyIndex()
    index.add(1, signature(a))
    found, sim = index.find(signature(b))
    assert (found == 1) is same
    assert (sim >= 0.6) is same


def test_signatures_are_stable_across_processes() -> None:
    sig = signature(WIRE)
    assert similarity(sig, FamilyIndex.from_bytes(FamilyIndex.to_bytes(sig))) == 1.0
    assert int(sig[0]) == int(signature(WIRE)[0])


def test_one_wire_story_at_four_outlets_is_one_family(loopback: Loopback, db_path: Path, extractor: object) -> None:
    outlets = ["alpha", "beta", "gamma", "delta"]
    sources = []
    for n, outlet in enumerate(outlets):
        link = loopback.url(f"/{outlet}/story")
        dateline = ["", "IDLIB (Wire) - ", "Beirut, Nov 23 - ", ""][n]
        loopback.routes[f"/{outlet}/story"] = Route(body=_page(outlet, dateline + WIRE), content_type="text/html")
        loopback.routes[f"/{outlet}/feed"] = Route(body=rss([(f"{outlet}-1", link, "Shelling kills three in Idlib")],
                                                            title=outlet))
        sources.append(Source(outlet, loopback.url(f"/{outlet}/feed"), fetch_article=True))
    loopback.routes["/other/feed"] = Route(body=rss([("o-1", loopback.url("/other/x"), OTHER)], title="other"))
    sources.append(Source("other", loopback.url("/other/feed")))
    with Store(db_path) as store:
        summary = Watcher(store, sources, extractor=extractor, rng=random.Random(1), drafts=False).run_once(T0)  # type: ignore[arg-type]
        assert (summary.new_items, summary.ingested, summary.linked) == (5, 2, 3)
        assert len(store.reports()) == 2  # the wire story stored once, plus the other story
        ws = WatchStore(store)
        assert ws.families_count() == 2
        wire_items = [i for i in ws.items() if i.source in outlets]
        family_ids = {i.family_id for i in wire_items}
        assert len(family_ids) == 1 and None not in family_ids
        family = family_ids.pop()
        assert family is not None
        assert [url for url, _ in ws.members(family)] == sorted(loopback.url(f"/{o}/story") for o in outlets)
        assert len({i.content_hash for i in wire_items}) == 1  # every copy points at the one stored text
        assert ws.family_of(wire_items[0].content_hash) == family
        stored = store.report(wire_items[0].content_hash)
        assert "Kafr Nabl" in stored.report.text  # the article page's text, not the feed's headline
