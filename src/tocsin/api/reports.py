"""``POST /api/reports``: ingest one report or a batch, all in one transaction (all or nothing)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from tocsin.api.auth import known_query, require, state_of
from tocsin.api.fields import UtcTime
from tocsin.auth import Principal, audited, reports_snapshot
from tocsin.model import Report
from tocsin.sources.common import future_problem

__all__ = ["ReportBatch", "ReportIn", "router"]

router = APIRouter(prefix="/api/reports", tags=["reports"], dependencies=[Depends(known_query)])

MAX_BATCH = 10_000


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(..., min_length=1, max_length=500)
    text: str = Field(..., min_length=1)
    title: str | None = Field(None, max_length=2000)
    published: UtcTime | None = Field(None, description="ISO 8601; without an offset it is UTC.")
    source: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=2000)

    def to_report(self) -> Report:
        return Report(id=self.id, text=self.text, title=self.title, published=self.published, source=self.source,
                      url=self.url, origin="api")


class ReportBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reports: list[ReportIn] = Field(..., min_length=1, max_length=MAX_BATCH)


def _shape(value: Any) -> str:
    return "ReportBatch" if isinstance(value, dict) and "reports" in value else "ReportIn"


ReportsBody = Annotated[
    Annotated[ReportIn, Tag("ReportIn")] | Annotated[ReportBatch, Tag("ReportBatch")], Discriminator(_shape)
]


@router.post("", summary="Ingest a report or {'reports': [...]}; duplicates (same text) are skipped")
def post_reports(request: Request, body: ReportsBody,
                 who: Annotated[Principal, require("analyst")]) -> dict[str, Any]:
    from tocsin.ingestion import ingest_reports  # loads spaCy: only when reports arrive

    state = state_of(request)
    items = body.reports if isinstance(body, ReportBatch) else [body]
    reports = [item.to_report() for item in items]
    with state.ingest_lock:  # one spaCy pipeline per app; batches queue
        extractor = state.get_extractor()
        with audited(who.name, "reports.ingest", "reports", reports_snapshot([r.id for r in reports])):
            # one batch -> one Store.add -> one transaction: a failing report writes nothing
            summary = ingest_reports(reports, state.store, extractor=extractor, batch_size=len(reports))
    ahead = [p for p in (future_problem(r.published, f"report {r.id!r}") for r in reports) if p is not None]
    return {
        "read": summary.read, "new": summary.new, "duplicate": summary.duplicate, "rejected": summary.rejected,
        "skipped": summary.skipped, "events": summary.events, "notices": summary.notices,
        "problems": [p.message for p in [*ahead, *summary.problems]],
    }
