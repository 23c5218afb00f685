"""Opening databases: URLs and paths, SQLite settings, schema versions, refusing bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from storekit import item

from tocsin.errors import StoreError
from tocsin.store import Store
from tocsin.store.engine import head_revisions, known_revisions
from tocsin.store.spatial import POSTGIS_OBJECTS, include_object
from tocsin.store.tables import metadata


@pytest.mark.parametrize(
    "make_url",
    [
        lambda p: str(p),  # a plain path
        lambda p: p,  # a pathlib.Path
        lambda p: f"sqlite:///{p}",  # an SQLAlchemy URL
    ],
)
def test_paths_and_urls_open_the_same_file(tmp_path: Path, make_url) -> None:
    path = tmp_path / "a.db"
    with Store(make_url(path)) as s:
        s.add([item("r1")])
    with Store(path) as again:
        assert again.counts()["reports"] == 1
    assert again.url == str(path)


def test_create_false_names_a_missing_sqlite_file_and_makes_none(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(StoreError, match=r"T201.*typo\.db.*no such file"):
        Store(missing, create=False)
    assert not missing.exists()
    with Store(missing) as s:  # the default still creates it
        s.add([item("r1")])
    with Store(missing, create=False) as again:
        assert again.counts()["reports"] == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    with Store(tmp_path / "wal.db") as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_schema_from_migrations_matches_tables(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})  # PostGIS extras
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_upgrade_is_a_no_op_when_current(store: Store) -> None:
    assert store.revision == head_revisions()
    assert "0001" in known_revisions()
    assert store.upgrade() is False


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(path).close()
    with sqlite3.connect(path) as conn:
        one_head = "(SELECT min(rowid) FROM alembic_version)"  # several heads (branches) are several rows
        conn.execute(f"UPDATE alembic_version SET version_num = '9999_from_the_future' WHERE rowid = {one_head}")
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "T202"
    assert "9999_from_the_future" in err.value.message


def test_garbage_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("this is not a database, just some words " * 200)
    with pytest.raises(StoreError) as err:
        Store(path)
    assert err.value.code == "T201"
    assert str(path) in err.value.message
    assert path.read_text().startswith("this is not a database")  # untouched


@pytest.mark.parametrize(
    "url",
    [
        "nosuchdialect://host/db",  # unknown backend
        "mysql://host/db",  # a real backend tocsin does not support
        "sqlite:////no/such/directory/x.db",  # the directory is missing
        "no/such/directory/x.db",  # the same as a plain path
        "sqlite://x:y@host:port/db",  # not parseable (port is not a number)
        "postgresql://127.0.0.1:1/tocsin",  # driver missing or nothing listening: either way T201
    ],
)
def test_unreachable_or_invalid_urls_are_refused(url: str) -> None:
    with pytest.raises(StoreError) as err:
        Store(url)
    assert err.value.code == "T201"


def test_unmigrated_database_without_upgrade_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with pytest.raises(StoreError) as err:
        Store(path, upgrade=False)
    assert err.value.code == "T206"
    with Store(path) as s:  # the default upgrades
        assert s.revision == head_revisions()


def test_in_memory_store_works() -> None:
    with Store(":memory:") as s:
        s.add([item("r1")])
        assert s.counts()["events"] == 1


def test_counts_cover_every_table(store: Store) -> None:
    with store.engine.connect() as conn:
        postgis = {name for kind, name in POSTGIS_OBJECTS if kind == "table"}
        names = set(sa.inspect(conn).get_table_names()) - {"alembic_version"} - postgis
    assert set(store.counts()) == names


def test_a_malformed_url_is_refused_without_showing_its_password() -> None:
    from tocsin.store.engine import resolve_url

    with pytest.raises(StoreError) as caught:
        resolve_url("postgresql://analyst:s3cretpw@db.example:54x32/tocsin")
    assert "s3cretpw" not in str(caught.value) and "T201" in str(caught.value)
    assert "analyst:***@db.example" in str(caught.value)


def test_the_postgres_spelling_is_postgresql() -> None:
    from tocsin.store.engine import resolve_url

    url = resolve_url("postgres://analyst:pw@db.example/tocsin")
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "db.example", "tocsin")
