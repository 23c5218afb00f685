"""Reading a report's publication time into an aware UTC datetime.

Accepted forms, tried in this order:

- ISO 8601 (``2026-01-08T10:15:00+03:00``, ``...Z``, ``2026-01-08 10:15``, ``20260108T1015Z``); a value
  without an offset is taken as UTC;
- a plain date (``2026-01-08``), taken as 00:00 UTC that day;
- RFC 2822 as in RSS and e-mail (``Thu, 08 Jan 2026 07:15:00 GMT``, ``... +0300``, ``... EST``);
- a few unambiguous written dates (``8 January 2026``, ``Jan 8, 2026``, ``2026/01/08``).

Ambiguous numeric dates such as ``08/01/2026`` are refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
import email.utils

__all__ = ["parse_published"]

_WRITTEN_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%Y/%m/%d")


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def parse_published(value: str | dt.datetime | dt.date | None) -> dt.datetime | None:
    """``value`` as an aware UTC datetime; None when it is empty or cannot be read.

    Callers that were given a non-empty value and get None should report T006.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return _utc(value)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return _utc(dt.datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return _utc(email.utils.parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _WRITTEN_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None
