"""Field types of request bodies and query strings shared by the routers.

Times: ISO 8601, no offset means UTC, years 1900..2999 (so date arithmetic never overflows).
XML text: strings that end up in CAP XML must be XML 1.0 characters (no NUL or other control characters).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

from tocsin.errors import E, InputError

__all__ = ["MAX_YEAR", "MIN_YEAR", "UtcTime", "XmlText", "parse_time", "to_utc", "xml_text"]

MIN_YEAR, MAX_YEAR = 1900, 2999
_PLUS_LOST = re.compile(r" (\d\d:?\d\d)$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def to_utc(value: dt.datetime) -> dt.datetime:
    """The time in UTC (naive = UTC); ValueError outside years 1900..2999."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"year must be within {MIN_YEAR}..{MAX_YEAR}")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def parse_time(value: str | None, name: str) -> dt.datetime | None:
    """A query parameter's time; InputError T010 naming ``name`` when it is not one."""
    if value is None or value == "":
        return None
    value = _PLUS_LOST.sub(r"+\1", value)  # an unencoded '+' in '...+03:00' arrives as a space
    try:
        return to_utc(dt.datetime.fromisoformat(value))
    except ValueError:
        expected = f"an ISO 8601 date-time in years {MIN_YEAR}..{MAX_YEAR}"
        raise InputError(E.T010.format(where="query", field=name, expected=expected, value=value),
                         field=name) from None


#: A body field's time, converted to UTC (422 naming the field otherwise).
UtcTime = Annotated[dt.datetime, AfterValidator(to_utc)]


def xml_text(value: str) -> str:
    """``value`` when every character may appear in XML 1.0; ValueError naming the first one otherwise."""
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise ValueError(f"character {bad.group()!r} at position {bad.start()} cannot appear in a CAP message")
    return value


#: A body string that goes into CAP XML.
XmlText = Annotated[str, AfterValidator(xml_text)]
