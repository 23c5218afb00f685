"""Fast matching of the trigger lexicon (``nlp/triggers_lexicon.py``) against one text.

Python's regex engine tries every alternative at every position, which is slow for a few
hundred cue patterns. Each compiled cue group therefore carries *anchors*: literal strings
read from the pattern's parse tree such that any match must contain one of them. A cheap
substring test on the lower-cased text skips most groups before the regex runs.
``analyse`` computes everything the classifier needs from a text in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tocsin.nlp import triggers_lexicon as lex

try:  # Python 3.11+: the parser lives in re._parser
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

__all__ = ["NONE_LABEL", "AnchorIndex", "Cues", "Gated", "analyse", "best_span", "required_literals"]

NONE_LABEL = "NONE"
_MIN_ANCHOR = 3


def _best(candidates: list[set[str]]) -> set[str] | None:
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(a) for a in c), -len(c)))


def _required(items: Any) -> set[str] | None:
    """Literal strings such that every match of the parsed pattern contains one of them (or None)."""
    candidates: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= _MIN_ANCHOR:
            candidates.append({"".join(run)})
        run.clear()

    for op, av in items:
        if op is sre_constants.LITERAL:
            run.append(chr(av).lower())
            continue
        flush()
        if op is sre_constants.SUBPATTERN:
            found = _required(av[-1])
        elif op is sre_constants.BRANCH:
            parts = [_required(branch) for branch in av[1]]
            found = None if any(p is None for p in parts) else set().union(*parts)  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            found = _required(av[2]) if av[0] >= 1 else None
        else:
            found = None
        if found:
            candidates.append(found)
    flush()
    return _best(candidates)


def required_literals(pattern: str) -> set[str] | None:
    """Anchors of ``pattern`` (lower-case), or None when no literal is required."""
    return _required(sre_parse.parse(pattern, re.IGNORECASE))


@dataclass(frozen=True)
class Gated:
    """A case-insensitive, word-bounded regex that runs only when one of its anchors is present."""

    regex: re.Pattern[str]
    anchors: tuple[str, ...] | None

    @classmethod
    def of(cls, patterns: tuple[str, ...] | str) -> Gated:
        alternatives = (patterns,) if isinstance(patterns, str) else patterns
        body = "|".join(f"(?:{p})" for p in alternatives)
        anchors: set[str] = set()
        for p in alternatives:
            found = required_literals(p)
            if found is None:
                return cls(re.compile(rf"\b(?:{body})\b", re.IGNORECASE), None)
            anchors |= found
        return cls(re.compile(rf"\b(?:{body})\b", re.IGNORECASE), tuple(sorted(anchors)))

    def possible(self, lower: str) -> bool:
        # map over a bound method runs in C; a generator of ``in`` tests cost a fifth of the component
        return self.anchors is None or any(map(lower.__contains__, self.anchors))

    def search(self, text: str, lower: str) -> re.Match[str] | None:
        return self.regex.search(text) if self.possible(lower) else None


class AnchorIndex:
    """Which of many anchors occur in a text, and so which groups may match it, in one pass over it.

    Testing each group's anchors with ``in`` scans the text once per anchor (some 600 scans per
    sentence); here the anchors are keyed by their first characters, and each position of the text
    costs one dictionary lookup.
    """

    def __init__(self, groups: tuple[Gated, ...]) -> None:
        groups_of: dict[str, set[int]] = {}
        for group in groups:
            for anchor in group.anchors or ():
                groups_of.setdefault(anchor, set()).add(id(group))
        self._groups_of = {anchor: frozenset(ids) for anchor, ids in groups_of.items()}
        self._always = frozenset(id(g) for g in groups if g.anchors is None)
        anchors = sorted(groups_of)
        self.width = min((len(a) for a in anchors), default=1)
        by_start: dict[str, list[str]] = {}
        for anchor in anchors:
            by_start.setdefault(anchor[: self.width], []).append(anchor)
        self._by_start = {key: tuple(found) for key, found in by_start.items()}

    def find(self, lower: str) -> set[str]:
        """The indexed anchors that occur in ``lower``."""
        found: set[str] = set()
        get, width = self._by_start.get, self.width
        for i in range(len(lower) - width + 1):
            starting = get(lower[i : i + width])
            if starting:
                found.update(a for a in starting if lower.startswith(a, i))
        return found

    def open_groups(self, lower: str) -> set[int]:
        """The ids of the groups with an anchor in ``lower`` (or none at all): ``g.possible(lower)`` for each."""
        ids = set(self._always)
        for anchor in self.find(lower):
            ids |= self._groups_of[anchor]
        return ids


def _gate_table(table: dict[str, tuple[str, ...]]) -> dict[str, Gated]:
    return {label: Gated.of(patterns) for label, patterns in table.items()}


_CUES = _gate_table(lex.CUES)
_NON_EVENT = _gate_table(lex.NON_EVENT_CUES)
_STRONG = {label: (bonus, Gated.of(patterns)) for label, (bonus, patterns) in lex.STRONG_CUES.items()}
_STRONG_NON_EVENT = {kind: (bonus, Gated.of(patterns)) for kind, (bonus, patterns) in lex.STRONG_NON_EVENT.items()}
_TERRITORY = Gated.of(lex.TERRITORY_VERBS)
_WITHDRAWAL = Gated.of(lex.WITHDRAWAL)
_PROTEST = Gated.of(lex.PROTEST)
_RIOTING = Gated.of(lex.RIOTING)
_STATE = re.compile(rf"\b{lex.STATE_ACTORS}\b", re.IGNORECASE)
_NONSTATE = re.compile(rf"\b{lex.NONSTATE_ACTORS}\b", re.IGNORECASE)
_BY_ACTOR = re.compile(r"^\W*(?:\S+\s+){0,4}?by (?:the )?(?:\S+\s+){0,3}?", re.IGNORECASE)


@lru_cache(maxsize=64)
def _each(label: str) -> tuple[Gated, ...]:
    return tuple(Gated.of(p) for p in lex.CUES.get(label, ()))


def best_span(text: str, label: str, avoid: Sequence[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """The span of the most specific cue of ``label`` in ``text`` (earlier patterns win), outside the ``avoid``
    spans (what a speaker denies) when a cue lies outside them."""
    lower = text.lower()
    fallback = None
    for gated in _each(label):
        if not gated.possible(lower):
            continue
        for match in gated.regex.finditer(text):
            if not any(s <= match.start() and match.end() <= e for s, e in avoid):
                return match.start(), match.end()
            fallback = fallback or (match.start(), match.end())
    return fallback


def _last_actor(window: str) -> str | None:
    state = [m.end() for m in _STATE.finditer(window)]
    nonstate = [m.end() for m in _NONSTATE.finditer(window)]
    if not state and not nonstate:
        return None
    return "state" if max(state, default=-1) > max(nonstate, default=-1) else "nonstate"


def _territory(text: str) -> list[str]:
    """``TERR:<state|nonstate|unknown>:<re|take>`` per territory verb: who takes ground, by the nearest actor word."""
    feats = []
    for match in _TERRITORY.regex.finditer(text):
        verb = match.group(0).lower()
        kind = "re" if verb.startswith(("re", "liberat", "freed", "regain")) else "take"
        after = text[match.end() : match.end() + 80]
        by = _BY_ACTOR.match(after)
        before = text[max(0, match.start() - 90) : match.start()]
        actor = _last_actor(after[: by.end() + 40]) if by else _last_actor(before)
        feats.append(f"TERR:{actor or 'unknown'}:{kind}")
    return feats


@dataclass
class Cues:
    """What the lexicon finds in one text."""

    labels: list[str] = field(default_factory=list)
    """Sub-types with at least one cue."""
    non_event: list[str] = field(default_factory=list)
    """Kinds of non-ACLED news cued (natural_disaster, crime, ...)."""
    strong: list[str] = field(default_factory=list)
    """Sub-types with a decisive cue."""
    territory: list[str] = field(default_factory=list)
    bonuses: dict[str, float] = field(default_factory=dict)
    """Label (or ``NONE``) -> logit bonus."""


#: The anchors of every group ``analyse`` tests.
_INDEX = AnchorIndex((
    *_CUES.values(), *_NON_EVENT.values(), *(g for _, g in _STRONG.values()),
    *(g for _, g in _STRONG_NON_EVENT.values()), _TERRITORY, _WITHDRAWAL, _PROTEST, _RIOTING,
))


def analyse(text: str) -> Cues:
    """All lexicon cues of ``text`` and the logit bonuses they earn."""
    lower = text.lower()
    open_ids = _INDEX.open_groups(lower)

    def found(gated: Gated) -> bool:  # ``gated.search(text, lower)``, its anchors looked up once for all groups
        return id(gated) in open_ids and gated.regex.search(text) is not None

    cues = Cues()
    cues.labels = [label for label, gated in _CUES.items() if found(gated)]
    cues.non_event = [kind for kind, gated in _NON_EVENT.items() if found(gated)]
    bonuses = cues.bonuses
    for label, (bonus, gated) in _STRONG.items():
        if found(gated):
            cues.strong.append(label)
            bonuses[label] = bonus
    for bonus, gated in _STRONG_NON_EVENT.values():
        if found(gated):
            bonuses[NONE_LABEL] = max(bonuses.get(NONE_LABEL, 0.0), bonus)
    cues.territory = _territory(text) if id(_TERRITORY) in open_ids else []
    if cues.territory:
        taker = cues.territory[0].split(":")[1]
        label = "Government regains territory" if taker == "state" else "Non-state actor overtakes territory"
        # an unnamed taker is most often a non-state group (ACLED's default); trust it less
        bonuses[label] = lex.TERRITORY_BONUS if taker != "unknown" else lex.TERRITORY_BONUS / 2
        if found(_WITHDRAWAL):
            bonuses["Non-violent transfer of territory"] = lex.TERRITORY_BONUS + 2.0
    if found(_PROTEST) and found(_RIOTING):
        bonuses["Violent demonstration"] = max(bonuses.get("Violent demonstration", 0.0), lex.RIOT_BONUS)
    return cues
