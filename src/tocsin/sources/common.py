"""Small helpers the readers share."""

from __future__ import annotations

import datetime as dt

from tocsin.errors import E
from tocsin.sources.problem import WARNING, Problem, problem
from tocsin.sources.published import parse_published

__all__ = ["published_of", "short"]


def short(value: object, limit: int = 80) -> str:
    """A value's repr cut to ``limit`` characters, for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def published_of(value: str | None, where: str) -> tuple[dt.datetime | None, Problem | None]:
    """The parsed publication time, and a T006 warning when a non-empty value cannot be read."""
    if value is None or not value.strip():
        return None, None
    parsed = parse_published(value)
    if parsed is None:
        return None, problem(E.T006, where, WARNING, where=where, value=value[:80])
    return parsed, None
