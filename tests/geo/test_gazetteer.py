"""The gazetteer: name variants, admin areas, countries, time zones, user places."""

from __future__ import annotations

import pytest

from tocsin.geo.gazetteer import (
    KIND_ADMIN1,
    MATCH_ALIAS,
    MATCH_LOOSE,
    MATCH_SKELETON,
    Gazetteer,
    fold,
    loose_key,
    skeleton,
)
from tocsin.model import Place


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ḩalab", "halab"),  # accents and dots below go
        ("U.S.", "us"),  # dots go
        ("Deir-ez-Zor", "deir ez zor"),  # hyphens are spaces
        ("Ma‘arrat al-Nu’man", "maarrat al numan"),  # typographic apostrophes and ayn go
        ("The Hague", "hague"),  # a leading article goes
        ("  ALEPPO ", "aleppo"),  # case and outer space
    ],
)
def test_fold(name: str, expected: str) -> None:
    assert fold(name) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Idlib", "Idleb"),  # vowel variants
        ("Deir ez-Zor", "Dayr az Zawr"),  # article and vowel variants
        ("Qamishli", "Kamishli"),  # q/k
        ("Hasakah", "Hassakeh"),  # doubled consonants, final vowel
    ],
)
def test_transliteration_variants_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(loose_key(fold(a))) == skeleton(loose_key(fold(b)))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Al-Baydah", "Al Bayda"),  # a final -ah, too short a name for a skeleton
        ("Qatraneh", "Al Qatranah"),  # -eh and -ah
    ],
)
def test_a_final_ta_marbuta_matches_as_a_spelling_variant(gazetteer: Gazetteer, a: str, b: str) -> None:
    wanted = {c.row for c in gazetteer.candidates(b)}
    found = gazetteer.candidates(a)
    assert found and {c.row for c in found} <= wanted and all(c.match == MATCH_LOOSE for c in found)


@pytest.mark.parametrize(
    ("name", "country", "geonames_id"),
    [
        ("Aleppo", None, 170063),  # the main name
        ("ALEPPO", None, 170063),  # any case
        ("Halab", "SY", 170063),  # an alternate name
        ("Idleb", "SY", 169389),  # a transliteration variant
        ("Deir-ez-Zor", "SY", 170794),  # hyphenated
        ("Deir ez Zor", "SY", 170794),  # spaced
        ("al-Bab", "SY", 174018),  # "al-" prefix
        ("Al Bab", "SY", 174018),  # "Al " prefix
        ("Bab", "SY", 174018),  # no article at all
        ("Syria", None, 163843),  # a country
        ("Britain", None, 2635167),  # an English alias of a country
        ("Ky.", None, 6254925),  # an AP state abbreviation
        ("Idlib", "SY", 169389),  # the city and its governorate share the name; both are there
    ],
)
def test_lookup_variants(gazetteer: Gazetteer, name: str, country: str | None, geonames_id: int) -> None:
    ids = [p.geonames_id for p in gazetteer.lookup(name, country)]
    assert geonames_id in ids


def test_admin1_places_exist_with_a_point_and_precision_fields(gazetteer: Gazetteer) -> None:
    admins = [p for p in gazetteer.lookup("Idlib", "SY") if p.feature_code == "ADM1"]
    assert len(admins) == 1
    idlib = admins[0]
    assert idlib.geonames_id == 169387
    assert 35.0 < idlib.latitude < 36.5 and 36.0 < idlib.longitude < 37.2
    assert idlib.timezone == "Asia/Damascus"


def test_country_record_and_timezone_of_its_capital(gazetteer: Gazetteer) -> None:
    syria = gazetteer.country("sy")
    assert syria is not None and syria.feature_code == "PCLI" and syria.name == "Syria"
    assert gazetteer.timezone_of(syria) == "Asia/Damascus"
    us = gazetteer.country("US")
    assert us is not None and gazetteer.timezone_of(us) == "America/New_York"  # Washington's zone


def test_city_knows_its_admin1_and_timezone(gazetteer: Gazetteer) -> None:
    aleppo = gazetteer.lookup("Aleppo", "SY")[0]
    admin1 = gazetteer.admin1_of(aleppo)
    assert admin1 is not None and admin1.geonames_id == 170062
    assert gazetteer.timezone_of(aleppo) == "Asia/Damascus"
    assert aleppo.country == "Syria"


def test_capital_is_marked(gazetteer: Gazetteer) -> None:
    damascus = gazetteer.lookup("Damascus", "SY")[0]
    assert damascus.feature_code == "PPLC"


def test_user_place_is_found_first_with_its_polygon(private_gazetteer: Gazetteer) -> None:
    square = {"type": "Polygon", "coordinates": [[[37.17, 36.22], [37.19, 36.22], [37.19, 36.24], [37.17, 36.22]]]}
    place = Place(None, "Sheikh Maqsoud", 36.23, 37.18, "", "", geometry=square, parent="Aleppo",
                  alternate_names=("Sheikh Maksoud",))
    private_gazetteer.add([place])
    found = private_gazetteer.lookup("sheikh maksoud")
    assert found and found[0].geometry == square
    assert found[0].country_code == "SY"  # taken from its parent city
    assert found[0].timezone == "Asia/Damascus"


def test_default_is_built_once_per_process(gazetteer: Gazetteer) -> None:
    assert Gazetteer.default() is gazetteer


@pytest.mark.parametrize(
    ("city", "cc", "admin1", "geonames_name"),
    [
        ("Beirut", "LB", "Beirut", "Beyrouth"),  # GeoNames names the governorate in French
        ("Damascus", "SY", "Damascus", "Dimashq"),  # ... or by the city's Arabic name
        ("Sfax", "TN", "Sfax", "Şafāqis"),
        ("Antakya", "TR", "Hatay", "Hatay"),  # a province named otherwise than its seat keeps its name
    ],
)
def test_admin1_names_are_english(gazetteer: Gazetteer, city: str, cc: str, admin1: str, geonames_name: str) -> None:
    place = gazetteer.lookup(city, cc)[0]
    assert place.admin1 == admin1
    region = [p for p in gazetteer.lookup(geonames_name, cc) if p.feature_code == "ADM1"]
    assert region and region[0].name == admin1  # GeoNames' name still finds the region


@pytest.mark.parametrize(
    ("city", "country", "admin1"),
    [
        ("Erbil", "IQ", "Erbil"),  # a Kurdistan governorate is level 2 in ISO's hierarchy, admin1 in GeoNames'
        ("Dihok", "IQ", "Duhok"),  # the same, named by its English alternate "Duhok Governorate"
        ("Kyaukse", "MM", "Mandalay"),  # an ordinary region keeps its name
        ("Qalqilyah", "PS", "West Bank"),  # ISO's governorates below GeoNames' region did not replace it
        ("Gaza", "PS", "Gaza Strip"),  # the same (it was "Gaza" governorate)
        ("Nis", "RS", "Central Serbia"),  # the same for Serbia's districts (it was "Belgrade")
        ("Cork", "IE", "Munster"),  # the same for Ireland's counties under its provinces
    ],
)
def test_every_city_has_its_admin1(gazetteer: Gazetteer, city: str, country: str, admin1: str) -> None:
    place = gazetteer.lookup(city, country)[0]
    assert place.admin1 == admin1
    region = gazetteer.admin1_of(place)
    assert region is not None and region.feature_code == "ADM1"


@pytest.mark.parametrize(
    ("geonames_id", "name"),
    [
        (1298480, "Sagaing"),  # GeoNames "Sagain"; alternates "Sagaing", "Sagaing Region"
        (687699, "Zaporizhzhia"),  # GeoNames "Zaporizhzhya Oblast"; alternates "Zaporizhzhia (Oblast)"
        (1321702, "Kachin"),  # alternates "Kachin State" only: the name stays
    ],
)
def test_admin1_display_name_is_the_english_one_the_data_gives(
    gazetteer: Gazetteer, geonames_id: int, name: str
) -> None:
    row = gazetteer.by_gid[geonames_id]
    assert gazetteer.name[row] == name
    assert geonames_id in [p.geonames_id for p in gazetteer.lookup(name)]


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Mass.", True),  # the AP abbreviation, with its full stop, is Massachusetts
        ("Mass", False),  # without it, a word ("Mass grave")
        ("Alta.", True),
        ("Alta", False),  # "Loma Alta" is no Alberta
        ("MASS", True),  # in capitals, a postal-style abbreviation
    ],
)
def test_an_abbreviation_needs_its_full_stop(gazetteer: Gazetteer, name: str, found: bool) -> None:
    states = {gazetteer.name[c.row] for c in gazetteer.candidates(name) if gazetteer.kind[c.row] == KIND_ADMIN1}
    assert bool(states & {"Massachusetts", "Alberta"}) is found


def test_a_two_letter_state_abbreviation_matches_without_its_full_stop(gazetteer: Gazetteer) -> None:
    # "EDMONTON, Ky (WBKO)": two-letter forms are postal codes too
    assert "Kentucky" in {gazetteer.name[c.row] for c in gazetteer.candidates("Ky")}


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Nassriya", True),  # eight letters, three consonants: Nasiriyah (alias "Nasiriya") by its skeleton
        ("Nasrya", False),  # too short for a three-consonant skeleton: such skeletons collide too often
    ],
)
def test_long_names_with_three_consonants_match_by_skeleton(gazetteer: Gazetteer, name: str, found: bool) -> None:
    rows = {gazetteer.name[c.row] for c in gazetteer.candidates(name) if c.match == MATCH_SKELETON}
    assert ("Nasiriyah" in rows) is found


def test_a_region_named_by_a_compass_word_is_found_by_that_word(gazetteer: Gazetteer) -> None:
    # GeoNames' "Southern Region" (Malawi) is "Southern" in ACLED's parentheses; a bare "Federal" (Brazil's
    # Federal District) or "Pskov" (Pskov Oblast, also the town's name) is not indexed for the region
    southern = [c.row for c in gazetteer.candidates("Southern") if gazetteer.cc[c.row] == "MW"]
    assert southern and all(gazetteer.kind[r] == KIND_ADMIN1 for r in southern)
    federal = gazetteer.candidates("Federal")
    assert not [c for c in federal if gazetteer.cc[c.row] == "BR" and gazetteer.kind[c.row] == KIND_ADMIN1]
    pskov = [c.row for c in gazetteer.candidates("Pskov") if c.match <= MATCH_ALIAS]
    assert pskov and all(gazetteer.kind[r] != KIND_ADMIN1 for r in pskov)


def test_candidates_are_kept_until_a_place_is_added(private_gazetteer: Gazetteer) -> None:
    gaz = private_gazetteer
    assert gaz.candidates("Qaryat Tocsin") == []  # asked once: the answer is kept ...
    first = gaz.candidates("Aleppo")
    first.clear()  # ... and every caller gets its own list
    assert gaz.candidates("Aleppo") and gaz.candidates("Aleppo") == gaz.candidates("Aleppo")
    [row] = gaz.add([Place(None, "Qaryat Tocsin", 36.3, 37.1, "SY", "")])
    assert [c.row for c in gaz.candidates("Qaryat Tocsin")] == [row]  # ... until a place is added


def test_the_cache_keeps_the_most_recently_used_versions(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two installed versions alternating on one machine each keep their cache; the least used ones go."""
    import os

    monkeypatch.setenv("TOCSIN_CACHE_DIR", str(tmp_path))
    folder = tmp_path / "tocsin"
    folder.mkdir()
    others = [folder / f"gazetteer-v0-other{i}.pickle" for i in range(4)]
    for age, path in enumerate(others):  # other0 was used last, other3 first
        path.write_bytes(b"not a gazetteer")
        os.utime(path, (1_000_000 - age, 1_000_000 - age))
    built = Gazetteer.load()
    caches = sorted(p.name for p in folder.glob("gazetteer-v*.pickle"))
    ours = next(p for p in folder.glob("gazetteer-v*.pickle") if p not in others)
    assert caches == sorted([ours.name, "gazetteer-v0-other0.pickle", "gazetteer-v0-other1.pickle"])
    assert not list(folder.glob("*.tmp"))
    os.utime(ours, (1, 1))
    again = Gazetteer.load()  # read from the cache, which becomes the most recently used
    assert again is not built and len(again.name) == len(built.name)
    assert ours.stat().st_mtime > 1_000_000


def test_a_cache_that_cannot_be_touched_is_still_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache file the process may read but not mark as used (another user's, a read-only image) is loaded,
    not rebuilt (10-30 s) and rewritten at every start."""
    import os

    monkeypatch.setenv("TOCSIN_CACHE_DIR", str(tmp_path))
    Gazetteer.load()
    (cache,) = (tmp_path / "tocsin").glob("gazetteer-v*.pickle")
    inode = cache.stat().st_ino

    def refused(*args: object, **kwargs: object) -> None:  # what utime does on a file of another user, as non-root
        raise PermissionError(1, "Operation not permitted", str(args[0]))

    monkeypatch.setattr(os, "utime", refused)
    Gazetteer.load()
    assert cache.stat().st_ino == inode  # read, not rebuilt and replaced
