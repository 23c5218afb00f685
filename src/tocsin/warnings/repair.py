"""What real CAP publishers send, and how tocsin reads it: wrappers, times, foreign elements, loose geometry.

Every function here is deterministic and leaves the publisher's bytes alone: it works on tocsin's parsed
copy of a message, and each repair it makes is described by one line appended to ``notes`` (shown to
the operator at import and kept in the warning's log). Stored messages are read through the same
functions, so what ``parse_cap`` reads from the stored original bytes is exactly what was imported.

What is repaired (anything else stays an error with a code, see ``docs/warnings.md``):

- an ``<alert>`` without a namespace is read as CAP 1.2; an alert wrapped in an EDXL-DE
  ``contentObject``, an Atom ``<entry>``/``<content>`` or an RSS ``<item>`` is taken out of its wrapper;
- date-times: ``Z``, a lowercase ``t`` or a space, missing seconds, fractional seconds, ``+0000`` offsets;
  a time without any offset takes the offset of the message's ``sent`` (else UTC), with a note;
- elements outside the CAP namespace (IPAWS/EU extensions, vendor fields) are ignored; an XML
  signature (``ds:Signature``) is kept in the original bytes;
- enumeration values in other capitals (``actual``), empty optional elements (``<effective/>``),
  ``<language>`` written with an underscore (``fr_CA``);
- elements out of the schema's order (``<expires>`` after ``<instruction>``), put in order when that
  cannot change what they say (``schema_order``), only when the caller asks (``reorder=True``: by default
  such a message is invalid CAP and refused);
- polygons and circles: spaces around commas, points written ``lat lon, lat lon``, a third coordinate
  (altitude), an unclosed ring, and every point given as lon,lat when that is the only reading that
  fits the ranges; an empty ``<polygon/>`` or ``<circle/>`` is ignored (``tocsin.warnings.cap`` also
  splits a ring crossing itself into valid polygons).
"""

from __future__ import annotations

import re

from lxml import etree

from tocsin.warnings.records import ENUMERATIONS

__all__ = [
    "CAP12_NS",
    "SCHEMA_ORDER",
    "alert_bytes",
    "clean_geometry_text",
    "find_alerts",
    "looks_like_html",
    "normalise_alert",
    "normalise_time",
    "schema_order",
]

CAP12_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP_NAMESPACES = (CAP12_NS, "urn:oasis:names:tc:emergency:cap:1.1", "http://www.incident.com/cap/1.0")
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
_TIME_TAGS = ("sent", "effective", "onset", "expires")
#: Optional CAP 1.2 elements a sender may leave empty (``<effective/>``): ignored, as if absent.
_OPTIONAL = frozenset({
    "source", "restriction", "addresses", "code", "note", "references", "incidents", "language", "responseType",
    "audience", "effective", "onset", "expires", "senderName", "headline", "description", "instruction", "web",
    "contact", "altitude", "ceiling", "size", "uri", "derefUri", "digest",
})
_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<hm>\d{2}:\d{2})(?::(?P<s>\d{2})(?P<frac>[.,]\d+)?)?"
    r"\s*(?P<off>[Zz]|[+-]\d{2}:?\d{2}|[+-]\d{2})?"
)
_HTML = re.compile(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


def looks_like_html(data: bytes) -> bool:
    """True for an HTML page (an error or login page a server sent instead of XML)."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    return _HTML.match(head) is not None


def _offset(text: str | None) -> str | None:
    if text is None:
        return None
    if text in ("Z", "z"):
        return "+00:00"
    sign, digits = text[0], text[1:].replace(":", "")
    digits = digits.ljust(4, "0")
    return f"{sign}{digits[:2]}:{digits[2:4]}"


def normalise_time(text: str, default_offset: str | None = None) -> tuple[str, bool]:
    """A CAP date-time as the schema wants it (``YYYY-MM-DDThh:mm:ss+hh:mm``) and whether it lacked an offset.

    Unreadable text is returned stripped and unchanged (the schema then names it).

    >>> normalise_time("2026-03-01t12:00Z")
    ('2026-03-01T12:00:00+00:00', False)
    >>> normalise_time("2026-03-01T12:00:00.250", "+02:00")
    ('2026-03-01T12:00:00+02:00', True)
    """
    stripped = text.strip()
    match = _TIME.fullmatch(stripped)
    if match is None:
        return stripped, False
    offset = _offset(match["off"])
    missing = offset is None
    if missing:
        offset = default_offset or "+00:00"
    return f"{match['date']}T{match['hm']}:{match['s'] or '00'}{offset}", missing


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def find_alerts(root: etree._Element) -> list[etree._Element]:
    """The CAP ``<alert>`` elements in a document: the root itself, or those inside a wrapper (EDXL-DE
    ``contentObject``, an Atom entry's ``content``, an RSS item, a SOAP body), in document order."""
    if not isinstance(root.tag, str):
        return []
    if _local(root) == "alert":
        return [root]
    found = []
    for element in root.iter():
        if isinstance(element.tag, str) and _local(element) == "alert":
            namespace = etree.QName(element).namespace
            if namespace in CAP_NAMESPACES or namespace is None:
                if not any(found_alert in element.iterancestors() for found_alert in found):
                    found.append(element)
    return found


def alert_bytes(alert: etree._Element) -> bytes:
    """An ``<alert>`` taken out of its wrapper, as the sender wrote it: UTF-8, no tail, and without the
    namespace declarations it only inherited from the wrapper and does not use (inclusive C14N, which
    XML signatures of CAP use, would count them and the signature would no longer verify)."""
    copy = etree.fromstring(etree.tostring(alert, encoding="UTF-8", with_tail=False),
                            etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    parent = alert.getparent()
    inherited = parent.nsmap if parent is not None else {}
    own = [prefix for prefix, uri in alert.nsmap.items() if prefix is not None and inherited.get(prefix) != uri]
    etree.cleanup_namespaces(copy, keep_ns_prefixes=own)
    data: bytes = etree.tostring(copy, encoding="UTF-8")
    return data


def _adopt_namespace(alert: etree._Element, notes: list[str]) -> None:
    """An ``<alert>`` in no namespace (some publishers leave it out) is read as CAP 1.2."""
    for element in alert.iter():
        if isinstance(element.tag, str) and etree.QName(element).namespace is None:
            element.tag = "{" + CAP12_NS + "}" + element.tag
    etree.cleanup_namespaces(alert, top_nsmap={None: CAP12_NS})
    notes.append("the <alert> has no namespace; read as CAP 1.2 (urn:oasis:names:tc:emergency:cap:1.2)")


def _fixed_time(element: etree._Element, tag: str, sent_offset: str | None, notes: list[str]) -> None:
    text = (element.text or "").strip()
    fixed, missing = normalise_time(text, sent_offset)
    if fixed != text:
        if missing:
            basis = "the offset of <sent>" if sent_offset and tag != "sent" else "UTC"
            notes.append(f"<{tag}> {text!r} has no UTC offset; read as {fixed} ({basis})")
        else:
            notes.append(f"<{tag}> {text!r} read as {fixed} (CAP writes seconds and an offset such as +00:00)")
    element.text = fixed


def _fixed_references(element: etree._Element, notes: list[str]) -> None:
    tokens = []
    for token in (element.text or "").split():
        parts = token.split(",")
        if len(parts) == 3:
            fixed, _ = normalise_time(parts[2])
            if fixed != parts[2]:
                notes.append(f"<references> time {parts[2]!r} read as {fixed}")
            parts[2] = fixed
        tokens.append(",".join(parts))
    if tokens:
        element.text = " ".join(tokens)


_Q = "{" + CAP12_NS + "}"
_TIMES = {_Q + tag: tag for tag in _TIME_TAGS}
_ENUMS = {_Q + tag: (tag, {v.lower(): v for v in values}) for tag, values in ENUMERATIONS.items()}
_OPTIONAL_TAGS = {_Q + tag: tag for tag in _OPTIONAL}


#: The order of the CAP 1.2 schema's sequences (``CAP-v1.2.xsd``): parent -> its children, in order.
SCHEMA_ORDER: dict[str, tuple[str, ...]] = {
    "alert": ("identifier", "sender", "sent", "status", "msgType", "source", "scope", "restriction", "addresses",
              "code", "note", "references", "incidents", "info"),
    "info": ("language", "category", "event", "responseType", "urgency", "severity", "certainty", "audience",
             "eventCode", "effective", "onset", "expires", "senderName", "headline", "description", "instruction",
             "web", "contact", "parameter", "resource", "area"),
    "eventCode": ("valueName", "value"),
    "parameter": ("valueName", "value"),
    "geocode": ("valueName", "value"),
    "resource": ("resourceDesc", "mimeType", "size", "uri", "derefUri", "digest"),
    "area": ("areaDesc", "polygon", "circle", "geocode", "altitude", "ceiling"),
}
#: Children the schema allows more than once; any other child may appear once.
_REPEATED = frozenset({"code", "info", "category", "responseType", "eventCode", "parameter", "resource", "area",
                       "polygon", "circle", "geocode"})
_RANK = {_Q + parent: {_Q + child: i for i, child in enumerate(children)} for parent, children in SCHEMA_ORDER.items()}
_SIGNATURE = "{" + DSIG_NS + "}Signature"


def schema_order(alert: etree._Element, notes: list[str]) -> None:
    """Put the children of each CAP element in the schema's order, in place, when that is unambiguous.

    The schema names each child once in each sequence, so moving an element to its place changes nothing
    it says, and elements of one name keep their order among themselves (``info`` blocks, ``parameter``s).
    A parent is left as written (the schema then refuses it, T405, naming the element) when it holds an
    element that is not its CAP child (it is misplaced, not out of order) or twice an element the schema
    allows once: two ``valueName``s in one ``parameter`` (which value goes with which name would depend on
    the order), two ``expires`` (which one is meant?). Comments move with the element after them.
    """
    for parent in alert.iter(*_RANK):
        rank = _RANK[parent.tag]
        children = [c for c in parent if isinstance(c.tag, str)]
        keys = [rank.get(c.tag, len(rank) if parent is alert and c.tag == _SIGNATURE else -1) for c in children]
        if keys == sorted(keys) or -1 in keys:
            continue
        names = [etree.QName(c).localname for c in children]
        if any(names.count(n) > 1 for n in set(names) if n not in _REPEATED and n != "Signature"):
            continue
        first = next(i for i in range(1, len(keys)) if keys[i] < keys[i - 1])
        groups: list[list[etree._Element]] = []
        pending: list[etree._Element] = []
        for node in parent:
            pending.append(node)
            if isinstance(node.tag, str):
                groups.append(pending)
                pending = []
        order = sorted(range(len(groups)), key=lambda i: keys[i])  # stable: same names keep their order
        tail = parent[-1].tail
        for node in list(parent):
            parent.remove(node)
        for i in order:
            parent.extend(groups[i])
        parent.extend(pending)  # comments after the last element
        parent[-1].tail = tail
        notes.append(f"<{etree.QName(parent).localname}> has <{names[first]}> after <{names[first - 1]}>, out of "
                     "the CAP schema's order; read in the schema's order")


def _fixed_enum(element: etree._Element, tag: str, by_lower: dict[str, str], notes: list[str]) -> None:
    text = (element.text or "").strip()
    fixed = by_lower.get(text.lower(), text)
    if fixed != text:
        notes.append(f"<{tag}> {text!r} read as {fixed!r}")
    element.text = fixed if element.text is not None else None


def normalise_alert(alert: etree._Element, notes: list[str], *, reorder: bool = False) -> etree._Element:
    """Repair tocsin's parsed copy of a CAP 1.2 (or namespace-less) alert in place, in one pass; return it.

    Elements outside CAP are removed (an XML signature directly under ``<alert>`` stays), date-times
    are written as the schema wants them, enumeration values lose surrounding blanks and take the
    schema's capitals (``actual`` -> ``Actual``), empty optional elements are dropped. Elements out of the
    schema's order are put in it (``schema_order``) only with ``reorder``: a message that breaks the order
    is invalid CAP, refused by default (T405, with a hint), read only when the operator asks for it.
    """
    if etree.QName(alert).namespace is None:
        _adopt_namespace(alert, notes)
    if alert.tag != _Q + "alert":
        return alert
    sent = alert.find(_Q + "sent")
    sent_match = _TIME.fullmatch((sent.text or "").strip()) if sent is not None else None
    sent_offset = _offset(sent_match["off"]) if sent_match is not None else None
    dropped: dict[str, int] = {}
    foreign: list[etree._Element] = []
    for element in alert.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag.startswith(_Q):
            if tag in _OPTIONAL_TAGS and len(element) == 0 and not (element.text or "").strip():
                foreign.append(element)  # empty optional element: as if absent
                notes.append(f"empty <{_OPTIONAL_TAGS[tag]}> ignored")
            elif tag in _TIMES:
                _fixed_time(element, _TIMES[tag], sent_offset, notes)
            elif tag in _ENUMS:
                _fixed_enum(element, *_ENUMS[tag], notes)
            elif tag == _Q + "references":
                _fixed_references(element, notes)
            elif tag == _Q + "language" and "_" in (element.text or ""):
                fixed = (element.text or "").strip().replace("_", "-")
                notes.append(f"<language> {element.text!r} read as {fixed!r}")
                element.text = fixed
            continue
        parent = element.getparent()
        if parent is alert and tag == "{" + DSIG_NS + "}Signature":
            continue
        if parent is not None and isinstance(parent.tag, str) and parent.tag.startswith(_Q):
            foreign.append(element)  # outermost foreign element only; what it holds goes with it
            dropped[tag] = dropped.get(tag, 0) + 1
    for element in foreign:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for name, count in dropped.items():
        notes.append(f"ignored {count} <{name}> element(s): not part of CAP 1.2")
    if reorder:
        schema_order(alert, notes)
    return alert


_COMMA = re.compile(r"\s*,\s*")
_NUM = r"[-+]?\d+(?:\.\d*)?"
_SPACE_PAIRS = re.compile(rf"{_NUM}\s+{_NUM}(?:\s*,\s*{_NUM}\s+{_NUM})+")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def clean_geometry_text(text: str, where: str, notes: list[str], *, polygon: bool) -> str:
    """CAP polygon or circle text as ``parse_polygon``/``parse_circle`` read it, repairing what is unambiguous.

    Spaces around commas go; a third coordinate (altitude) is dropped; a polygon ring left open is
    closed; points given as lon,lat are swapped when some point's first number is outside -90..90 and
    swapping puts every point in range. Anything else is left for the strict parser to name.
    """
    cleaned = text.strip()
    if polygon and _SPACE_PAIRS.fullmatch(cleaned):  # "lat lon, lat lon, ..." (pairs the other way round)
        notes.append(f"{where}: points written as 'lat lon, lat lon'; read as CAP's 'lat,lon lat,lon'")
        cleaned = " ".join(",".join(pair.split()) for pair in cleaned.split(","))
    cleaned = _COMMA.sub(",", cleaned)
    radius = ""
    if not polygon:
        head, *rest = cleaned.split(None, 1)  if cleaned else [""]
        cleaned = head
        radius = " " + " ".join(rest).strip() if rest else ""
    tokens = cleaned.split()
    parts = [t.split(",") for t in tokens]
    if tokens and all(len(p) == 3 for p in parts):
        notes.append(f"{where}: third coordinate (altitude) of each point ignored")
        parts = [p[:2] for p in parts]
    numbers = [(_number(p[0]), _number(p[1])) if len(p) == 2 else (None, None) for p in parts]
    if numbers and all(a is not None and b is not None for a, b in numbers):
        pairs = [(float(a), float(b)) for a, b in numbers if a is not None and b is not None]
        swapped = any(abs(a) > 90 for a, _ in pairs) and all(abs(b) <= 90 and abs(a) <= 180 for a, b in pairs)
        if swapped:
            notes.append(f"{where}: points read as lon,lat (first numbers beyond +-90); swapped to CAP's lat,lon")
            parts = [[p[1], p[0]] for p in parts]
            pairs = [(b, a) for a, b in pairs]
        if polygon and len(pairs) >= 3 and pairs[0] != pairs[-1]:
            notes.append(f"{where}: ring not closed; closed by repeating its first point")
            parts.append(list(parts[0]))
    out = " ".join(",".join(p) for p in parts)
    return out + radius if not polygon else out
