"""Helpers for the actors/claims/events tests: a real spaCy pipeline and hand-made records.

The components that run before tocsin_events (dates, numbers, places, triggers) are other
stages; these tests set their Doc attributes by hand so they test only actors/claims/events.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from tocsin.model import CountMention, DateMention, Toponym, Trigger
from tocsin.nlp import pipeline

PUBLISHED = dt.datetime(2025, 3, 2, 9, 0, tzinfo=dt.UTC)


def load(components: tuple[str, ...]) -> Language:
    return pipeline.load(components=components)


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def place(text: str, name: str, country_code: str = "SY", **fields: Any) -> Toponym:
    """A resolved toponym at the first occurrence of ``name``."""
    start, end = at(text, name)
    defaults: dict[str, Any] = {
        "latitude": 35.0,
        "longitude": 36.0,
        "country": {"SY": "Syria", "BF": "Burkina Faso", "IQ": "Iraq", "NG": "Nigeria"}.get(country_code, "X"),
        "country_code": country_code,
        "feature_code": "PPL",
        "geo_precision": 1,
        "geonames_id": zlib.crc32(name.encode()),
    }
    defaults.update(fields)
    return Toponym(name=name, start=start, end=end, **defaults)


@dataclass
class Setup:
    """What the earlier stages would have found: (substring, ...) rows turned into records."""

    triggers: list[tuple[str, str, float]] = field(default_factory=list)
    dates: list[tuple[str, dt.date | dt.datetime | None]] = field(default_factory=list)
    counts: list[tuple[str, str, int] | tuple[str, str, int, bool]] = field(default_factory=list)
    """(words, kind, value[, vague])"""
    toponyms: list[Toponym] = field(default_factory=list)
    published: dt.datetime | None = PUBLISHED


def run(nlp: Language, text: str, setup: Setup | None = None) -> Doc:
    """Parse ``text``, set the earlier stages' attributes from ``setup``, then run tocsin's components."""
    setup = setup or Setup()
    doc = nlp.make_doc(text)
    doc._.published = setup.published
    doc._.report_id = "report-1"
    tocsin = [(name, proc) for name, proc in nlp.pipeline if name.startswith("tocsin_")]
    for name, proc in nlp.pipeline:
        if not name.startswith("tocsin_"):
            doc = proc(doc)
    sentences = list(doc.sents)
    triggers = []
    for sub, label, score in setup.triggers:
        start, end = at(text, sub)
        sent = next(s for s in sentences if s.start_char <= start < s.end_char)
        triggers.append(Trigger(label, score, start, end, text[start:end], sent.start_char, sent.end_char))
    doc._.triggers = triggers
    doc._.dates = [DateMention(sub, *at(text, sub), value, precision=1) for sub, value in setup.dates]
    counts = []
    seen: dict[str, int] = {}
    for sub, kind, value, *vague in setup.counts:
        nth = seen.get(sub, 0)
        seen[sub] = nth + 1
        counts.append(CountMention(kind, value, *at(text, sub, nth), sub, vague=bool(vague and vague[0])))
    doc._.counts = counts
    doc._.toponyms = list(setup.toponyms)
    for _, proc in tocsin:
        doc = proc(doc)
    return doc
