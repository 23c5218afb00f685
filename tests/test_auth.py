"""tocsin.auth without HTTP: hashed tokens, roles, revocation, and audit rows in the change's own transaction."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tocsin.auth import ROLES, Auth, Principal, audited, hash_token, warning_snapshot
from tocsin.errors import AccessError, Forbidden, InputError, NotFound
from tocsin.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "auth.db") as opened:
        yield opened


def test_only_the_hash_of_a_token_is_stored(store: Store, tmp_path: Path) -> None:
    token, secret = Auth(store).create_token("field-team", "analyst")
    assert len(secret) >= 40 and token.role == "analyst"
    raw = sqlite3.connect(tmp_path / "auth.db").execute("SELECT name, token_hash FROM tokens").fetchall()
    assert raw == [("field-team", hash_token(secret))]
    dump = (tmp_path / "auth.db").read_bytes() + (tmp_path / "auth.db-wal").read_bytes()
    assert secret.encode() not in dump


def test_two_tokens_never_share_a_secret(store: Store) -> None:
    auth = Auth(store)
    secrets = {auth.create_token(f"t{i}", "viewer")[1] for i in range(20)}
    assert len(secrets) == 20


def test_authenticate_and_revoke(store: Store) -> None:
    auth = Auth(store)
    _token, secret = auth.create_token("ops", "operator")
    assert auth.authenticate(secret) == Principal("ops", "operator")
    with pytest.raises(AccessError, match="T601"):
        auth.authenticate(None)
    with pytest.raises(AccessError, match="T602"):
        auth.authenticate(secret + "x")
    revoked = auth.revoke_token("ops", who="admin")
    assert revoked.revoked_at is not None and not revoked.active
    with pytest.raises(AccessError, match="T602"):
        auth.authenticate(secret)
    assert auth.revoke_token("ops").revoked_at == revoked.revoked_at  # twice is harmless
    with pytest.raises(NotFound):
        auth.revoke_token("nobody")


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        ("viewer", "viewer", True),  # same rank
        ("viewer", "analyst", False),  # one below
        ("analyst", "operator", False),  # analysts do not publish
        ("operator", "analyst", True),  # higher roles include lower ones
        ("operator", "admin", False),  # operators do not manage tokens
        ("admin", "operator", True),  # admin can do everything
    ],
)
def test_roles_are_ordered(role: str, needed: str, allowed: bool) -> None:
    principal = Principal("x", role)
    assert principal.allows(needed) is allowed
    if allowed:
        principal.require(needed, "act")
    else:
        with pytest.raises(Forbidden, match=f"needs the {needed} role"):
            principal.require(needed, "act")


def test_bad_token_requests(store: Store) -> None:
    auth = Auth(store)
    with pytest.raises(InputError, match="T102"):
        auth.create_token("x", "superuser")
    with pytest.raises(InputError, match="T607"):
        auth.create_token("  ", "viewer")
    auth.create_token("x", "viewer")
    with pytest.raises(InputError, match="T604"):
        auth.create_token("x", "admin")
    assert [t.name for t in auth.tokens()] == ["x"] and ROLES[-1] == "admin"


def test_token_changes_are_audited(store: Store) -> None:
    auth = Auth(store)
    auth.create_token("x", "viewer", who="root")
    auth.revoke_token("x", who="root")
    log = auth.audit_log()
    assert [(e.who, e.action, e.target) for e in log] == [("root", "token.create", "token:x"),
                                                          ("root", "token.revoke", "token:x")]
    assert log[0].before is None and log[0].after["role"] == "viewer"
    assert log[1].before["revoked_at"] is None and log[1].after["revoked_at"] is not None
    assert "hash" not in str(log)


def _draft(store: Store) -> Any:
    from tocsin.warnings.drafts import new_identifier
    from tocsin.warnings.geometry import Circle
    from tocsin.warnings.records import Warning, WarningArea
    from tocsin.warnings.store import WarningStore

    ws = WarningStore(store)
    warning = Warning(id=new_identifier(), kind="curfew", sender="t@x", sent=dt.datetime.now(dt.UTC),
                      areas=[WarningArea("a", circles=(Circle(50.0, 36.0, 2.0),))])
    return ws, warning


def test_audited_library_call_is_recorded_in_its_transaction(store: Store) -> None:
    auth = Auth(store)
    ws, warning = _draft(store)
    with audited("ops", "warning.create", f"warning:{warning.id}", warning_snapshot(warning.id)) as written:
        ws.create(warning, "ops")
    assert len(written) == 1
    (entry,) = auth.audit_log(target=f"warning:{warning.id}")
    assert entry.before is None and entry.after["state"] == "draft" and entry.who == "ops"
    ws.get(warning.id)  # reads outside the scope leave no record
    assert auth.count_audit() == 1


def test_a_failed_write_leaves_no_audit_row(store: Store) -> None:
    auth = Auth(store)
    ws, warning = _draft(store)
    ws.create(warning, "ops")
    with pytest.raises(InputError), audited("ops", "warning.create", "warning:dup"):
        ws.create(warning, "ops")  # same id again: refused inside the transaction
    assert auth.count_audit(action="warning.create") == 0


def test_a_failed_audit_insert_undoes_the_change(store: Store) -> None:
    Auth(store)
    ws, warning = _draft(store)

    def snapshot(_conn: sa.Connection, before: Any) -> Any:
        if before is None:
            return {"phase": "before"}
        return {"not json": object()}  # the audit row cannot be written: the whole transaction must go

    with pytest.raises(Exception) as raised, audited("ops", "warning.create", "w", snapshot):  # noqa: B017
        ws.create(warning, "ops")
    with pytest.raises(NotFound):
        ws.get(warning.id)
    assert "object" in str(raised.value)  # the audit insert failed (not JSON), not the change itself
