"""The page's base map has no shape drawn across the antimeridian (Russia, Fiji, Antarctica stripes)."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import shape

from tocsin.web.build_basemap import BASEMAP, crosses_antimeridian, cut_at_antimeridian


def test_shipped_basemap_has_no_edge_across_the_antimeridian() -> None:
    features = json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]
    assert len(features) == 177
    assert [f["properties"]["name"] for f in features if crosses_antimeridian(f["geometry"])] == []
    russia = next(shape(f["geometry"]) for f in features if f["properties"]["name"] == "Russia")
    assert russia.bounds[0] == -180 and russia.bounds[2] == 180  # Chukotka kept, east of the line


@pytest.mark.parametrize(
    ("ring", "parts"),
    [
        # an island across the line: one part on each side
        ([[179, -16], [-179, -16], [-179, -17], [179, -17], [179, -16]],
         [(-180, -17, -179, -16), (179, -17, 180, -16)]),
        # a shape that does not cross stays whole
        ([[10, 10], [12, 10], [12, 12], [10, 10]], [(10, 10, 12, 12)]),
    ],
)
def test_cut_at_antimeridian(ring: list[list[float]], parts: list[tuple[float, ...]]) -> None:
    cut = cut_at_antimeridian({"type": "Polygon", "coordinates": [ring]})
    assert not crosses_antimeridian(cut)
    assert sorted(shape({"type": "Polygon", "coordinates": p}).bounds for p in cut["coordinates"]) == parts


def test_a_ring_around_the_pole_is_closed_along_it() -> None:
    ring = [[-180, -70], [-90, -72], [0, -70], [90, -72], [180, -70], [-180, -70]]  # one jump: winds the pole
    cut = shape(cut_at_antimeridian({"type": "Polygon", "coordinates": [ring]}))
    assert cut.bounds == (-180, -90, 180, -70)
    assert cut.area > 360 * 18
