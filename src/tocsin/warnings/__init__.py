"""Warnings: CAP 1.2 alerts, their geometry, status queries, subscriptions and delivery, feeds.

The public surface of ``tocsin.warnings``; the store-backed parts (``WarningStore``,
``DeliveryWorker``) load SQLAlchemy on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from tocsin.warnings.cap import parse_cap, read_cap_file, to_cap, validate_cap
from tocsin.warnings.drafts import draft_from_notice, new_identifier
from tocsin.warnings.feed import FeedEntry, build_feed, read_feed, warnings_geojson
from tocsin.warnings.geometry import (
    Circle,
    buffer_route,
    gazetteer_resolver,
    parse_circle,
    parse_polygon,
    parse_route,
    resolve_named_area,
)
from tocsin.warnings.records import Corridor, Reference, Warning, WarningArea
from tocsin.warnings.status import BulkStatus, CorridorHit, RouteStatus, StatusAnswer, StatusIndex, WarningHit
from tocsin.warnings.subscriptions import Subscription, SubscriptionIndex, sign
from tocsin.warnings.timewindow import TimeWindow, parse_window

_LAZY = {
    "WarningStore": "tocsin.warnings.store",
    "StoredWarning": "tocsin.warnings.store",
    "Delivery": "tocsin.warnings.store",
    "DeliveryWorker": "tocsin.warnings.outbox",
}

__all__ = [
    "BulkStatus",
    "Circle",
    "Corridor",
    "CorridorHit",
    "Delivery",
    "DeliveryWorker",
    "FeedEntry",
    "Reference",
    "RouteStatus",
    "StatusAnswer",
    "StatusIndex",
    "StoredWarning",
    "Subscription",
    "SubscriptionIndex",
    "TimeWindow",
    "Warning",
    "WarningArea",
    "WarningHit",
    "WarningStore",
    "buffer_route",
    "build_feed",
    "draft_from_notice",
    "gazetteer_resolver",
    "new_identifier",
    "parse_cap",
    "parse_circle",
    "parse_polygon",
    "parse_route",
    "parse_window",
    "read_cap_file",
    "read_feed",
    "resolve_named_area",
    "sign",
    "to_cap",
    "validate_cap",
    "warnings_geojson",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tocsin.warnings' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
