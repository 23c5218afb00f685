"""Access to tocsin: API tokens and roles, and the audit log of every write; usable without HTTP.

Tokens are random (``secrets.token_urlsafe(32)``) and stored only as SHA-256 digests; the secret is
shown once, when created. Roles are ordered: each includes the ones before it.

The audit log gets one row per write transaction made inside an :func:`audited` scope, inserted
*in that same transaction* just before it commits, so a change and its record stand or fall
together. The scope hooks the store's engine (SQLAlchemy ``begin``/``commit`` events on write
transactions only), which makes it work for any library call that writes (``Store.correct``,
``WarningStore.publish``, ``ingest_reports``...) without those calls knowing about it. A scope's
``snapshot(conn, before)`` is read inside the transaction twice: right after it begins (under the
write lock: the *before*) and just before it commits (the *after*); a transaction that leaves the
snapshot unchanged is not recorded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tocsin.errors import AccessError, E, Forbidden, InputError, NotFound
from tocsin.model import to_dict
from tocsin.store.auth_tables import audit, tokens

__all__ = [
    "ROLES",
    "AuditEntry",
    "Auth",
    "Principal",
    "Snapshot",
    "Token",
    "audited",
    "event_snapshot",
    "hash_token",
    "install_audit_hooks",
    "reports_snapshot",
    "split_snapshot",
    "subscription_snapshot",
    "warning_snapshot",
]

ROLES: tuple[str, ...] = ("viewer", "analyst", "operator", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
_WRITE_OPTION = "tocsin_write"  # set by tocsin.store.engine.write_transaction

#: Reads the state of an audit target inside a transaction; gets the *before* value when reading *after*.
Snapshot = Callable[[sa.Connection, Any], Any]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def hash_token(secret: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_role(role: str) -> str:
    if role not in _RANK:
        raise InputError(E.T102.format(name="role", value=role, valid=", ".join(ROLES)), field="role")
    return role


@dataclass(frozen=True)
class Token:
    """A token as listed (never its secret)."""

    id: int
    name: str
    role: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Principal:
    """Who is calling: a token's name and role."""

    name: str
    role: str

    def allows(self, needed: str) -> bool:
        return _RANK[self.role] >= _RANK[needed]

    def require(self, needed: str, action: str) -> None:
        """Forbidden (T603) unless this principal has ``needed`` or a higher role."""
        if not self.allows(needed):
            raise Forbidden(E.T603.format(action=action, needed=needed, name=self.name, role=self.role))


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    who: str
    action: str
    target: str
    before: Any
    after: Any


# -- the audit scope ---------------------------------------------------------------------------


@dataclass
class _Scope:
    who: str
    action: str
    target: str
    snapshot: Snapshot | None
    before: Any = None
    written: list[int] = field(default_factory=list)


_SCOPE: ContextVar[_Scope | None] = ContextVar("tocsin_audit_scope", default=None)


def _is_write(conn: sa.Connection) -> bool:
    return bool(conn.get_execution_options().get(_WRITE_OPTION, False))


def _on_begin(conn: sa.Connection) -> None:
    scope = _SCOPE.get()
    if scope is not None and _is_write(conn):
        scope.before = scope.snapshot(conn, None) if scope.snapshot is not None else None


def _on_commit(conn: sa.Connection) -> None:
    scope = _SCOPE.get()
    if scope is None or not _is_write(conn):
        return
    after = None
    if scope.snapshot is not None:
        after = scope.snapshot(conn, scope.before)
        if after == scope.before:  # the transaction changed nothing about the target (e.g. a no-op remove)
            return
    scope.written.append(_insert_audit(conn, scope.who, scope.action, scope.target, scope.before, after))


def install_audit_hooks(engine: sa.Engine) -> None:
    """Let :func:`audited` scopes record writes made on ``engine`` (idempotent).

    The begin hook must run after the store's own one (which emits ``BEGIN IMMEDIATE`` on SQLite), so
    the *before* snapshot is read under the write lock; listeners run in the order they were added.
    """
    if not sa.event.contains(engine, "begin", _on_begin):
        sa.event.listen(engine, "begin", _on_begin)
        sa.event.listen(engine, "commit", _on_commit)


@contextmanager
def audited(who: str, action: str, target: str, snapshot: Snapshot | None = None) -> Iterator[list[int]]:
    """Record every write transaction made inside this block in the audit log (same transaction).

    Yields the list of audit row ids written so far. The engine must have :func:`install_audit_hooks`
    (``Auth(store)`` does it).
    """
    scope = _Scope(who, action, target, snapshot)
    token = _SCOPE.set(scope)
    try:
        yield scope.written
    finally:
        _SCOPE.reset(token)


def _insert_audit(conn: sa.Connection, who: str, action: str, target: str, before: Any, after: Any) -> int:
    row = {"at": _now(), "who": who, "action": action, "target": target,
           "before": to_dict(before), "after": to_dict(after)}
    return int(conn.execute(audit.insert().values(**row)).inserted_primary_key[0])


# -- snapshots of audit targets ----------------------------------------------------------------


def event_snapshot(event_id: int) -> Snapshot:
    """An event's version and JSON (corrections applied)."""
    from tocsin.store.tables import events

    def read(conn: sa.Connection, _before: Any) -> Any:
        row = conn.execute(sa.select(events.c.version, events.c.event).where(events.c.id == event_id)).first()
        return None if row is None else {"id": event_id, "version": row.version, "event": row.event}

    return read


def split_snapshot(event_id: int) -> Snapshot:
    """Which event each of ``event_id``'s source mentions belongs to (after a split: the new ids)."""
    from tocsin.store.tables import mentions

    def read(conn: sa.Connection, before: Any) -> Any:
        q = sa.select(mentions.c.id, mentions.c.event_id, mentions.c.report_hash).order_by(mentions.c.id)
        if before is None:
            q = q.where(mentions.c.event_id == event_id)
        else:
            q = q.where(mentions.c.id.in_([m["mention_id"] for m in before["mentions"]]))
        rows = conn.execute(q).all()
        return {"event_id": event_id, "mentions": [
            {"mention_id": r.id, "event_id": r.event_id, "report_hash": r.report_hash} for r in rows]}

    return read


def reports_snapshot(report_ids: list[str]) -> Snapshot:
    """Which of these report ids are stored (id, content hash, status): before and after an ingest."""
    from tocsin.store.tables import reports

    def read(conn: sa.Connection, _before: Any) -> Any:
        found = []
        wanted = sorted(set(report_ids))
        for start in range(0, len(wanted), 500):
            q = (sa.select(reports.c.report_id, reports.c.content_hash, reports.c.status)
                 .where(reports.c.report_id.in_(wanted[start : start + 500])))
            found.extend(r._asdict() for r in conn.execute(q))
        return sorted(found, key=lambda r: (r["report_id"], r["content_hash"]))

    return read


def warning_snapshot(warning_id: str | None = None, sender: str | None = None) -> Snapshot:
    """A warning row (without its binary columns: CAP bytes, area WKB) and the follow-ups that reference it.

    ``warning_id`` is the row's key; with ``sender`` it is that sender's CAP identifier (a create: the row does
    not exist before). With ``warning_id=None`` the newest warning created in the transaction is read.
    """
    from tocsin.store.warning_tables import warnings

    cols = [c for c in warnings.c if not isinstance(c.type, sa.LargeBinary)]  # CAP bytes, WKB: not JSON

    def read(conn: sa.Connection, _before: Any) -> Any:
        q = sa.select(*cols)
        if warning_id is None:
            q = q.order_by(warnings.c.created_at.desc(), warnings.c.id.desc()).limit(1)
        elif sender is not None:
            q = q.where(warnings.c.identifier == warning_id, warnings.c.sender == sender)
        else:
            q = q.where(warnings.c.id == warning_id)
        row = conn.execute(q).first()
        if row is None:
            return None
        follow_ups = conn.execute(sa.select(warnings.c.id, warnings.c.msg_type, warnings.c.state)
                                  .where(warnings.c.references_id == row.id).order_by(warnings.c.created_at)).all()
        return {**row._asdict(), "follow_ups": [r._asdict() for r in follow_ups]}

    return read


def subscription_snapshot(subscription_id: int | None = None) -> Snapshot:
    """A subscription (never its secret); ``None`` reads the newest one (a create)."""
    from tocsin.store.warning_tables import subscriptions

    cols = [subscriptions.c[n] for n in ("id", "name", "url", "latitude", "longitude", "radius_km", "active",
                                         "created_at")]

    def read(conn: sa.Connection, _before: Any) -> Any:
        q = sa.select(*cols)
        if subscription_id is None:
            q = q.order_by(subscriptions.c.id.desc()).limit(1)
        else:
            q = q.where(subscriptions.c.id == subscription_id)
        row = conn.execute(q).first()
        return None if row is None else row._asdict()

    return read


# -- tokens and the audit log ------------------------------------------------------------------


def _token(row: Any) -> Token:
    return Token(row.id, row.name, row.role, row.created_at, row.revoked_at)


def _token_dict(token: Token | None) -> dict[str, Any] | None:
    if token is None:
        return None
    return {"id": token.id, "name": token.name, "role": token.role, "created_at": token.created_at,
            "revoked_at": token.revoked_at}


class Auth:
    """Tokens, roles and the audit log of a tocsin ``Store`` (same database)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.engine: sa.Engine = store.engine
        install_audit_hooks(self.engine)

    # -- tokens -------------------------------------------------------------------------------------

    def create_token(self, name: str, role: str, *, who: str = "cli") -> tuple[Token, str]:
        """A new token: returns it and its secret (shown once; only the hash is kept)."""
        name = (name or "").strip()
        if not name or len(name) > 200 or not name.isprintable():
            raise InputError(E.T607.format(field="name", detail="give a name of 1 to 200 printable characters"),
                             field="name")
        check_role(role)
        secret = secrets.token_urlsafe(32)
        with self.store.transaction() as conn:
            if conn.execute(sa.select(tokens.c.id).where(tokens.c.name == name)).first() is not None:
                raise InputError(E.T604.format(name=name), field="name")
            now = _now()
            new_id = conn.execute(tokens.insert().values(name=name, role=role, token_hash=hash_token(secret),
                                                         created_at=now)).inserted_primary_key[0]
            token = Token(int(new_id), name, role, now)
            _insert_audit(conn, who, "token.create", f"token:{name}", None, _token_dict(token))
        return token, secret

    def tokens(self, *, include_revoked: bool = True, limit: int | None = None, offset: int = 0) -> list[Token]:
        """Tokens in creation order."""
        q = sa.select(tokens).order_by(tokens.c.id)
        if not include_revoked:
            q = q.where(tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return [_token(r) for r in conn.execute(q.limit(limit).offset(offset))]

    def count_tokens(self, *, include_revoked: bool = True) -> int:
        q = sa.select(sa.func.count()).select_from(tokens)
        if not include_revoked:
            q = q.where(tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def revoke_token(self, name: str, *, who: str = "cli") -> Token:
        """Revoke the token called ``name`` (NotFound T204 if there is none; revoking twice is harmless)."""
        with self.store.transaction() as conn:
            row = conn.execute(sa.select(tokens).where(tokens.c.name == name)).first()
            if row is None:
                raise NotFound(E.T204.format(what="token", id=name), id=name)
            before = _token(row)
            if before.revoked_at is not None:
                return before
            after = Token(before.id, before.name, before.role, before.created_at, _now())
            conn.execute(tokens.update().where(tokens.c.id == row.id).values(revoked_at=after.revoked_at))
            _insert_audit(conn, who, "token.revoke", f"token:{name}", _token_dict(before), _token_dict(after))
        return after

    def authenticate(self, secret: str | None) -> Principal:
        """The principal of a presented token; AccessError T601 (none given) or T602 (unknown/revoked)."""
        if not secret:
            raise AccessError(E.T601)
        q = sa.select(tokens.c.name, tokens.c.role).where(tokens.c.token_hash == hash_token(secret),
                                                           tokens.c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise AccessError(E.T602)
        return Principal(row.name, row.role)

    # -- audit log ----------------------------------------------------------------------------------

    def record(self, who: str, action: str, target: str, before: Any = None, after: Any = None) -> int:
        """Record an action outside any other write (its own transaction)."""
        with self.store.transaction() as conn:
            return _insert_audit(conn, who, action, target, before, after)

    def _audit_query(self, q: sa.Select[Any], action: str | None, who: str | None, target: str | None) -> Any:
        if action:
            q = q.where(audit.c.action == action)
        if who:
            q = q.where(audit.c.who == who)
        if target:
            q = q.where(audit.c.target == target)
        return q

    def audit_log(self, *, action: str | None = None, who: str | None = None, target: str | None = None,
                  limit: int | None = None, offset: int = 0) -> list[AuditEntry]:
        """Audit entries, oldest first (by id)."""
        q = self._audit_query(sa.select(audit).order_by(audit.c.id), action, who, target)
        with self.engine.connect() as conn:
            return [AuditEntry(r.id, r.at, r.who, r.action, r.target, r.before, r.after)
                    for r in conn.execute(q.limit(limit).offset(offset))]

    def count_audit(self, *, action: str | None = None, who: str | None = None, target: str | None = None) -> int:
        q = self._audit_query(sa.select(sa.func.count()).select_from(audit), action, who, target)
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())
