"""GeoNames dump and GeoJSON importers: good rows become Places, bad ones coded errors that name where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tocsin.errors import GeometryError, InputError, TocsinError
from tocsin.geo.importers import read_geojson, read_geonames_dump


def _row(*fields: object) -> str:
    return "\t".join(str(f) for f in fields)


GOOD_VILLAGE = _row(
    9000001, "Kafr Testa", "Kafr Testa", "Kafr Testa,Kfar Testa", 35.61, 36.64, "P", "PPL", "SY", "", "12", "", "", "",
    1200, "", 350, "Asia/Damascus", "2024-01-01",
)
GOOD_HILL = _row(
    9000002, "Tall Testa", "Tall Testa", "", 35.7, 36.7, "T", "HLL", "SY", "", "12", "", "", "", 0, "", 500,
    "Asia/Damascus", "2024-01-01",
)
SHORT = _row(9000003, "Broken", "Broken", "", 35.0)  # 5 columns
BAD_LAT = _row(
    9000004, "Nowhere", "Nowhere", "", "north", 36.0, "P", "PPL", "SY", "", "", "", "", "", 0, "", 0, "", "2024-01-01"
)
OUT_OF_RANGE = _row(
    9000005, "Offworld", "Offworld", "", 135.0, 36.0, "P", "PPL", "SY", "", "", "", "", "", 0, "", 0, "", "2024-01-01"
)


def test_geonames_dump_streams_good_rows_and_reports_bad_lines(tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text("\n".join([GOOD_VILLAGE, SHORT, GOOD_HILL, BAD_LAT, "", OUT_OF_RANGE]) + "\n", encoding="utf-8")
    errors: list[TocsinError] = []
    places = list(read_geonames_dump(dump, errors))
    assert [p.name for p in places] == ["Kafr Testa", "Tall Testa"]
    village = places[0]
    assert village.geonames_id == 9000001
    assert (village.latitude, village.longitude) == (35.61, 36.64)
    assert village.alternate_names == ("Kfar Testa",)  # the name itself is not repeated
    assert village.admin1 == "12" and village.timezone == "Asia/Damascus" and village.population == 1200
    assert places[1].feature_class == "T" and places[1].feature_code == "HLL"
    assert [e.code for e in errors] == ["T030", "T030", "T030"]
    assert [e.context["line"] for e in errors] == [2, 4, 6]
    assert all(f"{dump}:" in e.message for e in errors)


def test_geonames_dump_without_error_list_still_skips_bad_lines(tmp_path: Path) -> None:
    dump = tmp_path / "x.txt"
    dump.write_text(SHORT + "\n" + GOOD_VILLAGE + "\n", encoding="utf-8")
    assert [p.name for p in read_geonames_dump(dump)] == ["Kafr Testa"]


def _feature(name: object, geometry: dict[str, object], **props: object) -> dict[str, object]:
    return {"type": "Feature", "properties": {"name": name, **props}, "geometry": geometry}


SQUARE = {"type": "Polygon", "coordinates": [[[37.17, 36.22], [37.19, 36.22], [37.19, 36.24], [37.17, 36.24],
                                              [37.17, 36.22]]]}
BOWTIE = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}  # crosses itself


def test_geojson_reads_points_and_polygons_and_reports_bad_features(tmp_path: Path) -> None:
    features = [
        _feature("Sheikh Maqsoud", SQUARE, parent="Aleppo", country_code="sy", alternate_names=["Sheikh Maksoud"]),
        _feature("Checkpoint 4", {"type": "Point", "coordinates": [36.3, 33.5]}, alternate_names="CP4|Checkpoint Four"),
        _feature("Bowtie", BOWTIE),  # invalid polygon
        _feature("", {"type": "Point", "coordinates": [36.3, 33.5]}),  # no name
        _feature("Road", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),  # not an area or point
        _feature("Swapped", {"type": "Point", "coordinates": [33.5, 136.3]}),  # latitude out of range
        {"type": "Nonsense"},  # not a feature
    ]
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    errors: list[TocsinError] = []
    places = list(read_geojson(path, errors))
    assert [p.name for p in places] == ["Sheikh Maqsoud", "Checkpoint 4"]
    hood, point = places
    assert hood.geometry == SQUARE and hood.parent == "Aleppo" and hood.country_code == "SY"
    assert 37.17 < hood.longitude < 37.19 and 36.22 < hood.latitude < 36.24  # representative point is inside
    assert hood.alternate_names == ("Sheikh Maksoud",)
    assert point.geometry is None and (point.latitude, point.longitude) == (33.5, 36.3)
    assert point.alternate_names == ("CP4", "Checkpoint Four")
    assert [(type(e), e.code) for e in errors] == [
        (GeometryError, "T330"),
        (InputError, "T031"),
        (GeometryError, "T330"),
        (GeometryError, "T330"),
        (InputError, "T031"),
    ]
    assert "Self-intersection" in errors[0].message and "'Bowtie'" in errors[0].message


@pytest.mark.parametrize(
    "content",
    [
        "{not json",  # malformed JSON
        json.dumps({"type": "Feature", "geometry": None}),  # a single feature, not a collection
        json.dumps([1, 2]),  # not an object
    ],
)
def test_geojson_that_is_not_a_feature_collection_is_an_input_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_geojson(path))
    assert caught.value.code == "T032"
