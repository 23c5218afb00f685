"""Score toponym recognition and resolution on TR-News (``python -m tocsin.eval.trnews [trnews.xml]``).

TR-News (Kamalloo & Rafiei 2018) annotates every toponym of 118 news articles with a GeoNames id and
point. We run the ``tocsin_places`` component alone, match gold and predicted toponyms by overlapping
character offsets, and report:

- ``recall``: gold toponyms (with a GeoNames point, demonyms excluded) that a predicted toponym overlaps;
- ``within_161km``: of those matched, the share resolved within 161 km (100 miles) of the gold point;
- ``exact_id``: of those matched whose gold id the gazetteer holds, the share with exactly that id;
- ``same_place``: of those matched, the share within 161 km *or* with the gold id. tocsin's points for
  countries and regions are its own (midpoints of their cities, docs/geo.md), not GeoNames' hand-set
  centres, so a correctly identified "Russia" can lie 800 km from the gold point;
- ``within_161km_all``: correct within 161 km over *all* scored gold toponyms (recall x accuracy);
- ``precision``: predicted resolved toponyms that overlap a gold toponym.

TR-News also tags demonyms ("Turkish" -> Turkey) as toponyms. tocsin does not (they feed the country focus
instead), so demonym gold rows are counted apart (``gold_demonyms``) and left out of the figures above.
A few gold offsets are shifted by a character or two against the text; each is re-aligned to the nearest
occurrence of its phrase.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

__all__ = ["GoldToponym", "point_rules", "read_trnews", "score"]

_WINDOW = 30
_REGION_ADJECTIVES = frozenset({"european", "asian", "african", "arab", "middle eastern", "latin american", "western"})
_AREA_CODES = frozenset({"PCL", "CON", "RGN", "ADM"})


@dataclass
class GoldToponym:
    phrase: str
    start: int
    end: int
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    feature_code: str | None


def _align(text: str, phrase: str, start: int) -> int:
    if text[start:start + len(phrase)] == phrase:
        return start
    best = None
    lo = max(0, start - _WINDOW)
    pos = text.find(phrase, lo)
    while pos != -1 and pos <= start + _WINDOW:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(phrase, pos + 1)
    return best if best is not None else start


def read_trnews(path: Path) -> Iterator[tuple[str, str, list[GoldToponym]]]:
    """(docid, text, gold toponyms) per article."""
    tree = etree.parse(str(path))
    for article in tree.iter("article"):
        text = article.findtext("text") or ""
        gold = []
        for tp in article.iter("toponym"):
            phrase = tp.findtext("phrase") or ""
            start = _align(text, phrase, int(tp.findtext("start") or 0))
            tag = tp.find("gaztag")
            gid = lat = lon = code = None
            if tag is not None and tag.get("geonameid"):
                gid = int(tag.get("geonameid"))
                lat = float(tag.findtext("lat")) if tag.findtext("lat") else None
                lon = float(tag.findtext("lon")) if tag.findtext("lon") else None
                code = tag.findtext("fcode")
            gold.append(GoldToponym(phrase, start, start + len(phrase), gid, lat, lon, code))
        yield article.get("docid") or "", text, gold


def score(path: str | Path, *, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Run tocsin_places over TR-News and return the figures (see the module docstring)."""
    from tocsin.geo.gazetteer import distance_km, fold
    from tocsin.geo.resolve import demonyms
    from tocsin.nlp.pipeline import load

    nlp = load(components=("tocsin_places",))
    gaz = nlp.get_pipe("tocsin_places").gazetteer
    demonym_table = demonyms()
    articles = list(read_trnews(Path(path)))
    counts = dict.fromkeys(
        ("gold", "gold_no_point", "gold_demonyms", "scored", "matched", "matched_resolved", "n_within_161km",
         "n_same_place", "id_held", "n_exact_id", "predicted", "predicted_matched", "unresolved_predicted"),
        0,
    )
    for (docid, _text, gold), doc in zip(articles, nlp.pipe(text for _, text, _ in articles), strict=True):
        predicted = doc._.toponyms or []
        counts["predicted"] += sum(1 for t in predicted if t.resolved)
        counts["unresolved_predicted"] += sum(1 for t in predicted if not t.resolved)
        for t in predicted:
            if t.resolved and any(g.start < t.end and t.start < g.end for g in gold):
                counts["predicted_matched"] += 1
        for g in gold:
            counts["gold"] += 1
            if g.latitude is None or g.longitude is None:
                counts["gold_no_point"] += 1
                continue
            key = fold(g.phrase)
            if (key in demonym_table or key in _REGION_ADJECTIVES) and (g.feature_code or "")[:3] in _AREA_CODES:
                counts["gold_demonyms"] += 1
                continue
            counts["scored"] += 1
            hits = [t for t in predicted if t.start < g.end and g.start < t.end]
            if not hits:
                if errors is not None:
                    errors.append({"doc": docid, "phrase": g.phrase, "error": "missed", "gold": g.feature_code})
                continue
            counts["matched"] += 1
            hit = max(hits, key=lambda t: (t.resolved, min(t.end, g.end) - max(t.start, g.start)))
            held = g.geonames_id in gaz.by_gid
            counts["id_held"] += held
            if not hit.resolved:
                if errors is not None:
                    errors.append({"doc": docid, "phrase": g.phrase, "error": "unresolved", "gold": g.feature_code})
                continue
            counts["matched_resolved"] += 1
            assert hit.latitude is not None and hit.longitude is not None
            km = distance_km(g.latitude, g.longitude, hit.latitude, hit.longitude)
            counts["n_within_161km"] += km <= 161
            counts["n_exact_id"] += held and hit.geonames_id == g.geonames_id
            counts["n_same_place"] += km <= 161 or hit.geonames_id == g.geonames_id
            if errors is not None and (km > 161 or (held and hit.geonames_id != g.geonames_id)):
                errors.append({
                    "doc": docid, "phrase": g.phrase, "error": f"{km:.0f} km",
                    "gold": f"{g.geonames_id} {g.feature_code}",
                    "got": f"{hit.geonames_id} {hit.feature_code} {hit.country_code} {hit.admin1}",
                })

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 0.0

    return {
        "articles": len(articles),
        "recall": ratio(counts["matched"], counts["scored"]),
        "within_161km": ratio(counts["n_within_161km"], counts["matched"]),
        "exact_id": ratio(counts["n_exact_id"], counts["id_held"]),
        "same_place": ratio(counts["n_same_place"], counts["matched"]),
        "within_161km_all": ratio(counts["n_within_161km"], counts["scored"]),
        "precision": ratio(counts["predicted_matched"], counts["predicted"]),
        **counts,
    }


def _rules() -> dict[str, Callable[[list[tuple[float, float, int]]], tuple[float, float]]]:
    from tocsin.geo.build_data import representative_point

    def mean(p: list[tuple[float, float, int]]) -> tuple[float, float]:
        return statistics.fmean(x[0] for x in p), statistics.fmean(x[1] for x in p)

    def weighted(p: list[tuple[float, float, int]]) -> tuple[float, float]:
        total = sum(x[2] + 1 for x in p)
        return sum(x[0] * (x[2] + 1) for x in p) / total, sum(x[1] * (x[2] + 1) for x in p) / total

    return {
        "bbox_midpoint": lambda p: representative_point((x[0], x[1]) for x in p),
        "bbox_midpoint_trimmed_1pct": lambda p: representative_point(((x[0], x[1]) for x in p), trim=0.01),
        "mean": mean,
        "median": lambda p: (statistics.median(x[0] for x in p), statistics.median(x[1] for x in p)),
        "population_weighted_mean": weighted,
        "largest_city": lambda p: max(p, key=lambda x: x[2])[:2],
    }


def point_rules(path: str | Path) -> dict[str, dict[str, int]]:
    """Compare rules for a region's or country's point, computed from the shipped city points.

    For every gold toponym of TR-News coded ADM1 or PCLI whose GeoNames id the gazetteer holds, the share
    within 161 km of the gold point under each rule (the gazetteer's own point as ``current``). A method
    choice made on the development set: docs/geo.md gives the figures and the rule chosen.
    """
    from tocsin.geo.gazetteer import KIND_ADMIN1, KIND_CITY, KIND_COUNTRY, Gazetteer, distance_km

    gaz = Gazetteer.default()
    regions: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    countries: dict[str, list[tuple[float, float, int]]] = {}
    for row in gaz:
        if gaz.kind[row] == KIND_CITY:
            point = (gaz.lat[row], gaz.lon[row], gaz.population[row])
            regions.setdefault((gaz.cc[row], gaz.admin1[row]), []).append(point)
            countries.setdefault(gaz.cc[row], []).append(point)
    rules = _rules()
    out: dict[str, dict[str, int]] = {}
    for code, kind in (("ADM1", KIND_ADMIN1), ("PCLI", KIND_COUNTRY)):
        counts = dict.fromkeys(("gold", "current", *rules), 0)
        for _, _, gold in read_trnews(Path(path)):
            for g in gold:
                row = gaz.by_gid.get(g.geonames_id or -1)
                if g.feature_code != code or row is None or gaz.kind[row] != kind or g.latitude is None:
                    continue
                key = (gaz.cc[row], gaz.admin1[row])
                points = regions.get(key) if kind == KIND_ADMIN1 else countries.get(gaz.cc[row])
                if not points or g.longitude is None:
                    continue
                counts["gold"] += 1
                counts["current"] += distance_km(g.latitude, g.longitude, gaz.lat[row], gaz.lon[row]) <= 161
                for name, rule in rules.items():
                    lat, lon = rule(points)
                    counts[name] += distance_km(g.latitude, g.longitude, lat, lon) <= 161
        out[code] = counts
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tocsin.eval.trnews", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=Path("../shared/eval/trnews.xml"))
    parser.add_argument("--errors", action="store_true", help="also list each miss and wrong resolution")
    parser.add_argument("--point-rules", action="store_true",
                        help="compare rules for region and country points (within 161 km of the gold points)")
    args = parser.parse_args()
    if args.point_rules:
        print(json.dumps(point_rules(args.path), indent=1))
        return
    errors: list[dict[str, Any]] | None = [] if args.errors else None
    figures = score(args.path, errors=errors)
    for e in errors or []:
        print(json.dumps(e, ensure_ascii=False))
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
