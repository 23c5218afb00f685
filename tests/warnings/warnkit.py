"""Helpers for the warnings tests: fixture paths, a warning factory (import as ``from warnkit import ...``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tocsin.warnings.geometry import parse_polygon
from tocsin.warnings.records import Warning, WarningArea

__all__ = ["FIXTURES", "SQUARE", "T0", "make_warning"]

FIXTURES = Path(__file__).parent / "fixtures"
T0 = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
#: A square of about 7 x 11 km south-west corner 50.0 N, 30.0 E (CAP order: lat,lon).
SQUARE = "50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1 50.0,30.0"


def make_warning(**changes: Any) -> Warning:
    values: dict[str, Any] = {
        "id": "tocsin-test-1",
        "kind": "evacuation_order",
        "sender": "ops@tocsin.example",
        "sent": T0,
        "status": "Actual",
        "sender_name": "Regional administration",
        "headline": "Evacuation order for the river district",
        "instruction": "Leave the river district now.",
        "response_type": "Evacuate",
        "effective": T0,
        "expires": T0 + dt.timedelta(days=2),
        "areas": [WarningArea("River district", polygons=(parse_polygon(SQUARE),))],
    }
    values.update(changes)
    return Warning(**values)
