"""The rows of ``WarningStore``: the warnings table read and written, the records it returns.

``WarningRows`` holds the engine, the write transaction, the cache of parsed CAP messages, and the
lookups every other part of the store uses (``get``, ``list``, the messages a CAP ``references`` names).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import shapely
import sqlalchemy as sa
from shapely.geometry.base import BaseGeometry

import tocsin.store.engine as eng
from tocsin.errors import E, InputError, NotFound
from tocsin.store import spatial
from tocsin.store.warning_tables import ACTOR_LENGTH, MAX_NAME_BYTES, REPORT_ID_LENGTH, warning_log, warnings
from tocsin.warnings.cap import parse_cap
from tocsin.warnings.records import Warning
from tocsin.warnings.status import StatusIndex
from tocsin.warnings.subscriptions import SubscriptionIndex

__all__ = ["ImportResult", "StoredWarning", "WarningRows", "area_columns", "check_actor", "check_names", "free_key",
           "lock_identifier", "warning_geometry"]

_PARSED_CACHE = 100_000


@dataclass(frozen=True)
class StoredWarning:
    warning: Warning
    state: str
    version: int
    imported: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    published_by: str | None
    references_id: str | None
    superseded_by: str | None
    cap_xml: bytes
    key: str
    """The store's name for the row (``warning.key``): what ``get``, ``publish``, the API's URLs and the
    deliveries use. The CAP identifier, unless another sender's message of that identifier was stored first."""


@dataclass(frozen=True)
class ImportResult:
    """One message of an import: its id when stored (or already stored), else the error; ``notes`` are
    what tocsin repaired or decided while reading it (``tocsin.warnings.repair``)."""

    where: str
    warning_id: str | None
    error: str | None = None
    notes: tuple[str, ...] = ()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def warning_geometry(warning: Warning) -> BaseGeometry | None:
    """Everything a warning covers: its areas and its corridors."""
    parts = [a.shape for a in warning.areas if a.shape is not None] + [c.area for c in warning.corridors]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


def area_columns(cap_xml: bytes, where: str) -> dict[str, Any]:
    """``area_wkb`` and ``has_corridors`` for a warnings row, from the CAP message as stored.

    Read back from the bytes (not from the Warning that was serialised) because CAP rounds coordinates
    to 6 decimals: the stored area is then exactly what ``status_index`` tests on SQLite.
    """
    warning = parse_cap(cap_xml, where, validated=True)
    shape = warning.shape
    return {
        "area_wkb": None if shape is None or shape.is_empty else shapely.to_wkb(shape),
        "has_corridors": bool(warning.corridors),
    }


class WarningRows:
    """The warnings table of a tocsin ``Store`` (or a bare SQLAlchemy engine): rows in, ``StoredWarning`` out."""

    def __init__(self, store: Any) -> None:
        self._store = store if hasattr(store, "transaction") else None
        self.engine: sa.Engine = store.engine if hasattr(store, "engine") else store
        self._status_cache: tuple[tuple[Any, ...], StatusIndex] | None = None
        self._subs_cache: tuple[tuple[Any, ...], SubscriptionIndex] | None = None
        self._parsed: dict[tuple[str, int], Warning] = {}
        """(key, version) -> the parsed Warning: a row's CAP bytes never change without a new version."""

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        if self._store is not None:
            with self._store.transaction() as conn:
                yield conn
        else:
            with eng.write_transaction(self.engine) as conn:
                yield conn

    # -- rows ---------------------------------------------------------------------------------------

    def _stored(self, row: Any) -> StoredWarning:
        data = bytes(row.cap_xml)
        key = (row.id, row.version)
        warning = self._parsed.get(key)
        if warning is None:
            warning = parse_cap(data, where=f"stored warning {row.id!r}", validated=True)  # checked when stored
            warning = dataclasses.replace(warning, key=row.id, source_xml=warning.source_xml if row.imported else None)
            if len(self._parsed) >= _PARSED_CACHE:
                self._parsed.clear()
            self._parsed[key] = warning
        return StoredWarning(
            warning=warning, state=row.state, version=row.version, imported=row.imported,
            created_at=row.created_at, updated_at=row.updated_at, published_at=row.published_at,
            published_by=row.published_by, references_id=row.references_id, superseded_by=row.superseded_by,
            cap_xml=data, key=row.id,
        )

    @staticmethod
    def _values(warning: Warning, cap_xml: bytes) -> dict[str, Any]:
        check_names(warning)
        return {
            "identifier": warning.id, "kind": warning.kind, "status": warning.status, "msg_type": warning.msg_type,
            "sender": warning.sender,
            "sent": warning.sent, "starts_at": warning.starts, "ends_at": warning.ends, "headline": warning.headline,
            "report_id": warning.report_id, "cap_xml": cap_xml,
            **area_columns(cap_xml, f"warning {warning.id!r}"),
        }

    def _postgis(self) -> bool:
        with self.engine.connect() as conn:
            return spatial.has_postgis(conn)

    def _log(self, conn: sa.Connection, warning_id: str, action: str, who: str, detail: str | None = None) -> None:
        check_actor(who, f"{action} of warning {warning_id[:100]!r}")  # raised inside the write: all rolled back
        conn.execute(warning_log.insert().values(warning_id=warning_id, action=action, who=who, at=_now(),
                                                 detail=detail))

    def _insert(self, conn: sa.Connection, warning: Warning, cap_xml: bytes, who: str, *, imported: bool,
                references_id: str | None = None, action: str = "create", detail: str | None = None) -> str:
        """Store ``warning`` as a new draft row; returns its key (``free_key``)."""
        lock_identifier(conn, warning.id)
        if _sent_by(conn, warning.sender, warning.id) is not None:
            raise InputError(E.T411.format(id=warning.id, state=f"already stored from sender {warning.sender!r}",
                                           detail="use update, or a new id"))
        key = free_key(conn, warning.id)
        now = _now()
        conn.execute(warnings.insert().values(
            id=key, state="draft", imported=imported, version=1, created_at=now, updated_at=now,
            references_id=references_id, **self._values(warning, cap_xml)))
        self._log(conn, key, action, who, detail)
        return key

    def get(self, name: str, sender: str | None = None) -> StoredWarning:
        """The stored message ``name`` names: a key (``StoredWarning.key``), or with ``sender`` a CAP identifier.

        A key names one row for good (URLs and feed links stay stable). Two senders' messages that share an
        identifier have different keys (``1234``, ``1234~2``); ``get("1234", sender="b@example.org")`` names
        the one from that sender.
        """
        with self.engine.connect() as conn:
            row = _named(conn, name, sender)
        if row is None:
            what = "warning" if sender is None else f"warning from sender {sender!r}"
            raise NotFound(E.T204.format(what=what, id=name))
        return self._stored(row)

    def key_of(self, name: str, sender: str | None = None) -> str:
        """The key of the message ``get(name, sender)`` returns (NotFound, T204, when there is none)."""
        with self.engine.connect() as conn:
            row = _named(conn, name, sender)
        if row is None:
            what = "warning" if sender is None else f"warning from sender {sender!r}"
            raise NotFound(E.T204.format(what=what, id=name))
        return str(row.id)

    def namesakes(self, key: str) -> list[tuple[str, str]]:
        """(key, sender) of the other stored messages with the same CAP identifier as ``key`` (other senders)."""
        with self.engine.connect() as conn:
            identifier = conn.execute(sa.select(warnings.c.identifier).where(warnings.c.id == key)).scalar()
            if identifier is None:
                return []
            rows = conn.execute(sa.select(warnings.c.id, warnings.c.sender)
                                .where(warnings.c.identifier == identifier, warnings.c.id != key)
                                .order_by(warnings.c.created_at, warnings.c.id)).all()
        return [(str(r.id), str(r.sender)) for r in rows]

    def _from_sender(self, sender: str, identifier: str) -> StoredWarning | None:
        """The stored message ``identifier`` of ``sender`` (CAP's unique name for a message), if any."""
        with self.engine.connect() as conn:
            row = _sent_by(conn, sender, identifier)
        return None if row is None else self._stored(row)

    def list(
        self, *, state: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[StoredWarning]:
        q = sa.select(warnings).order_by(warnings.c.sent.desc(), warnings.c.id)
        if state is not None:
            q = q.where(warnings.c.state == state)
        if kind is not None:
            q = q.where(warnings.c.kind == kind)
        with self.engine.connect() as conn:
            return [self._stored(r) for r in conn.execute(q.limit(limit))]

    def drafts(self) -> list[StoredWarning]:
        return self.list(state="draft")

    def _stored_references(self, warning: Warning) -> list[StoredWarning]:
        """The messages ``warning`` references (CAP ``references``) that are stored here, oldest first.

        A reference names (sender, identifier, sent) and is found by (sender, identifier), which CAP makes
        unique; a stored row of that identifier from another sender is a different message and is left alone.
        """
        out = []
        for ref in warning.references:
            stored = self._from_sender(ref.sender, ref.identifier)
            if stored is not None and not (ref.sender == warning.sender and ref.identifier == warning.id):
                out.append(stored)
        return out

    def _referencing(self, warning: Warning) -> StoredWarning | None:
        """A stored Update or Cancel (from the same sender) that references ``warning``: a Cancel first.

        Reads only ids and versions, then the messages not parsed yet (the parsed cache keeps them), so
        following a busy authority does not re-read every one of its Updates for each new alert.
        """
        where = (warnings.c.sender == warning.sender, warnings.c.msg_type.in_(("Update", "Cancel")))
        with self.engine.connect() as conn:
            keys = [(r.id, r.version) for r in conn.execute(sa.select(warnings.c.id, warnings.c.version).where(*where))]
            missing = [i for i, v in keys if (i, v) not in self._parsed]
            for start in range(0, len(missing), 500):
                for row in conn.execute(sa.select(warnings).where(warnings.c.id.in_(missing[start:start + 500]))):
                    self._stored(row)
        found = []
        for key in keys:
            candidate = self._parsed.get(key) or self.get(key[0]).warning
            if any(ref.identifier == warning.id and ref.sender == warning.sender for ref in candidate.references):
                found.append(candidate)
        found.sort(key=lambda w: (w.msg_type != "Cancel", -w.sent.timestamp()))
        return self.get(found[0].handle) if found else None


def check_names(warning: Warning) -> None:
    """T416 unless the names ``warning`` brings fit the store, the same answer on every backend before anything
    is written (CAP sets no length): its identifier, its sender and the identifiers it references, each at most
    ``MAX_NAME_BYTES`` of UTF-8, and its ``tocsin:report`` at most ``REPORT_ID_LENGTH`` characters."""
    where = f"message {warning.id[:100]!r} from {warning.sender[:100]!r}"
    names = [("identifier", warning.id), ("sender", warning.sender)]
    names += [(f"identifier of reference {i}", ref.identifier) for i, ref in enumerate(warning.references, 1)]
    for what, value in names:
        size = len(value.encode("utf-8"))
        if size > MAX_NAME_BYTES:
            raise InputError(E.T416.format(where=where, what=what, size=f"{size} bytes (UTF-8)",
                                           limit=f"{MAX_NAME_BYTES} bytes", value=_shown(value)))
    if warning.report_id is not None and len(warning.report_id) > REPORT_ID_LENGTH:
        raise InputError(E.T416.format(where=where, what="parameter tocsin:report",
                                       size=f"{len(warning.report_id)} characters",
                                       limit=f"{REPORT_ID_LENGTH} characters", value=_shown(warning.report_id)))


def _shown(value: str) -> str:
    return f"{value[:60]!r}... ({len(value)} characters)"


def check_actor(who: str, where: str) -> None:
    """T417 unless ``who`` (an operator, ``--who``, ``watch:SOURCE``) fits the log: ``ACTOR_LENGTH`` characters."""
    if len(who) > ACTOR_LENGTH:
        raise InputError(E.T417.format(where=where, value=f"{who[:60]!r}...", length=len(who), limit=ACTOR_LENGTH))


#: The first key of the two-key PostgreSQL advisory locks on CAP identifiers (a key space apart from the one-key
#: locks of ``engine.write_transaction`` and ``bulk``).
_IDENTIFIER_LOCKS = 0x70C5


def lock_identifier(conn: sa.Connection, identifier: str) -> None:
    """Until the transaction ends, be the only writer of messages with CAP ``identifier`` (from any sender).

    Two processes storing one identifier at once (``tocsin watch`` and ``tocsin warnings import`` reading the
    same feed) would both find it missing and both insert it: on PostgreSQL one would fail on the unique
    constraint. With this lock the second waits, then finds the first one's row (READ COMMITTED sees what was
    committed before each statement). SQLite needs nothing: its write transactions run one at a time
    (``BEGIN IMMEDIATE``). Re-entrant within a transaction.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:identifier))"),
                     {"space": _IDENTIFIER_LOCKS, "identifier": identifier})


def _sent_by(conn: sa.Connection, sender: str, identifier: str) -> Any:
    return conn.execute(sa.select(warnings).where(warnings.c.sender == sender,
                                                  warnings.c.identifier == identifier)).first()


def _named(conn: sa.Connection, name: str, sender: str | None) -> Any:
    """The row ``name`` names: with ``sender``, its message of that identifier (or key); else the row of that key,
    else the one message of that identifier."""
    if sender is not None:
        row = _sent_by(conn, sender, name)
        if row is None:
            row = conn.execute(sa.select(warnings).where(warnings.c.id == name, warnings.c.sender == sender)).first()
        return row
    row = conn.execute(sa.select(warnings).where(warnings.c.id == name)).first()
    if row is not None:
        return row
    rows = conn.execute(sa.select(warnings).where(warnings.c.identifier == name).limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def free_key(conn: sa.Connection, identifier: str) -> str:
    """The key for a new message of ``identifier``: the identifier itself when no row has it as key, else the
    first free ``IDENTIFIER~2``, ``~3``... (CAP identifiers are unique per sender only)."""
    key, n = identifier, 1
    while conn.execute(sa.select(warnings.c.id).where(warnings.c.id == key)).first() is not None:
        n += 1
        key = f"{identifier}~{n}"
    return key
