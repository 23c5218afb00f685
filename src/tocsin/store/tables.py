"""The store's tables, defined once on a module-level ``metadata`` (SQLAlchemy Core).

Types are portable: ``sa.JSON`` (JSON1 on SQLite, json on PostgreSQL), ``sa.Date`` and
``UTCDateTime`` (timezone-aware UTC everywhere; naive UTC text on SQLite). Other modules add
their tables to the same ``metadata`` (e.g. ``store/warning_tables.py``) plus a migration.
The Alembic migrations in ``store/migrations/versions`` must create exactly these tables;
``tests/store/test_migrations.py`` compares them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

__all__ = [
    "UTCDateTime",
    "corrections",
    "events",
    "mentions",
    "metadata",
    "notices",
    "pending",
    "places",
    "reports",
    "separations",
]

#: Named constraints so Alembic's batch mode (SQLite ALTER TABLE) can find them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (naive values are taken as UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime, got {value!r}")
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bind_processor(self, dialect: sa.Dialect) -> Any:
        """``process_bind_param``, with a shortcut for values already in UTC where nothing else converts them.

        Bulk writes bind one or two times per row (``engine.bulk_insert``); the shortcut skips the
        general path's calls for the usual value (an aware UTC datetime) on PostgreSQL.
        """
        general = super().bind_processor(dialect)
        if dialect.name == "sqlite" or self.impl_instance.dialect_impl(dialect).bind_processor(dialect) is not None:
            return general

        def process(value: Any) -> Any:
            if type(value) is dt.datetime and value.tzinfo is dt.UTC:
                return value
            return general(value) if general is not None else value

        return process

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


reports = sa.Table(
    "reports",
    metadata,
    sa.Column("content_hash", sa.String(128), primary_key=True),
    sa.Column("report_id", sa.String(500), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("published", UTCDateTime),
    sa.Column("source", sa.String(500)),
    sa.Column("url", sa.Text),
    sa.Column("language", sa.String(16)),
    sa.Column("origin", sa.Text),
    sa.Column("ingested_at", UTCDateTime, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("skipped_reason", sa.Text),
    sa.Column("toponyms", sa.JSON, nullable=False),
    sa.CheckConstraint("status IN ('extracted', 'skipped')", name="status"),
    sa.Index(None, "published"),
    sa.Index(None, "report_id"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("sub_event_type", sa.String(64), nullable=False),
    sa.Column("date", sa.Date),
    sa.Column("date_lo", sa.Date, comment="first day the date may stand for (time precision)"),
    sa.Column("date_hi", sa.Date, comment="last day the date may stand for (time precision)"),
    sa.Column("time_precision", sa.SmallInteger),
    sa.Column("actor1", sa.Text),
    sa.Column("actor2", sa.Text),
    sa.Column("assoc_actor_1", sa.Text),
    sa.Column("assoc_actor_2", sa.Text),
    sa.Column("inter1", sa.SmallInteger),
    sa.Column("inter2", sa.SmallInteger),
    sa.Column("location_name", sa.Text),
    sa.Column("latitude", sa.Float),
    sa.Column("longitude", sa.Float),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("country", sa.Text),
    sa.Column("geo_precision", sa.SmallInteger),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("fatalities", sa.Integer),
    sa.Column("displaced", sa.Integer),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("notes", sa.Text),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.Column("event", sa.JSON, nullable=False, comment="the merged Event (model.to_dict) with corrections applied"),
    sa.Column("overrides", sa.JSON, nullable=False, comment="field -> corrected value, applied over every re-merge"),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Index(None, "event_type", "date_lo", "date_hi"),
    sa.Index(None, "date", "id"),
    sa.Index(None, "country"),
    sa.Index(None, "longitude", "latitude"),
    sa.Index(  # merge candidates of week/month precision (migration 0006, store/bulk.py)
        "ix_events_wide",
        "event_type",
        "date_lo",
        "date_hi",
        sqlite_where=sa.text("time_precision IS NOT NULL AND time_precision NOT IN (0, 1)"),
        postgresql_where=sa.text("time_precision IS NOT NULL AND time_precision NOT IN (0, 1)"),
    ),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_hash", sa.String(128), sa.ForeignKey("reports.content_hash", ondelete="CASCADE"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("event", sa.JSON, nullable=False, comment="this report's Event (model.to_dict), with its evidence"),
    sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="SET NULL")),
    sa.UniqueConstraint("report_hash", "ordinal"),
    sa.Index(None, "event_id"),
)

separations = sa.Table(
    "separations",
    metadata,
    sa.Column("mention_a", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("mention_b", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    comment="pairs of mentions a split declared to be different events; merging never joins them again",
)

notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_hash", sa.String(128), sa.ForeignKey("reports.content_hash", ondelete="CASCADE"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("starts_at", UTCDateTime),
    sa.Column("ends_at", UTCDateTime),
    sa.Column("notice", sa.JSON, nullable=False, comment="the Notice (model.to_dict)"),
    sa.UniqueConstraint("report_hash", "ordinal"),
    sa.Index(None, "kind", "starts_at"),
)

pending = sa.Table(
    "pending",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, comment="the merge order: staging order"),
    sa.Column("report_hash", sa.String(128), nullable=False, comment="no foreign key: written with its report"),
    sa.Column("n_events", sa.Integer, nullable=False),
    sa.Column(
        "events", sa.Text, nullable=False, comment="the report's checked mentions as one JSON array (model.to_dict)"
    ),
    sa.Column("staged_at", UTCDateTime, nullable=False),
    comment="mentions written by Store.stage and not merged into events yet (Store.merge_pending drains it)",
)

corrections = sa.Table(
    "corrections",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("event_id", sa.Integer, nullable=False, comment="no foreign key: the log outlives re-merged events"),
    sa.Column("field", sa.String(64), nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Index(None, "event_id"),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(600), nullable=False, unique=True, comment="country|admin1|parent|name, casefolded"),
    sa.Column("geonames_id", sa.BigInteger),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("latitude", sa.Float, nullable=False),
    sa.Column("longitude", sa.Float, nullable=False),
    sa.Column("country_code", sa.String(8), nullable=False),
    sa.Column("country", sa.Text, nullable=False),
    sa.Column("admin1", sa.Text),
    sa.Column("admin2", sa.Text),
    sa.Column("feature_class", sa.String(8), nullable=False),
    sa.Column("feature_code", sa.String(16), nullable=False),
    sa.Column("population", sa.BigInteger, nullable=False),
    sa.Column("timezone", sa.String(64)),
    sa.Column("alternate_names", sa.JSON, nullable=False),
    sa.Column("geometry", sa.JSON),
    sa.Column("parent", sa.Text),
)
