"""Migration 0014_longer_actors on a database that the previous tocsin (the warnings at 0012_longer_identifiers)
filled: published_by and the log's who as long as the old columns took."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from migkit import table, upgrade_to
from test_migration_0012 import T0, _row

from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.warnings.store import WarningStore

PREVIOUS_HEADS = ("0008_watch_rules", "0010_lz4", "0012_longer_identifiers", "0013_audit_target")
OLD = "o" * 200  # as long as the columns took before


def _previous(url: str) -> None:
    engine, meta = upgrade_to(url, PREVIOUS_HEADS, ("warnings", "warning_log"))
    assert meta.tables["warning_log"].c.who.type.length == 200  # really the old schema
    with engine.begin() as conn:
        conn.execute(meta.tables["warnings"].insert(), [_row("1233", "published", published_at=T0, published_by=OLD),
                                                        _row("1234", "draft")])
        conn.execute(meta.tables["warning_log"].insert(), [
            {"warning_id": "1233", "action": "publish", "who": OLD, "at": T0},
            {"warning_id": "1234", "action": "import", "who": "importer", "at": T0}])
    engine.dispose()


def test_every_row_is_kept_and_longer_names_are_recorded_after(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    before = {name: table(url, name) for name in ("warnings", "warning_log")}
    with Store(url) as store:
        assert store.revision == eng.head_revisions()
    after = {name: table(url, name) for name in ("warnings", "warning_log")}
    assert {k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in after.items()} == {
        k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in before.items()}
    with Store(url) as store:
        assert WarningStore(store).publish("1234", operator="p" * 300).published_by == "p" * 300


def test_downgrade_is_refused_while_a_longer_name_is_recorded(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    with Store(url) as store:
        WarningStore(store).publish("1234", operator="p" * 201)
        with eng.write_transaction(store.engine) as conn, pytest.raises(RuntimeError, match="a name of 201"):
            command.downgrade(eng._config(conn), "0012_longer_identifiers")
    assert "p" * 201 in [r["published_by"] for r in table(url, "warnings")]


def test_downgrade_keeps_every_row_when_the_names_fit(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    before = table(url, "warning_log")
    Store(url).close()
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:
        command.downgrade(eng._config(conn), "0012_longer_identifiers")
        assert set(eng.current_revisions(conn)) == set(PREVIOUS_HEADS)
    engine.dispose()
    assert table(url, "warning_log") == before
