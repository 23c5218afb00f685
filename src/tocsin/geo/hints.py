"""Evidence about where a report is, beyond its place names: admin parentheses and local armed groups.

- **Admin parentheses.** Conflict reports (ACLED's notes among them) follow a place with the areas it
  lies in: "Al Udayn Junction (Hays Al Hudaydah)", "Ashulia town (Savar, Dhaka)", "Qaniyah (Mahliyah
  Marib)". :func:`admin_parentheses` splits such a parenthesis into known area names (longest known run
  of words first) when *every* word of it belongs to one (generic words such as "district" or "LGA" aside);
  the last name is the widest area (an admin1 hint), the others districts. When some name is unknown but
  the parenthesis ends with an admin1 name ("(As Sawdiyah, Al Bayda)", "(Rajouri district, J&K)"), that
  name alone is kept as the admin1 hint. A parenthesis of prose ("(the army said)") yields nothing.
  State abbreviations ("J&K", "UP", "KPK") are read only here, from ``admin_abbreviations.tsv``.
- **Local actors.** A named non-state group tied to one country in the actor dictionary ("Houthis" ->
  Yemen, "QSD" -> Syria, "Ansaroul Islam" -> Burkina Faso) says which country a report is about even
  when it names no country; a regional one ("JNIM") says it less firmly of each of its countries.
  :func:`actor_countries` returns those countries; they count as focus evidence for toponym resolution
  (a village named in the report is then sought in those countries first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from tocsin.geo.gazetteer import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    MATCH_LOOSE,
    MATCH_NAME,
    Gazetteer,
    fold,
    loose_key,
)

__all__ = ["AdminHint", "actor_countries", "admin_abbreviations", "admin_parentheses", "is_admin1"]

_PAREN = re.compile(r"[(\[]([^()\[\]\n]{2,80})[)\]]")
_PART_SPLIT = re.compile(r"\s*[,;/]\s*|\s+-\s+")
_WORD = re.compile(r"[^\s]+")
#: Words that may sit inside an area name without being capitalised ("Kitaf wa Al Boqee", "Ras al Ain").
_JOINERS = frozenset("al el ad ar as ash at az ez an wa w de du la le of and bin ibn abu".split())
_MAX_WORDS = 5
#: Generic words inside an admin parenthesis that name no area themselves ("Kankara LGA", "Haveli district").
_ADMIN_NOUNS = frozenset(
    "district districts lga province governorate state region county municipality sub-district subdistrict "
    "division tehsil commune department prefecture oblast raion area".split()
)
_ABBREVIATIONS: dict[int, dict[str, int]] = {}


def admin_abbreviations(gazetteer: Gazetteer) -> dict[str, int]:
    """Abbreviation ("J&K", "UP", "KPK") -> the admin1 row it stands for, from ``admin_abbreviations.tsv``.

    Used only inside admin parentheses; an abbreviation the gazetteer knows otherwise ("UK") keeps that
    meaning. Built once per gazetteer.
    """
    key = id(gazetteer)
    if key not in _ABBREVIATIONS:
        table: dict[str, int] = {}
        text = (resources.files("tocsin") / "data" / "geo" / "admin_abbreviations.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            abbreviation, cc, name = line.split("\t")[:3]
            rows = [c.row for c in gazetteer.candidates(name, cc) if gazetteer.kind[c.row] == KIND_ADMIN1]
            if rows and not any(
                gazetteer.kind[r] in (KIND_COUNTRY, KIND_ADMIN1) for r in gazetteer.index.get(fold(abbreviation))
            ):
                table[abbreviation] = rows[0]
        _ABBREVIATIONS[key] = table
    return _ABBREVIATIONS[key]


@dataclass(frozen=True)
class AdminHint:
    """One area name inside an admin parenthesis: its offsets and whether it is the widest (last) one."""

    name: str
    start: int
    end: int
    hint: str | None
    """``admin`` for an admin1 name in last position, ``district`` for an admin2, else None (a town)."""


#: The smallest town a parenthesis names by a looser spelling than its own ("Hodeidah" for Al Hudaydah).
_LOOSE_TOWN = 50_000


def _area_kinds(gazetteer: Gazetteer, name: str) -> set[int]:
    """Kinds of the places ``name`` names exactly or without articles (dictionary lookups only)."""
    key = fold(name)
    if not key:
        return set()
    areas = (KIND_ADMIN1, KIND_ADMIN2, KIND_CITY, KIND_COUNTRY)
    kinds = {gazetteer.kind[r] for r in gazetteer.index.get(key) if gazetteer.kind[r] in areas}
    # without articles (or a final -ah) a region, or a big town: "(Al-Tuhayta Hodeidah)"; not a village's
    # namesake ("Spin Boldak (Takhtah Pul)" is not Takhta Pul in Helmand, "the Hadash (Jebah)" not Jaba')
    kinds |= {
        gazetteer.kind[r] for r in gazetteer.loose.get(loose_key(key))
        if gazetteer.kind[r] in areas and (gazetteer.kind[r] != KIND_CITY or gazetteer.population[r] >= _LOOSE_TOWN)
    }
    if name in admin_abbreviations(gazetteer):
        kinds = (kinds - {KIND_CITY}) | {KIND_ADMIN1}  # "UP" is Uttar Pradesh, not a town's alternate name
    return kinds


def is_admin1(gazetteer: Gazetteer, name: str) -> bool:
    """An admin1 name, also by a transliteration variant ("Al-Baydah", "Galgaduud"), or an abbreviation."""
    if KIND_ADMIN1 in _area_kinds(gazetteer, name):
        return True
    for c in gazetteer.candidates(name, skeletons=True):
        if c.match > MATCH_LOOSE and gazetteer.kind[c.row] == KIND_ADMIN1:
            return True
        if c.match > MATCH_NAME and any(  # "Lattakia": a spelling of the city Latakia, seat of the region Latakia
            gazetteer.kind[r] == KIND_ADMIN1 for r in gazetteer.index.get(fold(gazetteer.name[c.row]))
        ):
            return True
    return False


def _admin1_tail(content: str, base: int, gazetteer: Gazetteer) -> AdminHint | None:
    """The admin1 name that ends a parenthesis of names some of which are unknown ("(As Sawdiyah, Al Bayda)")."""
    words = [(m.start(), m.group().strip(".,;:'’\"")) for m in _WORD.finditer(content)]
    if not words or not all(
        w[:1].isupper() or w.lower() in _JOINERS or w.lower() in _ADMIN_NOUNS for _, w in words if w
    ):
        return None
    while words and words[-1][1].lower() in _ADMIN_NOUNS:
        words.pop()
    for size in range(min(_MAX_WORDS, len(words)), 0, -1):
        start = words[-size][0]
        end = words[-1][0] + len(words[-1][1])
        name = content[start:end]
        if name[:1].isupper() and not _PART_SPLIT.search(name) and is_admin1(gazetteer, name):
            return AdminHint(name, base + start, base + end, "admin")
    return None


def _segment(part: str, offset: int, gazetteer: Gazetteer) -> list[tuple[int, int, set[int]]] | None:
    """Cover ``part`` with known area names, longest first; None when a word belongs to none."""
    words = [(m.start(), m.group().strip(".,;:'’\"")) for m in _WORD.finditer(part)]
    if not words or not words[0][1][:1].isupper():
        return None
    out = []
    i = 0
    while i < len(words):
        if i and words[i][1].lower() in _ADMIN_NOUNS:
            i += 1  # "Kankara LGA": the generic word is no area of its own
            continue
        for j in range(min(len(words), i + _MAX_WORDS), i, -1):
            last = words[j - 1][1]
            if not words[i][1][:1].isupper() or (last.lower() in _JOINERS and j - 1 > i):
                continue
            start, end = words[i][0], words[j - 1][0] + len(last)
            kinds = _area_kinds(gazetteer, part[start:end])
            if kinds:
                out.append((offset + start, offset + end, kinds))
                i = j
                break
        else:
            return None
    return out


def admin_parentheses(text: str, gazetteer: Gazetteer) -> list[AdminHint]:
    """Area names in parentheses made only of known area names ("(Nihm Sanaa)", "(Savar, Dhaka)")."""
    hints: list[AdminHint] = []
    for m in _PAREN.finditer(text):
        content, base = m.group(1), m.start(1)
        if not content[:1].isupper():
            continue
        segments: list[tuple[int, int, set[int]]] = []
        cut = 0
        for sep in [*_PART_SPLIT.finditer(content), None]:
            stop = sep.start() if sep is not None else len(content)
            part = content[cut:stop]
            if part.strip():
                found = _segment(part, base + cut, gazetteer)
                if found is None:
                    segments = []
                    break
                segments.extend(found)
            if sep is not None:
                cut = sep.end()
        if not segments:
            tail = _admin1_tail(content, base, gazetteer)
            if tail is not None:
                hints.append(tail)
            continue
        for k, (start, end, kinds) in enumerate(segments):
            last = k == len(segments) - 1
            hint = "admin" if last and len(segments) > 1 and KIND_ADMIN1 in kinds else (
                "district" if KIND_ADMIN2 in kinds and (not last or KIND_CITY not in kinds) else None
            )
            if KIND_COUNTRY in kinds:
                hint = None
            hints.append(AdminHint(text[start:end], start, end, hint))
    return hints


# ----------------------------------------------------------------------------- local actors
_ACTOR_MATCHERS: dict[int, tuple[PhraseMatcher, PhraseMatcher, dict[int, tuple[str, ...]]]] = {}


def _case_sensitive(phrase: str) -> bool:
    letters = [c for c in phrase.split()[0] if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _local_actor_names() -> dict[str, tuple[str, ...]]:
    """Names and aliases of named non-state actors -> the countries they act in.

    One country for local groups ("Houthis"); a few for regional ones ("JNIM": Mali, Burkina Faso,
    Niger, Benin, Togo), which then say less about each. State forces and external actors are left out:
    they act abroad.
    """
    from tocsin.nlp.actors import load_dictionary

    names: dict[str, tuple[str, ...]] = {}
    ambiguous: set[str] = set()
    for entry in load_dictionary().entries:
        if not entry.country or entry.state or entry.inter == 8:
            continue
        countries = entry.countries or (entry.country,)
        for name in (entry.name, *entry.aliases):
            if name in names and names[name] != countries:
                ambiguous.add(name)
            names[name] = countries
    return {n: cc for n, cc in names.items() if n not in ambiguous and len(n) >= 3}


def _matchers(nlp: Language) -> tuple[PhraseMatcher, PhraseMatcher, dict[int, tuple[str, ...]]]:
    vocab: Any = nlp.vocab
    key = id(nlp)
    if key not in _ACTOR_MATCHERS:
        exact, lower = PhraseMatcher(vocab), PhraseMatcher(vocab, attr="LOWER")
        labels: dict[int, tuple[str, ...]] = {}
        by_cc: dict[tuple[bool, tuple[str, ...]], list[str]] = {}
        for name, cc in _local_actor_names().items():
            by_cc.setdefault((_case_sensitive(name), cc), []).append(name)
        for (sensitive, cc), names in by_cc.items():
            label = f"tocsin_local_actor_{'_'.join(cc)}"
            labels[vocab.strings.add(label)] = cc
            patterns = [nlp.make_doc(n) if sensitive else nlp.make_doc(n.lower()) for n in names]
            (exact if sensitive else lower).add(label, patterns)
        _ACTOR_MATCHERS[key] = (exact, lower, labels)
    return _ACTOR_MATCHERS[key]


def actor_countries(doc: Doc, nlp: Language) -> list[tuple[str, ...]]:
    """The countries of each armed group a report names (one entry per distinct group name).

    The matchers are built once per pipeline (``nlp``, whose tokenizer makes the patterns).
    """
    exact, lower, labels = _matchers(nlp)
    seen: dict[str, tuple[str, ...]] = {}
    last_end = -1
    # longest match first at each start; overlapping shorter ones ("Houthi" in "Houthi fighters") are skipped
    for match_id, start, end in sorted([*exact(doc), *lower(doc)], key=lambda m: (m[1], -m[2])):
        if start < last_end:
            continue
        last_end = end
        # "anti-Houthi forces" count too: they fight the Houthis in the Houthis' country
        seen.setdefault(doc[start:end].text.lower(), labels[match_id])
    return list(seen.values())
