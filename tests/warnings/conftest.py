"""Fixtures for the warnings tests: a WarningStore on a fresh database per test.

On a SQLite file in tmp_path, and on PostgreSQL+PostGIS: the session's server (``pg``, tests/conftest.py; an
existing one when ``TOCSIN_TEST_POSTGRES_URL`` names it), one shared database emptied before each test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tocsin.store import Store
from tocsin.warnings.store import WarningStore

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def warning_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WarningStore]:
    if request.param == "sqlite":
        with Store(tmp_path / "tocsin.db") as store:
            yield WarningStore(store)
        return
    with Store(request.getfixturevalue("pg").truncated()) as store:
        yield WarningStore(store)
