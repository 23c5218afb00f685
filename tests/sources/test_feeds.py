"""RSS/Atom feeds: each entry a report; hostile or broken documents refused with a reason."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

import feedparser
import pytest

from tocsin.sources import content_hash

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>Sample Wire - Middle East</title>
  <id>urn:sample-wire:me</id>
  <updated>2026-01-08T18:05:00+03:00</updated>
  <entry>
    <id>urn:sample-wire:aleppo-clashes</id>
    <title>Army and SDF fight in Aleppo</title>
    <link href="https://example.org/aleppo-clashes"/>
    <published>2026-01-08T18:05:00+03:00</published>
    <updated>2026-01-08T19:00:00+03:00</updated>
    <content type="html">&lt;p&gt;Government forces and the SDF &lt;b&gt;clashed&lt;/b&gt; in Sheikh Maqsoud.&lt;/p&gt;
      &lt;script&gt;track()&lt;/script&gt;&lt;p&gt;State media said five soldiers were killed.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Curfew in Ashrafieh</title>
    <updated>Thu, 08 Jan 2026 09:40:00 +0300</updated>
    <summary>A curfew begins at 3 p.m. local time.</summary>
  </entry>
  <entry>
    <id>urn:sample-wire:undated</id>
    <published>someday soon</published>
    <summary>Residents fled overnight.</summary>
  </entry>
</feed>
"""


def test_rss_fixture(fixtures: Path, read_path) -> None:
    reports, problems = read_path(fixtures / "gcap__amber.rss")
    assert problems == []
    (report,) = reports
    assert report.id == "KAR0-0306112239-SW"
    assert report.title == "AMBER ALERT"
    assert report.text.startswith("DATE/TIME: 06/11/03, 1915 HRS. VICTIM(S): KHAYRI DOE JR.")
    assert report.published == dt.datetime(2003, 6, 12, 5, 39, tzinfo=dt.UTC)  # 22:39 PDT
    assert report.source == "Amber Alert CAP Index"
    assert report.url == "http://cap-validator.appspot.com/examples/KAR0-0306112239-SW.cap"
    assert report.origin.endswith("gcap__amber.rss#1")


def test_atom_fixture_entries_in_order(fixtures: Path, read_path) -> None:
    reports, problems = read_path(fixtures / "gcap__weather_index.atom")
    assert problems == []
    assert [r.origin.rsplit("#", 1)[1] for r in reports] == ["1", "2"]
    assert reports[0].id.endswith("x=CT20100831030400OKXAirQualityAlertOKX20100901031500CT")
    assert reports[0].published == dt.datetime(2010, 8, 31, 3, 4, tzinfo=dt.UTC)  # 23:04 -04:00
    assert reports[0].text.startswith("...AIR QUALITY ALERT IS IN EFFECT FROM 2 PM TUESDAY")
    assert reports[0].source.startswith("Current Watches, Warnings and Advisories")


def test_xxe_feed_refused_before_parsing(fixtures: Path, read_path, monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("feedparser was called on a document declaring entities")

    monkeypatch.setattr(feedparser, "parse", must_not_parse)
    reports, problems = read_path(fixtures / "gcap__xee.atom")
    assert reports == []
    assert [(p.code, p.severity) for p in problems] == [("T009", "rejected")]
    assert "entities" in problems[0].message and "gcap__xee.atom" in problems[0].message


def test_external_dtd_is_never_fetched(read, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    rss = (
        '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://192.0.2.1/rss.dtd">'
        '<rss version="2.0"><channel><title>Wire</title><item><guid>g1</guid>'
        "<description>Clashes near Sake.</description></item></channel></rss>"
    )
    (report,), problems = read("ext.rss", rss)
    assert problems == [] and (report.id, report.text) == ("g1", "Clashes near Sake.")


def test_billion_laughs_refused(read) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<rss version="2.0"><channel><title>&b;</title><item><description>&b;</description></item></channel></rss>'
    )
    reports, problems = read("laughs.rss", bomb)
    assert reports == [] and [p.code for p in problems] == ["T009"]


def test_entity_declaration_with_markup_in_its_value_refused(read) -> None:
    doc = '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "<b>bold</b>">]><rss version="2.0"><channel/></rss>'
    reports, problems = read("x.rss", doc)
    assert reports == [] and [p.code for p in problems] == ["T009"]


def test_feed_that_mentions_entities_in_content_is_read(read) -> None:
    rss = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Security notes</title><item><guid>n1</guid>'
        "<description><![CDATA[<p>Never accept <!ENTITY declarations from strangers.</p>]]></description>"
        "</item></channel></rss>"
    )
    (report,), problems = read("notes.rss", rss)
    assert problems == [] and report.id == "n1"


def test_entry_without_any_text_is_reported(fixtures: Path, read_path) -> None:
    reports, problems = read_path(fixtures / "gcap__invalid.rss")
    assert reports == []
    assert [(p.code, p.origin.rsplit("#", 1)[1]) for p in problems] == [("T005", "1")]
    assert "'text'" in problems[0].message


def test_html_content_stripped_and_fields(read) -> None:
    reports, problems = read("wire.atom", ATOM)
    first, second, third = reports
    assert first.id == "urn:sample-wire:aleppo-clashes"
    assert "track()" not in first.text
    assert [line for line in first.text.split("\n") if line] == [
        "Government forces and the SDF clashed in Sheikh Maqsoud.",
        "State media said five soldiers were killed.",
    ]
    assert first.title == "Army and SDF fight in Aleppo"
    assert first.url == "https://example.org/aleppo-clashes"
    assert first.published == dt.datetime(2026, 1, 8, 15, 5, tzinfo=dt.UTC)  # published wins over updated
    assert first.source == "Sample Wire - Middle East"
    assert first.language == "en"
    # no id and no link: a stable id from the text
    assert second.id == "sha256:" + content_hash("A curfew begins at 3 p.m. local time.")[:16]
    assert second.published == dt.datetime(2026, 1, 8, 6, 40, tzinfo=dt.UTC)  # from RFC 2822 updated
    # unreadable date: the entry is read, with a warning
    assert third.published is None
    assert [(p.code, p.severity, p.origin.rsplit("#", 1)[1]) for p in problems] == [("T006", "warning", "3")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("note.xml", '<?xml version="1.0"?><note><to>Desk</to><body>Call back.</body></note>'),  # XML, not a feed
        ("page.rss", "<html><body><p>Not a feed</p></body></html>"),  # HTML with a feed suffix
        ("broken.atom", "this is <not xml"),  # not XML at all
    ],
)
def test_not_a_feed(read, name: str, content: str) -> None:
    reports, problems = read(name, content)
    assert reports == []
    assert [(p.code, p.severity) for p in problems] == [("T009", "rejected")]
