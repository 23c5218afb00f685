"""Fixtures for the warnings tests: a WarningStore on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tocsin.store import Store
from tocsin.warnings.store import WarningStore


@pytest.fixture
def warning_store(tmp_path: Path) -> Iterator[WarningStore]:
    with Store(tmp_path / "tocsin.db") as store:
        yield WarningStore(store)
