"""What real CAP publishers send: each form is read (with a note saying what was repaired) or refused
with a code naming what and where. Variants are built from the shared sample ``gcap__thunderstorm.cap``
(google/cap-library, see fixtures/PROVENANCE.md) and from tocsin's own CAP output."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from collections.abc import Callable

import pytest
from shapely.geometry import Point
from warnkit import FIXTURES, make_warning

from tocsin.errors import CapError
from tocsin.warnings.cap import languages, parse_cap, to_cap
from tocsin.warnings.repair import clean_geometry_text, normalise_time

STORM = (FIXTURES / "valid" / "gcap__thunderstorm.cap").read_text(encoding="utf-8")
BODY = STORM.split("?>", 1)[1]  # without the XML declaration
RING = "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14"
SENT_UTC = dt.datetime(2003, 6, 17, 21, 57, tzinfo=dt.UTC)
EXPIRES_UTC = dt.datetime(2003, 6, 17, 23, 0, tzinfo=dt.UTC)
EDXL = "urn:oasis:names:tc:emergency:EDXL:DE:1.0"
OUT = "out of the CAP schema's order"


def _sub(old: str, new: str, text: str = STORM) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _prefixed() -> str:
    body = re.sub(r"<(/?)(\w)", r"<\1cap:\2", BODY)
    return body.replace('xmlns = "', 'xmlns:cap="')


def _edxl(*alerts: str) -> str:
    objects = "".join(f"<contentObject><xmlContent><embeddedXMLContent>{a}</embeddedXMLContent></xmlContent>"
                      "</contentObject>" for a in alerts)
    return f'<EDXLDistribution xmlns="{EDXL}"><distributionID>d1</distributionID>{objects}</EDXLDistribution>'


# (name, bytes, the note it must carry or None, extra check on the Warning)
ACCEPTED: list[tuple[str, bytes, str | None, Callable[..., bool]]] = [
    ("cap prefix", _prefixed().encode(), None, lambda w: w.sent == SENT_UTC),
    ("no namespace", _sub('xmlns = "urn:oasis:names:tc:emergency:cap:1.2"', "").encode(), "no namespace",
     lambda w: w.areas[0].polygons),
    ("utf-8 BOM", b"\xef\xbb\xbf" + STORM.encode(), None, lambda w: w.id == "KSTO1055887203"),
    ("ISO-8859-1 declared", _sub("SHELTER", "SHELTER caf\u00e9", _sub("UTF-8", "ISO-8859-1")).encode("latin-1"),
     None, lambda w: "caf\u00e9" in (w.instruction or "")),
    ("windows-1252 declared",
     _sub("SHELTER", "SHELTER \u201cnow\u201d", _sub("UTF-8", "windows-1252")).encode("cp1252"), None,
     lambda w: "\u201cnow\u201d" in (w.instruction or "")),
    ("UTF-16 declared, UTF-8 bytes", _sub("SHELTER", "SHELTER caf\u00e9", _sub("UTF-8", "UTF-16")).encode(),
     "declared UTF-16 but the bytes are not; read as UTF-8", lambda w: "caf\u00e9" in (w.instruction or "")),
    ("malformed reference", _sub("<scope>Public</scope>", "<scope>Public</scope><references>KSTO@NWS.NOAA.GOV,"
                                 "X1</references>").encode(), "reference ignored", lambda w: w.references == ()),
    ("UTF-8 declared, windows-1252 bytes", _sub("SHELTER", "SHELTER caf\u00e9").encode("cp1252"), "windows-1252",
     lambda w: "caf\u00e9" in (w.instruction or "")),
    ("UTF-16", _sub("UTF-8", "UTF-16").encode("utf-16"), None, lambda w: w.areas[0].polygons),
    ("CDATA", _sub("<instruction>TAKE COVER", "<instruction><![CDATA[TAKE <b>COVER</b> & go]]>").encode(), None,
     lambda w: (w.instruction or "").startswith("TAKE <b>COVER</b> & go")),
    ("comment inside a field", _sub("<headline>SEVERE", "<headline><!-- NWS -->SEVERE").encode(), None,
     lambda w: w.headline == "SEVERE THUNDERSTORM WARNING"),
    ("Z suffix", _sub("14:57:00-07:00", "21:57:00Z").encode(), "read as 2003-06-17T21:57:00+00:00",
     lambda w: w.sent == SENT_UTC),
    ("no seconds", _sub("14:57:00-07:00", "14:57-07:00").encode(), "read as", lambda w: w.sent == SENT_UTC),
    ("fractional seconds", _sub("14:57:00-07:00", "14:57:00.250-07:00").encode(), "read as",
     lambda w: w.sent == SENT_UTC),
    ("lowercase t", _sub("2003-06-17T14:57", "2003-06-17t14:57").encode(), "read as", lambda w: w.sent == SENT_UTC),
    ("offset without colon", _sub("14:57:00-07:00", "14:57:00-0700").encode(), "read as",
     lambda w: w.sent == SENT_UTC),
    ("no offset: takes sent's", _sub("16:00:00-07:00", "16:00:00").encode(), "offset of <sent>",
     lambda w: w.expires == EXPIRES_UTC),
    ("spaces around commas", _sub(RING, RING.replace(",", " , ")).encode(), None, lambda w: w.areas[0].polygons),
    ("newlines and tabs", _sub(RING, "\n\t" + RING.replace(" ", "\n   ") + "\n").encode(), None,
     lambda w: w.areas[0].polygons),
    ("unclosed ring", _sub(RING, RING.rsplit(" ", 1)[0]).encode(), "ring not closed",
     lambda w: len(w.areas[0].polygons[0].exterior.coords) == 5),
    ("lon,lat swapped", _sub(RING, " ".join(",".join(p.split(",")[::-1]) for p in RING.split())).encode(),
     "swapped", lambda w: -121 < w.areas[0].polygons[0].bounds[0] < -119),
    ("third coordinate", _sub(RING, " ".join(p + ",0" for p in RING.split())).encode(), "altitude",
     lambda w: w.areas[0].polygons),
    ("self-crossing polygon (a bow tie)",
     _sub(RING, "38.0,-120.0 38.1,-119.9 38.0,-119.9 38.1,-120.0 38.0,-120.0").encode(), "Self-intersection",
     lambda w: len(w.areas[0].polygons) == 2 and abs(w.areas[0].shape.area - 0.005) < 1e-9),
    ("ring touching itself", _sub(RING, "38.0,-120.0 38.2,-120.0 38.1,-119.9 38.2,-119.8 38.0,-119.8 38.1,-119.9 "
                                        "38.0,-120.0").encode(), "read as 2 valid polygon(s)",
     lambda w: w.areas[0].shape.contains(Point(-119.95, 38.1))),
    ("circle of radius 0", _sub("</polygon>", "</polygon><circle>38.4,-120.0 0</circle>").encode(), None,
     lambda w: w.areas[0].circles[0].radius_km == 0 and w.areas[0].shape is not None),
    ("several polygons and circles", _sub("</polygon>", f"</polygon><polygon>{RING}</polygon>"
                                          "<circle>38.4,-120.0 5</circle><circle>38.5,-120.0 2</circle>").encode(),
     None, lambda w: (len(w.areas[0].polygons), len(w.areas[0].circles)) == (2, 2)),
    ("geocodes only", re.sub(r"<polygon>.*?</polygon>", "", STORM).encode(), None,
     lambda w: w.areas[0].shape is None and ("SAME", "006109") in w.areas[0].geocodes),
    ("empty circle", _sub("</polygon>", "</polygon><circle/>").encode(), "empty <circle> ignored",
     lambda w: w.areas[0].circles == ()),
    ("altitude and ceiling", _sub("</area>", "<altitude>100</altitude><ceiling>2000</ceiling></area>").encode(),
     None, lambda w: w.areas[0].polygons),
    ("extension element", _sub("<contact>", "<ipaws:x xmlns:ipaws='urn:example:ipaws'>1</ipaws:x><contact>").encode(),
     "not part of CAP 1.2", lambda w: w.headline),
    ("required elements only", re.sub(r"<info>.*</info>", "", STORM, flags=re.DOTALL).encode(), None,
     lambda w: w.areas == [] and w.headline is None and w.msg_type == "Alert"),
    ("IPAWS/EU parameter lists", _sub("<area>", "<parameter><valueName>EAS-ORG</valueName><value>WXR</value>"
                                      "</parameter><parameter><valueName>awareness_level</valueName><value>2; yellow;"
                                      " Moderate</value></parameter><area>").encode(), None,
     lambda w: ("EAS-ORG", "WXR") in w.parameters and ("awareness_level", "2; yellow; Moderate") in w.parameters),
    ("lowercase enumerations", _sub("<msgType>Alert", "<msgType>alert", _sub("<severity>Severe", "<severity>SEVERE"))
     .encode(), "read as 'Alert'", lambda w: (w.msg_type, w.severity) == ("Alert", "Severe")),
    ("empty optional elements", _sub("<expires>2003-06-17T16:00:00-07:00</expires>", "<effective/><expires>"
                                     "2003-06-17T16:00:00-07:00</expires><onset> </onset>").replace(
        "<contact>BARUFFALDI/JUSKIE</contact>", "<web></web><contact/>").encode(), "empty <effective> ignored",
     lambda w: w.effective is None and w.web is None and w.expires == EXPIRES_UTC),
    ("status padded", _sub("<status>Actual", "<status> Actual ").encode(), None, lambda w: w.status == "Actual"),
    ("inside EDXL-DE", _edxl(BODY).encode(), "<EDXLDistribution> wrapper",
     lambda w: w.source_xml is not None and w.source_xml.startswith(b"<alert")),
    ("inside an Atom entry", (f'<entry xmlns="http://www.w3.org/2005/Atom"><id>e</id><content type='
                              f'"application/cap+xml">{BODY}</content></entry>').encode(), "<entry> wrapper",
     lambda w: w.id == "KSTO1055887203"),
    ("inside an RSS item", f"<rss><channel><item><title>t</title>{BODY}</item></channel></rss>".encode(),
     "<rss> wrapper", lambda w: w.id == "KSTO1055887203"),
]


@pytest.mark.parametrize(("name", "data", "note", "check"), ACCEPTED, ids=[row[0] for row in ACCEPTED])
def test_what_real_publishers_send_is_read(name: str, data: bytes, note: str | None,
                                           check: Callable[..., bool]) -> None:
    notes: list[str] = []
    warning = parse_cap(data, where=name, notes=notes)
    assert warning.id == "KSTO1055887203" and check(warning), (name, warning)
    if note is None:
        assert notes == [], notes
    else:
        assert any(note in n for n in notes), notes
    again = parse_cap(warning.source_xml or data, validated=True)  # what the store reads back
    assert again.sent == warning.sent and again.areas == warning.areas


#: Elements out of the schema's order: invalid CAP, refused by default with a hint; read in the schema's order
#: (each element still says what it said) when the caller asks for it.
REORDERED = [
    ("info element out of order", _sub("<expires>2003-06-17T16:00:00-07:00</expires>", "").replace(
        "<category>", "<expires>2003-06-17T16:00:00-07:00</expires><category>", 1).encode(),
     "<info> has <category> after <expires>", lambda w: w.expires == EXPIRES_UTC and w.category == "Met"),
    ("alert elements out of order", _sub("<status>Actual</status>", "", _sub("<scope>Public</scope>",
                                         "<scope>Public</scope><status>Exercise</status>")).encode(),
     "<alert> has <status> after <scope>", lambda w: w.status == "Exercise" and w.scope == "Public"),
    ("value before valueName", _sub("<area>", "<parameter><value>WXR</value><valueName>EAS-ORG</valueName>"
                                    "</parameter><area>").encode(), OUT, lambda w: ("EAS-ORG", "WXR") in w.parameters),
    ("geocode before polygon, with a comment", _sub("<polygon>", "<!-- the warned area --><polygon>", _sub(
        "</area>", "<geocode><valueName>SAME</valueName><value>006001</value></geocode></area>").replace(
        "</areaDesc>", "</areaDesc><geocode><valueName>FIPS6</valueName><value>006002</value></geocode>", 1)).encode(),
     "<area> has <polygon> after <geocode>",
     lambda w: w.areas[0].polygons and w.areas[0].geocodes[0] == ("FIPS6", "006002")),
    ("several info blocks keep their order", _sub("</info>", "</info><info><language>fr-CA</language><category>Met"
                                                  "</category><event>ORAGE</event><urgency>Immediate</urgency>"
                                                  "<severity>Severe</severity><certainty>Observed</certainty></info>"
                                                  "<incidents>i1</incidents>").encode(),
     "<alert> has <incidents> after <info>", lambda w: w.event == "SEVERE THUNDERSTORM"),
]


@pytest.mark.parametrize(("name", "data", "note", "check"), REORDERED, ids=[row[0] for row in REORDERED])
def test_elements_out_of_order_are_refused_unless_reordering_is_asked(name: str, data: bytes, note: str,
                                                                      check: Callable[..., bool]) -> None:
    with pytest.raises(CapError) as err:
        parse_cap(data, where=name)
    assert err.value.code == "T405" and "--reorder" in err.value.message and note in err.value.message
    notes: list[str] = []
    warning = parse_cap(data, where=name, notes=notes, reorder=True)
    assert warning.id == "KSTO1055887203" and check(warning), (name, warning)
    assert any(note in n for n in notes), notes
    again = parse_cap(warning.source_xml or data, validated=True)  # what the store reads back
    assert again.sent == warning.sent and again.areas == warning.areas


REFUSED = [
    ("HTML error page", b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>", "T414", "HTML page"),
    ("HTML without doctype", b"\n<html><head><title>Login</title></head></html>", "T414", "HTML page"),
    ("truncated", STORM[: len(STORM) // 2].encode(), "T404", "looks truncated"),
    ("empty", b"", "T404", "empty"),
    ("nested 10,000 deep", _sub("</scope>", "</scope>" + "<x>" * 10_000 + "</x>" * 10_000).encode(), "T404",
     "depth"),  # the parser's depth limit holds
    ("JSON", b'{"error": "not found"}', "T404", "this is JSON, not XML"),
    ("gzip", gzip.compress(STORM.encode()), "T404", "gzip-compressed"),
    ("two alerts in one EDXL", _edxl(BODY, BODY).encode(), "T415", "holds 2 CAP alerts"),
    ("XXE inside EDXL", b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     + _edxl(BODY.replace("SEVERE THUNDERSTORM</event>", "&x;</event>")).encode(), "T403", "DOCTYPE"),
    ("mixed lat,lon and lon,lat", _sub(RING, "38.47,-120.14 -119.95,38.34 38.52,-119.74 38.47,-120.14").encode(),
     "T304", "point 2"),
    ("date only", _sub("2003-06-17T14:57:00-07:00", "2003-06-17").encode(), "T405", "sent"),
    ("empty required element", _sub("<urgency>Immediate</urgency>", "<urgency/>").encode(), "T406", "<urgency>"),
    # out of order where the order decides the meaning, or not an order problem at all: left to the schema
    ("two names in one parameter, out of order", _sub("<area>", "<parameter><value>1</value><valueName>A</valueName>"
                                                      "<valueName>B</valueName><value>2</value></parameter><area>")
     .encode(), "T405", "valueName"),
    ("an element allowed once given twice", _sub("<category>", "<expires>2003-06-17T15:00:00-07:00</expires>"
                                                 "<category>").encode(), "T405", "expires"),
    ("an element under the wrong parent", _sub("<contact>", "<polygon>" + RING + "</polygon><contact>").encode(),
     "T405", "polygon"),
]


@pytest.mark.parametrize(("name", "data", "code", "fragment"), REFUSED, ids=[row[0] for row in REFUSED])
def test_what_cannot_be_read_is_refused_with_a_code(name: str, data: bytes, code: str, fragment: str) -> None:
    with pytest.raises(CapError) as err:
        parse_cap(data, where=f"{name}.xml", reorder=True)  # refused even when elements may be reordered
    assert err.value.code == code, err.value.message
    assert fragment in err.value.message and f"{name}.xml" in err.value.message


def test_each_language_can_be_read_and_all_stay_in_the_bytes() -> None:
    data = (FIXTURES / "valid" / "gcap__canada.cap").read_bytes()
    assert languages(data) == ["en-CA", "fr-CA"]
    english, french = parse_cap(data), parse_cap(data, language="fr")
    assert (english.language, french.language) == ("en-CA", "fr-CA")
    assert english.headline != french.headline
    assert english.source_xml == french.source_xml == data
    assert parse_cap(data, language="de").language == "en-CA"  # no German block: English
    assert parse_cap(data.replace(b"fr-CA", b"fr_CA"), language="fr").language == "fr-CA"  # fr_CA: repaired


@pytest.mark.parametrize(
    ("text", "expected", "missing"),
    [
        ("2026-03-01T12:00:00+02:00", "2026-03-01T12:00:00+02:00", False),  # already right
        ("2026-03-01T12:00:00Z", "2026-03-01T12:00:00+00:00", False),  # Zulu
        (" 2026-03-01 12:00 +0530 ", "2026-03-01T12:00:00+05:30", False),  # space, no seconds, compact offset
        ("2026-03-01T12:00:00,5-03", "2026-03-01T12:00:00-03:00", False),  # comma fraction, hour-only offset
        ("2026-03-01T12:00:00", "2026-03-01T12:00:00+00:00", True),  # no offset and no default: UTC
        ("tomorrow", "tomorrow", False),  # unreadable: left for the schema to name
    ],
)
def test_normalise_time(text: str, expected: str, missing: bool) -> None:
    assert normalise_time(text) == (expected, missing)


@pytest.mark.parametrize(
    ("text", "expected", "note"),
    [
        ("10,80 10,81 11,81 10,80", "10,80 10,81 11,81 10,80", None),  # fine as it is
        ("80,10 81,10 81,11 80,10", "80,10 81,10 81,11 80,10", None),  # maybe swapped, but in range: kept
        ("100,10 101,10 101,11 100,10", "10,100 10,101 11,101 10,100", "swapped"),  # only lon,lat fits
        ("10,80 10,81 11,81", "10,80 10,81 11,81 10,80", "not closed"),  # closed
        ("10 , 80 10,81 11, 81 10,80", "10,80 10,81 11,81 10,80", None),  # spaces around commas
        ("10 80, 10 81, 11 81, 10 80", "10,80 10,81 11,81 10,80", "lat lon, lat lon"),  # pairs the WKT way
        ("10 80 10 81 11 81 10 80", "10 80 10 81 11 81 10 80", None),  # no commas at all: left for T302
    ],
)
def test_clean_geometry_text(text: str, expected: str, note: str | None) -> None:
    notes: list[str] = []
    assert clean_geometry_text(text, "p", notes, polygon=True) == expected
    assert (note is None and notes == []) or (note is not None and note in notes[0])


def test_circle_text_is_cleaned_too() -> None:
    notes: list[str] = []
    assert clean_geometry_text(" -120.0 , 38.4,0\n 5 ", "c", notes, polygon=False) == "38.4,-120.0 5"
    assert len(notes) == 2  # altitude dropped, then swapped


def test_own_output_needs_no_repair() -> None:
    notes: list[str] = []
    parse_cap(to_cap(make_warning()), notes=notes)
    assert notes == []


def test_the_schema_order_is_the_shipped_schemas() -> None:
    from importlib import resources

    from lxml import etree

    from tocsin.warnings import repair

    xs = "{http://www.w3.org/2001/XMLSchema}"
    found: dict[str, tuple[str, ...]] = {}
    repeated = set()
    xsd = (resources.files("tocsin") / "data" / "cap" / "CAP-v1.2.xsd").read_bytes()
    for element in etree.fromstring(xsd).iter(xs + "element"):
        sequence = element.find(f"{xs}complexType/{xs}sequence")
        if element.get("name") and sequence is not None:
            children = [c.get("name") or c.get("ref", "").split(":")[-1] for c in sequence.findall(xs + "element")]
            found[element.get("name", "")] = tuple(children)
        if element.get("maxOccurs") == "unbounded":
            repeated.add(element.get("name"))
    assert found == repair.SCHEMA_ORDER
    assert repeated == set(repair._REPEATED)
