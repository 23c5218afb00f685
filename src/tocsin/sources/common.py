"""Small helpers the readers share."""

from __future__ import annotations

import datetime as dt

from tocsin.errors import E
from tocsin.sources.problem import WARNING, Problem, problem
from tocsin.sources.published import parse_published

__all__ = ["future_problem", "published_of", "short"]


def short(value: object, limit: int = 80) -> str:
    """A value's repr cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


#: How far past the clock a publication time may lie (time zones, clock skew) before it is questioned.
FUTURE_SLACK = dt.timedelta(days=1)


def published_of(value: str | None, where: str) -> tuple[dt.datetime | None, Problem | None]:
    """The parsed publication time, and a T006 warning when a non-empty value cannot be read.

    A time more than a day ahead of the clock is kept (the clock may be wrong, or the feed dated
    ahead) but warned about (T017): every relative date of the report is resolved against it.
    """
    if value is None or not value.strip():
        return None, None
    parsed = parse_published(value)
    if parsed is None:
        return None, problem(E.T006, where, WARNING, where=where, value=value[:80])
    return parsed, future_problem(parsed, where)


def future_problem(published: dt.datetime | None, where: str) -> Problem | None:
    """T017 when ``published`` (aware) lies more than a day ahead of the clock, else None."""
    if published is None or published <= dt.datetime.now(dt.UTC) + FUTURE_SLACK:
        return None
    return problem(E.T017, where, WARNING, where=where, value=published.isoformat())
