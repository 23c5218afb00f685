"""Import keyed by (sender, identifier): two authorities sharing an identifier never touch each other's messages."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from warnkit import T0, make_warning

from tocsin.errors import InputError, NotFound
from tocsin.warnings.cap import to_cap
from tocsin.warnings.records import Reference
from tocsin.warnings.store import WarningStore

A = "alerts@a.example"
B = "alerts@b.example"
INSIDE = (50.05, 30.05)
NOON = T0 + dt.timedelta(hours=1)


def _msg(sender: str, identifier: str, msg_type: str = "Alert", refs: tuple[str, ...] = (), **changes: object) -> bytes:
    """``sender``'s CAP message; ``refs`` are identifiers of the same sender (CAP ``references``)."""
    references = tuple(Reference(sender, r, T0) for r in refs)
    return to_cap(make_warning(id=identifier, sender=sender, msg_type=msg_type, references=references, **changes))


def _active(ws: WarningStore) -> list[str]:
    return [h.warning_id for h in ws.status_index().status(*INSIDE, at=NOON).warnings]


def test_two_senders_sharing_an_identifier_are_both_stored(warning_store: WarningStore) -> None:
    ws = warning_store
    a = ws.import_cap(_msg(A, "1234", headline="A's alert"), "importer")
    notes: list[str] = []
    b = ws.import_cap(_msg(B, "1234", headline="B's alert"), "importer", notes=notes)
    assert (a.key, b.key) == ("1234", "1234~2")  # the first keeps the plain key: its URLs do not move
    assert any("already used by another sender" in n and "'1234~2'" in n for n in notes)
    assert ws.get("1234").warning.headline == "A's alert"
    assert ws.get("1234", sender=B).warning.headline == "B's alert"  # CAP's own name: sender + identifier
    assert ws.get("1234~2", sender=B).key == "1234~2"  # a key with its sender is fine too
    assert ws.namesakes("1234") == [("1234~2", B)] and ws.namesakes("1234~2") == [("1234", A)]
    assert ws.import_cap(_msg(B, "1234", headline="B's alert"), "importer").key == "1234~2"  # the same again
    with pytest.raises(InputError, match=r"already stored with other content.*'alerts@b\.example'"):
        ws.import_cap(_msg(B, "1234", headline="B changed it"), "importer")
    with pytest.raises(NotFound, match="from sender 'nobody@c.example'"):
        ws.get("1234", sender="nobody@c.example")
    assert len(ws.list()) == 2
    from tocsin.store.warning_tables import warning_log

    with ws.engine.connect() as conn:
        detail = conn.execute(sa.select(warning_log.c.detail).where(warning_log.c.warning_id == "1234~2")).scalar_one()
    assert "already used by another sender" in detail  # the import's notes are kept in the log


@pytest.mark.parametrize(
    ("msg_type", "state"),
    [
        ("Update", "superseded"),  # B's Update of its 1234 leaves A's 1234 in force
        ("Cancel", "cancelled"),  # likewise B's Cancel
    ],
)
def test_an_update_or_cancel_ends_only_its_own_senders_message(
    warning_store: WarningStore, msg_type: str, state: str
) -> None:
    ws = warning_store
    for sender in (A, B):
        ws.publish(ws.import_cap(_msg(sender, "1234"), "importer").key, operator="bob")
    assert _active(ws) == ["1234", "1234~2"]
    follow = ws.import_cap(_msg(B, "1235", msg_type, ("1234",)), "importer")
    assert follow.references_id == "1234~2"
    if follow.state == "draft":  # B's own Cancel is in effect at once; its Update waits for an operator
        ws.publish(follow.key, operator="bob")
    assert (ws.get("1234").state, ws.get("1234~2").state) == ("published", state)
    assert "1234" in _active(ws) and "1234~2" not in _active(ws)


@pytest.mark.parametrize(
    ("msg_type", "state"),
    [
        ("Cancel", "cancelled"),  # B's Cancel arrives first (feeds list newest first), then B's alert
        ("Update", "superseded"),
    ],
)
def test_a_late_alert_is_ended_only_by_its_own_senders_follow_up(
    warning_store: WarningStore, msg_type: str, state: str
) -> None:
    ws = warning_store
    ws.import_cap(_msg(B, "1235", msg_type, ("1234",)), "importer")
    a = ws.import_cap(_msg(A, "1234"), "importer")
    b = ws.import_cap(_msg(B, "1234"), "importer")
    assert (a.state, b.state) == ("draft", state)


def test_a_draft_is_ended_only_by_its_own_senders_cancel(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.import_cap(_msg(A, "1234"), "importer")
    ws.import_cap(_msg(B, "1234"), "importer")
    ws.import_cap(_msg(B, "1235", "Cancel", ("1234",)), "importer")
    assert (ws.get("1234").state, ws.get("1234~2").state) == ("draft", "cancelled")


def test_published_namesakes_get_their_own_deliveries_feed_links_and_answers(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.add_subscription("http://127.0.0.1:9/hook", "s1", point="50.05,30.05", radius_km=1.0)
    for sender in (A, B):
        ws.publish(ws.import_cap(_msg(sender, "1234"), "importer").key, operator="bob")
    assert [len(ws.deliveries(warning_id=k)) for k in ("1234", "1234~2")] == [1, 1]  # keyed by key, not identifier
    feed = ws.feed("https://a.example", at=NOON)
    assert b"https://a.example/warnings/1234.xml" in feed and b"https://a.example/warnings/1234~2.xml" in feed
    assert ws.cap_xml("1234~2") == ws.cap_xml("1234", sender=B) != ws.cap_xml("1234")
    assert [w.handle for w in ws.at_point(*INSIDE, at=NOON)] == ["1234", "1234~2"]


def test_tocsins_own_update_of_a_namesake_references_its_sender(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.create(make_warning(id="1234", sender=A), who="alice")
    ws.create(make_warning(id="1234", sender=B), who="alice")
    ws.publish("1234~2", operator="bob")
    update = ws.update("1234~2", "alice", instruction="Leave by the north bridge.")
    assert update.references_id == "1234~2"
    assert [r.to_text() for r in update.warning.references] == [f"{B},1234,2026-03-01T12:00:00+00:00"]
    ws.publish(update.key, operator="bob")
    assert (ws.get("1234").state, ws.get("1234~2").state) == ("draft", "superseded")


# -- an authority's own Cancel takes effect at once; anyone else's waits for an operator -------------


def _cancel(sender: str, identifier: str, of: tuple[str, str], **changes: object) -> bytes:
    """``sender``'s Cancel of message ``of`` = (its sender, its identifier)."""
    ref = Reference(of[0], of[1], T0)
    return to_cap(make_warning(id=identifier, sender=sender, msg_type="Cancel", references=(ref,),
                               sent=T0 + dt.timedelta(minutes=30), **changes))


def test_the_senders_own_cancel_ends_its_published_alert_at_once(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.add_subscription("http://127.0.0.1:9/hook", "s1", point="50.05,30.05", radius_km=1.0)
    ws.publish(ws.import_cap(_msg(A, "1234"), "importer").key, operator="bob")
    notes: list[str] = []
    cancel = ws.import_cap(_cancel(A, "1234-c", (A, "1234")), "watch:authority", notes=notes)
    assert (cancel.state, ws.get("1234").state, ws.get("1234").superseded_by) == ("published", "cancelled", "1234-c")
    assert cancel.published_by == "watch:authority (the sender's own Cancel)"
    assert any("in effect at once" in n and "'1234'" in n for n in notes)
    assert _active(ws) == []
    assert b"/warnings/1234-c.xml" in ws.feed("https://a.example", at=NOON)  # aggregators withdraw it too
    assert len(ws.deliveries(warning_id="1234-c")) == 1  # and the subscriber who got the alert hears of it


@pytest.mark.parametrize(
    ("cancel", "why"),
    [
        (_cancel(B, "b-9", (A, "1234")), "another sender"),  # B cannot withdraw A's alert
        (_cancel(A, "1234-c", (A, "1234"), status="Exercise"), "status Exercise"),  # a drill ends no real alert
        (_cancel(A, "1234-c", (A, "1234"), scope="Restricted"), "scope Restricted"),  # not addressed to the public
    ],
)
def test_other_cancels_wait_for_an_operator(warning_store: WarningStore, cancel: bytes, why: str) -> None:
    ws = warning_store
    ws.publish(ws.import_cap(_msg(A, "1234"), "importer").key, operator="bob")
    notes: list[str] = []
    stored = ws.import_cap(cancel, "importer", notes=notes)
    assert (stored.state, ws.get("1234").state) == ("draft", "published")
    assert any("stays public until an operator publishes this Cancel" in n and why in n for n in notes), notes
    assert _active(ws) == ["1234"]


def test_an_operator_may_publish_another_senders_cancel(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.publish(ws.import_cap(_msg(A, "1234"), "importer").key, operator="bob")
    ws.publish(ws.import_cap(_cancel(B, "b-9", (A, "1234")), "importer").key, operator="bob")  # a human decided
    assert ws.get("1234").state == "cancelled"


def test_another_senders_cancel_leaves_a_draft_alone(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.import_cap(_msg(A, "1234"), "importer")
    notes: list[str] = []
    ws.import_cap(_cancel(B, "b-9", (A, "1234")), "importer", notes=notes)
    assert ws.get("1234").state == "draft"
    assert any("another sender" in n for n in notes)


def test_a_reference_with_another_sent_time_is_followed_and_said(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.import_cap(_msg(A, "1234"), "importer")  # sent T0
    later = Reference(A, "1234", T0 + dt.timedelta(hours=1))  # the sender's reference gives another time
    notes: list[str] = []
    ws.import_cap(to_cap(make_warning(id="1235", sender=A, msg_type="Cancel", references=(later,))), "importer",
                  notes=notes)
    assert ws.get("1234").state == "cancelled"
    assert any("was sent 2026-03-01T12:00:00+00:00; taken as that message" in n for n in notes), notes


# -- two processes importing at once (`tocsin watch` and `tocsin warnings import`) ----------------------------------


class _WritesHeld:
    """Holds the store's write lock from a connection of its own, so that writers queue behind it.

    SQLite: ``BEGIN IMMEDIATE`` (readers go on, in WAL mode). PostgreSQL: the store-wide advisory lock taken
    exclusively (every warning write takes it shared first, ``engine.write_transaction``).
    """

    def __init__(self, ws: WarningStore) -> None:
        self.engine = sa.create_engine(ws.engine.url)
        self.conn = self.engine.connect()
        self.postgres = self.conn.dialect.name == "postgresql"
        if self.postgres:
            from tocsin.store.engine import _PG_WRITE_LOCK

            self.conn.execute(sa.text(f"SELECT pg_advisory_lock({_PG_WRITE_LOCK})"))
            self.conn.commit()
        else:
            self.conn.connection.driver_connection.isolation_level = None  # type: ignore[union-attr]
            self.conn.exec_driver_sql("BEGIN IMMEDIATE")

    def wait_for(self, writers: int, threads: list[threading.Thread]) -> None:
        """Until ``writers`` writers wait for the lock (PostgreSQL: seen in pg_locks; SQLite: given a second)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert all(t.is_alive() for t in threads), "a writer finished while the lock was held"
            if not self.postgres:
                time.sleep(1.0)
                return
            waiting = self.conn.execute(sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).scalar_one()
            self.conn.commit()
            if waiting >= writers:
                return
            time.sleep(0.05)
        raise AssertionError(f"{writers} writers never queued for the lock")

    def release(self) -> None:
        if self.postgres:
            self.conn.execute(sa.text("SELECT pg_advisory_unlock_all()"))
            self.conn.commit()
        else:
            self.conn.exec_driver_sql("ROLLBACK")
        self.conn.close()
        self.engine.dispose()


def _at_once(ws: WarningStore, calls: list[Callable[[WarningStore], Any]]) -> list[Any]:
    """Each call run by its own process-like writer (its own Store: engine, connections), all having read the store
    before any of them writes: what each returned, or raised."""
    from tocsin.store import Store

    url = ws.engine.url.render_as_string(hide_password=False)
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        with Store(url) as store:
            try:
                results[i] = calls[i](WarningStore(store))
            except Exception as exc:  # what the second writer got: the test shows it
                results[i] = exc

    held = _WritesHeld(ws)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    try:
        for t in threads:
            t.start()
        held.wait_for(len(calls), threads)
    finally:
        held.release()
    for t in threads:
        t.join(60)
    return results


def _import_at_once(ws: WarningStore, messages: list[bytes]) -> list[Any]:
    """Each message imported by its own writer at once (``_at_once``): the key each got, or what it raised."""
    return _at_once(ws, [lambda w, m=m, i=i: w.import_cap(m, f"importer-{i}").key for i, m in enumerate(messages)])


def test_the_same_message_imported_at_once_by_two_processes_is_stored_once(warning_store: WarningStore) -> None:
    message = _msg(A, "1234")
    assert _import_at_once(warning_store, [message, message]) == ["1234", "1234"]  # both: already stored
    [stored] = warning_store.list()
    assert stored.key == "1234" and stored.cap_xml == message
    with warning_store.engine.connect() as conn:
        from tocsin.store.warning_tables import warning_log

        assert conn.execute(sa.select(sa.func.count()).select_from(warning_log)).scalar_one() == 1  # one import


def test_two_senders_sharing_an_identifier_imported_at_once_are_both_stored(warning_store: WarningStore) -> None:
    keys = _import_at_once(warning_store, [_msg(A, "1234"), _msg(B, "1234")])
    assert sorted(keys, key=str) == ["1234", "1234~2"]
    assert sorted((s.key, s.warning.sender) for s in warning_store.list()) == sorted(
        zip(keys, [A, B], strict=True))


def test_the_same_notice_drafted_at_once_by_two_processes_is_drafted_once(warning_store: WarningStore) -> None:
    from tocsin.model import Area, Notice, Span
    from tocsin.store.records import StoredNotice

    stored = StoredNotice(1, "h", 0, Notice("evacuation_order", [Area("Podil", 50.46, 30.52)], evidence=Span(3, 9)),
                          "report-1", None, None)
    made = _at_once(warning_store, [lambda w: [s.key for s in w.drafts_from_notices([stored], "bot")]] * 2)
    expected = [[], [warning_store.drafts()[0].key]]  # one drafted it, the other found it drafted
    assert sorted(made, key=str) == sorted(expected, key=str)
    assert len(warning_store.list()) == 1


def test_other_content_under_a_stored_identifier_is_still_refused_at_once(warning_store: WarningStore) -> None:
    results = _import_at_once(warning_store, [_msg(A, "1234"), _msg(A, "1234", headline="changed")])
    assert sorted(map(type, results), key=str) == sorted([str, InputError], key=str)
    refused = next(r for r in results if isinstance(r, InputError))
    assert "[T411]" in refused.message and "already stored with other content" in refused.message
    assert len(warning_store.list()) == 1


# -- identifiers and senders at the limit: CAP sets no length; the store takes 1000 bytes, on every backend ----------

URN = "urn:oid:2.49.0.1.840.0."  # the start of a long identifier as US NWS and others write them
B1001 = "1001 bytes (UTF-8)"


@pytest.mark.parametrize("identifier", [
    URN + "a" * (1000 - len(URN)),  # exactly the limit: 1000 ASCII characters
    URN + "é" * ((1000 - len(URN)) // 2),  # 1000 bytes of UTF-8 in fewer characters
    "x" * 201,  # past the 200 characters of the columns before 0012_longer_identifiers (PostgreSQL refused it)
])
def test_a_long_identifier_is_stored_followed_and_published(warning_store: WarningStore, identifier: str) -> None:
    ws = warning_store
    assert len(identifier.encode()) <= 1000
    sub = ws.add_subscription("http://127.0.0.1:9/hook", "s", point="50.05,30.05", radius_km=1.0)
    first = ws.import_cap(_msg(A, identifier), "importer")
    second = ws.import_cap(_msg(B, identifier), "importer")  # another sender's: the key gets ~2
    assert (first.key, second.key) == (identifier, f"{identifier}~2")
    assert ws.import_cap(_msg(A, identifier), "importer").key == identifier  # already stored
    ws.publish(second.key, operator="bob")
    cancel = ws.import_cap(_msg(B, "c-1", "Cancel", (identifier,)), "importer")  # B's own Cancel: in effect at once
    assert cancel.state == "published" and ws.get(second.key).superseded_by == cancel.key
    assert cancel.references_id == second.key
    assert {d.idempotency_key for d in ws.deliveries()} == {f"{sub.id}:{second.key}", f"{sub.id}:{cancel.key}"}
    assert ws.get(identifier, sender=B).key == second.key


@pytest.mark.parametrize(("message", "what", "size", "limit"), [
    (lambda: _msg(A, URN + "a" * (1001 - len(URN))), "identifier", B1001, "1000 bytes"),  # one byte past the limit
    (lambda: _msg(A, URN + "é" * 489), "identifier", B1001, "1000 bytes"),  # in 512 characters: bytes count
    (lambda: _msg("ops@" + "a" * 997 + ".org", "1234"), "sender", "1005 bytes (UTF-8)", "1000 bytes"),  # a sender
    (lambda: _msg(A, "1234-c", "Cancel", ("r" * 1001,)), "identifier of reference 1", B1001, "1000 bytes"),
    (lambda: _msg(A, "1234", report_id="r" * 501), "parameter tocsin:report", "501 characters", "500 characters"),
])
def test_a_name_past_the_limit_is_refused_before_anything_is_written(warning_store: WarningStore, message: Any,
                                                                    what: str, size: str, limit: str,
                                                                    tmp_path: Path) -> None:
    expected = f"the CAP {what} is {size} long, more than the {limit} tocsin stores"
    with pytest.raises(InputError, match=r"\[T416\] .*" + re.escape(expected)):
        warning_store.import_cap(message(), "importer")
    assert warning_store.list() == []
    path = tmp_path / "long.xml"
    path.write_bytes(message())
    [result] = warning_store.import_path(path, "importer")  # a file: reported, not raised
    assert result.warning_id is None and "[T416]" in (result.error or "")


# -- who acted: the log and published_by take 300 characters, on every backend ------------------------------------


def test_a_long_operator_name_is_recorded_and_a_longer_one_refused(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.import_cap(_msg(A, "1234"), "importer")
    with pytest.raises(InputError, match=r"\[T417\] publish of warning '1234': .* is 301 characters long, more than "
                                         r"the 300"):
        ws.publish("1234", operator="p" * 301)
    assert ws.get("1234").state == "draft"  # nothing written
    with pytest.raises(InputError, match=r"\[T417\] import of warning '1235'"):
        ws.import_cap(_msg(A, "1235"), "i" * 301)
    assert [s.key for s in ws.list()] == ["1234"]
    assert ws.publish("1234", operator="p" * 300).published_by == "p" * 300  # 200 was PostgreSQL's limit before


def test_the_importer_of_a_senders_own_cancel_is_recorded_in_full(warning_store: WarningStore) -> None:
    ws = warning_store
    ws.import_cap(_msg(A, "1234"), "importer")
    ws.publish("1234", operator="bob")
    who = "watch:" + "s" * 200  # the longest source name a watch takes
    cancel = ws.import_cap(_msg(A, "1234-c", "Cancel", ("1234",)), who)
    assert cancel.state == "published" and cancel.published_by == f"{who} (the sender's own Cancel)"
