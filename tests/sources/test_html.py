"""HTML articles: the story without boilerplate, metadata from meta tags and <time>."""

from __future__ import annotations

import datetime as dt
import socket

import pytest
import trafilatura

STORY = (
    "A drone strike hit a crowded market in El Obeid, the capital of North Kordofan state, on Tuesday, "
    "killing at least seven civilians, a local medical group said. The group blamed the Rapid Support Forces."
)

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8"><title>Drone strike kills seven | Sample Gazette</title>
<meta property="og:site_name" content="Sample Gazette">
<meta property="article:published_time" content="2026-01-06T19:45:00+02:00">
<link rel="canonical" href="https://example.org/el-obeid">
<style>body {{ font-family: Georgia; }}</style>
<script>window.dataLayer = []; track("pageview");</script>
</head><body>
<nav><a href="/">Home</a> <a href="/subscribe">Subscribe today</a> <a href="/login">Log in</a></nav>
<main><article><h1>Drone strike kills seven</h1>
<p>{STORY[:105]}</p><p>{STORY[106:]}</p>
<p>Aid agencies said hundreds of families had left the eastern neighbourhoods over the past week.</p>
</article></main>
<footer>Copyright 2026 Sample Gazette. Privacy policy.</footer>
<script>document.write("promo banner")</script>
</body></html>"""


def test_article_text_without_boilerplate(read) -> None:
    reports, problems = read("el-obeid.html", PAGE)
    assert problems == []
    (report,) = reports
    assert "A drone strike hit a crowded market in El Obeid" in report.text
    assert "The group blamed the Rapid Support Forces." in report.text
    for junk in ("dataLayer", "font-family", "Subscribe today", "promo banner", "Privacy policy"):
        assert junk not in report.text


def test_headline_kept_as_title_not_repeated_in_text(read) -> None:
    (report,), _ = read("el-obeid.html", PAGE)
    assert report.text.startswith("A drone strike hit")
    assert "Drone strike kills seven" not in report.text


def test_article_metadata(read) -> None:
    (report,), _ = read("el-obeid.html", PAGE)
    assert report.id == "el-obeid"
    assert report.title == "Drone strike kills seven"
    assert report.published == dt.datetime(2026, 1, 6, 17, 45, tzinfo=dt.UTC)
    assert report.source == "Sample Gazette"
    assert report.url == "https://example.org/el-obeid"
    assert report.language == "en"


def test_published_from_time_element_when_no_meta(read) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2026-01-06T19:45:00+02:00">', "")
    page = page.replace("<h1>", '<p><time datetime="2026-01-06T18:00:00+02:00">6 January</time></p><h1>')
    (report,), problems = read("x.htm", page)
    assert problems == []
    assert report.published == dt.datetime(2026, 1, 6, 16, 0, tzinfo=dt.UTC)


def test_published_from_json_ld(read) -> None:
    page = PAGE.replace('<meta property="article:published_time" content="2026-01-06T19:45:00+02:00">', "")
    page = page.replace(
        "</head>",
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Drone strike",'
        ' "datePublished": "2026-01-06T19:30:00+02:00", "dateModified": "2026-01-07T08:00:00+02:00"}</script>'
        "</head>",
    )
    (report,), problems = read("x.html", page)
    assert problems == []
    assert report.published == dt.datetime(2026, 1, 6, 17, 30, tzinfo=dt.UTC)
    assert "NewsArticle" not in report.text


def test_unreadable_meta_date_warns(read) -> None:
    page = PAGE.replace("2026-01-06T19:45:00+02:00", "sometime on Tuesday")
    (report,), problems = read("x.html", page)
    assert [(p.code, p.severity) for p in problems] == [("T006", "warning")]
    assert report.published is None


def test_fallback_to_body_text_when_trafilatura_finds_nothing(read) -> None:
    page = "<html><body><script>track()</script><div id='comments'>Shelling hit Kherson overnight.</div></body></html>"
    assert trafilatura.extract(page, include_comments=False) is None  # the premise of this test
    (report,), problems = read("x.html", page)
    assert problems == []
    assert report.text == "Shelling hit Kherson overnight."


def test_entities_are_never_expanded(read) -> None:
    page = '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><p>Before &x; after.</p></body></html>'
    (report,), _ = read("x.html", page)
    assert "root:" not in report.text
    assert report.text == "Before &x; after."


def test_nothing_is_fetched(read, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = PAGE.replace("<!DOCTYPE html>", '<!DOCTYPE html SYSTEM "http://192.0.2.1/x.dtd">')
    page = page.replace("<main>", '<main><img src="http://192.0.2.1/a.png"><iframe src="http://192.0.2.1/"></iframe>')
    (report,), problems = read("x.html", page)
    assert problems == [] and "El Obeid" in report.text


def test_declared_charset_is_honoured(read) -> None:
    page = '<html><head><meta charset="windows-1256"></head><body><p>قصف على حلب</p></body></html>'
    (report,), problems = read("x.html", page.encode("cp1256"))
    assert problems == []
    assert report.text == "قصف على حلب"


def test_undeclared_cp1252_page_warns_and_reads(read) -> None:
    (report,), problems = read("x.html", b"<html><body><p>The caf\xe9 was \x93destroyed\x94.</p></body></html>")
    assert [(p.code, p.severity) for p in problems] == [("T003", "warning")]
    assert report.text == "The café was “destroyed”."


def test_page_without_text_is_rejected(read) -> None:
    reports, problems = read("x.html", "<html><head><title>t</title></head><body><script>x()</script></body></html>")
    assert reports == []
    assert [(p.code, p.severity) for p in problems] == [("T011", "rejected")]
