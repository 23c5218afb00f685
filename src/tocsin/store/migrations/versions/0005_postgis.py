"""postgis: point and area geometries with GiST indexes (PostgreSQL only; a no-op on SQLite)

Revision ID: 0005_postgis
Revises: 0002
Create Date: 2026-11-26

The geometries are generated columns computed by the database from the columns the store already
writes (``events.longitude/latitude``, ``subscriptions.area_wkb``), so no writer has to know about
them and ``tocsin db copy`` never copies them. ``tables.metadata`` does not list them: the schema
comparison ignores the objects in ``tocsin.store.spatial.POSTGIS_OBJECTS``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from tocsin.errors import E, StoreError

revision = "0005_postgis"
down_revision = "0002"
branch_labels = None
depends_on = None

_EVENT_POINT = (
    "CASE WHEN longitude IS NULL OR latitude IS NULL THEN NULL "
    "ELSE ST_SetSRID(ST_MakePoint(longitude, latitude), 4326) END"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    installed = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'postgis'")).first()
    if installed is None:
        available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'postgis'")).first()
        url = bind.engine.url.render_as_string(hide_password=True)
        if available is None:
            raise StoreError(E.T210.format(url=url, detail="the postgis extension is not installed on the server"))
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS postgis"))
        except sa.exc.DBAPIError as exc:
            raise StoreError(E.T210.format(url=url, detail=exc.orig)) from exc
    op.execute(f"ALTER TABLE events ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS ({_EVENT_POINT}) STORED")
    op.execute("CREATE INDEX ix_events_geom ON events USING gist (geom)")
    op.execute(
        "ALTER TABLE subscriptions ADD COLUMN area geometry(Geometry, 4326) "
        "GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromWKB(area_wkb), 4326)) STORED"
    )
    op.execute("CREATE INDEX ix_subscriptions_area ON subscriptions USING gist (area)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_subscriptions_area")
    op.execute("ALTER TABLE subscriptions DROP COLUMN IF EXISTS area")
    op.execute("DROP INDEX IF EXISTS ix_events_geom")
    op.execute("ALTER TABLE events DROP COLUMN IF EXISTS geom")
