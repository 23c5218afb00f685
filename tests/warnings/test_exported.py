"""The public names of tocsin.warnings are declared; this fails when one is added or removed by accident."""

import tocsin.warnings

EXPECTED = {
    "BulkStatus", "Circle", "Corridor", "CorridorHit", "Delivery", "DeliveryWorker", "FeedEntry", "Reference",
    "RouteStatus", "StatusAnswer", "StatusIndex", "StoredWarning", "Subscription", "SubscriptionIndex",
    "TimeWindow", "Warning", "WarningArea", "WarningHit", "WarningStore", "buffer_route", "build_feed",
    "draft_from_notice", "gazetteer_resolver", "new_identifier", "parse_cap", "parse_circle", "parse_polygon",
    "parse_route", "parse_window", "read_cap_file", "read_feed", "resolve_named_area", "sign", "to_cap",
    "validate_cap", "warnings_geojson",
}


def test_exported_names_are_pinned() -> None:
    assert set(tocsin.warnings.__all__) == EXPECTED


def test_every_exported_name_resolves() -> None:
    for name in tocsin.warnings.__all__:
        assert getattr(tocsin.warnings, name) is not None, name
