"""Extraction: reports in, events, notices and toponyms out, through one spaCy pipeline.

``extract(text, published=...)`` is the one-call form; ``Extractor`` keeps the loaded
pipeline for many reports and batches them through ``nlp.pipe``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from tocsin import settings
from tocsin.errors import E, InputError
from tocsin.model import Extraction, Place, Report
from tocsin.nlp import pipeline
from tocsin.sources.published import parse_published

__all__ = ["Extractor", "detect_language", "extract"]

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
#: Frequent English function words; a text where they are common is English without a detector.
_ENGLISH = frozenset(
    "the of and to in a is was were that for on with as by at from it said have has are be been "
    "their they after an this which who not had but also will".split()
)
_SAMPLE_CHARS = 2000


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the text's language, or None if there is too little text.

    English is recognised by the share of English function words, which is fast and
    reliable on news prose; anything else is named by ``langdetect`` (seeded, so the
    answer is repeatable).
    """
    words = _WORD.findall(text[:_SAMPLE_CHARS].lower())
    if len(words) < 3:
        return None
    share = sum(w in _ENGLISH for w in words) / len(words)
    if share >= 0.18:
        return "en"
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        return str(detect(text[:_SAMPLE_CHARS]))
    except LangDetectException:
        return None


@dataclass
class _Job:
    report: Report
    language: str | None
    skipped: str | None


def _as_utc(published: dt.datetime | dt.date | str | None) -> dt.datetime | None:
    """``published`` as aware UTC; a string is read as the file readers read one (ISO 8601, a date, RSS)."""
    if published is None:
        return None
    parsed = parse_published(published)
    if parsed is None:
        raise InputError(E.T018.format(where="published=", value=published))
    return parsed


class Extractor:
    """A loaded pipeline that turns reports into ``Extraction`` records.

    Reports that are empty or not in English are not coded: their Extraction has
    ``skipped`` set to the reason and no events.
    """

    def __init__(
        self, nlp: Language | None = None, *, model: str | None = None, places: Iterable[Place] = ()
    ) -> None:
        self.nlp = nlp if nlp is not None else pipeline.load(model)
        self.add_places(places)

    def add_places(self, places: Iterable[Place]) -> None:
        """Make user places (imported neighbourhoods, villages) known to toponym resolution."""
        places = list(places)
        if places and "tocsin_places" in self.nlp.pipe_names:
            self.nlp.get_pipe("tocsin_places").gazetteer.add(places)

    def extract(
        self,
        text: str,
        *,
        published: dt.datetime | dt.date | str | None = None,
        id: str = "report",
        title: str | None = None,
        source: str | None = None,
        language: str | None = None,
    ) -> Extraction:
        report = Report(id=id, text=text, title=title, published=_as_utc(published), source=source,
                        language=language)
        return next(self.extract_reports([report]))

    def extract_reports(self, reports: Iterable[Report], *, batch_size: int | None = None) -> Iterator[Extraction]:
        """Extract many reports, in order, batching the English ones through ``nlp.pipe``."""
        size = batch_size or int(settings.get("batch_size"))
        jobs: list[_Job] = []
        for report in reports:
            jobs.append(self._job(report))
            if len(jobs) >= size:
                yield from self._run(jobs, size)
                jobs = []
        if jobs:
            yield from self._run(jobs, size)

    def _job(self, report: Report) -> _Job:
        if not report.text.strip():
            return _Job(report, None, "[T011] report text is empty; nothing to extract")
        detected = detect_language(report.text)
        language = report.language or detected
        if language is not None and not language.lower().startswith("en"):
            return _Job(report, language, f"not English (language {language!r}); tocsin codes English text only")
        return _Job(report, language or "en", None)

    def _docs(self, jobs: list[_Job]) -> Iterator[Doc]:
        for job in jobs:
            doc = pipeline.make_doc(self.nlp, job.report.text)
            doc._.published = _as_utc(job.report.published)
            doc._.report_id = job.report.id
            doc._.source = job.report.source
            yield doc

    def _run(self, jobs: list[_Job], batch_size: int) -> Iterator[Extraction]:
        coded = [job for job in jobs if job.skipped is None]
        docs = iter(self._pipe(coded, batch_size))
        for job in jobs:
            if job.skipped is None:
                doc = next(docs)
                if isinstance(doc, Exception):
                    job.skipped = E.T016.format(where=job.report.id, detail=f"{type(doc).__name__}: {doc}")
                else:
                    yield self._collect(job, doc)
                    continue
            yield Extraction(id=job.report.id, language=job.language, skipped=job.skipped)

    def _pipe(self, jobs: list[_Job], batch_size: int) -> list[Doc | Exception]:
        """Run the batch; if one report breaks a component, rerun one by one so only it fails."""
        if not jobs:
            return []
        try:
            return list(self.nlp.pipe(self._docs(jobs), batch_size=batch_size))
        except Exception:  # noqa: BLE001 - isolate the failing report below
            results: list[Doc | Exception] = []
            for job in jobs:
                try:
                    results.append(self.nlp(next(self._docs([job]))))
                except Exception as error:  # noqa: BLE001
                    results.append(error)
            return results

    @staticmethod
    def _collect(job: _Job, doc: Doc) -> Extraction:
        events = list(doc._.events or [])
        notices = list(doc._.notices or [])
        for event in events:
            event.report_id = job.report.id
            if job.report.source and job.report.source not in event.sources:
                event.sources.append(job.report.source)
        for notice in notices:
            notice.report_id = job.report.id
        return Extraction(
            id=job.report.id,
            events=events,
            notices=notices,
            toponyms=list(doc._.toponyms or []),
            language=job.language,
        )


_DEFAULT: Extractor | None = None


def extract(
    text: str,
    *,
    published: dt.datetime | dt.date | str | None = None,
    id: str = "report",
    title: str | None = None,
    source: str | None = None,
) -> Extraction:
    """Extract events, notices and toponyms from one text (the pipeline loads once per process).

    ``published`` anchors relative dates ("on Thursday"): a datetime (naive is taken as UTC), a date, or a
    string in ISO 8601, a plain date or RSS form; an unreadable string raises ``InputError`` (T018).
    Without it, explicit dates still resolve and relative ones stay empty with a reason.
    """
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.extract(text, published=published, id=id, title=title, source=source)
