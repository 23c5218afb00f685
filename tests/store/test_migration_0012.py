"""Migrations 0012_longer_identifiers and 0013_audit_target on a database that the previous tocsin (the warnings
at 0011_sender_identifier, the other branches at their heads) filled with warnings, their log, deliveries and
audit rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from migkit import seed_dependents, table, upgrade_to

from tocsin.errors import InputError
from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.warnings.cap import to_cap
from tocsin.warnings.geometry import parse_polygon
from tocsin.warnings.records import Reference, Warning, WarningArea
from tocsin.warnings.store import WarningStore, area_columns

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
SQUARE = "50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1 50.0,30.0"
A = "alerts@a.example"
B = "alerts@b.example"
#: The heads of the previous tocsin: 0012 follows 0011_sender_identifier, 0013_audit_target 0003_auth.
PREVIOUS_HEADS = ("0003_auth", "0008_watch_rules", "0010_lz4", "0011_sender_identifier")
LONG = "urn:oid:2.49.0.1.840.0." + "7" * 977  # 1000 characters: refused by PostgreSQL before 0012


def _cap(identifier: str, sender: str = A, **changes: Any) -> bytes:
    return to_cap(Warning(id=identifier, kind="other", sender=sender, sent=T0, status="Actual", effective=T0,
                          expires=T0 + dt.timedelta(days=30), headline=f"alert {identifier}",
                          areas=[WarningArea("square", polygons=(parse_polygon(SQUARE),))], **changes))


def _row(key: str, state: str, sender: str = A, **values: Any) -> dict[str, Any]:
    msg_type = values.pop("msg_type", "Alert")
    identifier = values.pop("identifier", key)
    cap_xml = _cap(identifier, sender, msg_type=msg_type, references=values.pop("references", ()))
    return {"id": key, "identifier": identifier, "kind": "other", "state": state, "status": "Actual",
            "msg_type": msg_type, "sender": sender, "sent": T0, "starts_at": T0, "ends_at": T0 + dt.timedelta(days=30),
            "headline": f"alert {identifier}", "report_id": None, "references_id": None, "superseded_by": None,
            "cap_xml": cap_xml, "imported": True, "version": 1, "created_at": T0, "updated_at": T0,
            "published_at": None, "published_by": None, **area_columns(cap_xml, key), **values}


TABLES = ("warnings", "warning_log", "deliveries", "subscriptions", "audit")


def _previous(url: str) -> None:
    """The schema as the previous tocsin left it: two senders' 1234, a published alert and its Cancel, a draft,
    their log, a delivery and an audit row, every name as long as the old columns took (200 characters)."""
    engine, meta = upgrade_to(url, PREVIOUS_HEADS, TABLES)
    assert meta.tables["warnings"].c.identifier.type.length == 200  # really the old schema
    edge = "e" * 200
    cancel = _row("1233-cancel", "published", msg_type="Cancel", references=(Reference(A, "1233", T0),),
                  references_id="1233", published_at=T0, published_by="bob")
    rows = [_row("1233", "cancelled", superseded_by="1233-cancel", published_at=T0, published_by="bob"), cancel,
            _row("1234", "draft"), _row("1234~2", "draft", B, identifier="1234"), _row(edge, "draft")]
    with engine.begin() as conn:
        conn.execute(meta.tables["warnings"].insert(), rows)
        seed_dependents(conn, meta, rows, "1233-cancel", T0)
        conn.execute(meta.tables["audit"].insert(), [{"at": T0, "who": "bob", "action": "warning.publish",
                                                      "target": "warning:1233", "before": None, "after": None}])
    engine.dispose()




def test_every_stored_row_is_kept_and_long_identifiers_are_stored_after(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    before = {name: table(url, name) for name in TABLES}
    with Store(url) as store:  # opening migrates to 0012_longer_identifiers and 0013_audit_target
        assert store.revision == eng.head_revisions()
    after = {name: table(url, name) for name in TABLES}
    assert {k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in after.items()} == {
        k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in before.items()}  # every byte
    with Store(url) as store:
        ws = WarningStore(store)
        assert ws.get("1234", sender=B).key == "1234~2" and ws.get("e" * 200).state == "draft"
        assert ws.import_cap(_cap(LONG), "importer").key == LONG
        assert ws.import_cap(_cap(LONG, B), "importer").key == f"{LONG}~2"  # the key past 1000 characters
        ws.publish(f"{LONG}~2", operator="bob")
        from tocsin.store.auth_tables import audit

        with store.transaction() as conn:  # what the API audits for it
            conn.execute(audit.insert().values(at=T0, who="bob", action="warning.publish", target=f"warning:{LONG}~2"))
        with pytest.raises(InputError, match=r"\[T416\].*identifier is 1001 bytes \(UTF-8\) long"):
            ws.import_cap(_cap(LONG + "8"), "importer")
        if store.engine.dialect.name == "postgresql":  # its columns hold the limit too (SQLite's do not enforce it)
            with pytest.raises(sa.exc.DBAPIError), store.engine.begin() as conn:
                conn.execute(sa.text("UPDATE warnings SET identifier = :i WHERE id = '1234'"), {"i": "i" * 1001})


def test_downgrade_is_refused_while_a_longer_identifier_is_stored(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    with Store(url) as store:
        WarningStore(store).import_cap(_cap(LONG), "importer")
        with eng.write_transaction(store.engine) as conn, pytest.raises(RuntimeError, match="warnings.id holds a "
                                                                                            "value of 1000"):
            command.downgrade(eng._config(conn), "0011_sender_identifier")
    assert LONG in [r["id"] for r in table(url, "warnings")]


def test_downgrade_keeps_every_row_when_the_names_fit_the_old_columns(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    before = {name: table(url, name) for name in TABLES}
    Store(url).close()
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:
        command.downgrade(eng._config(conn), "0011_sender_identifier")
        command.downgrade(eng._config(conn), "0003_auth")
        assert set(eng.current_revisions(conn)) == set(PREVIOUS_HEADS)
    engine.dispose()
    after = {name: table(url, name) for name in TABLES}
    assert {k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in after.items()} == {
        k: [{c: v for c, v in r.items() if c != "area"} for r in rows] for k, rows in before.items()}
