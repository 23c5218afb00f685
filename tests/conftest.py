"""Fixtures shared across the suite: the full pipeline and the PostgreSQL server are started once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    from tocsin.extraction import Extractor

    return Extractor()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tocsin.db"


@pytest.fixture(scope="session")
def pg() -> Iterator[Any]:
    """The session's PostgreSQL server (``pgkit.PostgresDatabases``), started here unless TOCSIN_TEST_POSTGRES_URL
    names one; skipped, with the reason, without server binaries or psycopg (tests/store says so loudly)."""
    from pgkit import POSTGRES_URL, PostgresDatabases, why_no_postgres

    from tocsin.store.pgserver import TempPostgres

    why = why_no_postgres()
    if why:
        pytest.skip(f"!!! PostgreSQL half of the tests SKIPPED: {why}")
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
