"""HTML articles: the story's text without navigation, scripts or styles, and its metadata.

The main text comes from trafilatura; when it finds none, the text of ``<body>`` without
``script``/``style``/``noscript``/``template`` is used. HTML is parsed by lxml with network access and
without loading DTDs or external entities. Metadata, first found wins:

- published: ``<meta property="article:published_time">`` or ``itemprop=datePublished``, then
  ``datePublished`` in JSON-LD, then ``<meta name=pubdate|date>`` and Dublin Core, then the first
  ``<time datetime>``, then trafilatura's date (day only, no guessing from the text);
- title: trafilatura's title, ``og:title``, ``<title>``, the first ``<h1>``; a first line of the text that
  repeats the title is dropped from the text;
- source: ``og:site_name``, trafilatura's site name; url: ``<link rel=canonical>``, ``og:url``;
- language: ``<html lang>``; id: the file's stem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from tocsin.errors import E
from tocsin.model import Report
from tocsin.sources.common import published_of
from tocsin.sources.problem import WARNING, Problem, problem
from tocsin.sources.text import clean_text, declared_charset, decode

__all__ = ["fragment_to_text", "html_to_text", "read_html", "safe_parser"]

_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
_BLOCKS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header "
    "hr li main nav ol p pre section table td th tr ul".split()
)
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)
_META_PUBLISHED = (
    "//meta[@property='article:published_time' or @name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
)
_OTHER_PUBLISHED = (
    "//meta[@name='pubdate' or @name='publishdate' or @name='date' or @name='DC.date.issued'"
    " or @name='dc.date' or @name='DC.date' or @name='dcterms.created']/@content",
    "//time[@pubdate or @itemprop='datePublished'][@datetime]/@datetime",
    "//time[@datetime]/@datetime",
)
_JSON_LD = "//script[@type='application/ld+json']/text()"
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{4,40})"')


def safe_parser() -> lxml.html.HTMLParser:
    """An lxml HTML parser that never touches the network (libxml2's HTML parser loads no DTDs or entities)."""
    return lxml.html.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True)


def _parse(text: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=safe_parser())
    except (lxml.etree.ParserError, ValueError):
        return None


def html_to_text(element: lxml.html.HtmlElement) -> str:
    """The readable text of ``element`` (modified in place): no scripts or styles, blocks on their own lines."""
    for bad in list(element.iter(*_DROP)):
        if bad.getparent() is not None:
            bad.drop_tree()
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag in _BLOCKS:
            node.tail = "\n" + (node.tail or "")
    return clean_text(element.text_content())


def fragment_to_text(markup: str) -> str:
    """The readable text of an HTML fragment (feed content, summaries)."""
    if "<" not in markup and "&" not in markup:
        return clean_text(markup)
    root = _parse(f"<html><body><div>{markup}</div></body></html>")
    if root is None:
        return clean_text(markup)
    body = root.find("body")
    return html_to_text(body if body is not None else root)


def _first(tree: lxml.html.HtmlElement, xpaths: tuple[str, ...] | str) -> str | None:
    for xpath in (xpaths,) if isinstance(xpaths, str) else xpaths:
        for value in tree.xpath(xpath):
            text = " ".join(str(value).split())
            if text:
                return text
    return None


def _json_ld_published(tree: lxml.html.HtmlElement) -> str | None:
    """``datePublished`` from schema.org JSON-LD, where most news sites put the full publication time."""
    for script in tree.xpath(_JSON_LD):
        match = _JSON_LD_PUBLISHED.search(str(script))
        if match:
            return match.group(1)
    return None


def _metadata(tree: lxml.html.HtmlElement) -> dict[str, str | None]:
    return {
        "published": _first(tree, _META_PUBLISHED) or _json_ld_published(tree) or _first(tree, _OTHER_PUBLISHED),
        "title": _first(tree, ("//meta[@property='og:title']/@content", "//title//text()", "//h1//text()")),
        "source": _first(tree, "//meta[@property='og:site_name']/@content"),
        "url": _first(tree, ("//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content")),
        "language": _first(tree, "/html/@lang"),
    }


def _trafilatura(tree: lxml.html.HtmlElement) -> tuple[str | None, str | None, str | None, str | None]:
    """(text, title, date, site name) from trafilatura (which may change ``tree``), Nones when it finds nothing."""
    import trafilatura  # here, not at the top: it takes ~0.4 s to import and only HTML needs it

    try:
        document = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a third-party extractor on arbitrary HTML: the lxml fallback takes over
        return None, None, None, None
    if document is None:
        return None, None, None, None
    return document.text, document.title, document.date, document.sitename


def _drop_headline(text: str, title: str | None) -> str:
    """The text without a first line that repeats the title (the title is kept in ``Report.title``)."""
    first, _, rest = text.partition("\n")
    if title and rest.strip() and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.strip()
    return text


def read_html(data: bytes, path: str, stem: str) -> Iterator[Report | Problem]:
    """The one report in an HTML file, after its warnings."""
    text, fallback = decode(data, declared_charset(data))
    if fallback:
        yield problem(E.T003, path, WARNING, path=path, fallback=fallback)
    text = _DOCTYPE_SUBSET.sub("", text[:65536], count=1) + text[65536:]  # entity declarations: never used
    tree = _parse(text)
    if tree is None:
        yield problem(E.T011, path, where=path)
        return
    meta = _metadata(tree)
    body_text, title, date, sitename = _trafilatura(tree)
    title = title or meta["title"]
    body_text = clean_text(body_text or "")
    if not body_text:
        fresh = _parse(text)  # trafilatura may have pruned the first tree
        body = fresh.find("body") if fresh is not None else None
        body_text = html_to_text(body) if body is not None else ""
    body_text = _drop_headline(body_text, title)
    if not body_text:
        yield problem(E.T011, path, where=path)
        return
    published, warning = published_of(meta["published"] or date, path)
    if warning is not None:
        yield warning
    yield Report(
        id=stem,
        text=body_text,
        title=title,
        published=published,
        source=meta["source"] or sitename,
        url=meta["url"],
        language=meta["language"],
        origin=path,
    )
