"""Alembic environment for tocsin's store; run programmatically by ``Store.upgrade`` (no alembic.ini).

``Store`` passes an open connection (inside its write transaction) in
``config.attributes["connection"]``; for hand use, ``sqlalchemy.url`` in the config is used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

import tocsin.store.tables as tables
from tocsin.store.engine import load_table_modules
from tocsin.store.spatial import include_object

load_table_modules()  # other modules' tables join the same metadata

config = context.config
target_metadata = tables.metadata


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
elif connection is not None:
    _run(connection)
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///tocsin.db")
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
