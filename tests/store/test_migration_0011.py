"""Migration 0011_sender_identifier on a database that the previous tocsin (the warnings at 0007_spatial, the other
branches at their heads) filled with warnings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from migkit import seed_dependents, table, upgrade_to

from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.warnings.cap import to_cap
from tocsin.warnings.geometry import parse_polygon
from tocsin.warnings.records import Reference, Warning, WarningArea
from tocsin.warnings.store import WarningStore, area_columns

T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
SQUARE = "50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1 50.0,30.0"
A = "alerts@a.example"
#: The heads of the previous tocsin: 0011 follows 0007_spatial on the warnings' branch.
PREVIOUS_HEADS = ("0003_auth", "0007_spatial", "0008_watch_rules", "0010_lz4")


def _cap(identifier: str, sender: str = A, **changes: Any) -> bytes:
    return to_cap(Warning(id=identifier, kind="other", sender=sender, sent=T0, status="Actual", effective=T0,
                          expires=T0 + dt.timedelta(days=30), headline=f"alert {identifier}",
                          areas=[WarningArea("square", polygons=(parse_polygon(SQUARE),))], **changes))


def _row(identifier: str, state: str, **values: Any) -> dict[str, Any]:
    msg_type = values.pop("msg_type", "Alert")
    cap_xml = _cap(identifier, msg_type=msg_type, references=values.pop("references", ()))
    return {"id": identifier, "kind": "other", "state": state, "status": "Actual", "msg_type": msg_type, "sender": A,
            "sent": T0, "starts_at": T0, "ends_at": T0 + dt.timedelta(days=30), "headline": f"alert {identifier}",
            "report_id": None, "references_id": None, "superseded_by": None, "cap_xml": cap_xml, "imported": True,
            "version": 1, "created_at": T0, "updated_at": T0, "published_at": None, "published_by": None,
            **area_columns(cap_xml, identifier), **values}


def _previous(url: str) -> None:
    """The schema as the previous tocsin left it, with an alert, its Cancel, a draft, their log and deliveries."""
    engine, meta = upgrade_to(url, PREVIOUS_HEADS, ("warnings", "warning_log", "subscriptions", "deliveries"))
    assert "identifier" not in meta.tables["warnings"].c  # really the old schema
    cancel = _row("1233-cancel", "published", msg_type="Cancel", references=(Reference(A, "1233", T0),),
                  references_id="1233", published_at=T0, published_by="bob")
    rows = [_row("1233", "cancelled", superseded_by="1233-cancel", published_at=T0, published_by="bob"), cancel,
            _row("1234", "draft")]
    with engine.begin() as conn:
        conn.execute(meta.tables["warnings"].insert(), rows)
        seed_dependents(conn, meta, rows, "1233-cancel", T0)
    engine.dispose()


def test_every_stored_warning_is_kept_and_keyed_by_sender_and_identifier(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    before = {name: table(url, name) for name in ("warnings", "warning_log", "deliveries")}
    with Store(url) as store:  # opening migrates 0007_spatial -> 0011_sender_identifier
        assert store.revision == eng.head_revisions()
    after = {name: table(url, name) for name in ("warnings", "warning_log", "deliveries")}
    assert after["warning_log"] == before["warning_log"] and after["deliveries"] == before["deliveries"]
    assert [r.pop("identifier") for r in after["warnings"]] == [r["id"] for r in before["warnings"]]
    assert [{k: v for k, v in r.items() if k != "area"} for r in after["warnings"]] == [
        {k: v for k, v in r.items() if k != "area"} for r in before["warnings"]]  # every column, every byte
    with Store(url) as store:
        ws = WarningStore(store)
        assert [(s.key, s.state) for s in sorted(ws.list(), key=lambda s: s.key)] == [
            ("1233", "cancelled"), ("1233-cancel", "published"), ("1234", "draft")]
        assert ws.get("1234", sender=A).key == "1234"  # the old URL still names it
        other = ws.import_cap(_cap("1234", sender="alerts@b.example"), "importer")  # refused before 0011
        assert other.key == "1234~2" and ws.get("1234").warning.sender == A
        with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:  # the database holds the rule too
            conn.execute(sa.text("UPDATE warnings SET identifier = '1234', sender = :a WHERE id = '1234~2'"), {"a": A})


def test_downgrade_is_refused_while_two_senders_share_an_identifier(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    with Store(url) as store:
        WarningStore(store).import_cap(_cap("1234", sender="alerts@b.example"), "importer")
        with eng.write_transaction(store.engine) as conn, pytest.raises(RuntimeError, match="share a CAP identifier"):
            command.downgrade(eng._config(conn), "0007_spatial")
    assert len(table(url, "warnings")) == 4


def test_downgrade_keeps_every_warning_when_identifiers_are_unique(make_db: Any) -> None:
    url = make_db(migrated=False)
    _previous(url)
    Store(url).close()
    engine = eng.create_engine(eng.resolve_url(url))
    with eng.write_transaction(engine) as conn:
        command.downgrade(eng._config(conn), "0007_spatial")
        command.downgrade(eng._config(conn), "0003_auth")  # 0013_audit_target came later, on the access branch
        assert eng.current_revisions(conn) == PREVIOUS_HEADS
    engine.dispose()
    assert [r["id"] for r in table(url, "warnings")] == ["1233", "1233-cancel", "1234"]
    assert all("identifier" not in r for r in table(url, "warnings"))
