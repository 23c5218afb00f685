"""Fixtures for the store tests: a fresh database per test, on SQLite and on PostgreSQL+PostGIS.

Every test using ``store`` runs twice: on a SQLite file in tmp_path and on a throw-away database of
a PostgreSQL server that this session starts itself (``tocsin.store.pgserver``: initdb into a temp
directory, a free loopback port, stopped at the end). ``store`` on PostgreSQL is one shared database
emptied before each test (TRUNCATE); ``make_db`` clones new ones from a template migrated once.
``TOCSIN_TEST_POSTGRES_URL`` (a superuser URL) uses an existing server instead. Without server
binaries or psycopg the PostgreSQL half is skipped, loudly (summary line and skip reason).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store.engine import load_table_modules
from tocsin.store.pgserver import TempPostgres, find_bindir
from tocsin.store.tables import metadata

sys.path.insert(0, str(Path(__file__).parent))  # the tests import storekit (record builders) under any import mode

POSTGRES_URL = os.environ.get("TOCSIN_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", "postgresql"]
_TEMPLATE = "tocsin_template"
load_table_modules()


def _why_no_postgres() -> str | None:
    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed: pip install 'psycopg[binary]==3.3.9'"
    if not POSTGRES_URL and find_bindir() is None:
        return "no PostgreSQL server binaries: apt-get install postgresql postgresql-15-postgis-3"
    return None


def pytest_terminal_summary(terminalreporter: object) -> None:
    why = _why_no_postgres()
    if why:
        write = terminalreporter.write_line  # type: ignore[attr-defined]
        write(f"!!! tests/store: THE POSTGRESQL HALF OF THE STORE TESTS WAS SKIPPED: {why} !!!", red=True, bold=True)


class PostgresDatabases:
    """Makes throw-away databases on one server: migrated clones of the template, or empty ones."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = sa.make_url(admin_url)
        self.admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.made: list[str] = []
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{_TEMPLATE}"')
        Store(self.url(_TEMPLATE)).close()  # migrated once, PostGIS included
        self.shared = self.new()

    def truncated(self) -> str:
        """The shared test database, emptied (much cheaper than a new database per test)."""
        engine = sa.create_engine(self.shared)
        with engine.begin() as conn:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        engine.dispose()
        return self.shared

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def new(self, *, migrated: bool = True) -> str:
        name = f"tocsin_test_{uuid.uuid4().hex[:12]}"
        template = f' TEMPLATE "{_TEMPLATE}" STRATEGY FILE_COPY' if migrated else ""
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{template}')
        self.made.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self, *, drop: bool) -> None:
        """Drop what was made (on a server of our own, stopping it removes everything anyway)."""
        for name in self.made if drop else ():
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if drop:
            with self.admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg() -> Iterator[PostgresDatabases]:
    """The session's PostgreSQL server (started here unless TOCSIN_TEST_POSTGRES_URL names one)."""
    why = _why_no_postgres()
    if why:
        pytest.skip(f"!!! PostgreSQL half of the store tests SKIPPED: {why}")
    server = None if POSTGRES_URL else TempPostgres().start()
    try:
        dbs = PostgresDatabases(POSTGRES_URL or server.url())  # type: ignore[union-attr]
        try:
            yield dbs
        finally:
            dbs.close(drop=server is None)
    finally:
        if server is not None:
            server.stop()


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
