"""The watcher's state in the store: sources, seen items, faults, story families, rules and alerts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tocsin.store import Store
from tocsin.store import engine as eng
from tocsin.store.watch_tables import (
    watch_alerts,
    watch_bands,
    watch_families,
    watch_faults,
    watch_items,
    watch_members,
    watch_rules,
    watch_sources,
)
from tocsin.watch.config import Source

MAX_ITEM_KEY = 500
"""The length of ``watch_items.item_key``."""

__all__ = ["ItemRow", "SourceState", "WatchStore", "utcnow"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class SourceState:
    source: Source
    etag: str | None = None
    last_modified: str | None = None
    last_fetch_at: dt.datetime | None = None
    last_new_at: dt.datetime | None = None
    next_poll_at: dt.datetime | None = None
    consecutive_errors: int = 0
    last_error: str | None = None
    last_status: int | None = None
    items_total: int = 0
    items_today: int = 0


@dataclass(frozen=True)
class ItemRow:
    source: str
    item_key: str
    content_hash: str
    url: str | None
    feed_url: str
    fetched_at: dt.datetime
    family_id: int | None = None


class WatchStore:
    """Reads and writes the ``watch_*`` tables of a :class:`Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.engine = store.engine

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with eng.write_transaction(self.engine, exclusive=False) as conn:
            yield conn

    # sources ------------------------------------------------------------------------------------
    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Make the stored sources' settings those of the config; their state is kept."""
        with self._write() as conn:
            for s in sources:
                config = {"url": s.url, "kind": s.kind, "interval_s": s.interval_s, "language": s.language,
                          "fetch_article": s.fetch_article, "trust": s.trust}
                exists = conn.execute(sa.select(watch_sources.c.name).where(watch_sources.c.name == s.name)).first()
                if exists:
                    conn.execute(watch_sources.update().where(watch_sources.c.name == s.name).values(**config))
                else:
                    conn.execute(watch_sources.insert().values(name=s.name, consecutive_errors=0, items_total=0,
                                                               **config))

    def states(self, now: dt.datetime | None = None) -> list[SourceState]:
        now = now or utcnow()
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(watch_sources).order_by(watch_sources.c.name)).mappings().all()
            today = dict(conn.execute(
                sa.select(watch_items.c.source, sa.func.count()).where(watch_items.c.fetched_at >= day)
                .group_by(watch_items.c.source)
            ).all())
        out = []
        for r in rows:
            source = Source(name=r["name"], url=r["url"], kind=r["kind"], interval_s=r["interval_s"],
                            language=r["language"], fetch_article=r["fetch_article"], trust=r["trust"])
            out.append(SourceState(
                source=source, etag=r["etag"], last_modified=r["last_modified"], last_fetch_at=r["last_fetch_at"],
                last_new_at=r["last_new_at"], next_poll_at=r["next_poll_at"],
                consecutive_errors=r["consecutive_errors"], last_error=r["last_error"],
                last_status=r["last_status"], items_total=r["items_total"], items_today=int(today.get(r["name"], 0)),
            ))
        return out

    def update_source(self, name: str, **values: Any) -> None:
        with self._write() as conn:
            conn.execute(watch_sources.update().where(watch_sources.c.name == name).values(**values))

    def update_sources(self, updates: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """Several sources' updates in one transaction (a round's "not modified" answers)."""
        updates = list(updates)
        if not updates:
            return
        with self._write() as conn:
            for name, values in updates:
                conn.execute(watch_sources.update().where(watch_sources.c.name == name).values(**values))

    def fault(self, name: str, reason: str, at: dt.datetime | None = None) -> None:
        with self._write() as conn:
            conn.execute(watch_faults.insert().values(source=name, at=at or utcnow(), reason=reason[:2000]))

    def faults(self, name: str | None = None) -> list[tuple[str, dt.datetime, str]]:
        query = sa.select(watch_faults.c.source, watch_faults.c.at, watch_faults.c.reason).order_by(watch_faults.c.id)
        if name is not None:
            query = query.where(watch_faults.c.source == name)
        with self.engine.connect() as conn:
            return [(r[0], r[1], r[2]) for r in conn.execute(query)]

    # items --------------------------------------------------------------------------------------
    def seen_keys(self, name: str, keys: Iterable[str]) -> set[str]:
        """Which of ``keys`` the source ``name`` has recorded (as :meth:`record_items` stores them)."""
        wanted = {stored_key(k): k for k in keys}
        stored = list(wanted)
        seen: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(stored), 500):
                chunk = stored[start:start + 500]
                query = sa.select(watch_items.c.item_key).where(
                    watch_items.c.source == name, watch_items.c.item_key.in_(chunk)
                )
                seen.update(wanted[r[0]] for r in conn.execute(query))
        return seen

    def record_items(self, rows: Iterable[ItemRow]) -> int:
        values = [_row(r) for r in rows]
        if not values:
            return 0
        with self._write() as conn:
            for v in values:
                eng.insert_ignore(conn, watch_items, v, ("source", "item_key"))
        return len(values)

    def items(self, name: str | None = None) -> list[ItemRow]:
        query = sa.select(watch_items).order_by(watch_items.c.fetched_at, watch_items.c.item_key)
        if name is not None:
            query = query.where(watch_items.c.source == name)
        with self.engine.connect() as conn:
            return [ItemRow(**dict(r)) for r in conn.execute(query).mappings()]

    # families -----------------------------------------------------------------------------------
    def family_signatures(self) -> Iterator[tuple[int, bytes]]:
        with self.engine.connect() as conn:
            yield from ((r[0], r[1]) for r in conn.execute(sa.select(watch_families.c.id, watch_families.c.signature)))

    def add_family(self, content_hash: str, signature: bytes, band_keys: Iterable[str]) -> int:
        with self._write() as conn:
            fid = int(conn.execute(watch_families.insert().values(
                content_hash=content_hash, signature=signature, created_at=utcnow()
            ).returning(watch_families.c.id)).scalar_one())
            for key in dict.fromkeys(band_keys):
                conn.execute(watch_bands.insert().values(band_key=key, family_id=fid))
        return fid

    def add_member(self, family_id: int, url: str, outlet: str | None, content_hash: str) -> bool:
        with self._write() as conn:
            return eng.insert_ignore(conn, watch_members, {"family_id": family_id, "url": url, "outlet": outlet,
                                                           "content_hash": content_hash, "fetched_at": utcnow()},
                                     ("family_id", "url"))

    def members(self, family_id: int) -> list[tuple[str, str | None]]:
        with self.engine.connect() as conn:
            query = sa.select(watch_members.c.url, watch_members.c.outlet).where(watch_members.c.family_id == family_id)
            return sorted((r[0], r[1]) for r in conn.execute(query))

    def family_of(self, content_hash: str) -> int | None:
        """The story family a stored report belongs to (its own copy or a linked one)."""
        with self.engine.connect() as conn:
            found = conn.execute(sa.select(watch_families.c.id).where(watch_families.c.content_hash == content_hash))
            row = found.first() or conn.execute(
                sa.select(watch_members.c.family_id).where(watch_members.c.content_hash == content_hash)
            ).first()
        return int(row[0]) if row else None

    def families_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(watch_families)).scalar_one())

    # rules and alerts ---------------------------------------------------------------------------
    def add_rule(self, rule: dict[str, Any], name: str | None = None) -> int:
        with self._write() as conn:
            return int(conn.execute(watch_rules.insert().values(name=name, rule=rule, created_at=utcnow())
                                    .returning(watch_rules.c.id)).scalar_one())

    def rules(self) -> list[tuple[int, str | None, dict[str, Any]]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(watch_rules.c.id, watch_rules.c.name, watch_rules.c.rule)
                                .order_by(watch_rules.c.id))
            return [(r[0], r[1], dict(r[2])) for r in rows]

    def remove_rule(self, rule_id: int) -> bool:
        with self._write() as conn:
            return conn.execute(watch_rules.delete().where(watch_rules.c.id == rule_id)).rowcount > 0

    def claim_alert(self, rule_id: int, target: str) -> bool:
        """True the first time (rule, target) is claimed: each match is sent once."""
        with self._write() as conn:
            return eng.insert_ignore(conn, watch_alerts, {"rule_id": rule_id, "target": target, "at": utcnow()},
                                     ("rule_id", "target"))

    def alert_outcome(self, rule_id: int, target: str, outcome: str) -> None:
        with self._write() as conn:
            conn.execute(watch_alerts.update().where(watch_alerts.c.rule_id == rule_id,
                                                     watch_alerts.c.target == target).values(outcome=outcome[:500]))


def stored_key(key: str) -> str:
    """An item's key as stored: itself up to the column's 500 characters, else its SHA-256. A cut-off key was
    never found again by :meth:`WatchStore.seen_keys`, so a feed with long entry ids read every entry anew."""
    return key if len(key) <= MAX_ITEM_KEY else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _row(r: ItemRow) -> dict[str, Any]:
    return {"source": r.source, "item_key": stored_key(r.item_key), "content_hash": r.content_hash, "url": r.url,
            "feed_url": r.feed_url, "fetched_at": r.fetched_at, "family_id": r.family_id}
