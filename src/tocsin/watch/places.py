"""Place names in watch rules: "within 20 km of Aleppo", "in Idleb governorate", resolved through the gazetteer.

``resolve_near`` gives the point a radius is drawn around; ``resolve_admin1`` the first-level area
(governorate, oblast, state) a rule is limited to, with its polygon when one was imported into the
store (``tocsin places import`` of a GeoJSON feature with ``"feature_code": "ADM1"`` or the same name).

A name is qualified with a trailing ", Country" or ", Region" ("Aleppo, Syria", "Springfield,
Illinois", "Paris, FR"). Matches of one name in the same country and admin1 (a city and its
governorate, both called Aleppo) are one place. When places in different countries or regions
share the best match and none has ten times the population of the next, the name is ambiguous:
**T034** lists the candidates with their admin1 and country. Unknown names are **T033**.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tocsin.errors import E, InputError
from tocsin.geo import Gazetteer, fold
from tocsin.geo.gazetteer import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_USER,
    MATCH_LOOSE,
    MATCH_NAME,
    MATCH_SKELETON,
    distance_km,
    loose_key,
    skeleton,
)
from tocsin.model import Place

__all__ = ["Admin1Area", "resolve_admin1", "resolve_near"]

#: How much more populous the first place must be than the next for a name not to be ambiguous.
DOMINANCE = 10
SAME_PLACE_KM = 30.0
_POLYGONS = ("Polygon", "MultiPolygon")
_SHOWN = 8


@dataclass(frozen=True)
class Admin1Area:
    name: str
    country_code: str
    country: str
    geometry: dict[str, Any] | None = None
    """The area's polygon (GeoJSON) when one was imported into the store."""


@dataclass
class _Site:
    """Gazetteer rows that are one place: a city, its namesake admin areas."""

    rows: list[int] = field(default_factory=list)
    tier: int = MATCH_SKELETON + 1


def _tier(match: int) -> int:
    return match if match > MATCH_NAME else MATCH_NAME


def _split(text: str) -> tuple[str, str | None]:
    name, _, qualifier = text.rpartition(",")
    if not name.strip():
        return text.strip(), None
    return name.strip(), qualifier.strip() or None


def _qualifier_filter(gaz: Gazetteer, where: str, qualifier: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Country codes and (country, admin1 code) pairs a qualifier ("Syria", "SY", "Illinois") stands for."""
    if len(qualifier) == 2 and qualifier.upper() in gaz.countries:
        return {qualifier.upper()}, set()
    cands = gaz.candidates(qualifier, skeletons=True)
    best = min((c.match for c in cands), default=None)
    countries = {gaz.cc[c.row] for c in cands if gaz.kind[c.row] == KIND_COUNTRY and c.match == best}
    regions = {(gaz.cc[c.row], gaz.admin1[c.row]) for c in cands if gaz.kind[c.row] == KIND_ADMIN1 and c.match == best}
    if not countries and not regions:
        raise InputError(E.T033.format(where=where, what="country or region", name=qualifier, hint=""))
    return countries, regions


def _candidates(gaz: Gazetteer, where: str, text: str, kinds: set[int]) -> list[tuple[int, int]]:
    name, qualifier = _split(text)
    found = [(c.row, c.match) for c in gaz.candidates(name) if gaz.kind[c.row] in kinds]
    if not found or KIND_ADMIN1 in kinds:
        seen = {r for r, _ in found}
        found += [(c.row, c.match) for c in gaz.candidates(name, skeletons=True)
                  if gaz.kind[c.row] in kinds and c.row not in seen]
    if qualifier:
        countries, regions = _qualifier_filter(gaz, where, qualifier)
        found = [(r, m) for r, m in found if gaz.cc[r] in countries or (gaz.cc[r], gaz.admin1[r]) in regions]
    return found


def _sites(gaz: Gazetteer, found: list[tuple[int, int]]) -> list[_Site]:
    sites: list[_Site] = []
    for row, match in sorted(found, key=lambda rm: (_tier(rm[1]), -gaz.population[rm[0]])):
        for site in sites:
            first = site.rows[0]
            admin = {gaz.kind[first], gaz.kind[row]} & {KIND_ADMIN1, KIND_ADMIN2}
            same_area = gaz.cc[first] == gaz.cc[row] and gaz.admin1[first] == gaz.admin1[row]
            near = distance_km(gaz.lat[first], gaz.lon[first], gaz.lat[row], gaz.lon[row]) < SAME_PLACE_KM
            if same_area and (admin or near):
                site.rows.append(row)
                site.tier = min(site.tier, _tier(match))
                break
        else:
            sites.append(_Site([row], _tier(match)))
    return sites


def _population(gaz: Gazetteer, site: _Site) -> int:
    return max(gaz.population[r] for r in site.rows)


def _label(gaz: Gazetteer, row: int) -> str:
    place = gaz.place(row)
    kind = {KIND_ADMIN1: "admin1", KIND_ADMIN2: "admin2", KIND_COUNTRY: "country"}.get(gaz.kind[row], "place")
    parts = [p for p in (place.admin1 if gaz.kind[row] != KIND_ADMIN1 else None, place.country) if p]
    return f"{place.name} ({kind}; {', '.join(parts) or place.country_code})"


def _one(gaz: Gazetteer, where: str, text: str, found: list[tuple[int, int]], what: str = "place",
         hint: str = "") -> _Site:
    if not found:
        raise InputError(E.T033.format(where=where, what=what, name=text, hint=hint))
    sites = _sites(gaz, found)
    best = min(s.tier for s in sites)
    sites = sorted((s for s in sites if s.tier == best), key=lambda s: -_population(gaz, s))
    if len(sites) > 1 and _population(gaz, sites[0]) < DOMINANCE * max(1, _population(gaz, sites[1])):
        shown = "; ".join(_label(gaz, s.rows[0]) for s in sites[:_SHOWN])
        more = f"; and {len(sites) - _SHOWN} more" if len(sites) > _SHOWN else ""
        first = gaz.place(sites[0].rows[0])
        example = f"{_split(text)[0]}, {first.admin1 or first.country}"
        raise InputError(E.T034.format(where=where, name=text, count=len(sites), example=example,
                                       candidates=shown + more))
    return sites[0]


def _point_row(gaz: Gazetteer, site: _Site) -> int:
    """The row a radius is drawn around: the site's most populous city, else its smallest area."""
    rank = {KIND_USER: 0, KIND_CITY: 0, KIND_ADMIN2: 1, KIND_ADMIN1: 2, KIND_COUNTRY: 3}
    return min(site.rows, key=lambda r: (rank.get(gaz.kind[r], 4), -gaz.population[r]))


def resolve_near(text: str, gazetteer: Gazetteer | None = None, user_places: Iterable[Place] = ()) -> Place:
    """The place a "within N km of <text>" rule is centred on; T033 unknown, T034 ambiguous."""
    gaz = gazetteer or Gazetteer.default()
    name, _ = _split(text)
    for place in user_places:
        if fold(name) in {fold(n) for n in (place.name, *place.alternate_names)}:
            return place
    found = _candidates(gaz, "--near", text, {KIND_CITY, KIND_ADMIN2, KIND_ADMIN1, KIND_COUNTRY})
    return gaz.place(_point_row(gaz, _one(gaz, "--near", text, found)))


def _keys(place: Place) -> set[str]:
    """Spelling-tolerant keys of a place's names ("Idleb" and "Idlib" share one)."""
    return {skeleton(loose_key(fold(n))) or fold(n) for n in (place.name, *place.alternate_names)}


def _polygon(area: Place, user_places: Iterable[Place]) -> dict[str, Any] | None:
    names = _keys(area)
    matches = [p for p in user_places if p.geometry and p.geometry.get("type") in _POLYGONS
               and p.country_code in ("", area.country_code) and names & _keys(p)]
    matches.sort(key=lambda p: p.feature_code != "ADM1")
    return matches[0].geometry if matches else None


def resolve_admin1(text: str, gazetteer: Gazetteer | None = None, user_places: Iterable[Place] = ()) -> Admin1Area:
    """The first-level area an "in <text>" rule is limited to, with an imported polygon if any."""
    gaz = gazetteer or Gazetteer.default()
    name = _split(text)[0]
    for suffix in (" governorate", " province", " oblast", " region", " state"):
        if name.casefold().endswith(suffix) and len(name) > len(suffix):
            text = text.replace(name, name[: -len(suffix)], 1)
            break
    found = _candidates(gaz, "--in", text, {KIND_ADMIN1})
    hint = ""
    if not found:
        cities = [r for r, m in _candidates(gaz, "--in", text, {KIND_CITY}) if m <= MATCH_LOOSE]
        if cities:
            city = gaz.place(max(cities, key=lambda r: gaz.population[r]))
            hint = (f"; {city.name} is a place in {city.admin1}, {city.country}: use --in {city.admin1!r} "
                    f"or --near {city.name!r} --km N")
    what = "first-level area (governorate, province, state)"
    area = gaz.place(_one(gaz, "--in", text, found, what, hint).rows[0])
    user = list(user_places)
    return Admin1Area(area.name, area.country_code, area.country, _polygon(area, user))
