"""The sources package declares its public names; this fails when one is added or removed by accident."""

from __future__ import annotations

import dataclasses

import tocsin.sources
from tocsin.sources import Problem

EXPECTED = {
    "FORMATS",
    "HEADER_KEYS",
    "MAX_TEXT_BYTES",
    "REJECTED",
    "WARNING",
    "Problem",
    "content_hash",
    "count_items",
    "parse_published",
    "read_file",
    "read_paths",
}


def test_exported_names_are_pinned() -> None:
    assert set(tocsin.sources.__all__) == EXPECTED
    for name in EXPECTED:
        assert getattr(tocsin.sources, name) is not None, name


def test_problem_fields() -> None:
    assert [f.name for f in dataclasses.fields(Problem)] == ["code", "message", "origin", "severity"]
