"""Fixtures for the store tests: a fresh database per test, on SQLite and on PostgreSQL+PostGIS.

Every test using ``store`` runs twice: on a SQLite file in tmp_path and on a throw-away database of
a PostgreSQL server that this session starts itself (``pg`` in tests/conftest.py, ``pgkit`` here).
``store`` on PostgreSQL is one shared database emptied before each test (TRUNCATE); ``make_db`` clones
new ones from a template migrated once. ``TOCSIN_TEST_POSTGRES_URL`` (a superuser URL) uses an existing
server instead. Without server binaries or psycopg the PostgreSQL half is skipped, loudly (summary line
and skip reason).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the tests import storekit (record builders) under any import mode

from pgkit import PostgresDatabases, why_no_postgres  # noqa: E402  (the session's server: ``pg`` in tests/conftest.py)

from tocsin.store import Store  # noqa: E402

BACKENDS = ["sqlite", "postgresql"]


def pytest_terminal_summary(terminalreporter: object) -> None:
    why = why_no_postgres()
    if why:
        write = terminalreporter.write_line  # type: ignore[attr-defined]
        write(f"!!! tests/store: THE POSTGRESQL HALF OF THE STORE TESTS WAS SKIPPED: {why} !!!", red=True, bold=True)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Callable[..., str]:
    """``make_db(migrated=True)``: the URL of a new database on this test's backend."""
    count = [0]

    def make(*, migrated: bool = True) -> str:
        count[0] += 1
        if backend == "sqlite":
            path = tmp_path / f"store{count[0]}.db"
            if migrated:
                Store(path).close()
            return f"sqlite:///{path}"
        dbs: PostgresDatabases = request.getfixturevalue("pg")
        return dbs.new(migrated=migrated)

    return make


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, migrated store on this test's backend."""
    if backend == "sqlite":
        url = str(tmp_path / "store.db")
    else:
        url = request.getfixturevalue("pg").truncated()
    with Store(url) as s:
        yield s
