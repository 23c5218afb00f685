"""Score the notices stage on annotated news articles (``news_notices_dev.jsonl``).

Each line is an article (``id``, ``published``, ``text``) with its ``gold_notices`` (``kind``,
``areas`` as written, ``start``/``end`` ISO 8601, ``recurring``, ``issuer``, ``evidence``).

Figures:

- ``kind_precision``/``kind_recall``/``kind_f1``: per article and kind, min(gold count, found count)
  notices are correct; summed over articles. ``article_kind_f1`` does the same on the *set* of kinds
  of each article (a kind found at least once where gold has it at least once).
- Field figures are over aligned pairs (same article and kind, paired greedily by shared areas and
  evidence): ``area_match`` = share of gold area names contained in (or containing) one of ours,
  case-insensitively; ``start_exact``/``end_exact`` = same instant (a date-only gold value needs a
  date-only answer on the same day), over gold values that are not null; ``issuer_match`` =
  containment either way; ``recurring_found`` = gold recurring notices we mark recurring.
- ``negatives_clean`` = share of articles without gold notices where we find none.
- Events, where the articles carry ``gold_events`` (``sub_event_type``, ``location``, ``fatalities``):
  ``events_subtype_precision``/``_recall``/``_f1`` per article as for kinds (min(gold, found) events
  of each sub-type are correct), ``events_type_*`` the same on ACLED event types, and
  ``events_negatives_clean`` = share of articles without gold events where we find none;
  ``events_place_found`` = share of gold events with a location for which an event of ours of the same
  ACLED event type has that place (its gazetteer name, the words written or its admin1, folded, contained
  in the gold location or containing it). Most of
  these articles are about warnings, so they measure how many of a news report's sentences become
  events that an ACLED coder would not code.

Run with ``python -m tocsin.eval.notices [path] [--verbose]``. The pipeline holds every tocsin
component that imports; the figures say which ones ran.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from tocsin.geo.gazetteer import fold
from tocsin.model import Event, Notice, event_type_of

__all__ = ["DEFAULT_PATH", "available_components", "load_articles", "score_notices"]

DEFAULT_PATH = Path("/work/shared/eval/news_notices_dev.jsonl")


@dataclass
class Article:
    id: str
    published: dt.datetime | None
    text: str
    gold: list[dict[str, Any]]
    gold_events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Tally:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.total += 1

    @property
    def rate(self) -> float | None:
        return round(self.hits / self.total, 3) if self.total else None


@dataclass
class _Scores:
    tp: int = 0
    found: int = 0
    gold: int = 0
    art_tp: int = 0
    art_found: int = 0
    art_gold: int = 0
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    areas: _Tally = field(default_factory=_Tally)
    start: _Tally = field(default_factory=_Tally)
    end: _Tally = field(default_factory=_Tally)
    issuer: _Tally = field(default_factory=_Tally)
    recurring: _Tally = field(default_factory=_Tally)
    negatives: _Tally = field(default_factory=_Tally)
    events: Counter[str] = field(default_factory=Counter)
    event_negatives: _Tally = field(default_factory=_Tally)
    event_places: _Tally = field(default_factory=_Tally)


def _count_events(s: _Scores, gold: list[dict[str, Any]], ours: list[Event]) -> None:
    gold_subs = Counter(g["sub_event_type"] for g in gold)
    our_subs = Counter(e.sub_event_type for e in ours)
    gold_types = Counter(event_type_of(sub) for sub in gold_subs.elements())
    our_types = Counter(e.event_type for e in ours)
    s.events["sub_tp"] += sum((gold_subs & our_subs).values())
    s.events["type_tp"] += sum((gold_types & our_types).values())
    s.events["found"] += len(ours)
    s.events["gold"] += len(gold)
    if not gold:
        s.event_negatives.add(not ours)
    for g in gold:
        if g.get("location"):
            same_type = [e for e in ours if e.event_type == event_type_of(g["sub_event_type"])]
            s.event_places.add(any(_same_place(g["location"], e) for e in same_type))


def _same_place(gold: str, event: Event) -> bool:
    """The gold location names the event's place: the gazetteer name, the words written or the admin1, folded,
    contained in the gold string or containing it ("Belgorod" in "Belgorod region")."""
    target = fold(gold)
    span = event.evidence.get("location")
    names = (event.location.name, span.text if span else None, event.location.admin1)
    return any(name and (fold(name) in target or target in fold(name)) for name in names)


def _published(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value) if "T" in value else dt.datetime.combine(
        dt.date.fromisoformat(value), dt.time(), dt.UTC)
    return parsed.astimezone(dt.UTC) if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def load_articles(path: Path) -> list[Article]:
    out: list[Article] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                out.append(Article(row["id"], _published(row.get("published")), row["text"],
                                   row.get("gold_notices") or [], row.get("gold_events") or []))
    return out


def available_components() -> tuple[str, ...]:
    """The tocsin components whose modules import (the others are still being written)."""
    from tocsin.nlp.pipeline import COMPONENTS

    names: list[str] = []
    for name, module in COMPONENTS:
        try:
            importlib.import_module(module)
        except Exception:  # a component that does not import yet is left out, not fatal
            continue
        names.append(name)
    return tuple(names)


def _load(components: tuple[str, ...] | None) -> tuple[Language, tuple[str, ...]]:
    from tocsin.nlp import pipeline

    wanted = components if components is not None else available_components()
    if "tocsin_notices" not in wanted:
        wanted = (*wanted, "tocsin_notices")
    return pipeline.load(components=wanted), wanted


def _gold_value(value: str | None) -> dt.datetime | dt.date | None:
    if not value:
        return None
    if "T" in value:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return dt.date.fromisoformat(value)


def _same_time(gold: dt.datetime | dt.date, ours: dt.datetime | dt.date | None) -> bool:
    if ours is None:
        return False
    if isinstance(gold, dt.datetime) != isinstance(ours, dt.datetime):
        return False
    if isinstance(gold, dt.datetime) and isinstance(ours, dt.datetime):
        return ours.tzinfo is not None and gold == ours
    return gold == ours


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("\u2019", "'").split()).removeprefix("the ")


def _contains(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


def _pair_score(gold: dict[str, Any], ours: Notice) -> int:
    names = [a.name for a in ours.areas]
    shared = sum(1 for g in gold.get("areas") or [] if any(_contains(g, n) for n in names))
    evidence = ours.evidence.text if ours.evidence else ""
    same_sentence = 2 if gold.get("evidence") and _contains(gold["evidence"][:60], evidence) else 0
    return shared + same_sentence


def _align(gold: list[dict[str, Any]], ours: list[Notice]) -> list[tuple[dict[str, Any], Notice]]:
    pairs: list[tuple[dict[str, Any], Notice]] = []
    for kind in {g["kind"] for g in gold}:
        gk = [g for g in gold if g["kind"] == kind]
        ok = [n for n in ours if n.kind == kind]
        cands = sorted(((_pair_score(g, n), i, j) for i, g in enumerate(gk) for j, n in enumerate(ok)),
                       reverse=True)
        used_g: set[int] = set()
        used_o: set[int] = set()
        for _, i, j in cands:
            if i not in used_g and j not in used_o:
                used_g.add(i)
                used_o.add(j)
                pairs.append((gk[i], ok[j]))
    return pairs


def _score_fields(s: _Scores, gold: dict[str, Any], ours: Notice) -> dict[str, Any]:
    wrong: dict[str, Any] = {}
    names = [a.name for a in ours.areas]
    for g in gold.get("areas") or []:
        ok = any(_contains(g, n) for n in names)
        s.areas.add(ok)
        if not ok:
            wrong.setdefault("areas", []).append(g)
    for key, tally in (("start", s.start), ("end", s.end)):
        gv = _gold_value(gold.get(key))
        if gv is not None:
            ov = getattr(ours, key)
            ok = _same_time(gv, ov)
            tally.add(ok)
            if not ok:
                wrong[key] = (gold.get(key), ov.isoformat() if ov else None)
    if gold.get("issuer"):
        ok = bool(ours.issuer) and _contains(gold["issuer"], ours.issuer or "")
        s.issuer.add(ok)
        if not ok:
            wrong["issuer"] = (gold["issuer"], ours.issuer)
    if gold.get("recurring"):
        s.recurring.add(ours.recurring is not None)
    return wrong


def _prf(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / found if found else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def score_notices(
    path: Path = DEFAULT_PATH,
    *,
    components: tuple[str, ...] | None = None,
    verbose: bool = False,
) -> dict[str, Any]:
    """Figures for the notices stage on ``path`` (see the module docstring)."""
    articles = load_articles(Path(path))
    nlp, used = _load(components)
    s = _Scores()
    details: list[dict[str, Any]] = []
    for art in articles:
        doc = nlp.make_doc(art.text)
        doc._.published = art.published
        doc._.report_id = art.id
        doc = nlp(doc)
        ours: list[Notice] = list(doc._.notices or [])
        if Doc.has_extension("events"):
            _count_events(s, art.gold_events, list(doc._.events or []))
        gold_kinds = Counter(g["kind"] for g in art.gold)
        our_kinds = Counter(n.kind for n in ours)
        for kind in set(gold_kinds) | set(our_kinds):
            tally = s.by_kind.setdefault(kind, Counter())
            tally["tp"] += min(gold_kinds[kind], our_kinds[kind])
            tally["found"] += our_kinds[kind]
            tally["gold"] += gold_kinds[kind]
        s.tp += sum((gold_kinds & our_kinds).values())
        s.found += sum(our_kinds.values())
        s.gold += sum(gold_kinds.values())
        s.art_tp += len(set(gold_kinds) & set(our_kinds))
        s.art_found += len(our_kinds)
        s.art_gold += len(gold_kinds)
        if not art.gold:
            s.negatives.add(not ours)
        wrong = [w for g, n in _align(art.gold, ours) if (w := _score_fields(s, g, n))]
        if verbose and (gold_kinds != our_kinds or wrong):
            details.append({"id": art.id, "gold": dict(gold_kinds), "ours": dict(our_kinds), "wrong": wrong})
    p, r, f = _prf(s.tp, s.found, s.gold)
    ap, ar, af = _prf(s.art_tp, s.art_found, s.art_gold)
    result: dict[str, Any] = {
        "articles": len(articles),
        "gold_notices": s.gold,
        "found_notices": s.found,
        "kind_precision": p,
        "kind_recall": r,
        "kind_f1": f,
        "article_kind_f1": af,
        "article_kind_precision": ap,
        "article_kind_recall": ar,
        "area_match": s.areas.rate,
        "start_exact": s.start.rate,
        "end_exact": s.end.rate,
        "issuer_match": s.issuer.rate,
        "recurring_found": s.recurring.rate,
        "negatives_clean": s.negatives.rate,
        "by_kind_f1": {k: _prf(c["tp"], c["found"], c["gold"])[2] for k, c in sorted(s.by_kind.items())},
        "field_counts": {"areas": s.areas.total, "start": s.start.total, "end": s.end.total,
                         "issuer": s.issuer.total},
        "components": list(used),
    }
    if s.events["gold"] or s.events["found"]:
        sp, sr, sf = _prf(s.events["sub_tp"], s.events["found"], s.events["gold"])
        tp_, tr, tf = _prf(s.events["type_tp"], s.events["found"], s.events["gold"])
        result.update({
            "gold_events": s.events["gold"], "found_events": s.events["found"],
            "events_subtype_precision": sp, "events_subtype_recall": sr, "events_subtype_f1": sf,
            "events_type_precision": tp_, "events_type_recall": tr, "events_type_f1": tf,
            "events_negatives_clean": s.event_negatives.rate,
            "events_place_found": s.event_places.rate,
        })
    if verbose:
        result["details"] = details
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tocsin.eval.notices", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--verbose", action="store_true", help="list the articles with differences")
    parser.add_argument("--components", help="comma-separated tocsin components (default: all that import)")
    args = parser.parse_args(argv)
    if not args.path.exists():
        print(f"no evaluation data at {args.path}; nothing to score", file=sys.stderr)
        raise SystemExit(1)
    comps = tuple(c for c in args.components.split(",") if c) if args.components else None
    print(json.dumps(score_notices(args.path, components=comps, verbose=args.verbose), indent=1, default=str))


if __name__ == "__main__":
    main()
