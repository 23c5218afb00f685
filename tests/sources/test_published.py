"""parse_published: ISO 8601, RFC 2822 and plain dates into aware UTC datetimes."""

from __future__ import annotations

import datetime as dt

import pytest

from tocsin.sources import parse_published

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 with an offset: converted to UTC
        ("2026-01-08T09:40:00+03:00", dt.datetime(2026, 1, 8, 6, 40, tzinfo=UTC)),
        # ISO 8601 with Z and fractions
        ("2026-01-08T09:40:00.250Z", dt.datetime(2026, 1, 8, 9, 40, 0, 250000, tzinfo=UTC)),
        # offset without a colon
        ("2026-01-08T09:40:00+0530", dt.datetime(2026, 1, 8, 4, 10, tzinfo=UTC)),
        # naive ISO means UTC
        ("2026-01-08 09:40", dt.datetime(2026, 1, 8, 9, 40, tzinfo=UTC)),
        # basic (compact) ISO form
        ("20260108T0940Z", dt.datetime(2026, 1, 8, 9, 40, tzinfo=UTC)),
        # plain date: midnight UTC
        ("2026-01-09", dt.datetime(2026, 1, 9, tzinfo=UTC)),
        # RFC 2822 in GMT, as in RSS
        ("Thu, 08 Jan 2026 06:40:00 GMT", dt.datetime(2026, 1, 8, 6, 40, tzinfo=UTC)),
        # RFC 2822 with a numeric offset
        ("Thu, 08 Jan 2026 09:40:00 +0300", dt.datetime(2026, 1, 8, 6, 40, tzinfo=UTC)),
        # RFC 2822 with a US zone name (PDT = -7)
        ("Wed, 11 Jun 2003 22:39:00 PDT", dt.datetime(2003, 6, 12, 5, 39, tzinfo=UTC)),
        # written dates
        ("8 January 2026", dt.datetime(2026, 1, 8, tzinfo=UTC)),
        ("Jan 8, 2026", dt.datetime(2026, 1, 8, tzinfo=UTC)),
        ("2026/01/08", dt.datetime(2026, 1, 8, tzinfo=UTC)),
        # surrounding and inner whitespace is ignored
        ("  2026-01-08T09:40:00+03:00\n", dt.datetime(2026, 1, 8, 6, 40, tzinfo=UTC)),
    ],
)
def test_parses_to_aware_utc(value: str, expected: dt.datetime) -> None:
    parsed = parse_published(value)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        None,  # nothing given
        "",  # empty
        "   ",  # blank
        "next Thursday",  # relative: needs a reference, not a publication time
        "08/01/2026",  # ambiguous day/month: refused, not guessed
        "2026-13-45",  # impossible date
        "yesterday 14:00",  # words
    ],
)
def test_unreadable_gives_none(value: str | None) -> None:
    assert parse_published(value) is None


def test_datetime_and_date_objects() -> None:
    naive = dt.datetime(2026, 1, 8, 9, 40)
    local = dt.datetime(2026, 1, 8, 9, 40, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert parse_published(naive) == dt.datetime(2026, 1, 8, 9, 40, tzinfo=UTC)
    assert parse_published(local) == dt.datetime(2026, 1, 8, 6, 40, tzinfo=UTC)
    assert parse_published(dt.date(2026, 1, 8)) == dt.datetime(2026, 1, 8, tzinfo=UTC)
