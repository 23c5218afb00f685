"""TR-News scoring helpers on a tiny corpus written for the test (the real file is not needed)."""

from __future__ import annotations

from pathlib import Path

from tocsin.eval.trnews import point_rules, read_trnews
from tocsin.geo.gazetteer import Gazetteer

ALBERTA = 5883102


def _corpus(tmp_path: Path, lat: float, lon: float) -> Path:
    text = "Wildfires spread across Alberta on Monday."
    xml = f"""<articles><article docid="1"><text><![CDATA[{text}]]></text><toponyms>
      <toponym><phrase>Alberta</phrase><start>24</start><end>31</end>
        <gaztag geonameid="{ALBERTA}"><lat>{lat}</lat><lon>{lon}</lon><fcode>ADM1</fcode></gaztag></toponym>
    </toponyms></article></articles>"""
    path = tmp_path / "trnews.xml"
    path.write_text(xml, encoding="utf-8")
    return path


def test_read_trnews_aligns_the_gold_offsets(tmp_path: Path) -> None:
    [(docid, text, [gold])] = list(read_trnews(_corpus(tmp_path, 54.0, -115.0)))
    assert (docid, text[gold.start:gold.end], gold.geonames_id, gold.feature_code) == ("1", "Alberta", ALBERTA, "ADM1")


def test_point_rules_count_the_current_point_and_each_rule(tmp_path: Path) -> None:
    gaz = Gazetteer.default()
    row = gaz.by_gid[ALBERTA]
    # gold placed on the gazetteer's own point: the current point and the rule that made it agree
    figures = point_rules(_corpus(tmp_path, gaz.lat[row], gaz.lon[row]))
    adm1 = figures["ADM1"]
    assert adm1["gold"] == 1 and adm1["current"] == 1 and adm1["bbox_midpoint"] == 1
    assert figures["PCLI"]["gold"] == 0
    # the largest city (Calgary or Edmonton) is further than 161 km from the middle of the province's box
    assert adm1["largest_city"] == 0
