"""The store: SQLAlchemy Core tables and queries; only this package knows the backend.

See docs/store.md. ``Store`` is the whole public surface; ``tables.metadata`` is where other
modules (warnings) add their tables.
"""

from tocsin.store.checks import CORRECTABLE_FIELDS
from tocsin.store.db import Store
from tocsin.store.records import (
    AddResult,
    Correction,
    EventFilter,
    SourceMention,
    StoredEvent,
    StoredNotice,
    StoredReport,
)

__all__ = [
    "CORRECTABLE_FIELDS",
    "AddResult",
    "Correction",
    "EventFilter",
    "SourceMention",
    "Store",
    "StoredEvent",
    "StoredNotice",
    "StoredReport",
]
