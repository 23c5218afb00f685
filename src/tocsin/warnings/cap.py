"""CAP 1.2 XML: build it from a Warning, read it back safely, validate it against the shipped OASIS schema.

Reading is defensive: input is bounded in size, any DOCTYPE or ENTITY declaration is refused before
parsing (billion laughs, XXE), the parser never loads DTDs, resolves entities or touches the network.
Then the message is checked against the CAP 1.2 schema and tocsin's own rules (enumerations with a
clear message, polygon rings, coordinate order and ranges, expires after effective). CAP 1.1 (and 1.0)
messages are converted to 1.2 when the result validates, else refused with T407.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import shapely
from lxml import etree
from shapely.geometry import Polygon

from tocsin.errors import CapError, E, GeometryError, InputError
from tocsin.model import Span
from tocsin.warnings.geometry import (
    format_circle,
    format_line,
    format_polygon,
    parse_circle,
    parse_line,
    parse_pairs,
    parse_polygon,
)
from tocsin.warnings.records import (
    ENUMERATIONS,
    KINDS,
    Corridor,
    Reference,
    Warning,
    WarningArea,
)
from tocsin.warnings.repair import (
    alert_bytes,
    clean_geometry_text,
    find_alerts,
    looks_like_html,
    normalise_alert,
    schema_order,
)
from tocsin.warnings.timewindow import parse_window

__all__ = [
    "CAP_NS",
    "MAX_CAP_BYTES",
    "format_time",
    "languages",
    "parse_cap",
    "parse_time",
    "read_cap_file",
    "safe_parse",
    "schema",
    "to_cap",
    "validate_cap",
    "without_declaration",
]

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
CAP11_NS = "urn:oasis:names:tc:emergency:cap:1.1"
CAP10_NS = "http://www.incident.com/cap/1.0"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
MAX_CAP_BYTES = 10_000_000  # an alert with many detailed polygons runs to a few MB (8 MB: ~0.8 s CPU to read)
_Q = "{" + CAP_NS + "}"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_KIND_BY_RESPONSE = {"Evacuate": "evacuation_order", "AllClear": "all_clear"}


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The OASIS CAP 1.2 schema shipped in ``tocsin/data/cap`` (loaded once)."""
    path = resources.files("tocsin") / "data" / "cap" / "CAP-v1.2.xsd"
    return etree.XMLSchema(etree.fromstring(path.read_bytes(), _parser()))


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, dtd_validation=False, load_dtd=False, huge_tree=False
    )


_DECLARED = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*\?>")


def without_declaration(text: str) -> str:
    """XML text without its leading byte-order mark and XML declaration (``<?xml ... encoding="..."?>``).

    For XML that is already text: the encoding it declares no longer applies, and the text encoded as UTF-8
    under a declaration of ISO-8859-1 or UTF-16 would be misread. A byte-order mark alone is dropped too.
    """
    return _DECLARATION.sub("", text, count=1).removeprefix("\ufeff")


def _reencoded(data: bytes) -> tuple[bytes, str] | None:
    """Bytes whose declared (or default) encoding does not fit them, as UTF-8, and what they were read as.

    A declaration of UTF-16 on bytes that are UTF-8 is read as UTF-8; bytes that are not valid UTF-8
    (declared or by default) as windows-1252, the usual culprit. Other declarations are trusted.
    """
    declared = _DECLARED.match(data)
    name = declared.group(2).lower().replace(b"_", b"-") if declared is not None else b"utf-8"
    if name not in (b"utf-8", b"utf8", b"utf-16", b"utf16"):
        return None
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text, used = body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        text, used = body.decode("cp1252", errors="replace"), "windows-1252"
    return without_declaration(text).encode("utf-8"), used


def safe_parse(data: bytes, where: str = "<input>", max_bytes: int = MAX_CAP_BYTES,
               notes: list[str] | None = None) -> etree._Element:
    """Parse untrusted XML: bounded size, no DTD, no entities, no network. Raises CapError.

    An HTML page (an error page served instead of XML) is T414. Bytes that are not valid in UTF-8
    (declared or default) are read as windows-1252, with a line in ``notes``.
    """
    if len(data) > max_bytes:
        raise CapError(E.T402.format(where=where, size=len(data), limit=max_bytes))
    if looks_like_html(data):
        raise CapError(E.T414.format(where=where))
    if _DTD.search(data):
        raise CapError(E.T403.format(where=where))
    declared = _DECLARED.match(data)
    if declared is not None and declared.group(2).lower().replace(b"_", b"-") in (b"utf-16", b"utf16"):
        # a declaration readable as ASCII is not UTF-16 (that would have a zero byte after each letter)
        fixed = _reencoded(data)
        if fixed is not None:
            data = fixed[0]
            if notes is not None:
                notes.append(f"declared UTF-16 but the bytes are not; read as {fixed[1]}")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc)
        retry = _reencoded(data) if "encoding" in message or "UTF-" in message or "labelled" in message else None
        if retry is None:
            detail = str(exc)
            head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
            if "Premature end" in detail or "EndTag" in detail:
                detail += "; the file looks truncated"
            elif head.startswith(b"\x1f\x8b"):
                detail = "the bytes are gzip-compressed; decompress them first"
            elif head[:1] in (b"{", b"["):
                detail = "this is JSON, not XML (a JSON/GeoJSON rendering of alerts?); ask for the CAP XML"
            raise CapError(E.T404.format(where=where, detail=detail)) from exc
        try:
            root = etree.fromstring(retry[0], _parser())
        except etree.XMLSyntaxError:
            raise CapError(E.T404.format(where=where, detail=str(exc))) from exc
        if notes is not None:
            notes.append(f"bytes do not fit their declared encoding ({exc}); read as {retry[1]}")
    if root.getroottree().docinfo.doctype or root.getroottree().docinfo.internalDTD is not None:
        raise CapError(E.T403.format(where=where))
    return root


def format_time(value: dt.datetime) -> str:
    """CAP's date-time: seconds precision with an explicit offset (``+00:00``; the schema rejects ``Z``)."""
    if value.tzinfo is None:
        raise CapError(E.T410.format(where="format_time", value=value.isoformat()))
    return value.replace(microsecond=0).isoformat()


def parse_time(text: str, where: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise CapError(E.T410.format(where=where, value=text)) from exc
    if value.tzinfo is None:
        raise CapError(E.T410.format(where=where, value=text))
    return value


# -- writing ---------------------------------------------------------------------------------------


def _sub(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None and text != "":
        etree.SubElement(parent, _Q + tag).text = text


def _param(info: etree._Element, name: str, value: str) -> None:
    param = etree.SubElement(info, _Q + "parameter")
    etree.SubElement(param, _Q + "valueName").text = name
    etree.SubElement(param, _Q + "value").text = value


def _corridor_desc(corridor: Corridor) -> str:
    return f"Safe corridor: {corridor.name}"


def _tocsin_params(warning: Warning) -> list[tuple[str, str]]:
    params = [("tocsin:kind", warning.kind)]
    if warning.window is not None:
        params.append(("tocsin:window", warning.window.to_text()))
    for corridor in warning.corridors:
        spec = {
            "name": corridor.name,
            "width_m": corridor.width_m,
            "route": format_line(corridor.route),
            "window": corridor.window.to_text() if corridor.window else None,
        }
        params.append(("tocsin:corridor", json.dumps(spec, sort_keys=True)))
    if warning.report_id:
        params.append(("tocsin:report", warning.report_id))
    if warning.evidence is not None:
        params.append(("tocsin:evidence", f"{warning.evidence.start}:{warning.evidence.end}"))
    return params


def _write_area(info: etree._Element, area: WarningArea) -> None:
    element = etree.SubElement(info, _Q + "area")
    _sub(element, "areaDesc", area.description)
    for polygon in area.polygons:
        _sub(element, "polygon", format_polygon(polygon))
    for circle in area.circles:
        _sub(element, "circle", format_circle(circle))
    for name, value in area.geocodes:
        geocode = etree.SubElement(element, _Q + "geocode")
        etree.SubElement(geocode, _Q + "valueName").text = name
        etree.SubElement(geocode, _Q + "value").text = value


def to_cap_element(warning: Warning) -> etree._Element:
    alert = etree.Element(_Q + "alert", nsmap={None: CAP_NS})
    _sub(alert, "identifier", warning.id)
    _sub(alert, "sender", warning.sender)
    _sub(alert, "sent", format_time(warning.sent))
    _sub(alert, "status", warning.status)
    _sub(alert, "msgType", warning.msg_type)
    _sub(alert, "scope", warning.scope)
    _sub(alert, "note", warning.note)
    if warning.references:
        _sub(alert, "references", " ".join(r.to_text() for r in warning.references))
    info = etree.SubElement(alert, _Q + "info")
    _sub(info, "language", warning.language)
    _sub(info, "category", warning.category)
    _sub(info, "event", warning.event or warning.kind.replace("_", " "))
    _sub(info, "responseType", warning.response_type)
    _sub(info, "urgency", warning.urgency)
    _sub(info, "severity", warning.severity)
    _sub(info, "certainty", warning.certainty)
    effective = warning.effective or (warning.window.start if warning.window else None)
    expires = warning.expires or (warning.window.end if warning.window else None)
    _sub(info, "effective", format_time(effective) if effective else None)
    _sub(info, "expires", format_time(expires) if expires else None)
    _sub(info, "senderName", warning.sender_name)
    _sub(info, "headline", warning.headline)
    _sub(info, "description", warning.description)
    _sub(info, "instruction", warning.instruction)
    _sub(info, "web", warning.web)
    written = {"tocsin:kind", "tocsin:window", "tocsin:corridor", "tocsin:report", "tocsin:evidence"}
    for name, value in _tocsin_params(warning) + [p for p in warning.parameters if p[0] not in written]:
        _param(info, name, value)
    for area in warning.areas:
        _write_area(info, area)
    for corridor in warning.corridors:
        _write_area(info, WarningArea(_corridor_desc(corridor), polygons=(corridor.area,)))
    return alert


def to_cap(warning: Warning) -> bytes:
    """The warning as CAP 1.2 XML (UTF-8), validated against the shipped schema."""
    alert = to_cap_element(warning)
    data: bytes = etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate_cap(alert, where=f"warning {warning.id!r}")
    return data


def validate_cap(message: bytes | etree._Element, where: str = "<input>") -> None:
    """Raise CapError (T405) unless the message validates against the CAP 1.2 schema."""
    root = safe_parse(message, where) if isinstance(message, bytes) else message
    cap_schema = schema()
    if not cap_schema.validate(root):
        error = cap_schema.error_log.last_error
        raise CapError(E.T405.format(where=where, detail=f"line {error.line}: {error.message}"))


def _validate_read(root: etree._Element, where: str, reorder: bool) -> None:
    """``validate_cap``; when only the elements' order broke it, the error says how to read the message anyway."""
    try:
        validate_cap(root, where)
    except CapError as exc:
        if reorder:
            raise
        moved: list[str] = []
        reordered = copy.deepcopy(root)
        schema_order(reordered, moved)
        if not moved or not schema().validate(reordered):
            raise
        hint = moved[0].split(";")[0]
        raise CapError(f"{exc.message} ({hint}; `tocsin warnings import --reorder`, or reorder=True, reads it "
                       "in that order)") from exc


# -- reading ---------------------------------------------------------------------------------------


def _fix_older_structure(root: etree._Element) -> None:
    """CAP 1.0 wrote ``<parameter>NAME=VALUE</parameter>``; 1.1 allowed a resource without ``mimeType``."""
    for tag in ("parameter", "eventCode", "geocode"):
        for element in root.iter(_Q + tag):
            if len(element) == 0 and element.text and "=" in element.text:
                name, _, value = element.text.partition("=")
                element.text = None
                etree.SubElement(element, _Q + "valueName").text = name.strip()
                etree.SubElement(element, _Q + "value").text = value.strip()
    for resource in root.iter(_Q + "resource"):
        if resource.find(_Q + "mimeType") is None:
            mime = etree.Element(_Q + "mimeType")
            mime.text = "application/octet-stream"
            desc = resource.find(_Q + "resourceDesc")
            resource.insert(0 if desc is None else resource.index(desc) + 1, mime)


def _convert_older(root: etree._Element, where: str, notes: list[str], reorder: bool = False) -> etree._Element:
    """Rename a CAP 1.0/1.1 message into the 1.2 namespace (dropping 1.0's ``password``)."""
    namespace = etree.QName(root).namespace
    version = "1.1" if namespace == CAP11_NS else "1.0"
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.namespace == namespace:
            element.tag = _Q + qname.localname
    _fix_older_structure(root)
    if version == "1.0":
        for password in root.findall(_Q + "password"):
            root.remove(password)
        for certainty in root.iter(_Q + "certainty"):
            if certainty.text == "Very Likely":
                certainty.text = "Likely"
    etree.cleanup_namespaces(root, top_nsmap={None: CAP_NS})
    normalise_alert(root, notes, reorder=reorder)
    try:
        _validate_read(root, where, reorder)
    except CapError as exc:
        raise CapError(E.T407.format(where=where, version=version, detail=exc.message)) from exc
    return root


def _check_enums(root: etree._Element, where: str) -> None:
    for name, valid in ENUMERATIONS.items():
        for element in root.iter(_Q + name):
            value = (element.text or "").strip()
            if value not in valid:
                raise CapError(E.T406.format(where=where, element=name, value=value, valid=", ".join(valid)))


def _texts(parent: etree._Element | None) -> dict[str, str]:
    """Local name -> stripped text of each child element (the first of each name); empty texts left out."""
    out: dict[str, str] = {}
    if parent is None:
        return out
    for child in parent:
        tag = child.tag
        if isinstance(tag, str):
            name = tag.rpartition("}")[2]
            raw = child.text
            if len(child) and not isinstance(child[0].tag, str) and all(not isinstance(c.tag, str) for c in child):
                # a field holding a comment: its text is around the comment
                raw = (raw or "") + "".join(c.tail or "" for c in child)
            if name not in out and raw is not None:
                text = raw.strip()
                if text:
                    out[name] = text
    return out


def _text(parent: etree._Element, tag: str) -> str | None:
    return _texts(parent).get(tag)


def _language_matches(info_language: str, wanted: str) -> bool:
    have, want = info_language.lower().replace("_", "-"), wanted.lower().replace("_", "-")
    return have == want or have.split("-")[0] == want.split("-")[0]


def _pick_info(root: etree._Element, language: str | None = None) -> etree._Element | None:
    """The ``info`` block to read: the one in ``language`` (exact tag, else same primary language), else
    English, else the first. A block without ``language`` is en-US (CAP's default)."""
    infos = root.findall(_Q + "info")
    for wanted in (language, "en-US"):
        if wanted:
            for info in infos:
                if _language_matches(_text(info, "language") or "en-US", wanted):
                    return info
    return infos[0] if infos else None


def languages(message: bytes | etree._Element) -> list[str]:
    """The languages of a CAP message's ``info`` blocks, in order (``en-US`` where none is given)."""
    root = safe_parse(message) if isinstance(message, bytes) else message
    alert = (find_alerts(root) or [root])[0]
    return [_texts(info).get("language", "en-US") for info in alert if isinstance(info.tag, str)
            and etree.QName(info).localname == "info"]


def _read_polygon(text: str, where: str, short: str, notes: list[str]) -> list[Polygon]:
    """A CAP polygon; one that crosses or touches itself is split into the valid polygons covering the
    same ground (shapely ``make_valid``), with a note. Other faults stay errors."""
    try:
        return [parse_polygon(text, where)]
    except GeometryError as exc:
        if exc.code != "T307":
            raise
        ring = Polygon(parse_pairs(text, where))
        parts = [g for g in shapely.get_parts(shapely.make_valid(ring)).tolist()
                 if isinstance(g, Polygon) and g.area > 0]
        if not parts:
            raise
        notes.append(f"{short}: {shapely.is_valid_reason(ring)}; read as {len(parts)} valid polygon(s) "
                     "covering the same ground")
        return parts


def _read_areas(info: etree._Element, where: str, notes: list[str]) -> list[WarningArea]:
    areas = []
    for a_index, area in enumerate(info.findall(_Q + "area"), start=1):
        a_where = f"{where} area {a_index}"
        shapes: dict[str, list[str]] = {"polygon": [], "circle": []}
        for tag, texts in shapes.items():
            for element in area.findall(_Q + tag):
                if (element.text or "").strip():
                    texts.append(element.text or "")
                else:
                    notes.append(f"area {a_index}: empty <{tag}> ignored")
        polygons = tuple(
            part
            for i, text in enumerate(shapes["polygon"], 1)
            for part in _read_polygon(clean_geometry_text(text, f"area {a_index} polygon {i}", notes, polygon=True),
                                      f"{a_where} polygon {i}", f"area {a_index} polygon {i}", notes)
        )
        circles = tuple(
            parse_circle(clean_geometry_text(text, f"area {a_index} circle {i}", notes, polygon=False),
                         f"{a_where} circle {i}")
            for i, text in enumerate(shapes["circle"], 1)
        )
        geocodes = tuple(
            (t.get("valueName", ""), t.get("value", "")) for t in map(_texts, area.findall(_Q + "geocode"))
        )
        areas.append(WarningArea(_text(area, "areaDesc") or "", polygons, circles, geocodes))
    return areas


def _read_references(text: str | None, where: str, notes: list[str]) -> tuple[Reference, ...]:
    """CAP ``references``; a token that is not ``sender,identifier,sent`` is ignored with a note (the rest
    of the message is still worth reading, and no stored message can be matched by it safely)."""
    refs = []
    for token in (text or "").split():
        parts = token.split(",")
        try:
            if len(parts) != 3:
                raise CapError(E.T401.format(where=where, detail=f"reference {token!r} is not "
                                                                 "'sender,identifier,sent'"))
            refs.append(Reference(parts[0], parts[1], parse_time(parts[2], f"{where} references")))
        except CapError as exc:
            notes.append(f"reference ignored: {exc.message}")
    return tuple(refs)


def _read_corridor(value: str, where: str) -> Corridor:
    try:
        spec = json.loads(value)
        window = parse_window(spec["window"]) if spec.get("window") else None
        return Corridor(spec["name"], parse_line(spec["route"], where), float(spec["width_m"]), window)
    except (ValueError, KeyError, TypeError) as exc:
        raise CapError(E.T401.format(where=where, detail=f"bad tocsin:corridor parameter ({exc})")) from exc


def _warning_from(root: etree._Element, data: bytes, where: str, notes: list[str], language: str | None
                  ) -> Warning:
    root_t = _texts(root)
    identifier = root_t.get("identifier", "")
    where = f"{where} (alert {identifier!r})"
    info = _pick_info(root, language)
    info_t = _texts(info)
    params: list[tuple[str, str]] = []
    areas: list[WarningArea] = []
    if info is not None:
        params = [(t.get("valueName", ""), t.get("value", "")) for t in map(_texts, info.findall(_Q + "parameter"))]
        areas = _read_areas(info, where, notes)
    by_name: dict[str, list[str]] = {}
    for name, value in params:
        by_name.setdefault(name, []).append(value)
    corridors = [_read_corridor(v, where) for v in by_name.get("tocsin:corridor", [])]
    corridor_descs = {_corridor_desc(c) for c in corridors}
    areas = [a for a in areas if a.description not in corridor_descs]
    kind = (by_name.get("tocsin:kind") or [""])[0]
    response = info_t.get("responseType")
    if kind not in KINDS:
        kind = _KIND_BY_RESPONSE.get(response or "", "other")
    window_text = (by_name.get("tocsin:window") or [None])[0]
    evidence_text = (by_name.get("tocsin:evidence") or [None])[0]
    evidence = None
    if evidence_text and re.fullmatch(r"\d+:\d+", evidence_text):
        start, end = (int(x) for x in evidence_text.split(":"))
        evidence = Span(start, end)

    def info_time(tag: str) -> dt.datetime | None:
        text = info_t.get(tag)
        return parse_time(text, f"{where} {tag}") if text else None

    def info_text(tag: str) -> str | None:
        return info_t.get(tag)

    effective, expires = info_time("effective"), info_time("expires")
    if effective is not None and expires is not None and expires < effective:
        raise CapError(E.T409.format(where=where, expires=expires.isoformat(), effective=effective.isoformat()))
    own = {"tocsin:kind", "tocsin:window", "tocsin:corridor", "tocsin:report", "tocsin:evidence"}
    try:
        return Warning(
            id=identifier,
            kind=kind,
            sender=root_t.get("sender") or "",
            sent=parse_time(root_t.get("sent") or "", f"{where} sent"),
            status=root_t.get("status") or "Actual",
            msg_type=root_t.get("msgType") or "Alert",
            scope=root_t.get("scope") or "Public",
            references=_read_references(root_t.get("references"), where, notes),
            category=info_text("category") or "Other",
            event=info_text("event") or "",
            response_type=response,
            urgency=info_text("urgency") or "Unknown",
            severity=info_text("severity") or "Unknown",
            certainty=info_text("certainty") or "Unknown",
            effective=effective,
            expires=expires,
            sender_name=info_text("senderName"),
            headline=info_text("headline"),
            description=info_text("description"),
            instruction=info_text("instruction"),
            web=info_text("web"),
            language=info_text("language") or "en-US",
            areas=areas,
            window=parse_window(window_text) if window_text else None,
            corridors=corridors,
            parameters=[p for p in params if p[0] not in own],
            note=root_t.get("note"),
            report_id=(by_name.get("tocsin:report") or [None])[0],
            evidence=evidence,
            source_xml=data,
        )
    except InputError as exc:
        raise CapError(E.T401.format(where=where, detail=exc.message)) from exc


def parse_cap(data: bytes, where: str = "<input>", max_bytes: int = MAX_CAP_BYTES, *, validated: bool = False,
              notes: list[str] | None = None, language: str | None = None, reorder: bool = False) -> Warning:
    """Read one CAP message into a Warning, or raise CapError naming what is wrong.

    The original bytes are kept in ``Warning.source_xml`` (an XML signature stays verifiable); for an
    alert inside a wrapper (EDXL-DE, an Atom entry, an RSS item) they are the ``<alert>`` element's.
    What real publishers get wrong and tocsin can read without guessing (``tocsin.warnings.repair``)
    is repaired in tocsin's copy only, and each repair is appended to ``notes``. Of several ``info``
    blocks the one in ``language`` is read (else English, else the first).
    ``validated=True`` skips the schema and enumeration checks for messages tocsin itself stored after
    checking them (the safe parser, the same repairs and the geometry checks still run). Elements out of
    the schema's order make a message invalid (T405, saying so); ``reorder=True`` reads them in the
    schema's order instead, with a note.
    """
    notes = [] if notes is None else notes
    root = safe_parse(data, where, max_bytes, notes)
    alerts = find_alerts(root)
    if not alerts:
        raise CapError(E.T408.format(where=where, tag=root.tag if isinstance(root.tag, str) else "?"))
    if len(alerts) > 1:
        raise CapError(E.T415.format(where=where, count=len(alerts), wrapper=etree.QName(root).localname))
    if alerts[0] is not root:
        data = alert_bytes(alerts[0])
        notes.append(f"CAP alert read from inside its <{etree.QName(root).localname}> wrapper")
        root = safe_parse(data, where, max_bytes)
    namespace = etree.QName(root).namespace
    if namespace in (CAP11_NS, CAP10_NS):
        root = _convert_older(root, where, notes, reorder)
    elif namespace in (CAP_NS, None):
        normalise_alert(root, notes, reorder=reorder)
    else:
        raise CapError(E.T408.format(where=where, tag=root.tag))
    if not validated:
        _check_enums(root, where)
        _validate_read(root, where, reorder)
    try:
        return _warning_from(root, data, where, notes, language)
    except GeometryError as exc:
        raise CapError(exc.message) from exc


def read_cap_file(path: str | Path, max_bytes: int = MAX_CAP_BYTES) -> Warning:
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise InputError(E.T008.format(path=path)) from exc
    if size > max_bytes:
        raise CapError(E.T402.format(where=str(path), size=size, limit=max_bytes))
    return parse_cap(path.read_bytes(), where=str(path), max_bytes=max_bytes)
