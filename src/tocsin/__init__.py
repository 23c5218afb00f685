"""tocsin: conflict reports in; sourced, geo-referenced events and CAP 1.2 warnings out.

The public API. Heavy modules (spaCy, SQLAlchemy) load on first use of a name that needs them.
"""

from __future__ import annotations

import importlib
from typing import Any

from tocsin.errors import (
    CapError,
    ConfigError,
    ConflictError,
    GeometryError,
    InputError,
    NotFound,
    StoreError,
    TocsinError,
)
from tocsin.model import (
    Area,
    Claim,
    Event,
    Extraction,
    Location,
    Notice,
    Place,
    Report,
    Span,
    Toponym,
    to_dict,
)

__version__ = "0.1.0"

_LAZY = {
    "extract": "tocsin.extraction",
    "Extractor": "tocsin.extraction",
    "ingest": "tocsin.ingestion",
    "IngestSummary": "tocsin.ingestion",
    "Store": "tocsin.store",
    "EventFilter": "tocsin.store",
    "read_paths": "tocsin.sources",
}

__all__ = [
    "Area",
    "CapError",
    "Claim",
    "ConfigError",
    "ConflictError",
    "Event",
    "EventFilter",
    "Extraction",
    "Extractor",
    "GeometryError",
    "IngestSummary",
    "InputError",
    "Location",
    "NotFound",
    "Notice",
    "Place",
    "Report",
    "Span",
    "Store",
    "StoreError",
    "TocsinError",
    "Toponym",
    "extract",
    "ingest",
    "read_paths",
    "to_dict",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tocsin' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
