"""Score the whole pipeline on ACLED rows: each row's ``notes`` is a report, the rest is gold.

Measures, on the report's main (first) event: exact day, sub-event type, fatalities as
ACLED coded them (no event or no count counts as 0, ACLED's convention), admin1, the actors' names as ACLED
writes them (``actor1``, ``actor2``: the same canonical name, case aside; none for none), and the actor
classes: ``inter1`` and ``inter2`` (ACLED's codes 1-8, 0 for no actor) and ``interaction`` (the
unordered pair, so two sides found in the other order still count).

The anchor for relative or year-less dates ("On December 31, ...") is the row's
``timestamp`` (when ACLED published the row) where the file has one; otherwise none, so a
year-less note cannot be dated (``date_anchored`` scores the rows that have an anchor).

The shipped sub-event classifier was trained on these same rows, so ``sub_event_type``
here is a training-set figure; ``python -m tocsin.eval.case`` gives the held-out-by-file one.
Admin1 names are compared up to spelling (:func:`same_admin1`), since ACLED and GeoNames
transliterate differently: equal after folding case, accents, hyphens, spaces, generic words
("Governorate", "Province", "Oblast") and articles, or equal transliteration skeletons where no other
region of the country shares the skeleton. ``admin1_fuzzy`` accepts near-identical folded spellings
(difflib ratio >= 0.85), and ``admin1_same_region`` the gold name's variants known to the gazetteer.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tocsin.extraction import Extractor
from tocsin.model import INTER_CODES, Report

__all__ = ["AcledRow", "admin_skeleton", "fold_admin", "read_rows", "same_admin1", "score_acled"]

_ADMIN_WORDS = re.compile(
    r"\b(governorate|province|region|state|oblast|district|muhafazat|muhafazah|wilayah|wilayat|department|prefecture|"
    r"county|division|territory|de|du|la|do|da|of)\b"
)


@dataclass
class AcledRow:
    id: str
    notes: str
    date: dt.date
    sub_event_type: str
    fatalities: int
    admin1: str
    country: str
    published: dt.datetime | None
    inter1: int = 0
    inter2: int = 0
    actor1: str = ""
    actor2: str = ""


def _parse_date(value: str) -> dt.date:
    for fmt in ("%d-%b-%y", "%d %B %Y", "%Y-%m-%d", "%d-%B-%Y"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unknown ACLED date {value!r}")


#: ACLED's actor classes by the names its newer exports write instead of the codes ("Rebel group"): the names of
#: ``model.INTER_CODES``, plural or singular.
_INTER_NAMES = {form: code for code, name in INTER_CODES.items()
                for form in (name.lower(), name.lower().removesuffix("s"))}


def _inter(value: str | None) -> int:
    """An ``inter1``/``inter2`` cell as ACLED's code (0: no actor), from a code or a class name."""
    text = (value or "").strip()
    return int(text) if text.isdigit() else _INTER_NAMES.get(text.lower(), 0)


def read_rows(paths: Iterable[Path]) -> Iterator[AcledRow]:
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                stamp = row.get("timestamp")
                published = dt.datetime.fromtimestamp(int(stamp), dt.UTC) if stamp and stamp.isdigit() else None
                yield AcledRow(
                    id=row.get("event_id_cnty") or row.get("data_id") or "",
                    notes=row["notes"],
                    date=_parse_date(row["event_date"]),
                    sub_event_type=row["sub_event_type"],
                    fatalities=int(row["fatalities"] or 0),
                    admin1=row.get("admin1") or "",
                    country=row.get("country") or "",
                    published=published,
                    inter1=_inter(row.get("inter1")),
                    inter2=_inter(row.get("inter2")),
                    actor1=(row.get("actor1") or "").strip(),
                    actor2=(row.get("actor2") or "").strip(),
                )


_ADMIN_TRANSLIT = str.maketrans(
    {"\u0131": "i", "\u0259": "e", "\u01dd": "e", "\u00f8": "o", "\u0142": "l", "\u00df": "ss"}
)
_ARTICLE_WORDS = frozenset("al el il ad ed ar er as es ash esh at et az ez an en ul".split())
_DIGRAPHS = (("aw", "au"), ("ow", "ou"), ("ou", "u"), ("kh", "k"), ("sh", "s"), ("ch", "s"), ("dh", "d"), ("th", "d"),
             ("gh", "g"), ("ph", "f"), ("q", "k"),
             ("c", "k"), ("z", "s"), ("j", "y"), ("v", "w"))


def fold_admin(name: str | None) -> str:
    """An admin1 name without differences of spelling that never change which region it is.

    Case, accents, hyphens, spaces and apostrophes, generic words ("Governorate", "Province",
    "Region", "Oblast", "Muhafazat"), Arabic-style articles ("Al-", "ad") and doubled letters:
    "Deir-ez-Zor"/"Deir ez-Zor", "Al-Hasakah"/"Hasakah", "Banadir"/"Banaadir".
    """
    text = unicodedata.normalize("NFKD", (name or "").lower().translate(_ADMIN_TRANSLIT))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _ADMIN_WORDS.sub(" ", text)
    words = [w for w in re.split(r"[^a-z]+", text.replace("'", "").replace("\u2019", "")) if w]
    words = [w for w in words if w not in _ARTICLE_WORDS] or words
    return re.sub(r"(.)\1+", r"\1", "".join(words))


_COMPASS = re.compile(r"(north|south|east|west)ern")


def _glued_articles(name: str | None) -> str:
    """:func:`fold_admin` without an article glued to a later word ("Amanat Alasimah" -> "amanatasimah")."""
    words = (name or "").split()
    if len(words) > 1:
        words = words[:1] + [w[2:] if w.lower().startswith("al") and len(w) > 5 else w for w in words[1:]]
    return fold_admin(" ".join(words))


def admin_skeleton(name: str | None) -> str:
    """Transliteration skeleton of :func:`fold_admin`: digraphs mapped, vowels and "h" dropped.

    "Idleb"/"Idlib", "Wardak"/"Vardak", "Thi-Qar"/"Dhi Qar", "Sala al-Din"/"Salah ad Din",
    "Qadissiya"/"Al Qadisiyah", "Southern Darfur"/"South Darfur", "Amanat Alasimah"/"Amanat al Asimah".
    Different regions can share a skeleton ("Hubei"/"Hebei"), so
    :func:`same_admin1` uses it only where it is unique within the country.
    """
    text = _COMPASS.sub(lambda m: m.group(1), _glued_articles(name))
    for a, b in _DIGRAPHS:
        text = text.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyh]", "", text) or text)


@functools.lru_cache(maxsize=1)
def _skeleton_counts() -> dict[tuple[str, str], int]:
    """(country code, skeleton) -> how many admin1 regions of the gazetteer have it (any of their names)."""
    from tocsin.geo.gazetteer import KIND_ADMIN1, Gazetteer

    gaz = Gazetteer.default()
    counts: Counter[tuple[str, str]] = Counter()
    for row in gaz:
        if gaz.kind[row] == KIND_ADMIN1:
            for key in {admin_skeleton(n) for n in (gaz.name[row], *gaz.aliases(row))}:
                counts[(gaz.cc[row], key)] += 1
    return dict(counts)


@functools.lru_cache(maxsize=512)
def _country_code(country: str) -> str | None:
    from tocsin.geo.gazetteer import KIND_COUNTRY, Gazetteer

    gaz = Gazetteer.default()
    rows = [c.row for c in gaz.candidates(country) if gaz.kind[c.row] == KIND_COUNTRY]
    return gaz.cc[rows[0]] if rows else None


def same_admin1(ours: str | None, gold: str, country: str) -> bool:
    """Whether our admin1 name is ACLED's, up to spelling.

    Equal after :func:`fold_admin`, or equal skeletons (:func:`admin_skeleton`) where no other
    region of the gold country has that skeleton ("Centre-Est"/"Centre-Ouest" stay apart).
    """
    if not ours:
        return False
    if fold_admin(ours) == fold_admin(gold):
        return True
    key = admin_skeleton(gold)
    if not key or key != admin_skeleton(ours):
        return False
    cc = _country_code(country)
    return cc is None or _skeleton_counts().get((cc, key), 0) <= 1


def _same_region(ours: str | None, gold: str, country: str) -> bool:
    """Whether our admin1 is the region ACLED names, by the gazetteer's own names and variants.

    ACLED and GeoNames spell regions differently ("Banadir"/"Banaadir", "Wardak"/"Vardak",
    "Grodno"/"Grodnenskaya"); the gold name is looked up in the gazetteer, within the gold
    country, and matches when one of its senses is (or lies in) our admin1.
    """
    if not ours:
        return False
    if fold_admin(ours) == fold_admin(gold):
        return True
    from tocsin.geo.gazetteer import Gazetteer

    senses = {fold_admin(p.admin1) for p in Gazetteer.default().lookup(gold) if p.country == country}
    senses |= {fold_admin(p.name) for p in Gazetteer.default().lookup(gold)
               if p.country == country and p.feature_code == "ADM1"}
    return fold_admin(ours) in senses


def _close(a: str, b: str) -> bool:
    return bool(a) and bool(b) and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def score_acled(paths: Iterable[Path], *, extractor: Extractor | None = None, limit: int | None = None,
                progress: bool = False, every: int = 1) -> dict[str, object]:
    """Score the rows of ``paths`` (every ``every``-th row, then the first ``limit`` of those)."""
    rows = list(read_rows(paths))[::max(every, 1)]
    rows = rows[:limit] if limit else rows
    engine = extractor or Extractor()
    reports = [Report(id=r.id, text=r.notes, published=r.published) for r in rows]
    counts: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for row, extraction in zip(rows, engine.extract_reports(reports), strict=True):
        counts["rows"] += 1
        main = extraction.events[0] if extraction.events else None
        counts["with_event"] += main is not None
        predicted_type = main.sub_event_type if main else "(none)"
        counts["sub_event_type"] += predicted_type == row.sub_event_type
        if predicted_type != row.sub_event_type:
            confusion[(row.sub_event_type, predicted_type)] += 1
        counts["date"] += bool(main and main.date == row.date)
        if row.published is not None:
            counts["anchored"] += 1
            counts["date_anchored_hits"] += bool(main and main.date == row.date)
        fatalities = (main.fatalities or 0) if main else 0
        counts["fatalities"] += fatalities == row.fatalities
        admin = main.location.admin1 if main else None
        counts["admin1"] += same_admin1(admin, row.admin1, row.country)
        counts["admin1_fuzzy"] += _close(fold_admin(admin), fold_admin(row.admin1))
        counts["admin1_same_region"] += _same_region(admin, row.admin1, row.country)
        inter1, inter2 = ((main.inter1 or 0), (main.inter2 or 0)) if main else (0, 0)
        counts["inter1"] += inter1 == row.inter1
        counts["inter2"] += inter2 == row.inter2
        counts["interaction"] += sorted((inter1, inter2)) == sorted((row.inter1, row.inter2))
        actor1, actor2 = ((main.actor1 or ""), (main.actor2 or "")) if main else ("", "")
        counts["actor1"] += actor1.casefold() == row.actor1.casefold()
        counts["actor2"] += actor2.casefold() == row.actor2.casefold()
    n = max(counts["rows"], 1)
    result: dict[str, object] = {k: round(counts[k] / n, 4) for k in
                                 ("with_event", "date", "sub_event_type", "fatalities", "admin1", "admin1_fuzzy",
                                  "admin1_same_region", "inter1", "inter2", "interaction", "actor1", "actor2")}
    result["date_anchored"] = round(counts["date_anchored_hits"] / max(counts["anchored"], 1), 4)
    result["rows"] = counts["rows"]
    result["rows_anchored"] = counts["anchored"]
    result["top_confusions"] = [f"{g} -> {p}: {c}" for (g, p), c in confusion.most_common(8)]
    return result
