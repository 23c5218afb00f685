"""Subscription areas, the STRtree fan-out index and the webhook signature."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pytest
import shapely

from tocsin.errors import InputError
from tocsin.warnings.geometry import circle_polygons, parse_polygon
from tocsin.warnings.subscriptions import SubscriptionIndex, check_webhook_url, sign, subscription_area

WARNING = parse_polygon("50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.1 50.0,30.0")


def test_index_finds_exactly_the_intersecting_areas() -> None:
    rng = np.random.default_rng(5)
    lats, lons = rng.uniform(49.8, 50.3, 3000), rng.uniform(29.8, 30.3, 3000)
    areas = circle_polygons(lats, lons, rng.uniform(0.2, 3.0, 3000), segments=16)
    ids = np.arange(100, 3100)
    index = SubscriptionIndex(ids, areas)
    expected = ids[shapely.intersects(WARNING, areas)]
    assert len(expected) > 100  # the test means something
    assert np.array_equal(index.matching(WARNING), np.sort(expected))


def test_empty_index_and_empty_geometry() -> None:
    assert len(SubscriptionIndex([], []).matching(WARNING)) == 0
    assert len(SubscriptionIndex([1], [WARNING]).matching(None)) == 0


def test_signature_is_hmac_sha256_of_the_body() -> None:
    body = b"<alert/>"
    assert sign("k", body) == "sha256=" + hmac.new(b"k", body, hashlib.sha256).hexdigest()
    assert sign("k", body) != sign("other", body)


@pytest.mark.parametrize(
    ("kwargs", "lat"),
    [
        ({"point": "50.05,30.05", "radius_km": 2.0}, 50.05),  # point + radius keeps its centre
        ({"polygon": "50.0,30.0 50.1,30.0 50.1,30.1 50.0,30.0"}, None),  # CAP polygon
        ({"geojson": {"type": "Polygon", "coordinates": [[[30, 50], [30.1, 50], [30.1, 50.1], [30, 50]]]}}, None),
    ],
)
def test_subscription_areas(kwargs: dict[str, object], lat: float | None) -> None:
    area, got_lat, _lon, _radius = subscription_area(**kwargs)  # type: ignore[arg-type]
    assert area.intersects(WARNING) and got_lat == lat


@pytest.mark.parametrize("url", ["ftp://example.org/x", "http:///no-host", "not a url"])
def test_webhook_url_must_be_http(url: str) -> None:
    with pytest.raises(InputError, match=r"\[T412\]"):
        check_webhook_url(url)
