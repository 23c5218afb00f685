"""Fixtures for the store tests: a fresh database per test.

Every test using ``store`` runs on a SQLite file in tmp_path, and also on PostgreSQL when
``TOCSIN_TEST_POSTGRES_URL`` names a server (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``)
and psycopg is installed: each test then gets its own throw-away database.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tocsin.store import Store

sys.path.insert(0, str(Path(__file__).parent))  # the tests import storekit (record builders) under any import mode

POSTGRES_URL = os.environ.get("TOCSIN_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        with Store(tmp_path / "store.db") as s:
            yield s
        return
    pytest.importorskip("psycopg")
    admin_url = sa.make_url(POSTGRES_URL)
    name = f"tocsin_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        with Store(admin_url.set(database=name).render_as_string(hide_password=False)) as s:
            yield s
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
