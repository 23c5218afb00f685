"""The Atom feed of alerts (validated against an Atom schema) and reading other authorities' index feeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree
from warnkit import FIXTURES, T0, make_warning

from tocsin.errors import CapError
from tocsin.warnings.cap import parse_cap, safe_parse
from tocsin.warnings.feed import ATOM_NS, CAP_MIME, MAX_FEED_BYTES, build_feed, next_page, read_feed

A = "{" + ATOM_NS + "}"


@pytest.fixture(scope="module")
def atom_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / "atom.xsd")))


def test_feed_validates_and_links_each_alert_to_its_cap(atom_schema: etree.XMLSchema) -> None:
    first = make_warning()
    second = make_warning(id="tocsin-test-2", sent=T0 + dt.timedelta(hours=1), headline="Strike warning")
    data = build_feed([first, second], base_url="https://alerts.example.org/")
    root = etree.fromstring(data)
    assert atom_schema.validate(root), atom_schema.error_log.last_error
    entries = root.findall(A + "entry")
    assert [e.findtext(A + "title") for e in entries] == ["Strike warning", first.headline]  # newest first
    link = entries[1].find(A + "link")
    assert link is not None
    assert (link.get("rel"), link.get("type")) == ("alternate", CAP_MIME)
    assert link.get("href") == "https://alerts.example.org/warnings/tocsin-test-1.xml"
    assert entries[1].findtext(A + "updated") == "2026-03-01T12:00:00+00:00"
    assert root.findtext(A + "updated") == "2026-03-01T13:00:00+00:00"


def test_empty_feed_still_validates(atom_schema: etree.XMLSchema) -> None:
    root = etree.fromstring(build_feed([], base_url="https://a.example", updated=T0))
    assert atom_schema.validate(root) and root.find(A + "entry") is None


def test_our_feed_reads_back() -> None:
    entries = read_feed(build_feed([make_warning()], base_url="https://a.example"))
    assert [(e.id, e.cap_url, e.updated) for e in entries] == [
        ("https://a.example/warnings/tocsin-test-1.xml", "https://a.example/warnings/tocsin-test-1.xml", T0)
    ]


@pytest.mark.parametrize(
    ("name", "count", "first_link"),
    [
        ("gcap__weather_index.atom", 2, "http://www.weather.gov/alerts-beta/wwacapget.php?x=CT2010083103"),  # NWS
        ("mal__france_sample.xml", 12, "https://feeds.meteoalarm.org/api/v1/warnings/feeds-france/"),  # cap+xml link
        ("gcap__ny_index.rss", 2, "http://www.nyalert.gov/Public/News/GetCapAlert.aspx?capID="),  # RSS index
        ("gcap__no_entries.atom", 0, None),  # a feed without entries
    ],
)
def test_index_feeds(name: str, count: int, first_link: str | None) -> None:
    entries = read_feed((FIXTURES / "feeds" / name).read_bytes())
    assert len(entries) == count
    if first_link:
        assert entries[0].cap_url is not None and entries[0].cap_url.startswith(first_link)


@pytest.mark.parametrize("name", ["gcap__weather_index.atom", "gcap__ny_index.rss", "mal__france_sample.xml"])
def test_a_parsed_root_reads_as_its_bytes(name: str) -> None:
    data = (FIXTURES / "feeds" / name).read_bytes()
    root = safe_parse(data, name, MAX_FEED_BYTES)  # a caller that looked at the document first parses it once
    assert read_feed(root, name) == read_feed(data, name)
    assert next_page(root, name) == next_page(data, name)


def test_meteoalarm_prefers_the_cap_link_over_other_links() -> None:
    entry = read_feed((FIXTURES / "feeds" / "mal__france_sample.xml").read_bytes())[0]
    assert entry.cap_url == "https://feeds.meteoalarm.org/api/v1/warnings/feeds-france/04d497d4-d114-4d6b-93ba-13fa7ed577fe"


@pytest.mark.parametrize("name", ["gcap__amber.atom", "gcap__earthquake.atom", "gcap__canada_signed.atom"])
def test_embedded_alerts_are_extracted(name: str) -> None:
    entries = read_feed((FIXTURES / "feeds" / name).read_bytes())
    assert entries[0].alert_xml is not None
    assert parse_cap(entries[0].alert_xml).id


def test_feed_with_xxe_is_refused() -> None:
    with pytest.raises(CapError) as err:
        read_feed((FIXTURES / "feeds" / "gcap__xee.atom").read_bytes(), where="xee.atom")
    assert err.value.code == "T403"


def test_a_cap_message_is_not_a_feed(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="not a feed"):
        read_feed((FIXTURES / "valid" / "gcap__thunderstorm.cap").read_bytes())


ATOM_HEAD = '<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><title>t</title><updated>2026-03-01T12:00:00Z</updated>'


@pytest.mark.parametrize(
    ("document", "cap_url"),
    [
        (ATOM_HEAD + '<entry><id>1</id><link rel="alternate" type="text/html" href="https://a.example/1.html"/>'
         '<link rel="related" type="application/cap+xml; charset=UTF-8" href="https://a.example/1.cap"/></entry></feed>',
         "https://a.example/1.cap"),  # MIME type with a parameter, after an HTML link
        (ATOM_HEAD + '<entry><id>1</id><link rel="alternate" type="text/html" href="https://a.example/1.html"/>'
         '<link rel="enclosure" type="application/xml" href="https://a.example/1.xml"/></entry></feed>',
         "https://a.example/1.xml"),  # untyped-as-CAP XML enclosure beats the HTML page
        ('<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/alerts/"><id>f</id>'
         '<entry><id>1</id><link type="application/cap+xml" href="1.cap"/></entry></feed>',
         "https://a.example/alerts/1.cap"),  # relative link under xml:base
        (ATOM_HEAD + '<entry><id>1</id><link type="application/cap+xml" href="alerts/1.cap"/></entry></feed>',
         "alerts/1.cap"),  # relative without a base: left for the caller, who knows where the feed is
        ('<entry xmlns="http://www.w3.org/2005/Atom"><id>1</id><link type="application/cap+xml" '
         'href="https://a.example/1.cap"/></entry>', "https://a.example/1.cap"),  # a lone Atom entry document
        ('<rss version="2.0"><channel><item><link>https://a.example/1.html</link><enclosure type="text/xml" '
         'url="https://a.example/1.xml" length="1"/></item></channel></rss>', "https://a.example/1.xml"),  # enclosure
        ('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><item><link>https://a.example/1.html'
         '</link><atom:link type="application/cap+xml" href="https://a.example/1.cap"/></item></channel></rss>',
         "https://a.example/1.cap"),  # RSS item carrying an atom:link to its CAP
        ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
         '<item rdf:about="https://a.example/1.cap"><title>t</title><link>https://a.example/1.cap</link></item>'
         '</rdf:RDF>', "https://a.example/1.cap"),  # RSS 1.0
        ('<rss version="2.0"><channel><item><title>t</title><guid>https://a.example/1.cap</guid></item></channel>'
         '</rss>', "https://a.example/1.cap"),  # only a guid, and it is the CAP's URL
    ],
)
def test_cap_links_as_real_feeds_write_them(document: str, cap_url: str) -> None:
    [entry] = read_feed(document.encode())
    assert entry.cap_url == cap_url


def test_rel_next_gives_the_next_page() -> None:
    page = ATOM_HEAD + '<link rel="next" href="https://a.example/feed?page=2"/></feed>'
    assert next_page(page.encode()) == "https://a.example/feed?page=2"
    rss = ('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><atom:link rel="next" '
           'href="p2.rss"/></channel></rss>')
    assert next_page(rss.encode()) == "p2.rss"
    assert next_page((ATOM_HEAD + "</feed>").encode()) is None


def test_embedded_alert_bytes_end_at_the_alert() -> None:
    alert = (FIXTURES / "valid" / "gcap__thunderstorm.cap").read_text().split("?>", 1)[1].strip()
    content = f"<content type='application/cap+xml'>{alert}trailing</content>"
    document = ATOM_HEAD + f"<entry><id>1</id>{content}</entry></feed>"
    [entry] = read_feed(document.encode())
    assert entry.alert_xml is not None and entry.alert_xml.endswith(b"</alert>")
    assert parse_cap(entry.alert_xml).id == "KSTO1055887203"


@pytest.mark.parametrize("status", ["Test", "Exercise"])
def test_feed_titles_say_when_an_alert_is_not_actual(status: str) -> None:
    root = etree.fromstring(build_feed([make_warning(status=status)], base_url="https://a.example"))
    assert root.findtext(f"{A}entry/{A}title") == f"[{status}] Evacuation order for the river district"


def test_an_escaped_alert_in_an_rss_description_is_read_safely() -> None:
    alert = (FIXTURES / "valid" / "gcap__thunderstorm.cap").read_text()
    escaped = alert.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    [entry] = read_feed(f"<rss><channel><item><description>{escaped}</description></item></channel></rss>".encode())
    assert entry.alert_xml is not None and parse_cap(entry.alert_xml).id == "KSTO1055887203"
    xxe = (FIXTURES / "invalid" / "gcap__xee.cap").read_text()
    escaped = xxe.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    [entry] = read_feed(f"<rss><channel><item><description>{escaped}</description></item></channel></rss>".encode())
    with pytest.raises(CapError) as err:  # the escaped text meets the same refusal of DTDs and entities
        parse_cap(entry.alert_xml or b"")
    assert err.value.code == "T403"
