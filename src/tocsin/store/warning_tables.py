"""The warnings' tables on the store's ``metadata``: warnings, their log, subscriptions, the delivery outbox.

Created by migration ``0002_warnings``; ``warnings.area_wkb``/``has_corridors`` by ``0007_spatial`` (which
also adds, on PostgreSQL, the generated PostGIS column ``warnings.area`` with a GiST index);
``warnings.identifier`` and the uniqueness of (sender, identifier) by ``0011_sender_identifier``: CAP makes an
identifier unique per sender only, so ``warnings.id`` is tocsin's key for the row (what deliveries, the log and
``superseded_by``/``references_id`` name). Identifiers and senders up to ``MAX_NAME_BYTES`` (the columns by
``0012_longer_identifiers``; ``WarningStore`` refuses longer ones, T416).
Published warnings are never rewritten: an update or a cancellation is a new CAP message (a new row)
that references the earlier one, whose state then becomes ``superseded`` or ``cancelled``.
Deliveries are the persistent outbox of webhook POSTs.
"""

from __future__ import annotations

import sqlalchemy as sa

from tocsin.store.tables import UTCDateTime, metadata

__all__ = ["ACTOR_LENGTH", "KEY_LENGTH", "MAX_NAME_BYTES", "REPORT_ID_LENGTH", "WARNING_STATES", "DELIVERY_STATES",
           "deliveries", "subscriptions", "warning_log", "warnings"]

#: The longest CAP identifier or sender stored, in bytes of UTF-8 (CAP sets no limit; long URNs and URLs fit).
#: PostgreSQL's b-tree indexes take about 2,700 bytes a row: the unique (sender, identifier) index fits both.
MAX_NAME_BYTES = 1000
#: Columns holding a key (an identifier, or ``IDENTIFIER~N``), in characters.
KEY_LENGTH = 1100
#: The longest name of who acted (an operator, ``--who``, ``watch:SOURCE``) in the log and ``published_by``, in
#: characters (``0014_longer_actors``; a source name of 200 and `` (the sender's own Cancel)`` fit).
ACTOR_LENGTH = 300
#: The longest report id (``tocsin:report``), in characters.
REPORT_ID_LENGTH = 500

WARNING_STATES = ("draft", "published", "superseded", "cancelled")
DELIVERY_STATES = ("pending", "delivered", "dead")

warnings = sa.Table(
    "warnings",
    metadata,
    sa.Column("id", sa.String(KEY_LENGTH), primary_key=True,
              comment="the key: the CAP identifier, or IDENTIFIER~N when another sender's message had it first"),
    sa.Column("identifier", sa.String(MAX_NAME_BYTES), nullable=False,
              comment="the CAP identifier (unique per sender)"),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, comment="CAP status (Draft until published)"),
    sa.Column("msg_type", sa.String(16), nullable=False),
    sa.Column("sender", sa.String(MAX_NAME_BYTES), nullable=False),
    sa.Column("sent", UTCDateTime, nullable=False),
    sa.Column("starts_at", UTCDateTime, nullable=False),
    sa.Column("ends_at", UTCDateTime),
    sa.Column("headline", sa.Text),
    sa.Column("report_id", sa.String(REPORT_ID_LENGTH)),
    sa.Column("references_id", sa.String(KEY_LENGTH), comment="the warning this Update/Cancel replaces"),
    sa.Column("superseded_by", sa.String(KEY_LENGTH)),
    sa.Column(
        "cap_xml", sa.LargeBinary, nullable=False, comment="the CAP message as served (original bytes if imported)"
    ),
    sa.Column("imported", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("published_at", UTCDateTime),
    sa.Column("published_by", sa.String(ACTOR_LENGTH)),
    sa.Column("area_wkb", sa.LargeBinary,
              comment="the union of its areas as stored in cap_xml, WKB (x = longitude, y = latitude); NULL: none"),
    sa.Column("has_corridors", sa.Boolean, comment="true when it names safe corridors (status: nearest corridor)"),
    sa.CheckConstraint("state IN ('draft', 'published', 'superseded', 'cancelled')", name="state"),
    sa.UniqueConstraint("sender", "identifier"),
    sa.Index(None, "state", "ends_at"),
    sa.Index(None, "report_id"),
    sa.Index(None, "identifier"),
)

warning_log = sa.Table(
    "warning_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("warning_id", sa.String(KEY_LENGTH), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("who", sa.String(ACTOR_LENGTH), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("detail", sa.Text),
    sa.Index(None, "warning_id"),
)

subscriptions = sa.Table(
    "subscriptions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("secret", sa.String(200), nullable=False),
    sa.Column("area_wkb", sa.LargeBinary, nullable=False, comment="the area as WKB (x = longitude, y = latitude)"),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("radius_km", sa.Float),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index(None, "active"),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True, comment="sent as X-Tocsin-Delivery"),
    sa.Column("idempotency_key", sa.String(KEY_LENGTH + 100), nullable=False, unique=True),
    sa.Column("subscription_id", sa.Integer, nullable=False, comment="no foreign key: the record outlives it"),
    sa.Column("warning_id", sa.String(KEY_LENGTH), nullable=False),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", UTCDateTime, nullable=False),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_error", sa.Text),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("delivered_at", UTCDateTime),
    sa.CheckConstraint("state IN ('pending', 'delivered', 'dead')", name="state"),
    sa.Index(None, "state", "next_attempt_at"),
    sa.Index(None, "warning_id"),
)
