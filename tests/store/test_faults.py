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


# -- as a user meets them: `tocsin ... --db URL` -----------------------------------------------------------------


def _cli(*args: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from tocsin.cli import app

    result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # unfold rich's line wrapping


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        # nothing listens on that port: the host and port are named, the password is not
        ("postgresql://tocsin:hunter2@127.0.0.1:{port}/tocsin?connect_timeout=3", ["[T201]", "127.0.0.1", "refused"]),
        # a host name that does not resolve
        ("postgresql://tocsin:hunter2@no-such-host.invalid/tocsin?connect_timeout=3", ["[T201]", "no-such-host"]),
        # a backend tocsin does not speak
        ("mysql://tocsin:hunter2@127.0.0.1/tocsin", ["[T201]", "'mysql' is not supported", "sqlite or postgresql"]),
    ],
)
def test_cli_names_a_bad_database_url(url: str, fragments: list[str]) -> None:
    code, output = _cli("events", "--db", url.format(port=_free_port()))
    assert code == 2
    assert all(f in output for f in fragments), output
    assert "hunter2" not in output and "Traceback" not in output


def test_cli_names_a_missing_postgresql_database(pg: Any) -> None:
    url = sa.make_url(pg.url("postgres")).set(database="no_such_db").render_as_string(hide_password=False)
    code, output = _cli("db", "upgrade", "--db", url)
    assert code == 2 and "[T201]" in output and 'database "no_such_db" does not exist' in output


def _count(url: str, table: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        n = int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
    engine.dispose()
    return n


def test_cli_refuses_a_newer_schema_and_keeps_the_data(make_db: Any) -> None:
    from warnkit import make_warning

    from tocsin.warnings.store import WarningStore

    url = make_db()
    with Store(url) as store:
        WarningStore(store).create(make_warning(), who="alice")
    _from_the_future(url)
    for words in (["events"], ["db", "upgrade"], ["warnings", "list"]):
        code, output = _cli(*words, "--db", url)
        assert code == 2, (words, output)
        assert "[T202]" in output and "9999_from_the_future" in output and "upgrade tocsin" in output
    assert _count(url, "warnings") == 1 and _count(url, "alembic_version") > 1  # nothing dropped, nothing stamped


_KILLED_MIGRATION = """
import sys, time
from alembic.operations import Operations

real, calls = Operations.create_index, [0]

def slow(self, *args, **kwargs):
    calls[0] += 1
    if calls[0] == 3:  # some of the later revisions' tables exist by now, inside the open transaction
        print("half-way", flush=True)
        time.sleep(120)
    return real(self, *args, **kwargs)

Operations.create_index = slow
from tocsin.store import Store
Store(sys.argv[1])
"""


def test_migration_killed_half_way_loses_nothing_and_reruns(make_db: Any) -> None:
    """``kill -9`` of a process in the middle of migrating: the database stays at its old revision, whole."""
    import subprocess
    import sys

    url = make_db(migrated=False)
    _stamp_initial(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO reports (content_hash, report_id, text, ingested_at, status, toponyms) "
            "VALUES ('h1', 'r1', 'Shelling hit the market.', '2026-01-01 00:00:00+00:00', 'extracted', '[]')")
        tables_before = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    with subprocess.Popen([sys.executable, "-c", _KILLED_MIGRATION, url], stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "half-way"
        finally:
            proc.kill()  # SIGKILL: no Python clean-up, no rollback from the client
            proc.wait(timeout=30)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        assert eng.current_revisions(conn) == ("0001",)
        assert set(sa.inspect(conn).get_table_names()) == tables_before  # nothing half-created
        assert conn.exec_driver_sql("SELECT text FROM reports").scalars().all() == ["Shelling hit the market."]
    engine.dispose()
    rerun = subprocess.run([sys.executable, "-c", "from tocsin.cli import app; app()", "db", "upgrade", "--db", url],
                           capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0 and "schema up to date" in rerun.stdout, rerun.stderr
    with Store(url, upgrade=False) as store:  # at the newest revision: opens without migrating
        assert store.revision == eng.head_revisions()
    assert _count(url, "reports") == 1
