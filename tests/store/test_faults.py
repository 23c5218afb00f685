"""Faults: unreachable or wrong PostgreSQL URLs, a schema from a newer tocsin, a migration failing half-way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.operations import Operations

from tocsin.errors import StoreError
from tocsin.store import Store
from tocsin.store import engine as eng


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_postgresql_is_a_clear_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://tocsin:hunter2@127.0.0.1:{_free_port()}/tocsin?connect_timeout=3"
    with pytest.raises(StoreError) as err:
        Store(url)
    assert err.value.code == "T201"
    assert "127.0.0.1" in err.value.message and "hunter2" not in err.value.message


def test_missing_postgresql_database_names_it(pg: Any) -> None:
    url = sa.make_url(pg.url("postgres")).set(database="no_such_db").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as err:
        Store(url)
    assert err.value.code == "T201" and "no_such_db" in err.value.message


def _from_the_future(url: str) -> None:
    """Add a revision this tocsin does not ship, as a newer tocsin's migration would."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('9999_from_the_future')")
    engine.dispose()


def test_newer_schema_is_refused(make_db: Any) -> None:
    url = make_db()
    _from_the_future(url)
    with pytest.raises(StoreError) as err:
        Store(url)
    assert err.value.code == "T202" and "9999_from_the_future" in err.value.message


def _stamp_initial(url: str) -> None:
    """A database at revision 0001 only (an older tocsin's schema)."""
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:
        command.upgrade(eng._config(conn), "0001")
    engine.dispose()


def test_migration_failing_half_way_changes_nothing(make_db: Any, monkeypatch: Any) -> None:
    url = make_db(migrated=False)
    _stamp_initial(url)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        tables_before = set(sa.inspect(conn).get_table_names())
    real = Operations.create_index
    calls = {"n": 0}

    def failing(self: Operations, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:  # some later migrations' tables exist by now
            raise RuntimeError("power cut")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Operations, "create_index", failing)
    with pytest.raises(StoreError) as err:
        Store(url)
    assert err.value.code == "T213" and "power cut" in err.value.message and "0001" in err.value.message
    with engine.connect() as conn:
        assert set(sa.inspect(conn).get_table_names()) == tables_before  # nothing half-created
        assert eng.current_revisions(conn) == ("0001",)
    engine.dispose()
    monkeypatch.undo()
    with Store(url) as store:  # and a working tocsin then migrates it fully
        assert store.revision == eng.head_revisions()


def test_sqlite_in_a_missing_directory_names_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as err:
        Store(tmp_path / "nope" / "x.db")
    assert err.value.code == "T201" and "nope" in err.value.message
