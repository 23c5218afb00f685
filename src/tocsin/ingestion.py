"""Ingest: files -> reports -> extraction -> store, idempotent and crash-safe.

Reports are keyed by their content hash: a report already stored (or seen earlier in the
same run) is counted as a duplicate and not extracted again. Each batch is written in one
transaction, so an ingest killed half-way leaves whole batches only and a rerun completes
the rest. With ``stage=True`` (bulk loads: ``tocsin backfill``) batches go through
``Store.stage`` and their events wait in the store's pending table for ``Store.merge_pending``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tocsin import settings
from tocsin.extraction import Extractor
from tocsin.model import Report
from tocsin.sources import Problem, content_hash, read_paths
from tocsin.store import Store

__all__ = ["IngestSummary", "draft_notices", "ingest", "ingest_reports"]


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
    seen: set[str] = set()
    batch: list[tuple[Report, str]] = []
    engine = extractor

    def flush() -> None:
        nonlocal engine
        if not batch:
            return
        known = store.known_hashes([h for _, h in batch])
        fresh = [(r, h) for r, h in batch if h not in known]
        summary.duplicate += len(batch) - len(fresh)
        if fresh:
            if engine is None:
                engine = Extractor()
            extractions = list(engine.extract_reports([r for r, _ in fresh], batch_size=size))
            write = store.stage if stage else store.add
            write([(r, h, x) for (r, h), x in zip(fresh, extractions, strict=True)])
            summary.new += len(fresh)
            summary.skipped += sum(x.skipped is not None for x in extractions)
            summary.events += sum(len(x.events) for x in extractions)
            summary.notices += sum(len(x.notices) for x in extractions)
            if drafts:
                noticed = [h for (_, h), x in zip(fresh, extractions, strict=True) if x.notices]
                summary.drafts += draft_notices(store, noticed)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for report in _reports(items, summary):
        digest = content_hash(report.text)
        if digest in seen:
            summary.duplicate += 1
            if progress is not None:
                progress(1)
            continue
        seen.add(digest)
        batch.append((report, digest))
        if len(batch) >= size:
            flush()
    flush()
    return summary


def draft_notices(store: Store, hashes: list[str]) -> int:
    """Draft warnings from the notices of these stored reports, for an operator to review."""
    if not hashes:
        return 0
    from tocsin.warnings.geometry import gazetteer_resolver
    from tocsin.warnings.store import WarningStore

    notices = [n for h in hashes for n in store.notices(report_hash=h)]
    made = WarningStore(store).drafts_from_notices(notices, "ingest", resolver=gazetteer_resolver(store.places()))
    return len(made)


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    extractor: Extractor | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    drafts: bool = True,
    stage: bool = False,
) -> IngestSummary:
    """Read every report under ``paths`` and ingest it into ``store`` (``stage``: see ``ingest_reports``)."""
    return ingest_reports(
        read_paths(paths), store, extractor=extractor, batch_size=batch_size, progress=progress, drafts=drafts,
        stage=stage,
    )
