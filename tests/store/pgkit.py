"""The tests' PostgreSQL: why it is missing, and throw-away databases on one server (``pg`` in tests/conftest.py).

The session starts its own server (``tocsin.store.pgserver``: initdb into a temp directory, a free loopback
port, stopped at the end) unless ``TOCSIN_TEST_POSTGRES_URL`` (a superuser URL) names one.
"""

from __future__ import annotations

import importlib.util
import os
import uuid

import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store.engine import load_table_modules
from tocsin.store.pgserver import find_bindir
from tocsin.store.tables import metadata

__all__ = ["POSTGRES_URL", "PostgresDatabases", "why_no_postgres"]

POSTGRES_URL = os.environ.get("TOCSIN_TEST_POSTGRES_URL", "")
_TEMPLATE = "tocsin_template"
load_table_modules()


def why_no_postgres() -> str | None:
    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed: pip install 'psycopg[binary]==3.3.9'"
    if not POSTGRES_URL and find_bindir() is None:
        return "no PostgreSQL server binaries: apt-get install postgresql postgresql-15-postgis-3"
    return None



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
