"""Fixtures for the warnings tests: a WarningStore on a fresh database per test.

On a SQLite file in tmp_path, and also on PostgreSQL when ``TOCSIN_TEST_POSTGRES_URL`` names a server
(as for the store tests, see docs/store.md): each test then gets its own throw-away database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tocsin.store import Store
from tocsin.warnings.store import WarningStore

POSTGRES_URL = os.environ.get("TOCSIN_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(params=BACKENDS)
def warning_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[WarningStore]:
    if request.param == "sqlite":
        with Store(tmp_path / "tocsin.db") as store:
            yield WarningStore(store)
        return
    pytest.importorskip("psycopg")
    admin_url = sa.make_url(POSTGRES_URL)
    name = f"tocsin_wtest_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        with Store(admin_url.set(database=name).render_as_string(hide_password=False), upgrade=True) as store:
            yield WarningStore(store)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
