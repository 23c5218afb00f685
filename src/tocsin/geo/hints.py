"""Evidence about where a report is, beyond its place names: admin parentheses and local armed groups.

- **Admin parentheses.** Conflict reports (ACLED's notes among them) follow a place with the areas it
  lies in: "Al Udayn Junction (Hays Al Hudaydah)", "Ashulia town (Savar, Dhaka)", "Qaniyah (Mahliyah
  Marib)". :func:`admin_parentheses` splits such a parenthesis into known area names (longest known run
  of words first) when *every* word of it belongs to one; the last name is the widest area (an admin1
  hint), the others districts. A parenthesis with any unknown word ("(the army said)") yields nothing.
- **Local actors.** A named non-state group tied to one country in the actor dictionary ("Houthis" ->
  Yemen, "QSD" -> Syria, "Ansaroul Islam" -> Burkina Faso) says which country a report is about even
  when it names no country; a regional one ("JNIM") says it less firmly of each of its countries.
  :func:`actor_countries` returns those countries; they count as focus evidence for toponym resolution
  (a village named in the report is then sought in those countries first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from tocsin.geo.gazetteer import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_COUNTRY,
    Gazetteer,
    fold,
    loose_key,
)

__all__ = ["AdminHint", "actor_countries", "admin_parentheses"]

_PAREN = re.compile(r"[(\[]([^()\[\]\n]{2,80})[)\]]")
_PART_SPLIT = re.compile(r"\s*[,;/]\s*|\s+-\s+")
_WORD = re.compile(r"[^\s]+")
#: Words that may sit inside an area name without being capitalised ("Kitaf wa Al Boqee", "Ras al Ain").
_JOINERS = frozenset("al el ad ar as ash at az ez an wa w de du la le of and bin ibn abu".split())
_MAX_WORDS = 5


@dataclass(frozen=True)
class AdminHint:
    """One area name inside an admin parenthesis: its offsets and whether it is the widest (last) one."""

    name: str
    start: int
    end: int
    hint: str | None
    """``admin`` for an admin1 name in last position, ``district`` for an admin2, else None (a town)."""


def _area_kinds(gazetteer: Gazetteer, name: str) -> set[int]:
    """Kinds of the places ``name`` names exactly or without articles (dictionary lookups only)."""
    key = fold(name)
    rows = (*gazetteer.index.get(key), *gazetteer.loose.get(loose_key(key))) if key else ()
    return {gazetteer.kind[r] for r in rows if gazetteer.kind[r] in (KIND_ADMIN1, KIND_ADMIN2, KIND_CITY, KIND_COUNTRY)}


def _segment(part: str, offset: int, gazetteer: Gazetteer) -> list[tuple[int, int, set[int]]] | None:
    """Cover ``part`` with known area names, longest first; None when a word belongs to none."""
    words = [(m.start(), m.group().strip(".,;:'’\"")) for m in _WORD.finditer(part)]
    if not words or not words[0][1][:1].isupper():
        return None
    out = []
    i = 0
    while i < len(words):
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
