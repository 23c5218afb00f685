"""Helpers for the sources tests: write a file, read everything from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tocsin.model import Report
from tocsin.sources import Problem, read_paths

FIXTURES = Path(__file__).parent / "fixtures"


def split(items: list[Report | Problem]) -> tuple[list[Report], list[Problem]]:
    reports = [i for i in items if isinstance(i, Report)]
    problems = [i for i in items if isinstance(i, Problem)]
    return reports, problems


@pytest.fixture
def read(tmp_path: Path):
    """Write ``content`` (str as UTF-8, or bytes) to ``tmp_path/name`` and read it all back."""

    def _read(name: str, content: str | bytes) -> tuple[list[Report], list[Problem]]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return split(list(read_paths([path])))

    return _read


@pytest.fixture
def fixtures() -> Path:
    """The folder of copied feed files (see fixtures/README.md for where they come from)."""
    return FIXTURES


@pytest.fixture
def read_path():
    """Read everything from existing paths, split into (reports, problems)."""

    def _read_path(*paths: Path, recursive: bool = True) -> tuple[list[Report], list[Problem]]:
        return split(list(read_paths(list(paths), recursive=recursive)))

    return _read_path
