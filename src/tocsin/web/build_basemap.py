"""Build step for the page's offline base map: cut country shapes at the antimeridian.

world-atlas keeps shapes in spherical coordinates for d3-geo, so Russia, Fiji and Antarctica have ring
edges that jump from +180° to −180°. A planar map (Leaflet) draws those edges straight across the
world as horizontal stripes. Each such ring is unwrapped into continuous longitudes, the polygon is cut
into its parts on either side of ±180°, and the parts are shifted back into [−180, 180]. A ring that
winds around a pole (Antarctica) is closed along the pole's parallel.

``python -m tocsin.web.build_basemap [PATH]`` rewrites the vendored GeoJSON in place (idempotent).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapely
import shapely.affinity
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape

__all__ = ["BASEMAP", "crosses_antimeridian", "cut_at_antimeridian", "main"]

BASEMAP = Path(__file__).parent / "vendor" / "world-atlas" / "countries-110m.geojson"
_WORLD = box(-180, -90, 180, 90)

Ring = list[list[float]]


def _rings(geometry: dict[str, Any]) -> list[Ring]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [ring for polygon in polygons for ring in polygon]


def crosses_antimeridian(geometry: dict[str, Any] | None) -> bool:
    """True when an edge of the (Multi)Polygon jumps more than 180° of longitude."""
    if not geometry:
        return False
    return any(abs(a[0] - b[0]) > 180 for ring in _rings(geometry) for a, b in zip(ring, ring[1:], strict=False))


def _unwrap(ring: Ring) -> Ring:
    """The ring with continuous longitudes; a ring around a pole is closed along that pole's parallel."""
    out = [list(ring[0])]
    shift = 0.0
    for (x0, _), (x1, y1) in zip(ring, ring[1:], strict=False):
        if x1 - x0 > 180:
            shift -= 360
        elif x0 - x1 > 180:
            shift += 360
        out.append([x1 + shift, y1])
    if shift:
        pole = -90.0 if sum(y for _, y in ring) < 0 else 90.0
        out[-1:] = [out[-1], [out[-1][0], pole], [out[0][0], pole], list(out[0])]
    return out


def _polygon(rings: list[Ring]) -> Polygon:
    polygon = Polygon(_unwrap(rings[0]), [_unwrap(r) for r in rings[1:]])
    return polygon if polygon.is_valid else shapely.make_valid(polygon)


def cut_at_antimeridian(geometry: dict[str, Any], digits: int = 2) -> dict[str, Any]:
    """The geometry with no edge across ±180°: parts beyond it are cut off and shifted back."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    parts: list[Polygon] = []
    for rings in polygons:
        unwrapped = _polygon(rings)
        for offset in (0, 360, -360):
            piece = unwrapped.intersection(shapely.affinity.translate(_WORLD, xoff=offset))
            piece = shapely.affinity.translate(piece, xoff=-offset)
            parts += [g for g in getattr(piece, "geoms", [piece]) if isinstance(g, Polygon) and not g.is_empty]
    # long edges along a pole's parallel get vertices, so no edge of the result spans 180°
    result = shapely.segmentize(shapely.set_precision(MultiPolygon(parts), 10 ** -digits), 90)
    return mapping(result if isinstance(result, MultiPolygon) else MultiPolygon([result]))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return round(value, 6) if isinstance(value, float) else value


def main(path: Path = BASEMAP) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    fixed = 0
    for feature in data["features"]:
        if crosses_antimeridian(feature.get("geometry")):
            feature["geometry"] = _plain(cut_at_antimeridian(feature["geometry"]))
            fixed += 1
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    print(f"{path}: {fixed} shapes cut at the antimeridian; {len(data['features'])} countries")
    if any(shape(f["geometry"]).is_empty for f in data["features"] if f.get("geometry")):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else BASEMAP))
