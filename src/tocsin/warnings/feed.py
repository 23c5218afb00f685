"""Atom feeds of CAP alerts: write tocsin's feed of active alerts, read other authorities' index feeds.

The feed follows the layout alert aggregators (Google Public Alerts, the WMO/IFRC Alert Hub) poll:
one ``entry`` per alert, its ``id`` and ``updated`` from the alert, and a
``<link rel="alternate" type="application/cap+xml" href=...>`` to the alert's CAP XML.
Reading accepts Atom and RSS 2.0 indexes: each entry's CAP link, and a CAP alert embedded in the
entry when there is one. Untrusted feeds go through the same safe parser as CAP messages.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urljoin

from lxml import etree

from tocsin.errors import CapError, E, InputError
from tocsin.warnings.cap import format_time, safe_parse, without_declaration
from tocsin.warnings.records import Warning
from tocsin.warnings.repair import alert_bytes

__all__ = [
    "ATOM_NS", "CAP_MIME", "MAX_FEED_BYTES", "FeedEntry", "build_feed", "cap_file_name", "next_page", "read_feed",
    "warnings_geojson",
]

ATOM_NS = "http://www.w3.org/2005/Atom"
CAP_MIME = "application/cap+xml"
MAX_FEED_BYTES = 50_000_000
_A = "{" + ATOM_NS + "}"
_RSS1 = "{http://purl.org/rss/1.0/}"
_XML_MIMES = ("application/xml", "text/xml", "application/octet-stream")
_CAP_NAMESPACES = (
    "urn:oasis:names:tc:emergency:cap:1.2",
    "urn:oasis:names:tc:emergency:cap:1.1",
    "http://www.incident.com/cap/1.0",
)


@dataclass(frozen=True)
class FeedEntry:
    """One entry of an index feed: where its CAP message is, or the message itself when embedded."""

    id: str | None
    title: str | None
    updated: dt.datetime | None
    cap_url: str | None
    alert_xml: bytes | None = None


def cap_file_name(warning: Warning) -> str:
    """The name of a warning's CAP file (``NAME.xml``): its key, percent-encoded so that an identifier holding
    ``/`` or ``..`` (CAP allows both: ``http://doj.dc.gov/amber12345``) stays one file name."""
    return quote(warning.handle, safe="~")


def _cap_href(base_url: str) -> Callable[[Warning], str]:
    """Where tocsin's API serves a warning's CAP (``/warnings/{key}.xml``; the key percent-encoded)."""
    base = base_url.rstrip("/")
    return lambda w: f"{base}/warnings/{cap_file_name(w)}.xml"


def build_feed(
    warnings: Sequence[Warning],
    *,
    base_url: str,
    title: str = "tocsin: active civilian warnings",
    author: str = "tocsin",
    updated: dt.datetime | None = None,
    cap_href: Callable[[Warning], str] | None = None,
) -> bytes:
    """An Atom feed with one entry per alert linking to its CAP XML (the caller passes published alerts only)."""
    href = cap_href or _cap_href(base_url)
    base = base_url.rstrip("/")
    newest = max((w.sent for w in warnings), default=None)
    feed_updated = updated or newest or dt.datetime.now(dt.UTC)
    feed = etree.Element(_A + "feed", nsmap={None: ATOM_NS})
    etree.SubElement(feed, _A + "id").text = f"{base}/warnings.atom"
    etree.SubElement(feed, _A + "title").text = title
    etree.SubElement(feed, _A + "updated").text = format_time(feed_updated)
    etree.SubElement(etree.SubElement(feed, _A + "author"), _A + "name").text = author
    etree.SubElement(feed, _A + "link", rel="self", type="application/atom+xml", href=f"{base}/warnings.atom")
    etree.SubElement(feed, _A + "generator").text = "tocsin"
    for warning in sorted(warnings, key=lambda w: (w.sent, w.handle), reverse=True):
        entry = etree.SubElement(feed, _A + "entry")
        etree.SubElement(entry, _A + "id").text = href(warning)
        title = warning.headline or warning.event or warning.kind
        if warning.status != "Actual":  # Test/Exercise/System never reads as a real alert
            title = f"[{warning.status}] {title}"
        etree.SubElement(entry, _A + "title").text = title
        etree.SubElement(entry, _A + "updated").text = format_time(warning.sent)
        etree.SubElement(entry, _A + "published").text = format_time(warning.sent)
        etree.SubElement(etree.SubElement(entry, _A + "author"), _A + "name").text = (
            warning.sender_name or warning.sender
        )
        summary = warning.instruction or warning.description
        if summary:
            etree.SubElement(entry, _A + "summary").text = summary
        etree.SubElement(entry, _A + "category", term=warning.event or warning.kind)
        etree.SubElement(entry, _A + "link", rel="alternate", type=CAP_MIME, href=href(warning))
    data: bytes = etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    text = text.strip()
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


_ESCAPED_IN = (_A + "content", "description", "{http://purl.org/rss/1.0/modules/content/}encoded")


def _embedded_alert(entry: etree._Element) -> bytes | None:
    """A CAP alert inside the entry: as XML (Atom ``content type="application/cap+xml"``, an RSS item
    child), or as escaped text in ``content``/``description`` (read later by the same safe parser)."""
    for namespace in _CAP_NAMESPACES:
        alert = entry.find(f".//{{{namespace}}}alert")
        if alert is not None:
            return alert_bytes(alert)
    for tag in _ESCAPED_IN:
        text = entry.findtext(tag) or ""
        if "alert" in text[:2000] and any(namespace in text[:4000] for namespace in _CAP_NAMESPACES):
            stripped = without_declaration(text).strip()
            if stripped.startswith("<"):
                return stripped.encode("utf-8")
    return None


def _mime(value: str | None) -> str:
    """``application/cap+xml; charset=UTF-8`` -> ``application/cap+xml``."""
    return (value or "").split(";")[0].strip().lower()


def _href(link: etree._Element, attribute: str = "href") -> str | None:
    """The link's URL, resolved against ``xml:base`` when the feed gives one (else left as written)."""
    href = (link.get(attribute) or link.text or "").strip()
    if not href:
        return None
    base = link.base
    return urljoin(base, href) if base and "://" in base else href


def _atom_cap_link(links: list[etree._Element]) -> etree._Element | None:
    """The entry's link to its CAP message: typed ``application/cap+xml`` first, then an XML-typed
    alternate/enclosure/related link, then the plain alternate link."""
    rels = ("alternate", "enclosure", "related")
    ranked = (
        [link for link in links if _mime(link.get("type")) == CAP_MIME],
        [link for link in links if _mime(link.get("type")) in _XML_MIMES and link.get("rel", "alternate") in rels],
        [link for link in links if link.get("rel", "alternate") == "alternate"],
    )
    for candidates in ranked:
        if candidates:
            return candidates[0]
    return None


def _atom_entry(entry: etree._Element) -> FeedEntry:
    chosen = _atom_cap_link(entry.findall(_A + "link"))
    return FeedEntry(
        id=(entry.findtext(_A + "id") or "").strip() or None,
        title=entry.findtext(_A + "title"),
        updated=_time(entry.findtext(_A + "updated") or entry.findtext(_A + "published")),
        cap_url=_href(chosen) if chosen is not None else None,
        alert_xml=_embedded_alert(entry),
    )


def _atom_entries(root: etree._Element, where: str) -> list[FeedEntry]:
    return [_atom_entry(entry) for entry in root.iter(_A + "entry")]


def _rss_entries(root: etree._Element, ns: str = "") -> list[FeedEntry]:
    entries = []
    for item in root.iter(ns + "item"):
        enclosures = item.findall(ns + "enclosure")
        ranked = [e for e in enclosures if _mime(e.get("type")) == CAP_MIME] + [
            e for e in enclosures if _mime(e.get("type")) in _XML_MIMES or not e.get("type")]
        url = _href(ranked[0], "url") if ranked else None
        atom_link = _atom_cap_link(item.findall(_A + "link"))
        link = (item.findtext(ns + "link") or "").strip() or None
        guid = (item.findtext(ns + "guid") or "").strip() or None
        entries.append(
            FeedEntry(
                id=guid or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about") or link,
                title=item.findtext(ns + "title"),
                updated=_time(item.findtext(ns + "pubDate") or item.findtext("{http://purl.org/dc/elements/1.1/}date")),
                cap_url=url or (_href(atom_link) if atom_link is not None else None) or link
                or (guid if guid and "://" in guid else None),  # some indexes give the CAP URL as guid only
                alert_xml=_embedded_alert(item),
            )
        )
    return entries


def read_feed(data: bytes | etree._Element, where: str = "<feed>", max_bytes: int = MAX_FEED_BYTES) -> list[FeedEntry]:
    """The entries of an Atom feed (or a lone Atom entry), RSS 2.0 or RSS 1.0 index of CAP alerts.

    Hostile XML is refused as for CAP (pass the root ``safe_parse`` returned to read it once only). Links
    are resolved against ``xml:base`` when the feed gives one; other relative links stay relative (the
    caller knows where the feed came from).
    """
    root = safe_parse(data, where, max_bytes) if isinstance(data, bytes) else data
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == _A + "feed":
        return _atom_entries(root, where)
    if tag == _A + "entry":
        return [_atom_entry(root)]
    if tag == "rss":
        return _rss_entries(root)
    if tag == "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF":
        return _rss_entries(root, _RSS1)
    if etree.QName(tag).localname == "alert" if tag else False:
        raise InputError(E.T009.format(path=where, detail="this is a CAP message, not a feed; import it as CAP"))
    raise CapError(E.T009.format(path=where, detail=f"root element is {tag or '?'}, not an Atom feed or RSS"))


def next_page(data: bytes | etree._Element, where: str = "<feed>", max_bytes: int = MAX_FEED_BYTES) -> str | None:
    """The feed's next page (``<link rel="next">``, Atom paging as RFC 5005 defines it; also in RSS as
    ``atom:link``), or None. ``data`` may be the root ``safe_parse`` returned."""
    root = safe_parse(data, where, max_bytes) if isinstance(data, bytes) else data
    channel = root.find("channel")
    holder = channel if channel is not None else root
    for link in holder.findall(_A + "link"):
        if link.get("rel") == "next":
            return _href(link)
    return None


def warnings_geojson(warnings: Sequence[Warning]) -> dict[str, object]:
    """A GeoJSON FeatureCollection: one feature per area and per corridor, with the warning's main fields."""
    import shapely

    from tocsin.model import to_dict

    features: list[dict[str, object]] = []
    for w in warnings:
        common = to_dict({
            "id": w.handle, "identifier": w.id, "sender": w.sender, "kind": w.kind,
            "cap_status": w.status, "msg_type": w.msg_type, "headline": w.headline,
            "instruction": w.instruction, "issuer": w.sender_name or w.sender, "starts": w.starts, "ends": w.ends,
            "window": w.window.to_text() if w.window else None,
        })
        for area in w.areas:
            if area.shape is not None:
                geometry = json.loads(shapely.to_geojson(area.shape))
                props = {**common, "area": area.description}
                features.append({"type": "Feature", "geometry": geometry, "properties": props})
        for corridor in w.corridors:
            geometry = json.loads(shapely.to_geojson(corridor.area))
            props = {**common, "area": corridor.name, "corridor_width_m": corridor.width_m,
                     "corridor_window": corridor.window.to_text() if corridor.window else None}
            features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}
