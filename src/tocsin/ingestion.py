"""Ingest: files -> reports -> extraction -> store, idempotent and crash-safe.

Reports are keyed by their content hash: a report already stored (or seen earlier in the
same run) is counted as a duplicate and not extracted again. Each batch is written in one
transaction, so an ingest killed half-way leaves whole batches only and a rerun completes
the rest. With ``stage=True`` (bulk loads: ``tocsin backfill``) batches go through
``Store.stage`` and their events wait in the store's pending table for ``Store.merge_pending``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tocsin import settings
from tocsin.extraction import Extractor
from tocsin.model import Extraction, Report
from tocsin.sources import Problem, content_hash, read_paths
from tocsin.store import Store

__all__ = ["IngestSummary", "draft_notices", "fresh_batches", "ingest", "ingest_reports", "store_batch"]


@dataclass
class IngestSummary:
    read: int = 0
    new: int = 0
    duplicate: int = 0
    rejected: int = 0
    skipped: int = 0
    """Reports stored but not coded (not English, empty)."""
    events: int = 0
    notices: int = 0
    drafts: int = 0
    """Draft warnings made from the new notices, waiting for an operator (never published here)."""
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.rejected == 0


Progress = Callable[[int], None]


def _reports(items: Iterable[Report | Problem], summary: IngestSummary) -> Iterator[Report]:
    for item in items:
        if isinstance(item, Problem):
            summary.problems.append(item)
            if item.severity == "rejected":
                summary.rejected += 1
            continue
        summary.read += 1
        yield item


def ingest_reports(
    items: Iterable[Report | Problem],
    store: Store,
    *,
    extractor: Extractor | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    drafts: bool = True,
    stage: bool = False,
) -> IngestSummary:
    """Store and extract reports (Problems from the readers are counted and kept).

    With ``drafts`` the notices of new reports become draft warnings for an operator to review.
    With ``stage`` events are staged, not merged: call ``store.merge_pending()`` afterwards.
    """
    size = batch_size or int(settings.get("batch_size"))
    summary = IngestSummary()
    engine = extractor
    for fresh in fresh_batches(items, store, summary, size=size, progress=progress):
        if engine is None:
            engine = Extractor()
        extractions = engine.extract_reports([r for r, _ in fresh], batch_size=size)
        store_batch(store, [(r, h, x) for (r, h), x in zip(fresh, extractions, strict=True)], summary,
                    drafts=drafts, stage=stage)
        if progress is not None:
            progress(len(fresh))
    return summary


def fresh_batches(
    items: Iterable[Report | Problem],
    store: Store,
    summary: IngestSummary,
    *,
    size: int,
    check: int | None = None,
    progress: Progress | None = None,
) -> Iterator[list[tuple[Report, str]]]:
    """Batches of up to ``size`` (report, content hash) pairs neither stored nor seen earlier in this run.

    Counts read, rejected and duplicate reports in ``summary`` (``progress`` hears of duplicates at
    once; of fresh reports, the caller tells it once they are written). The store is asked about
    ``check`` hashes at a time (default ``size``).
    """
    check = check or size
    seen: set[str] = set()
    unchecked: list[tuple[Report, str]] = []
    fresh: list[tuple[Report, str]] = []

    def look_up() -> None:
        known = store.known_hashes(h for _, h in unchecked)
        fresh.extend((r, h) for r, h in unchecked if h not in known)
        dropped = sum(h in known for _, h in unchecked)
        summary.duplicate += dropped
        if progress is not None and dropped:
            progress(dropped)
        unchecked.clear()

    for report in _reports(items, summary):
        digest = content_hash(report.text)
        if digest in seen:
            summary.duplicate += 1
            if progress is not None:
                progress(1)
            continue
        seen.add(digest)
        unchecked.append((report, digest))
        if len(unchecked) >= check:
            look_up()
        while len(fresh) >= size:
            yield fresh[:size]
            del fresh[:size]
    look_up()
    while fresh:
        yield fresh[:size]
        del fresh[:size]


def store_batch(
    store: Store, batch: list[tuple[Report, str, Extraction]], summary: IngestSummary, *, drafts: bool, stage: bool
) -> None:
    """Write one batch (``Store.add``, or ``Store.stage``) and count it; drafts from the new reports' notices."""
    results = store.stage(batch) if stage else store.add(batch)
    added = {r.content_hash for r in results if r.added}
    kept = [(r, h, x) for r, h, x in batch if h in added]
    summary.new += len(kept)
    summary.duplicate += len(batch) - len(kept)  # stored by another writer meanwhile
    summary.skipped += sum(x.skipped is not None for _, _, x in kept)
    summary.events += sum(len(x.events) for _, _, x in kept)
    summary.notices += sum(len(x.notices) for _, _, x in kept)
    if drafts:
        summary.drafts += draft_notices(store, [h for _, h, x in kept if x.notices])


def draft_notices(store: Store, hashes: list[str]) -> int:
    """Draft warnings from the notices of these stored reports, for an operator to review."""
    if not hashes:
        return 0
    from tocsin.warnings.geometry import gazetteer_resolver
    from tocsin.warnings.store import WarningStore

    notices = [n for found in store.report_notices(hashes).values() for n in found]
    made = WarningStore(store).drafts_from_notices(notices, "ingest", resolver=gazetteer_resolver(store.places()),
                                                   countries=report_countries(store, hashes))
    return len(made)


def report_countries(store: Store, hashes: Iterable[str]) -> dict[str, frozenset[str]]:
    """Per stored report, the country codes of its resolved places: where its notices' areas can lie."""
    return {h: frozenset(t.country_code for t in toponyms if t.resolved and t.country_code)
            for h, toponyms in store.report_toponyms(hashes).items()}


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    extractor: Extractor | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    drafts: bool = True,
    stage: bool = False,
    published: dt.datetime | None = None,
) -> IngestSummary:
    """Read every report under ``paths`` and ingest it into ``store`` (``stage``: see ``ingest_reports``;
    ``published``: the publication time of reports that give none)."""
    return ingest_reports(
        read_paths(paths, published=published), store, extractor=extractor, batch_size=batch_size,
        progress=progress, drafts=drafts, stage=stage,
    )
