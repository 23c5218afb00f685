"""spatial: each warning's area as WKB (both backends) and, on PostgreSQL, a PostGIS column with a GiST index

Revision ID: 0007_spatial
Revises: 0005_postgis
Create Date: 2026-11-26

``warnings.area_wkb`` is the union of the warning's area shapes as read back from its stored CAP
message (the shapes the status index tests), ``warnings.has_corridors`` whether it names safe
corridors. Existing rows are filled in here from their ``cap_xml``. On PostgreSQL ``warnings.area``
is generated from ``area_wkb`` by the database and GiST-indexed, so "warnings covering a point" is an
index scan; like the columns of ``0005_postgis`` it is not in ``tables.metadata``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_spatial"
down_revision = "0005_postgis"
branch_labels = None
depends_on = None

_AREA_COMMENT = "the union of its areas as stored in cap_xml, WKB (x = longitude, y = latitude); NULL: none"
_CORRIDORS_COMMENT = "true when it names safe corridors (status: nearest corridor)"


def _fill_existing() -> None:
    from tocsin.warnings.store import area_columns

    bind = op.get_bind()
    table = sa.table(
        "warnings", sa.column("id"), sa.column("cap_xml"), sa.column("area_wkb"), sa.column("has_corridors")
    )
    rows = bind.execute(sa.select(table.c.id, table.c.cap_xml)).all()
    for row in rows:
        values = area_columns(bytes(row.cap_xml), f"stored warning {row.id!r}")
        bind.execute(table.update().where(table.c.id == row.id).values(**values))


def upgrade() -> None:
    op.add_column("warnings", sa.Column("area_wkb", sa.LargeBinary(), nullable=True, comment=_AREA_COMMENT))
    op.add_column("warnings", sa.Column("has_corridors", sa.Boolean(), nullable=True, comment=_CORRIDORS_COMMENT))
    _fill_existing()
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE warnings ADD COLUMN area geometry(Geometry, 4326) "
        "GENERATED ALWAYS AS (ST_SetSRID(ST_GeomFromWKB(area_wkb), 4326)) STORED"
    )
    op.execute("CREATE INDEX ix_warnings_area ON warnings USING gist (area)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_warnings_area")
        op.execute("ALTER TABLE warnings DROP COLUMN IF EXISTS area")
    with op.batch_alter_table("warnings") as batch:
        batch.drop_column("has_corridors")
        batch.drop_column("area_wkb")
