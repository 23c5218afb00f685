"""WarningStore on a real SQLite file: drafts stay private, publish, update/cancel chains, import, fan-out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely
import sqlalchemy as sa
from lxml import etree
from warnkit import FIXTURES, T0, make_warning

from tocsin.errors import ConflictError, InputError, NotFound
from tocsin.store import Store
from tocsin.warnings.cap import CAP_NS
from tocsin.warnings.records import WarningArea
from tocsin.warnings.store import WarningStore

INSIDE = (50.05, 30.05)
NOON = T0 + dt.timedelta(hours=1)
Q = "{" + CAP_NS + "}"


def test_draft_is_not_public_until_published(warning_store: WarningStore) -> None:
    stored = warning_store.create(make_warning(), who="alice")
    assert stored.state == "draft" and stored.warning.status == "Draft"
    assert warning_store.status_index().status(*INSIDE, at=NOON).warnings == ()
    assert b"<entry>" not in warning_store.feed("https://a.example", at=NOON)
    with pytest.raises(NotFound):
        warning_store.cap_xml(stored.warning.id)
    published = warning_store.publish(stored.warning.id, operator="bob")
    assert (published.state, published.published_by, published.warning.status) == ("published", "bob", "Actual")
    assert [h.warning_id for h in warning_store.status_index().status(*INSIDE, at=NOON).warnings] == ["tocsin-test-1"]
    assert b"tocsin-test-1.xml" in warning_store.feed("https://a.example", at=NOON)
    root = etree.fromstring(warning_store.cap_xml("tocsin-test-1"))
    assert root.findtext(Q + "status") == "Actual"


@pytest.mark.parametrize(
    ("at", "listed"),
    [
        (T0 - dt.timedelta(hours=3), True),  # announced, starts later: residents need it now
        (NOON, True),  # in effect
        (T0 + dt.timedelta(days=3), False),  # expired
    ],
)
def test_feed_lists_warnings_until_they_end(warning_store: WarningStore, at: dt.datetime, listed: bool) -> None:
    warning_store.create(make_warning(), who="alice")
    warning_store.publish("tocsin-test-1", operator="bob")
    assert (b"tocsin-test-1.xml" in warning_store.feed("https://a.example", at=at)) is listed


def _feed_updated(feed: bytes) -> str:
    return etree.fromstring(feed).findtext("{http://www.w3.org/2005/Atom}updated")


def test_the_feed_is_updated_when_its_list_changes_and_not_on_every_read(warning_store: WarningStore) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    hour = dt.timedelta(hours=1)
    warning_store.create(make_warning(sent=now, effective=now, expires=now + hour), who="alice")
    published = warning_store.publish("tocsin-test-1", operator="bob").published_at
    assert published is not None
    reads = [warning_store.feed("https://a.example", at=published + minutes * hour / 60) for minutes in (1, 30)]
    assert reads[0] == reads[1]  # nothing changed between the two reads: the same bytes
    assert _feed_updated(reads[0]) == published.replace(microsecond=0).isoformat()
    after_end = warning_store.feed("https://a.example", at=now + 2 * hour)
    assert b"tocsin-test-1.xml" not in after_end and _feed_updated(after_end) == (now + hour).isoformat()
    assert warning_store.feed("https://a.example", at=now + 5 * hour) == after_end


@pytest.mark.parametrize(
    ("operator", "fragment"),
    [
        ("", "an operator must be named"),  # nobody
        ("   ", "an operator must be named"),  # blank
    ],
)
def test_publish_needs_an_operator(warning_store: WarningStore, operator: str, fragment: str) -> None:
    warning_store.create(make_warning(), who="alice")
    with pytest.raises(InputError, match=fragment):
        warning_store.publish("tocsin-test-1", operator=operator)
    assert warning_store.get("tocsin-test-1").state == "draft"


def test_draft_without_geometry_cannot_be_published(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(areas=[WarningArea("Somewhere unnamed")]), who="alice")
    with pytest.raises(InputError, match="polygon or circle"):
        warning_store.publish("tocsin-test-1", operator="bob")


def test_editing_a_draft_in_place_checks_the_version(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(), who="alice")
    edited = warning_store.update("tocsin-test-1", "alice", instruction="Leave by the north bridge.")
    assert edited.version == 2 and edited.warning.instruction == "Leave by the north bridge."
    with pytest.raises(ConflictError):
        warning_store.update("tocsin-test-1", "carol", expected_version=1, headline="stale edit")


def test_update_of_a_published_warning_is_a_new_cap_update(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(), who="alice")
    warning_store.publish("tocsin-test-1", operator="bob")
    update = warning_store.update("tocsin-test-1", "alice", instruction="Leave by the north bridge.")
    new_id = update.warning.id
    assert new_id != "tocsin-test-1" and update.state == "draft"
    assert update.warning.msg_type == "Update"
    assert [r.identifier for r in update.warning.references] == ["tocsin-test-1"]
    # Until the update is published, the original stays public and unchanged.
    assert warning_store.get("tocsin-test-1").state == "published"
    warning_store.publish(new_id, operator="bob")
    old = warning_store.get("tocsin-test-1")
    assert (old.state, old.superseded_by) == ("superseded", new_id)
    assert old.warning.instruction == "Leave the river district now."  # the published message is kept as it was
    hits = warning_store.status_index().status(*INSIDE, at=NOON).warnings
    assert [(h.warning_id, h.instruction) for h in hits] == [(new_id, "Leave by the north bridge.")]


def test_cancel_publishes_a_cap_cancel(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(), who="alice")
    warning_store.publish("tocsin-test-1", operator="bob")
    cancel = warning_store.cancel("tocsin-test-1", "bob", note="The order is lifted.")
    assert cancel.state == "published" and cancel.warning.msg_type == "Cancel"
    root = etree.fromstring(warning_store.cap_xml(cancel.warning.id))
    assert root.findtext(Q + "msgType") == "Cancel"
    assert root.findtext(Q + "references").startswith("ops@tocsin.example,tocsin-test-1,")
    assert warning_store.get("tocsin-test-1").state == "cancelled"
    assert warning_store.status_index().status(*INSIDE, at=NOON).warnings == ()
    feed = warning_store.feed("https://a.example", at=dt.datetime.now(dt.UTC))
    assert cancel.warning.id.encode() in feed  # aggregators see the Cancel


def test_cancelling_a_draft_discards_it(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(), who="alice")
    assert warning_store.cancel("tocsin-test-1", "alice").state == "cancelled"
    with pytest.raises(InputError, match="only a draft can be published"):
        warning_store.publish("tocsin-test-1", operator="bob")


def test_duplicate_id_is_refused(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(), who="alice")
    with pytest.raises(InputError, match="already stored"):
        warning_store.create(make_warning(), who="alice")


def test_import_keeps_original_bytes_and_is_idempotent(warning_store: WarningStore) -> None:
    data = (FIXTURES / "valid" / "gcap__canada_signed.cap").read_bytes()
    first = warning_store.import_cap(data, "importer")
    assert first.state == "draft" and first.imported and first.cap_xml == data
    notes: list[str] = []
    assert warning_store.import_cap(data, "importer", notes=notes).warning.id == first.warning.id
    assert f"already stored as {first.key!r} (the same message); nothing changed" in notes
    published = warning_store.publish(first.warning.id, operator="bob")
    assert warning_store.cap_xml(published.warning.id) == data  # signature bytes served unchanged


def test_import_path_reads_feeds_and_reports_each_entry(warning_store: WarningStore, tmp_path: Path) -> None:
    results = warning_store.import_path(FIXTURES / "feeds" / "gcap__amber.atom", "importer")
    assert [r.error for r in results] == [None]
    remote = warning_store.import_path(FIXTURES / "feeds" / "gcap__weather_index.atom", "importer")
    assert all(r.warning_id is None and "remote" in (r.error or "") for r in remote)
    (tmp_path / "alert.cap").write_bytes((FIXTURES / "valid" / "gcap__thunderstorm.cap").read_bytes())
    index = tmp_path / "index.rss"
    index.write_text('<rss version="2.0"><channel><item><title>t</title><link>alert.cap</link></item></channel></rss>')
    local = warning_store.import_path(index, "importer")
    assert local[0].error is None and local[0].warning_id is not None
    bad = warning_store.import_path(FIXTURES / "invalid" / "gcap__invalid.cap", "importer")
    assert bad[0].warning_id is None and "[T405]" in (bad[0].error or "")  # no <scope>: a required element


def test_subscriptions_fan_out_on_publish(warning_store: WarningStore) -> None:
    near = warning_store.add_subscription("http://127.0.0.1:9/hook", "s1", point="50.05,30.05", radius_km=1.0)
    far = warning_store.add_subscription("http://127.0.0.1:9/far", "s2", point="48.0,25.0", radius_km=5.0)
    edge = warning_store.add_subscription(
        "http://127.0.0.1:9/edge", "s3", polygon="50.09,30.09 50.2,30.09 50.2,30.2 50.09,30.2 50.09,30.09"
    )
    warning_store.create(make_warning(), who="alice")
    assert warning_store.deliveries() == []  # a draft notifies nobody
    warning_store.publish("tocsin-test-1", operator="bob")
    queued = warning_store.deliveries(state="pending")
    assert sorted(d.subscription_id for d in queued) == sorted([near.id, edge.id])
    assert far.id not in {d.subscription_id for d in queued}
    assert {d.idempotency_key for d in queued} == {f"{near.id}:tocsin-test-1", f"{edge.id}:tocsin-test-1"}


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"url": "ftp://x.example/hook", "point": "50,30", "radius_km": 1.0}, "http(s)://"),  # wrong scheme
        ({"url": "http://x.example/hook", "point": "50,30", "radius_km": 0.0}, "radius must be > 0"),  # no radius
        ({"url": "http://x.example/hook", "polygon": "50,30 50.1,30 50,30"}, "[T305]"),  # too few points
        ({"url": "http://x.example/hook"}, "give one of"),  # no area
    ],
)
def test_invalid_subscription_is_refused(warning_store: WarningStore, kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(InputError) as err:
        warning_store.add_subscription(secret="s", **kwargs)  # type: ignore[arg-type]
    assert fragment in err.value.message and "[T412]" in err.value.message


def test_removed_subscription_is_not_matched(warning_store: WarningStore) -> None:
    sub = warning_store.add_subscription("http://127.0.0.1:9/hook", "s1", point="50.05,30.05", radius_km=1.0)
    warning_store.remove_subscription(sub.id or 0)
    assert warning_store.subscriptions() == []
    warning_store.create(make_warning(), who="alice")
    warning_store.publish("tocsin-test-1", operator="bob")
    assert warning_store.deliveries() == []
    with pytest.raises(NotFound):
        warning_store.remove_subscription(sub.id or 0)


def test_drafts_from_stored_notices(warning_store: WarningStore) -> None:
    from tocsin.model import Area, Notice, Span
    from tocsin.store.records import StoredNotice

    stored = StoredNotice(1, "h", 0, Notice("evacuation_order", [Area("Podil", 50.46, 30.52)], evidence=Span(3, 9)),
                          "report-1", None, None)
    made = warning_store.drafts_from_notices([stored], "bot")
    assert len(made) == 1 and made[0].warning.report_id == "report-1"
    assert warning_store.drafts_from_notices([stored], "bot") == []  # already drafted


def test_a_name_the_notice_left_unresolved_is_never_drawn_in_another_country(warning_store: WarningStore) -> None:
    from tocsin.model import Area, Notice, Place, Span
    from tocsin.store.records import StoredNotice
    from tocsin.warnings.geometry import gazetteer_resolver

    # "a curfew over Ashrafieh" in an Aleppo report: the base gazetteer's only Ashrafieh is a town in Iran
    notice = Notice("curfew", [Area("Ashrafieh", reason="only a loose spelling match")], evidence=Span(3, 9),
                    timezone="Asia/Damascus")
    stored = StoredNotice(1, "aleppo", 0, notice, "report-1", None, None)
    resolver = gazetteer_resolver()
    assert resolver("Ashrafieh").country_code == "IR"  # what an unbounded lookup finds
    [draft] = warning_store.drafts_from_notices([stored], "bot", resolver=resolver, countries={"aleppo": {"SY"}})
    assert draft.warning.areas[0].shape is None  # left for the operator, not a circle in Iran
    # the neighbourhood's polygon, imported afterwards, fills the draft when the notices are drafted again
    square = {"type": "Polygon", "coordinates": [[[37.135, 36.215], [37.152, 36.215], [37.152, 36.228],
                                                  [37.135, 36.228], [37.135, 36.215]]]}
    imported = Place(None, "Ashrafieh", 36.22, 37.14, "SY", "Syria", "Aleppo", geometry=square)
    [filled] = warning_store.drafts_from_notices([stored], "bot", resolver=gazetteer_resolver([imported]),
                                                 countries={"aleppo": {"SY"}})
    assert filled.key == draft.key and filled.state == "draft" and filled.version == draft.version + 1
    shape = filled.warning.areas[0].shape
    assert shape is not None and shape.contains(shapely.Point(37.14, 36.22))
    assert warning_store.drafts_from_notices([stored], "bot", resolver=gazetteer_resolver([imported]),
                                             countries={"aleppo": {"SY"}}) == []  # nothing more to fill


def test_a_notice_with_only_an_end_is_drafted_from_its_report_time(warning_store: WarningStore) -> None:
    from tocsin.model import Area, Notice, Span
    from tocsin.store.records import StoredNotice

    published = dt.datetime(2026, 1, 8, 6, 40, tzinfo=dt.UTC)
    until = dt.datetime(2026, 1, 8, 11, 0, tzinfo=dt.UTC)
    notice = Notice("curfew", [Area("Podil", 50.46, 30.52)], end=until, evidence=Span(3, 9), timezone="Europe/Kyiv")
    [made] = warning_store.drafts_from_notices([StoredNotice(1, "h", 0, notice, "report-1", None, published)], "bot")
    assert made.warning.window is not None
    assert (made.warning.window.start, made.warning.window.end) == (published, until)


def test_state_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    with Store(path) as store:
        WarningStore(store).create(make_warning(), who="alice")
        WarningStore(store).publish("tocsin-test-1", operator="bob")
    with Store(path) as store:
        assert WarningStore(store).get("tocsin-test-1").state == "published"


def test_enqueueing_twice_keeps_one_delivery_per_idempotency_key(warning_store: WarningStore) -> None:
    import numpy as np

    sub = warning_store.add_subscription("http://127.0.0.1:9/hook", "s1", point="50.05,30.05", radius_km=1.0)
    warning_store.create(make_warning(), who="alice")
    warning_store.publish("tocsin-test-1", operator="bob")
    with warning_store._write() as conn:  # a retried publish transaction must not duplicate deliveries
        warning_store._enqueue(conn, "tocsin-test-1", np.array([sub.id]), dt.datetime.now(dt.UTC))
    assert len(warning_store.deliveries()) == 1


def test_migration_creates_exactly_the_warning_tables(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from tocsin.store import warning_tables
    from tocsin.store.tables import metadata

    mine = {warning_tables.warnings.name, warning_tables.warning_log.name, warning_tables.subscriptions.name,
            warning_tables.deliveries.name}
    with Store(tmp_path / "m.db") as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
        tables = set(sa.inspect(conn).get_table_names())
    assert mine <= tables
    assert [d for d in diff if any(name in repr(d) for name in mine)] == []


# -- import of other authorities' messages as real feeds carry them ---------------------------------

AUTHORITY = "alerts@authority.example"


def _cap(identifier: str, msg_type: str = "Alert", refs: tuple[str, ...] = (), **changes: object) -> bytes:
    """An authority's CAP message (tocsin's writer with another sender), with CAP ``references``."""
    from tocsin.warnings.cap import to_cap
    from tocsin.warnings.records import Reference

    references = tuple(Reference(AUTHORITY, r, T0) for r in refs)
    values: dict[str, object] = {"id": identifier, "sender": AUTHORITY, "msg_type": msg_type,
                                 "references": references, **changes}
    return to_cap(make_warning(**values))


def test_an_imported_cancel_ends_the_alert_it_references(warning_store: WarningStore) -> None:
    warning_store.import_cap(_cap("a-1"), "importer")
    warning_store.publish("a-1", operator="bob")
    assert [h.warning_id for h in warning_store.status_index().status(*INSIDE, at=NOON).warnings] == ["a-1"]
    notes: list[str] = []
    warning_store.import_cap(_cap("a-1-cancel", "Cancel", ("a-1",)), "importer", notes=notes)
    assert any("in effect at once" in n for n in notes)  # the authority's own Cancel: no operator needed
    assert warning_store.get("a-1").state == "cancelled"
    assert warning_store.status_index().status(*INSIDE, at=NOON).warnings == ()


def test_an_update_ends_every_referenced_message_stored_here(warning_store: WarningStore) -> None:
    warning_store.import_cap(_cap("a-1"), "importer")
    warning_store.publish("a-1", operator="bob")
    # references list the original and an update this store never received; the stored one is not last
    warning_store.import_cap(_cap("a-3", "Update", ("a-1", "a-2")), "importer")
    warning_store.publish("a-3", operator="bob")
    assert warning_store.get("a-1").state == "superseded"
    assert [h.warning_id for h in warning_store.status_index().status(*INSIDE, at=NOON).warnings] == ["a-3"]


@pytest.mark.parametrize(
    ("msg_type", "state"),
    [
        ("Cancel", "cancelled"),  # feeds list newest first: the Cancel arrives before its alert
        ("Update", "superseded"),  # likewise an Update
    ],
)
def test_a_message_arriving_after_its_cancel_or_update_is_never_public(
    warning_store: WarningStore, msg_type: str, state: str
) -> None:
    warning_store.import_cap(_cap("a-2", msg_type, ("a-1",)), "importer")
    notes: list[str] = []
    stored = warning_store.import_cap(_cap("a-1"), "importer", notes=notes)
    assert stored.state == state and stored.superseded_by == "a-2"
    assert any(f"already {state}" in n for n in notes)
    with pytest.raises(InputError, match="only a draft can be published"):
        warning_store.publish("a-1", operator="bob")


def test_a_cancel_discards_the_draft_it_references(warning_store: WarningStore) -> None:
    warning_store.import_cap(_cap("a-1"), "importer")
    warning_store.import_cap(_cap("a-1-cancel", "Cancel", ("a-1",)), "importer")
    assert warning_store.get("a-1").state == "cancelled"


def test_a_reference_to_another_senders_identifier_is_not_followed(warning_store: WarningStore) -> None:
    warning_store.create(make_warning(id="a-1"), who="alice")  # tocsin's own, same identifier by chance
    warning_store.import_cap(_cap("a-1-cancel", "Cancel", ("a-1",)), "importer")
    assert warning_store.get("a-1").state == "draft"


@pytest.mark.parametrize("msg_type", ["Ack", "Error"])
def test_ack_and_error_messages_are_not_imported(warning_store: WarningStore, tmp_path: Path, msg_type: str) -> None:
    path = tmp_path / "ack.xml"
    path.write_bytes(_cap("a-ack", msg_type, ("a-1",)))
    [result] = warning_store.import_path(path, "importer")
    assert result.warning_id is None and "[T413]" in (result.error or "") and msg_type in (result.error or "")


@pytest.mark.parametrize("status", ["Test", "Exercise", "System"])
def test_non_actual_alerts_never_answer_status_queries(warning_store: WarningStore, status: str) -> None:
    warning_store.import_cap(_cap("a-1", status=status), "importer")
    published = warning_store.publish("a-1", operator="bob")
    assert published.warning.status == status  # the sender's status is kept, not overwritten with Actual
    assert warning_store.status_index().status(*INSIDE, at=NOON).warnings == ()
    assert warning_store.at_point(*INSIDE, at=NOON) == []
    feed = etree.fromstring(warning_store.feed("https://a.example", at=NOON))
    assert feed.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title", "").startswith(
        f"[{status}] ")


def test_an_all_clear_is_in_the_feed_for_a_day_and_never_an_active_alert(warning_store: WarningStore) -> None:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    warning_store.create(make_warning(kind="all_clear", sent=now, effective=now, expires=None,
                                      headline="All clear in the river district"), who="alice")
    published = warning_store.publish("tocsin-test-1", operator="bob").published_at
    assert published is not None
    hour = dt.timedelta(hours=1)
    assert b"tocsin-test-1.xml" in warning_store.feed("https://a.example", at=published + hour)
    assert warning_store.active(published + hour) == []  # it warns of nothing
    later = warning_store.feed("https://a.example", at=published + 25 * hour)
    assert b"tocsin-test-1.xml" not in later  # aged out with the Cancels
    assert _feed_updated(later) == (now + 24 * hour).isoformat()


@pytest.mark.parametrize(("status", "kind", "real"), [
    ("Actual", "evacuation_order", True),  # a real alert: everywhere
    ("Exercise", "evacuation_order", False),  # a drill: status answers and the public list do not say so
    ("Test", "curfew", False),  # a test message
    ("System", "evacuation_order", False),  # a message for the system's operators
    ("Actual", "all_clear", False),  # an all-clear warns of nothing
])
def test_one_rule_decides_what_reads_as_a_real_alert(warning_store: WarningStore, status: str, kind: str,
                                                      real: bool) -> None:
    from tocsin.store.warning_tables import warnings
    from tocsin.warnings.store import REAL_ALERT

    warning_store.create(make_warning(kind=kind), who="alice")
    key = warning_store.publish("tocsin-test-1", operator="bob", status=status).key
    expected = [key] if real else []
    assert warning_store.get(key).warning.is_real_alert is real
    assert [s.key for s in warning_store.active_stored(NOON)] == expected  # the public list, the map layer
    assert [w.handle for w in warning_store.active(NOON)] == expected  # warnings.geojson
    assert [w.handle for w in warning_store.active(NOON, actual_only=False)] == ([] if kind == "all_clear" else [key])
    assert [h.warning_id for h in warning_store.status_index().status(*INSIDE, at=NOON).warnings] == expected
    assert [h.warning_id for h in warning_store.status(*INSIDE, at=NOON).warnings] == expected  # PostGIS on PG
    assert [w.handle for w in warning_store.at_point(*INSIDE, at=NOON)] == expected
    published_real = sa.select(warnings.c.id).where(warnings.c.state == "published", REAL_ALERT)
    with warning_store.engine.connect() as conn:  # the SQL form of the rule gives the same answer
        assert conn.execute(published_real).scalars().all() == expected
    if real:  # its published Cancel is no alert either, in Python and in SQL
        cancel = warning_store.cancel(key, "bob")
        assert cancel.state == "published" and not cancel.warning.is_real_alert
        assert warning_store.active_stored(NOON) == []
        with warning_store.engine.connect() as conn:
            assert conn.execute(published_real).scalars().all() == []


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"scope": "Restricted", "note": "for responders"}, "scope Restricted"),  # not for the public
        ({"scope": "Private"}, "scope Private"),  # addressed to named recipients
        ({"status": "Draft"}, "status Draft"),  # the sender's own draft
    ],
)
def test_imported_messages_not_meant_for_the_public_cannot_be_published(
    warning_store: WarningStore, changes: dict[str, str], fragment: str
) -> None:
    data = _cap("a-1", **{k: v for k, v in changes.items() if k != "scope"})
    if "scope" in changes:
        extra = b"<restriction>responders only</restriction>" if changes["scope"] == "Restricted" else (
            b"<addresses>ops@example.org</addresses>")
        data = data.replace(b"<scope>Public</scope>", f"<scope>{changes['scope']}</scope>".encode() + extra)
    warning_store.import_cap(data, "importer")
    with pytest.raises(InputError, match=fragment):
        warning_store.publish("a-1", operator="bob")
    assert warning_store.get("a-1").state == "draft"
    if "scope" in changes:  # an operator's edit makes it tocsin's own draft, still not for the public
        warning_store.update("a-1", "alice", headline="Edited")
        with pytest.raises(InputError, match=fragment):
            warning_store.publish("a-1", operator="bob")


def test_the_same_alert_from_a_feed_and_from_a_file_is_stored_once(warning_store: WarningStore, tmp_path: Path) -> None:
    [from_feed] = warning_store.import_path(FIXTURES / "feeds" / "gcap__amber.atom", "importer")
    assert from_feed.error is None and from_feed.warning_id
    alert = warning_store.get(from_feed.warning_id).cap_xml
    path = tmp_path / "alert.xml"
    path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n' + alert.replace(b"><", b">\n  <"))
    [same] = warning_store.import_path(path, "importer")  # the alert as its own file, indented
    assert (same.warning_id, same.error) == (from_feed.warning_id, None)
    assert len(warning_store.list()) == 1
    path.write_bytes(alert.replace(b"<headline>", b"<headline>Changed: "))
    [changed] = warning_store.import_path(path, "importer")  # same identifier, other content: refused
    assert changed.warning_id is None and "already stored with other content" in (changed.error or "")


def test_import_path_follows_local_feeds_as_real_ones_are_laid_out(warning_store: WarningStore, tmp_path: Path) -> None:
    (tmp_path / "alerts").mkdir()
    (tmp_path / "alerts" / "one.xml").write_bytes(_cap("a-1"))
    (tmp_path / "alerts" / "two.xml").write_bytes(_cap("a-2"))
    (tmp_path / "page2.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id>'
        '<entry><id>2</id><link type="application/cap+xml; charset=utf-8" href="alerts/two.xml"/></entry></feed>')
    (tmp_path / "index.atom").write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>f</id><link rel="next" href="page2.atom"/>'
        '<entry><id>1</id><link rel="alternate" type="text/html" href="https://x.example/1.html"/>'
        '<link rel="alternate" type="application/cap+xml" href="alerts/one.xml"/></entry>'
        '<entry><id>1-again</id><link type="application/cap+xml" href="alerts/one.xml"/></entry>'
        '<entry><id>gone</id><link type="application/cap+xml" href="alerts/gone.xml"/></entry></feed>')
    results = warning_store.import_path(tmp_path / "index.atom", "importer")
    assert [(r.warning_id, (r.error or "")[:30]) for r in results] == [
        ("a-1", ""),  # the CAP link, not the HTML one
        (None, "CAP link alerts/gone.xml: no s"),  # a missing file is named; the others go on
        ("a-2", ""),  # the next page, its link typed with a charset
    ]


def test_an_edxl_file_with_several_alerts_imports_each(warning_store: WarningStore, tmp_path: Path) -> None:
    body = b"".join(b"<contentObject><xmlContent><embeddedXMLContent>" + _cap(i).split(b"?>", 1)[1]
                    + b"</embeddedXMLContent></xmlContent></contentObject>" for i in ("a-1", "a-2"))
    path = tmp_path / "edxl.xml"
    path.write_bytes(b'<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0">' + body
                     + b"</EDXLDistribution>")
    results = warning_store.import_path(path, "importer")
    assert [r.warning_id for r in results] == ["a-1", "a-2"]
    assert warning_store.get("a-1").cap_xml.startswith(b"<alert")  # the alert itself is stored, not the wrapper


def test_import_notes_are_returned_and_logged(warning_store: WarningStore, tmp_path: Path) -> None:
    path = tmp_path / "z.xml"
    path.write_bytes(_cap("a-1").replace(b"12:00:00+00:00</sent>", b"12:00:00Z</sent>"))
    [result] = warning_store.import_path(path, "importer")
    assert result.warning_id == "a-1" and any("read as 2026-03-01T12:00:00+00:00" in n for n in result.notes)
    assert warning_store.get("a-1").cap_xml == path.read_bytes()  # the sender's bytes, not tocsin's repair
    from tocsin.store.warning_tables import warning_log

    with warning_store.engine.connect() as conn:
        detail = conn.execute(sa.select(warning_log.c.detail).where(warning_log.c.warning_id == "a-1")).scalar_one()
    assert "read as 2026-03-01T12:00:00+00:00" in detail


def test_an_html_page_instead_of_a_cap_file_is_named(warning_store: WarningStore, tmp_path: Path) -> None:
    path = tmp_path / "alert.xml"
    path.write_text("<!DOCTYPE html>\n<html><body>503 Service Unavailable</body></html>")
    [result] = warning_store.import_path(path, "importer")
    assert result.warning_id is None and "[T414]" in (result.error or "")


def _signed_digest_holds(data: bytes) -> bool:
    """The XML signature's reference digest (enveloped, inclusive C14N, SHA-1, as NAAD signs) matches."""
    import base64
    import hashlib

    ds = "{http://www.w3.org/2000/09/xmldsig#}"
    root = etree.fromstring(data)
    signatures = root.findall(ds + "Signature")
    wanted = {s.findtext(f"{ds}SignedInfo/{ds}Reference/{ds}DigestValue", "").strip() for s in signatures}
    for signature in signatures:
        root.remove(signature)
    return bool(signatures) and base64.b64encode(hashlib.sha1(etree.tostring(root, method="c14n")).digest()).decode(
    ) in wanted


def test_a_signed_alert_taken_out_of_a_feed_still_verifies(warning_store: WarningStore) -> None:
    # the Atom feed declares namespaces (cap 1.1, georss) that the alert inherits but does not use
    [result] = warning_store.import_path(FIXTURES / "feeds" / "gcap__canada_signed.atom", "importer")
    assert result.warning_id is not None, result.error
    stored = warning_store.get(result.warning_id).cap_xml
    assert b"georss" not in stored and _signed_digest_holds(stored)
    assert _signed_digest_holds((FIXTURES / "valid" / "gcap__canada_signed.cap").read_bytes())


def test_active_and_current_read_only_messages_not_ended(warning_store: WarningStore) -> None:
    """The SQL pre-filter on ``ends_at`` keeps exactly the messages whose ``Warning.ends`` is after the time."""
    from tocsin.store.warning_tables import warnings
    from tocsin.warnings.store import _not_ended

    spans = {"ended": dt.timedelta(minutes=30), "ends-at-noon": dt.timedelta(hours=1), "later": dt.timedelta(days=2)}
    for name, span in spans.items():
        warning_store.create(make_warning(id=name, expires=T0 + span), who="alice")
        warning_store.publish(name, operator="bob")
    warning_store.create(make_warning(id="open-ended", expires=None), who="alice")
    warning_store.publish("open-ended", operator="bob")
    with warning_store.engine.connect() as conn:
        rows = conn.execute(sa.select(warnings.c.id).where(_not_ended(NOON)).order_by(warnings.c.id)).scalars().all()
    assert rows == ["later", "open-ended"]  # an end at noon has ended at noon, as Warning.active_at says
    assert sorted(w.handle for w in warning_store.published(not_ended_at=NOON)) == rows
    assert sorted(s.key for s in warning_store.active_stored(NOON)) == rows
    assert sorted(w.handle for w in warning_store.current(NOON)) == rows
    assert sorted(w.handle for w in warning_store.published()) == sorted([*spans, "open-ended"])
    assert sorted(s.key for s in warning_store.active_stored(T0 + dt.timedelta(minutes=10))) == sorted(
        [*spans, "open-ended"])
